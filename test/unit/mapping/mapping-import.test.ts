import { describe, expect, it } from 'vitest'
import { parseMappingCsv } from '../../../main/node/mapping/mapping-csv-parser'
import { planMappingImport, type MappingImportContext } from '../../../main/core/mapping/mapping-import'

const ctx = (over: Partial<MappingImportContext> = {}): MappingImportContext => ({
  channelExists: (c) => c === 'amz' || c === 'new-shop',
  listingCount: (c) => (c === 'amz' ? 3 : 0),
  listingExists: (c, l) => c === 'amz' && ['A1', 'A2', 'A3'].includes(l),
  productsBySku: (sku) => ({ 'LU-1': [1], 'LU-2': [2], TWIN: [3, 4] })[sku] ?? [],
  productExists: (id) => id >= 1 && id <= 4,
  mappedTo: (_c, l) => ({ A2: 1, A3: 2 })[l] ?? null,
  ...over,
})

const plan = (lines: string[], c = ctx()) =>
  planMappingImport(parseMappingCsv(['channel,listing,odoo_sku,odoo_id', ...lines].join('\n')).rows, c)

describe('CSV import rules', () => {
  it('refuses a listing the channel does not have, naming it and what to do', () => {
    const r = plan(['amz,NOPE,LU-1,'])
    expect(r.rows).toEqual([])
    expect(r.errors).toEqual([
      {
        line: 2,
        message:
          'amz has no listing "NOPE" (as of the last fetch): check the listing id, or fetch the listings again if it is new.',
      },
    ])
  })

  it('refuses rows for a channel whose listings were never fetched, and says to fetch them', () => {
    const r = plan(['new-shop,X1,LU-1,'])
    expect(r.errors[0]?.message).toMatch(/No listings of new-shop have been fetched yet.*fetch the listings/)
  })

  it('maps a new listing, changes an existing mapping, and leaves one already right as it is', () => {
    const r = plan(['amz,A1,LU-1,', 'amz,A2,LU-2,', 'amz,A3,,2'])
    expect(r.errors).toEqual([])
    expect(r.rows.map((x) => [x.listingId, x.productId, x.change, x.previous])).toEqual([
      ['A1', 1, 'new', null],
      ['A2', 2, 'changed', 1],
      ['A3', 2, 'same', 2],
    ])
  })

  it('reports unknown channels, unknown or ambiguous products and repeated listings by line', () => {
    const r = plan([
      'shop,A1,LU-1,',
      'amz,A1,NOPE,',
      'amz,A1,TWIN,',
      'amz,A1,,99',
      'amz,A2,LU-1,',
      'amz,A2,LU-2,',
    ])
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'There is no channel "shop".'],
      [3, 'No Odoo product has the internal reference "NOPE".'],
      [4, 'Several Odoo products have the internal reference "TWIN"; use odoo_id.'],
      [5, 'Odoo product 99 is not known to LastUnit.'],
      [7, 'Listing "A2" on amz is already on line 6.'],
    ])
    expect(r.rows.map((x) => x.line)).toEqual([6])
  })
})
