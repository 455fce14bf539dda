import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { autoMatch } from '../../../main/core/mapping/auto-match'

const products = [
  { id: 1, defaultCode: 'LU-001', barcode: '8710000000011' },
  { id: 2, defaultCode: 'LU-002', barcode: '8710000000028' },
  { id: 3, defaultCode: 'DUP', barcode: null },
  { id: 4, defaultCode: 'DUP', barcode: null },
]

describe('autoMatch', () => {
  it('matches by SKU first, then EAN, then channel ids, and says which field matched', () => {
    const r = autoMatch(
      [
        { listingId: 'a', sku: ' lu-001 ', ean: null, externalIds: {} },
        { listingId: 'b', sku: 'unknown', ean: '8710000000028', externalIds: {} },
        { listingId: 'c', sku: null, ean: null, externalIds: { sellerSku: 'LU-002' } },
        { listingId: 'd', sku: null, ean: null, externalIds: { asin: 'B000000' } },
      ],
      products,
    )
    expect(r.matches).toEqual([
      { listingId: 'a', productId: 1, reason: 'sku', detail: 'SKU lu-001 = Odoo internal reference' },
      { listingId: 'b', productId: 2, reason: 'ean', detail: 'EAN 8710000000028 = Odoo barcode' },
      {
        listingId: 'c',
        productId: 2,
        reason: 'channel_id',
        detail: 'sellerSku LU-002 = Odoo internal reference',
      },
    ])
    expect(r.ambiguous).toEqual([])
  })

  it('never guesses between two products sharing a SKU', () => {
    const r = autoMatch([{ listingId: 'x', sku: 'DUP', ean: null, externalIds: {} }], products)
    expect(r.matches).toEqual([])
    expect(r.ambiguous).toEqual([{ listingId: 'x', detail: 'SKU DUP matches 2 Odoo products' }])
  })

  it('a match always names a product whose SKU or EAN equals one of the listing values', () => {
    const code = fc.constantFrom('A', 'B', 'C', 'D', null)
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.integer({ min: 1, max: 50 }), defaultCode: code, barcode: code })),
        fc.array(fc.record({ listingId: fc.string(), sku: code, ean: code, externalIds: fc.constant({}) })),
        (ps, raw) => {
          const ls = raw.map((l, i) => ({ ...l, listingId: String(i) }))
          const r = autoMatch(ls, ps)
          for (const m of r.matches) {
            const l = ls.find((x) => x.listingId === m.listingId)!
            const p = ps.filter((x) => x.id === m.productId)
            expect(
              p.some((x) =>
                [x.defaultCode, x.barcode].some((v) => v !== null && (v === l.sku || v === l.ean)),
              ),
            ).toBe(true)
          }
        },
      ),
    )
  })
})
