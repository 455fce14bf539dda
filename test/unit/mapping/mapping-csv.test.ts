import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseCsv, parseMappingCsv, toCsv } from '../../../main/core/mapping/mapping-csv'

describe('mapping CSV', () => {
  it('reports each bad row with its line and keeps the good ones', () => {
    const r = parseMappingCsv(
      '\uFEFFchannel,listing,odoo_sku,odoo_id\r\nbol-nl,123,LU-1,\r\n,456,LU-2,\r\nbol-nl,789,,x7\r\nbol-nl,"a,b",,42\r\n\r\n',
    )
    expect(r.rows).toEqual([
      { line: 2, channelId: 'bol-nl', listingId: '123', odooSku: 'LU-1', odooId: null },
      { line: 5, channelId: 'bol-nl', listingId: 'a,b', odooSku: null, odooId: 42 },
    ])
    expect(r.errors).toEqual([
      { line: 3, message: 'The channel is empty.' },
      { line: 4, message: '"x7" is not an Odoo product id (a whole number).' },
    ])
  })

  it('refuses a file without the needed columns, saying which', () => {
    expect(parseMappingCsv('sku;qty\nA;1').errors[0]?.message).toContain('channel, listing')
  })

  it('exported cells read back as written, and formulas are neutralised by quoting', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), { minLength: 1 }),
        (rows) => {
          const width = rows[0]!.length
          const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''))
          const header = Array.from({ length: width }, (_, i) => `h${i}`)
          const back = parseCsv(toCsv(header, table))
          expect(back.slice(1)).toEqual(table)
        },
      ),
    )
    expect(toCsv(['a'], [['=1+1']])).toBe('a\r\n"=1+1"\r\n')
  })
})
