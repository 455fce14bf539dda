// The one buffer policy: its closed form against the plain Poisson rule, and its properties over random
// inputs (fast-check): the risk stays below the target, only the other channels' order intervals count,
// the push latency and the marketplace's apply delay widen the window, and a bad input names itself.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  DEFAULT_TARGET_RISK,
  recommendBuffers,
  recommendListingBuffer,
  unseenSalesPmf,
  type PolicyChannel,
} from '../../../main/core/buffers/buffer-policy'
import {
  MARKETPLACE_APPLY_DELAY,
  NOTIFICATION_LOSS_RATE,
  defaultOrderDetectionMs,
  policyChannel,
  UNMEASURED_NOTIFICATION_DELAY,
  UNMEASURED_PUSH_LATENCY,
} from '../../../main/core/buffers/policy-channels'

const DAY = 86_400_000
const zero = { minMs: 0, maxMs: 0 }

/** P(Poisson(mu) > b). */
const poissonTail = (mu: number, b: number) => {
  let p = Math.exp(-mu)
  let cdf = p
  for (let k = 1; k <= b; k++) {
    p = (p * mu) / k
    cdf += p
  }
  return 1 - cdf
}

/** The shipped channels as the app hands them over before sync has measured anything. */
const shipped = (types: string[]): PolicyChannel[] =>
  types.map((type) => policyChannel({ channelId: type, type, orderPollIntervalMs: null }))

const range = fc
  .tuple(fc.integer({ min: 0, max: 600_000 }), fc.integer({ min: 0, max: 600_000 }))
  .map(([a, b]) => ({ minMs: Math.min(a, b), maxMs: Math.max(a, b) }))

const channelArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    orderDetectionMs: fc.integer({ min: 0, max: 900_000 }),
    pushLatency: range,
    applyDelay: range,
  })

describe('recommendListingBuffer', () => {
  it('is the Poisson rule when the window is fixed', () => {
    for (const rate of [1, 24, 100]) {
      const r = recommendListingBuffer(
        {
          ownSalesPerDay: 1,
          others: [{ salesPerDay: rate, detectionIntervalMs: 0 }],
          pushLatency: { minMs: 3_600_000, maxMs: 3_600_000 },
        },
        0.01,
      )
      const mu = rate / 24
      expect(r.oversellRisk).toBeCloseTo(poissonTail(mu, r.buffer), 9)
      expect(poissonTail(mu, r.buffer)).toBeLessThan(0.01)
      if (r.buffer > 0) expect(poissonTail(mu, r.buffer - 1)).toBeGreaterThanOrEqual(0.01)
    }
  })

  it('a uniform detection window has the mixed-Poisson mean and zero term', () => {
    const perDay = 48
    const D = 3_600_000
    const pmf = unseenSalesPmf(
      { ownSalesPerDay: 0, others: [{ salesPerDay: perDay, detectionIntervalMs: D }], pushLatency: zero },
      40,
    )
    const mD = (perDay * D) / DAY
    expect(pmf[0]).toBeCloseTo((1 - Math.exp(-mD)) / mD, 3)
    expect(pmf.reduce((s, p, k) => s + p * k, 0)).toBeCloseTo(mD / 2, 3)
  })
})

describe('recommendBuffers', () => {
  it('keeps every listing below the target and withholds no unit more than the target needs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 300, noNaN: true }),
        fc.array(channelArb('x'), { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0.0005, max: 0.2, noNaN: true }),
        (rate, raw, target) => {
          const channels = raw.map((c, i) => ({ ...c, id: `ch${i}` }))
          const r = recommendBuffers({ salesPerDay: rate, channels, targetRisk: target })
          for (const c of channels) {
            const l = r.listings[c.id]
            expect(l).toBeDefined()
            expect(l!.oversellRisk).toBeLessThan(target)
            // Without the shared last units, a listing's buffer is the smallest that meets the target.
            const alone = recommendBuffers({
              salesPerDay: rate,
              channels,
              targetRisk: target,
              lastUnitsToOneChannel: false,
            }).listings[c.id]!
            if (alone.buffer > 0) expect(alone.riskByBuffer[alone.buffer - 1]).toBeGreaterThanOrEqual(target)
          }
        },
      ),
      { numRuns: 120 },
    )
  })

  it("counts the other channels' order intervals, never the listing's own", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 200, noNaN: true }),
        channelArb('a'),
        channelArb('b'),
        fc.integer({ min: 0, max: 900_000 }),
        (rate, a, b, ownInterval) => {
          const base = { salesPerDay: rate, lastUnitsToOneChannel: false }
          const r1 = recommendBuffers({ ...base, channels: [a, b] }).listings.a!
          const r2 = recommendBuffers({ ...base, channels: [{ ...a, orderDetectionMs: ownInterval }, b] })
            .listings.a!
          expect(r2.buffer).toBe(r1.buffer)
          expect(r2.expectedUnseenSales).toBeCloseTo(r1.expectedUnseenSales, 12)
          // A slower other channel never lowers it.
          const slower = recommendBuffers({
            ...base,
            channels: [a, { ...b, orderDetectionMs: b.orderDetectionMs * 2 + 1000 }],
          }).listings.a!
          expect(slower.buffer).toBeGreaterThanOrEqual(r1.buffer)
          expect(slower.expectedUnseenSales).toBeGreaterThan(r1.expectedUnseenSales)
        },
      ),
      { numRuns: 100 },
    )
  })

  it("widens with the listing's push latency, its apply delay, the velocity and a stricter target", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        channelArb('a'),
        channelArb('b'),
        fc.integer({ min: 1, max: 600_000 }),
        (rate, a, b, extra) => {
          const base = { lastUnitsToOneChannel: false }
          const buf = (over: Partial<PolicyChannel>, r = rate, target = 0.01) =>
            recommendBuffers({
              ...base,
              salesPerDay: r,
              channels: [{ ...a, ...over }, b],
              targetRisk: target,
            }).listings.a!.buffer
          const now = buf({})
          expect(
            buf({ applyDelay: { minMs: a.applyDelay.minMs + extra, maxMs: a.applyDelay.maxMs + extra } }),
          ).toBeGreaterThanOrEqual(now)
          expect(
            buf({ pushLatency: { minMs: a.pushLatency.minMs + extra, maxMs: a.pushLatency.maxMs + extra } }),
          ).toBeGreaterThanOrEqual(now)
          expect(buf({}, rate * 2)).toBeGreaterThanOrEqual(now)
          expect(buf({}, rate, 0.001)).toBeGreaterThanOrEqual(now)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('a channel alone needs no buffer: nothing else can sell its last unit', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 500, noNaN: true }), channelArb('only'), (rate, c) => {
        expect(recommendBuffers({ salesPerDay: rate, channels: [c] }).listings.only?.buffer).toBe(0)
      }),
    )
  })

  it('with the shipped defaults, 10, 30 and 60 sales a day hold units back where the old window gave 0', () => {
    const channels = shipped(['amazon', 'bol', 'kaufland', 'zalando', 'shopify'])
    for (const rate of [10, 30, 60]) {
      const r = recommendBuffers({ salesPerDay: rate, channels })
      const held = Object.values(r.listings).reduce((s, l) => s + l.buffer, 0)
      expect(held, `${rate}/day`).toBeGreaterThan(0)
      for (const l of Object.values(r.listings)) expect(l.oversellRisk).toBeLessThan(DEFAULT_TARGET_RISK)
    }
    // Amazon shows an accepted figure minutes later, so its listing holds back the most.
    const fast = recommendBuffers({ salesPerDay: 60, channels })
    expect(fast.listings.amazon?.buffer).toBe(Math.max(...Object.values(fast.listings).map((l) => l.buffer)))
  })

  it("takes the shipped intervals, Amazon's apply delay and the unmeasured latency when sync has measured nothing", () => {
    const [amazon, bol] = shipped(['amazon', 'bol'])
    expect(amazon).toMatchObject({
      orderDetectionMs: 225_000,
      applyDelay: MARKETPLACE_APPLY_DELAY.amazon,
      pushLatency: UNMEASURED_PUSH_LATENCY,
    })
    expect(bol).toMatchObject({ orderDetectionMs: 35_000, applyDelay: zero })
    expect(defaultOrderDetectionMs('woocommerce')).toBe(15_000)
    // Measured figures win: the engine's interval and its p50..p99 latency.
    expect(
      policyChannel({
        channelId: 'b',
        type: 'bol',
        orderPollIntervalMs: 60_000,
        latencyP50Ms: 800,
        latencyP99Ms: 4000,
      }),
    ).toMatchObject({ orderDetectionMs: 60_000, pushLatency: { minMs: 800, maxMs: 4000 } })
  })

  it('refuses a bad input naming the field and the channel', () => {
    const ok: PolicyChannel = { id: 'bol', orderDetectionMs: 1000, pushLatency: zero, applyDelay: zero }
    const run =
      (over: Partial<PolicyChannel>, rate = 1, targetRisk?: number) =>
      () =>
        recommendBuffers({
          salesPerDay: rate,
          channels: [{ ...ok, ...over }],
          ...(targetRisk !== undefined ? { targetRisk } : {}),
        })
    expect(run({ orderDetectionMs: -1 })).toThrow(
      'channel bol: orderDetectionMs must be a number >= 0, got -1',
    )
    expect(run({ applyDelay: { minMs: 5, maxMs: 1 } })).toThrow(
      'channel bol: applyDelay must be 0 <= minMs <= maxMs',
    )
    expect(run({ pushLatency: { minMs: Number.NaN, maxMs: 1 } })).toThrow('channel bol: pushLatency')
    expect(run({ demandShare: -2 })).toThrow('channel bol: demandShare must be a number >= 0')
    expect(run({}, -1)).toThrow('salesPerDay must be a number >= 0, got -1')
    expect(run({}, 1, 1)).toThrow('targetRisk must be between 0 and 1')
    expect(() => recommendBuffers({ salesPerDay: 1, channels: [ok, ok] })).toThrow(
      'channel bol is listed twice',
    )
  })
})

describe('orders that come through the seller queue (issue #23)', () => {
  const amazon = (queue: Parameters<typeof policyChannel>[0]['orderQueue']) =>
    policyChannel({
      channelId: 'amazon',
      type: 'amazon',
      orderPollIntervalMs: null,
      latencyP50Ms: 1000,
      latencyP99Ms: 2000,
      orderQueue: queue,
    })
  const bol = policyChannel({ channelId: 'bol', type: 'bol', orderPollIntervalMs: null })

  it('a queue that is up makes the channel notified; down, starting or none leaves it polled', () => {
    const up = amazon({ state: 'up', orderToPendingP50Ms: 2000, orderToPendingMaxMs: 3500 })
    expect(up.notified).toEqual({ delay: { minMs: 2000, maxMs: 3500 }, lossRate: NOTIFICATION_LOSS_RATE })
    // Before the reader has measured an order, the unmeasured default counts.
    expect(amazon({ state: 'up', orderToPendingP50Ms: null, orderToPendingMaxMs: null }).notified).toEqual({
      delay: UNMEASURED_NOTIFICATION_DELAY,
      lossRate: NOTIFICATION_LOSS_RATE,
    })
    for (const state of ['down', 'starting'])
      expect(amazon({ state, orderToPendingP50Ms: 2000, orderToPendingMaxMs: 3500 }).notified).toBeUndefined()
    expect(amazon(null).notified).toBeUndefined()
    expect(up.orderDetectionMs).toBe(defaultOrderDetectionMs('amazon'))
  })

  it('notified sales: Poisson thinning, plus the lost share waiting for the order poll', () => {
    const perDay = 200
    const detectionIntervalMs = 225_000
    const notified = { delay: { minMs: 1000, maxMs: 3000 }, lossRate: 0.01 }
    const k = 12
    const got = unseenSalesPmf(
      {
        ownSalesPerDay: 0,
        others: [{ salesPerDay: perDay, detectionIntervalMs, notified }],
        pushLatency: zero,
      },
      k,
    )
    // Delivered: Poisson(rate x 0.99 x 2 s); lost: Poisson(rate x 0.01 x W), W uniform over the interval.
    const rate = perDay / DAY
    const pois = (mu: number) => {
      const out = [Math.exp(-mu)]
      for (let i = 1; i <= k; i++) out.push((out[i - 1]! * mu) / i)
      return out
    }
    const delivered = pois(rate * 0.99 * 2000)
    const lost = new Array<number>(k + 1).fill(0)
    const N = 2000
    for (let g = 0; g < N; g++) {
      const w = ((g + 0.5) / N) * detectionIntervalMs
      pois(rate * 0.01 * w).forEach((p, i) => (lost[i]! += p / N))
    }
    for (let i = 0; i <= k; i++) {
      let want = 0
      for (let j = 0; j <= i; j++) want += delivered[j]! * lost[i - j]!
      expect(got[i]!).toBeCloseTo(want, 6)
    }
  })

  it('a notified Amazon needs no more buffer anywhere, and less exposure, than a polled one', () => {
    const others = ['kaufland', 'zalando', 'shopify'].map((type) =>
      policyChannel({
        channelId: type,
        type,
        orderPollIntervalMs: null,
        latencyP50Ms: 1000,
        latencyP99Ms: 3000,
      }),
    )
    for (const salesPerDay of [10, 30, 60, 160]) {
      const polled = recommendBuffers({ salesPerDay, channels: [amazon(null), bol, ...others] })
      const notified = recommendBuffers({
        salesPerDay,
        channels: [
          amazon({ state: 'up', orderToPendingP50Ms: 2000, orderToPendingMaxMs: 3000 }),
          bol,
          ...others,
        ],
      })
      for (const id of ['bol', 'kaufland', 'zalando', 'shopify'])
        expect(notified.listings[id]!.expectedUnseenSales).toBeLessThan(
          polled.listings[id]!.expectedUnseenSales,
        )
      expect(notified.weightedBuffer).toBeLessThanOrEqual(polled.weightedBuffer + 1e-12)
    }
  })

  it('refuses a loss rate outside 0..1', () => {
    expect(() =>
      recommendBuffers({
        salesPerDay: 10,
        channels: [{ ...bol, id: 'x', notified: { delay: { minMs: 0, maxMs: 1 }, lossRate: 2 } }, bol],
      }),
    ).toThrow(/lossRate/)
  })
})
