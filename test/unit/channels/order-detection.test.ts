// Order detection intervals: derived from each channel's orders limit, with headroom, and a seller's
// choice refused when the limit cannot sustain it.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  ORDER_POLL_ABSOLUTE_MIN_MS,
  ORDER_POLL_DEFAULT_FLOOR_MS,
  ORDER_POLL_SHARE,
  chosenOrderPollMs,
  orderDetectionFor,
  orderDetectionOf,
} from '../../../main/core/channels/order-detection'
import { defaultCapabilities, zalandoCapabilities } from '../../../main/core/channels/channel-capabilities'
import { CHANNEL_TYPES } from '../../../shared/channel-types'

const of = (type: (typeof CHANNEL_TYPES)[number]) => orderDetectionOf(type, defaultCapabilities(type))

describe('order detection per channel', () => {
  it('derives every shipped default from the channel limits (the table in docs/order-detection.md)', () => {
    const table = Object.fromEntries(
      CHANNEL_TYPES.map((t) => [t, { defaultS: of(t).defaultMs / 1000, fastestS: of(t).fastestMs / 1000 }]),
    )
    expect(table).toEqual({
      // searchOrders 0.0056/s: one call per 178.6 s sustained; 80% of it is one per 223 s.
      amazon: { defaultS: 225, fastestS: 179 },
      // orders list 7 per 180 s: one per 25.7 s; 80% is one per 32.1 s.
      bol: { defaultS: 35, fastestS: 26 },
      // 40 a minute in production.
      zalando: { defaultS: 5, fastestS: 2 },
      kaufland: { defaultS: 5, fastestS: 2 },
      // 100,000 fulfilment calls a day.
      ebay: { defaultS: 5, fastestS: 2 },
      shopify: { defaultS: 5, fastestS: 2 },
      // No published limit: the host default.
      woocommerce: { defaultS: 15, fastestS: 2 },
    })
    // The capabilities the engine reads carry the same default.
    for (const t of CHANNEL_TYPES) expect(defaultCapabilities(t).orderPollIntervalMs).toBe(of(t).defaultMs)
  })

  it("Zalando's sandbox allows 10 a minute: slower there", () => {
    const d = orderDetectionOf('zalando', zalandoCapabilities(1, true))
    expect(d).toMatchObject({ defaultMs: 10_000, fastestMs: 6_000 })
  })

  it('at the default, regular polls use at most the poll share of any limit, and never poll below the floors', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-5, max: 500, noNaN: true }), (rate) => {
        const d = orderDetectionFor({ rateLimits: [{ scope: 'orders', ratePerSecond: rate, burst: 1 }] })
        expect(1000 / d.defaultMs).toBeLessThanOrEqual(rate * ORDER_POLL_SHARE + 1e-12)
        expect(d.defaultMs).toBeGreaterThanOrEqual(ORDER_POLL_DEFAULT_FLOOR_MS)
        expect(d.fastestMs).toBeGreaterThanOrEqual(ORDER_POLL_ABSOLUTE_MIN_MS)
        // The fastest allowed never exceeds the limit itself.
        expect(1000 / d.fastestMs).toBeLessThanOrEqual(rate + 1e-12)
        expect(d.defaultMs).toBeGreaterThanOrEqual(d.fastestMs)
        // Whole seconds, so the figure a seller reads is the figure used.
        expect(d.defaultMs % 1000).toBe(0)
        expect(d.fastestMs % 1000).toBe(0)
      }),
    )
  })

  it("a seller's interval: used when the limit sustains it, refused below the fastest with the figure", () => {
    const amazon = of('amazon')
    expect(chosenOrderPollMs(amazon, undefined, 'Amazon')).toEqual({ ms: 225_000 })
    expect(chosenOrderPollMs(amazon, '', 'Amazon')).toEqual({ ms: 225_000 })
    expect(chosenOrderPollMs(amazon, '300', 'Amazon')).toEqual({ ms: 300_000 })
    expect(chosenOrderPollMs(amazon, 179, 'Amazon')).toEqual({ ms: 179_000 })
    expect(chosenOrderPollMs(amazon, 60, 'Amazon')).toEqual({
      problem:
        'the setting "Check for orders every" is 60 s; the fastest allowed is 179 s (Amazon allows one orders request every 179 s)',
    })
    expect(chosenOrderPollMs(amazon, '1e3', 'Amazon')).toMatchObject({
      problem: expect.stringContaining('whole number'),
    })
    expect(chosenOrderPollMs(amazon, 7200, 'Amazon')).toMatchObject({
      problem: expect.stringContaining('3600 s'),
    })
    expect(chosenOrderPollMs(of('woocommerce'), 1, 'WooCommerce')).toEqual({
      problem: 'the setting "Check for orders every" is 1 s; the fastest allowed is 2 s',
    })
  })
})
