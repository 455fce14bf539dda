import { describe, expect, it } from 'vitest'
import {
  activeQuantity,
  nextAction,
  odooLinesFor,
  sameLines,
  unmappedLines,
  type ImportLine,
} from '../../../main/core/orders/order-rules'

const line = (over: Partial<ImportLine>): ImportLine => ({
  lineId: '1',
  listingId: 'L1',
  productId: 7,
  quantity: 2,
  cancelledQuantity: 0,
  unitPrice: 10,
  ...over,
})

describe('order rules', () => {
  it('counts active units after partial cancellations, never below zero', () => {
    expect(activeQuantity({ quantity: 3, cancelledQuantity: 1 })).toBe(2)
    expect(activeQuantity({ quantity: 1, cancelledQuantity: 4 })).toBe(0)
  })

  it('builds Odoo lines merged by product and price, leaving fully cancelled and unmapped lines out', () => {
    const lines = [
      line({ lineId: 'a', productId: 9, quantity: 1 }),
      line({ lineId: 'b', productId: 7, quantity: 2 }),
      line({ lineId: 'c', productId: 7, quantity: 3, cancelledQuantity: 1 }),
      line({ lineId: 'd', productId: 8, quantity: 1, cancelledQuantity: 1 }),
      line({ lineId: 'e', productId: null }),
    ]
    expect(odooLinesFor(lines)).toEqual([
      { productId: 7, quantity: 4, priceUnit: 10 },
      { productId: 9, quantity: 1, priceUnit: 10 },
    ])
    expect(unmappedLines(lines).map((l) => l.lineId)).toEqual(['e'])
    expect(sameLines(odooLinesFor(lines), odooLinesFor([...lines].reverse()))).toBe(true)
    expect(sameLines(odooLinesFor(lines), odooLinesFor(lines.slice(1)))).toBe(false)
  })

  it('decides the next step from the channel and what Odoo holds', () => {
    const mapped = [line({})]
    const sent = odooLinesFor(mapped)
    const base = { importEnabled: true, channelCancelled: false }
    expect(nextAction({ ...base, lines: mapped, sent: null })).toBe('create')
    expect(nextAction({ ...base, importEnabled: false, lines: mapped, sent: null })).toBe('skip')
    expect(nextAction({ ...base, lines: [line({ productId: null })], sent: null })).toBe('wait_mapping')
    // An unmapped line that was cancelled does not hold the order back.
    expect(
      nextAction({
        ...base,
        lines: [...mapped, line({ lineId: '2', productId: null, cancelledQuantity: 2 })],
        sent: null,
      }),
    ).toBe('create')
    expect(nextAction({ ...base, channelCancelled: true, lines: mapped, sent: null })).toBe('drop')
    expect(nextAction({ ...base, lines: mapped, sent })).toBe('none')
    expect(nextAction({ ...base, channelCancelled: true, lines: mapped, sent })).toBe('cancel')
    expect(nextAction({ ...base, lines: [line({ cancelledQuantity: 2 })], sent })).toBe('cancel')
    expect(nextAction({ ...base, lines: [line({ cancelledQuantity: 1 })], sent })).toBe('revise')
  })
})
