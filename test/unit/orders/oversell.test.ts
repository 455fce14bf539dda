// The one oversell rule: promised (pending + what Odoo holds for sales) against on hand.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { oversellMessage, oversold } from '../../../main/node/orders/oversell'

const figures = fc.record({
  onHand: fc.integer({ min: -5, max: 200 }),
  reserved: fc.integer({ min: 0, max: 200 }),
  pending: fc.integer({ min: 0, max: 200 }),
  released: fc.integer({ min: 0, max: 200 }),
  others: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
})

describe('oversold', () => {
  it('pending units over free stock (reservations of other Odoo sales included)', () => {
    // 10 on hand, 8 reserved by a sale made in Odoo: 2 free. Three units sold on the channels.
    expect(oversold({ onHand: 10, reserved: 8, pending: 3, released: 0 })).toEqual({
      promised: 11,
      have: 10,
      shortfall: 1,
    })
    expect(oversold({ onHand: 10, reserved: 8, pending: 2, released: 0 })).toBeNull()
  })

  it('imported orders Odoo could not reserve still count', () => {
    // 1 on hand; two imported orders of 1 each, Odoo reserved one: nothing pending, still short by 1.
    expect(oversold({ onHand: 1, reserved: 1, pending: 0, released: 2 })).toMatchObject({ shortfall: 1 })
    // Both reserved once stock arrived.
    expect(oversold({ onHand: 5, reserved: 2, pending: 0, released: 2 })).toBeNull()
  })

  it("other sales' demand Odoo could not reserve counts with the imported orders", () => {
    // 5 on hand: a sale in Odoo holds 4 (reserved), an imported order of 3 got the last unit reserved.
    expect(oversold({ onHand: 5, reserved: 5, pending: 0, released: 3 })).toBeNull()
    expect(oversold({ onHand: 5, reserved: 5, pending: 0, released: 3, others: 4 })).toMatchObject({
      promised: 7,
      shortfall: 2,
    })
    // Two more units arrive and are reserved.
    expect(oversold({ onHand: 7, reserved: 7, pending: 0, released: 3, others: 4 })).toBeNull()
  })

  it('nothing sold through LastUnit is never an oversell of its own', () => {
    expect(oversold({ onHand: 1, reserved: 4, pending: 0, released: 0 })).toBeNull()
  })

  it('is exactly pending > free when every imported order is reserved', () => {
    fc.assert(
      fc.property(figures, (f) => {
        fc.pre(
          f.released + (f.others ?? 0) <= f.reserved && f.pending > 0 && f.reserved <= Math.max(0, f.onHand),
        )
        const free = Math.max(0, f.onHand - f.reserved)
        expect(oversold(f) !== null).toBe(f.pending > free)
      }),
    )
  })

  it('shortfall is what is promised beyond on hand, positive exactly when oversold', () => {
    fc.assert(
      fc.property(figures, (f) => {
        const v = oversold(f)
        if (v === null) return
        expect(v.shortfall).toBeGreaterThan(0)
        expect(v.promised - v.have).toBe(v.shortfall)
        expect(v.have).toBe(Math.max(0, f.onHand))
      }),
    )
  })

  it('more stock never makes an oversell, more units sold never clears one', () => {
    fc.assert(
      fc.property(figures, fc.integer({ min: 0, max: 50 }), (f, n) => {
        if (oversold({ ...f, onHand: f.onHand + n }) !== null) expect(oversold(f)).not.toBeNull()
        if (oversold(f) !== null) expect(oversold({ ...f, pending: f.pending + n })).not.toBeNull()
        if (oversold(f) !== null) expect(oversold({ ...f, others: (f.others ?? 0) + n })).not.toBeNull()
      }),
    )
  })

  it('names the orders, kits and channels, and the shortfall', () => {
    const v = oversold({ onHand: 1, reserved: 0, pending: 3, released: 0 })!
    expect(
      oversellMessage('[SKU-5] Mug', v, 1, [
        { channelId: 'bol', orderId: 'B1', quantity: 1 },
        { channelId: 'amazon', orderId: 'A1', quantity: 1, kit: 'Gift set' },
      ]),
    ).toBe(
      '[SKU-5] Mug: 3 units promised but only 1 on hand in Odoo (1 free); short by 2. ' +
        'Orders: bol B1 (1), amazon A1 (1 x kit Gift set). Channels: amazon, bol. ' +
        'Cancel one before the marketplace penalises the late shipment.',
    )
  })
})
