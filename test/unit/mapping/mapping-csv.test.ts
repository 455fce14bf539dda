import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parse } from 'csv-parse/sync'
import { MAPPING_CSV_HEADER, toCsv } from '../../../main/core/mapping/mapping-csv'
import { parseMappingCsv } from '../../../main/node/mapping/mapping-csv-parser'

const HEAD = 'channel,listing,odoo_sku,odoo_id'

describe('mapping CSV', () => {
  it('reports each bad row with its line and column and keeps the good ones', () => {
    const r = parseMappingCsv(
      `\uFEFF${HEAD}\r\nbol-nl,123,LU-1,\r\n,456,LU-2,\r\nbol-nl,789,,x7\r\nbol-nl,"a,b",,42\r\n\r\n`,
    )
    expect(r.rows).toEqual([
      { line: 2, channelId: 'bol-nl', listingId: '123', odooSku: 'LU-1', odooId: null },
      { line: 5, channelId: 'bol-nl', listingId: 'a,b', odooSku: null, odooId: 42 },
    ])
    expect(r.errors.map((e) => e.line)).toEqual([3, 4])
    expect(r.errors[0]!.message).toContain('channel (column 1)')
    expect(r.errors[1]!.message).toContain('odoo_id (column 4): "x7"')
  })

  it('refuses a file without the needed columns, saying which', () => {
    expect(parseMappingCsv('sku;qty\nA;1').errors[0]?.message).toContain('channel, listing')
  })

  it('reads the separator once from the header: ";" files keep commas inside fields', () => {
    const r = parseMappingCsv('channel;listing;odoo_id\nbol-nl;A,B;42\n')
    expect(r.errors).toEqual([])
    expect(r.rows).toEqual([{ line: 2, channelId: 'bol-nl', listingId: 'A,B', odooSku: null, odooId: 42 }])
    // and "," files keep semicolons
    expect(parseMappingCsv(`${HEAD}\nbol-nl,A;B,,42\n`).rows[0]?.listingId).toBe('A;B')
  })

  it('refuses a header that mixes both separators', () => {
    const r = parseMappingCsv('channel,listing;odoo_id\nbol-nl,1;42\n')
    expect(r.rows).toEqual([])
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]!.line).toBe(1)
    expect(r.errors[0]!.message).toMatch(/both "," and ";"/)
  })

  it('refuses extra fields, naming the line and the column', () => {
    const r = parseMappingCsv(`${HEAD}\nbol-nl,1,,42,surprise\nbol-nl,2,,43\n`)
    expect(r.rows.map((x) => x.listingId)).toEqual(['2'])
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]!.line).toBe(2)
    expect(r.errors[0]!.message).toContain('column 5')
    expect(r.errors[0]!.message).toContain('surprise')
    // a header column LastUnit does not read is refused too, as is a repeated one
    expect(parseMappingCsv('channel,listing,odoo_id,notes\nbol-nl,1,42,x\n').errors[0]!.message).toContain(
      'column 4 "notes"',
    )
    expect(parseMappingCsv('channel,listing,odoo_id,odoo_id\nbol-nl,1,42,43\n').errors[0]!.message).toContain(
      'repeats',
    )
  })

  it('takes product ids in decimal digits only', () => {
    for (const bad of ['0x10', '1e3', '-1', '1.5', '+7', '0', 'Infinity', '99999999999999999999', '٤٢']) {
      const r = parseMappingCsv(`${HEAD}\nbol-nl,L1,,${bad}\n`)
      expect(r.rows, bad).toEqual([])
      expect(r.errors, bad).toHaveLength(1)
      expect(r.errors[0]!.line).toBe(2)
      expect(r.errors[0]!.message).toContain(`odoo_id (column 4): "${bad}"`)
    }
    expect(parseMappingCsv(`${HEAD}\nbol-nl,L1,,0042\n`).rows[0]?.odooId).toBe(42)
  })

  it('reports an unterminated quote at the line it opens on and imports nothing', () => {
    for (const tail of ['\n', '']) {
      const r = parseMappingCsv(`${HEAD}\nbol-nl,1,,42\nbol-nl,"open,,43\nbol-nl,3,,44${tail}`)
      expect(r.rows).toEqual([])
      expect(r.errors).toHaveLength(1)
      expect(r.errors[0]!.line).toBe(3)
      expect(r.errors[0]!.message).toMatch(/quote.*never closed/i)
    }
  })

  it('refuses a stray quote inside a field, naming its line and column', () => {
    const r = parseMappingCsv(`${HEAD}\nbol-nl,1,,42\nbol-nl,ab"c,,43\n`)
    expect(r.rows).toEqual([])
    expect(r.errors).toEqual([{ line: 3, message: expect.stringContaining('column 2') }])
  })

  it('accepts a UTF-8 byte order mark and a quoted field over several lines', () => {
    const r = parseMappingCsv(`\uFEFF${HEAD}\n"bol-nl","multi\nline",,7\nbol-nl,x,,8\n`)
    expect(r.errors).toEqual([])
    expect(r.rows.map((x) => [x.line, x.listingId])).toEqual([
      [2, 'multi\nline'],
      [4, 'x'],
    ])
  })

  it('neutralises exported cells a spreadsheet would run as formulas', () => {
    const csv = toCsv(['a'], [['=1+1'], ['+cmd'], ['-2+3'], ['@SUM(A1)'], ['\tx'], ['\rx'], ['plain'], [7]])
    const cells = (parse(csv) as string[][]).slice(1).map((r) => r[0])
    expect(cells).toEqual(["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", 'plain', '7'])
    for (const c of cells) expect(c).not.toMatch(/^[=+\-@\t\r]/)
  })

  it('an exported mapping file reads back exactly, formula-like listings included', () => {
    const text = fc
      .string({ minLength: 1, maxLength: 12 })
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            channelId: fc.constantFrom('bol-nl', 'amz'),
            listingId: fc.oneof(
              text,
              text.map((s) => `=${s}`),
              text.map((s) => `'-${s}`),
            ),
            odooSku: text,
            odooId: fc.integer({ min: 1, max: 1_000_000 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (rows) => {
          const csv = toCsv(
            MAPPING_CSV_HEADER,
            rows.map((r) => [r.channelId, r.listingId, r.odooSku, r.odooId]),
          )
          const back = parseMappingCsv(csv)
          expect(back.errors).toEqual([])
          expect(back.rows.map(({ line: _l, ...r }) => r)).toEqual(rows)
        },
      ),
      { numRuns: 300, seed: 21 },
    )
  })
})
