// The fault campaign's duplicate count: duplicates by the engine's reference AND sale orders no placed order
// explains.
import { describe, expect, it } from 'vitest'
import { auditOrders } from '../../../main/sandbox/fault-campaign/order-audit'

const so = (id: number, ref: string | false, state = 'sale') => ({
  id,
  name: `S${id}`,
  clientOrderRef: ref,
  state,
})

describe('auditOrders', () => {
  it('counts a placed order twice in Odoo, and sale orders no placed order explains', () => {
    const a = auditOrders(
      ['amz:1', 'bol:2', 'ebay:3'],
      [
        so(1, 'old:9'), // before the campaign
        so(10, 'amz:1'),
        so(11, 'amz:1'), // the same order twice
        so(12, 'bol:2'),
        so(13, 'zal:7'), // a reference no buyer placed
        so(14, false), // no reference at all
        so(15, 'bol:2', 'cancel'), // cancelled: not a duplicate
      ],
      new Set([1]),
    )
    expect(a.duplicatesByRef).toBe(1)
    expect(a.unexplained).toEqual(['S13 (ref zal:7, sale)', 'S14 (ref none, sale)'])
    expect(a.duplicateOrders).toBe(3)
    expect(a.missing).toBe(1)
  })

  it('is 0 when every placed order is in Odoo once and nothing else was made', () => {
    expect(auditOrders(['a', 'b'], [so(1, 'a'), so(2, 'b', 'draft')], new Set())).toEqual({
      duplicatesByRef: 0,
      missing: 0,
      unexplained: [],
      duplicateOrders: 0,
    })
  })
})
