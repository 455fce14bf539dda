import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RevisionBudget } from '../../../../main/node/channels/ebay/revision-budget'
import { mapEbayOrder } from '../../../../main/node/channels/ebay/ebay-orders'

const DAY = 1_000_000

describe('eBay revision budget', () => {
  it('lets a burst through, then coalesces ordinary changes at the steady rate', () => {
    const b = new RevisionBudget({ maxPerDay: 250, reserve: 25, burst: 5, dayMs: DAY })
    let t = 10
    for (let i = 0; i < 5; i++) {
      expect(b.check('A', false, t).ok).toBe(true)
      b.spend('A', t)
    }
    const d = b.check('A', false, t)
    expect(d.ok).toBe(false)
    if (!d.ok) {
      expect(d.reason).toMatch(/coalesced/)
      // 225 ordinary revisions over the day: one every DAY/225.
      expect(d.retryInMs).toBe(Math.ceil(DAY / 225))
      t += d.retryInMs
    }
    expect(b.check('A', false, t).ok).toBe(true)
    expect(b.check('B', false, t).ok).toBe(true)
  })

  it('keeps the reserve for zero crossings and stops everything at the cap until the next day', () => {
    const b = new RevisionBudget({ maxPerDay: 10, reserve: 3, burst: 100, dayMs: DAY })
    for (let i = 0; i < 7; i++) b.spend('A', 5)
    expect(b.check('A', false, 5)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/kept for going to or from zero/),
    })
    expect(b.check('A', true, 5).ok).toBe(true)
    for (let i = 0; i < 3; i++) b.spend('A', 5)
    const d = b.check('A', true, 5)
    expect(d).toMatchObject({ ok: false, retryInMs: DAY - 5 })
    expect(b.check('A', true, DAY + 1).ok).toBe(true)
    expect(b.usedToday('A', DAY + 1)).toBe(0)
  })

  it('never allows more than the cap in a day, whatever the sequence of requests', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5000 })), { maxLength: 400 }),
        (steps) => {
          const b = new RevisionBudget({ maxPerDay: 20, reserve: 4, burst: 3, dayMs: DAY })
          let t = 0
          for (const [critical, dt] of steps) {
            t = Math.min(DAY - 1, t + dt)
            if (b.check('A', critical, t).ok) b.spend('A', t)
          }
          return b.usedToday('A', t) <= 20
        },
      ),
    )
  })

  it('follows eBay’s calendar day (US Pacific) by default', () => {
    const b = new RevisionBudget({ maxPerDay: 1, reserve: 0 })
    const t = Date.parse('2026-11-27T07:30:00Z') // 23:30 in Los Angeles
    b.spend('A', t)
    const d = b.check('A', true, t)
    expect(d).toMatchObject({ ok: false })
    if (!d.ok) expect(d.retryInMs).toBeLessThanOrEqual(3_600_000)
    expect(b.check('A', true, Date.parse('2026-11-27T08:30:00Z')).ok).toBe(true)
  })
})

describe('eBay order mapping', () => {
  it('maps lines with legacy ids and unit price, and whole-order cancellation', () => {
    const base = {
      orderId: '12-3',
      creationDate: '2026-11-01T10:00:00.000Z',
      lastModifiedDate: '2026-11-01T11:00:00.000Z',
      orderFulfillmentStatus: 'NOT_STARTED',
      cancelStatus: { cancelState: 'NONE_REQUESTED' },
      pricingSummary: { total: { value: '30.00', currency: 'EUR' } },
      lineItems: [
        {
          lineItemId: 'L1',
          sku: 'A',
          legacyItemId: '1100',
          quantity: 3,
          lineItemCost: { value: '30.00', currency: 'EUR' },
        },
      ],
    }
    const o = mapEbayOrder(base)
    expect(o).toMatchObject({ status: 'open', currency: 'EUR' })
    expect(o.lines[0]).toMatchObject({
      sku: 'A',
      externalIds: { legacyItemId: '1100' },
      unitPrice: 10,
      cancelledQuantity: 0,
    })
    const c = mapEbayOrder({ ...base, cancelStatus: { cancelState: 'CANCELED' } })
    expect(c.status).toBe('cancelled')
    expect(c.lines[0]!.cancelledQuantity).toBe(3)
    expect(mapEbayOrder({ ...base, cancelStatus: { cancelState: 'IN_PROGRESS' } }).status).toBe('open')
    expect(mapEbayOrder({ ...base, orderFulfillmentStatus: 'FULFILLED' }).status).toBe('shipped')
  })
})
