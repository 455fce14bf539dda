import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  recommendListingBuffer,
  recommendProductBuffers,
  unseenSalesPmf,
  type ListingChannel,
} from '../../../../main/sandbox/market-sim/listing-buffer'
import { recommendedBuffer } from '../../../../main/core/buffers/recommended-buffer'
import { DEFAULT_CHANNELS, detectionIntervalMs } from '../../../../main/sandbox/market-sim/channel-profile'

const channels: ListingChannel[] = DEFAULT_CHANNELS.map((c) => ({
  id: c.id,
  demandShare: c.demandShare,
  detectionIntervalMs: detectionIntervalMs(c),
  pushLatency: c.pushLatency,
}))

describe('recommendListingBuffer', () => {
  it('matches the Poisson rule when the window is fixed', () => {
    // One other channel seen at once, a fixed 1-hour push latency: exactly P(Poisson(rate x 1 h) > b).
    for (const rate of [1, 24, 100]) {
      const r = recommendListingBuffer(
        {
          ownSalesPerDay: 1,
          others: [{ salesPerDay: rate, detectionIntervalMs: 0 }],
          pushLatency: { minMs: 3_600_000, maxMs: 3_600_000 },
        },
        0.01,
      )
      const ref = recommendedBuffer(rate, 3_600_000, 0.01)
      expect(r.buffer).toBe(ref.buffer)
      expect(r.oversellRisk).toBeCloseTo(ref.oversellRisk, 9)
    }
  })

  it('a uniform detection window has the mixed-Poisson mean and tail', () => {
    // Poisson over a window uniform on [0, D]: P(X = 0) = (1 - e^-mD) / (mD).
    const perDay = 48
    const D = 3_600_000
    const pmf = unseenSalesPmf(
      {
        ownSalesPerDay: 0,
        others: [{ salesPerDay: perDay, detectionIntervalMs: D }],
        pushLatency: { minMs: 0, maxMs: 0 },
      },
      40,
    )
    const mD = (perDay * D) / 86_400_000
    expect(pmf[0]).toBeCloseTo((1 - Math.exp(-mD)) / mD, 3)
    const mean = pmf.reduce((s, p, k) => s + p * k, 0)
    expect(mean).toBeCloseTo(mD / 2, 3)
  })

  it('keeps the risk below the target and never withholds more than needed', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.double({ min: 0.0005, max: 0.2, noNaN: true }),
        (rate, window, target) => {
          const r = recommendListingBuffer(
            {
              ownSalesPerDay: 1,
              others: [{ salesPerDay: rate, detectionIntervalMs: window }],
              pushLatency: { minMs: 0, maxMs: window },
            },
            target,
          )
          expect(r.oversellRisk).toBeLessThan(target)
          if (r.buffer > 0) expect(r.riskByBuffer[r.buffer - 1]).toBeGreaterThanOrEqual(target)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('grows with velocity and with a stricter target', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 300, noNaN: true }), (rate) => {
        const exposure = (r: number) => ({
          ownSalesPerDay: 1,
          others: [{ salesPerDay: r, detectionIntervalMs: 180_000 }],
          pushLatency: { minMs: 120_000, maxMs: 480_000 },
        })
        expect(recommendListingBuffer(exposure(rate * 2)).buffer).toBeGreaterThanOrEqual(
          recommendListingBuffer(exposure(rate)).buffer,
        )
        expect(recommendListingBuffer(exposure(rate), 0.001).buffer).toBeGreaterThanOrEqual(
          recommendListingBuffer(exposure(rate), 0.01).buffer,
        )
      }),
    )
  })

  it('rejects impossible inputs with the field named', () => {
    const ok = { ownSalesPerDay: 1, others: [], pushLatency: { minMs: 0, maxMs: 0 } }
    expect(() => recommendListingBuffer(ok, 1)).toThrow(/targetRisk/)
    expect(() => recommendListingBuffer({ ...ok, pushLatency: { minMs: 5, maxMs: 1 } })).toThrow(
      /pushLatency/,
    )
    expect(() =>
      recommendListingBuffer({ ...ok, others: [{ salesPerDay: -1, detectionIntervalMs: 0 }] }),
    ).toThrow(/salesPerDay/)
  })
})

describe('recommendProductBuffers', () => {
  it('needs no buffer for a slow seller and gives the last units of a fast one to one channel', () => {
    const slow = recommendProductBuffers(2, channels)
    expect(Object.values(slow.listings).map((l) => l.buffer)).toEqual([0, 0, 0, 0, 0])
    const fast = recommendProductBuffers(40, channels)
    expect(fast.ownerChannelId).not.toBeNull()
    const owner = fast.listings[fast.ownerChannelId ?? '']
    expect(owner?.buffer).toBe(0)
    for (const [id, l] of Object.entries(fast.listings)) {
      expect(l.oversellRisk).toBeLessThan(0.01)
      if (id !== fast.ownerChannelId) expect(l.buffer).toBeGreaterThanOrEqual(1)
      expect(l.explanation).toMatch(/buffer/)
    }
    // Amazon applies pushes minutes late, so it never gets the last units and holds back the most.
    expect(fast.ownerChannelId).not.toBe('amazon')
    expect(fast.listings.amazon?.buffer).toBe(Math.max(...Object.values(fast.listings).map((l) => l.buffer)))
  })

  it('withholds less, weighted by demand, than the same buffer on every listing', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 400, noNaN: true }), (rate) => {
        const r = recommendProductBuffers(rate, channels)
        const alone = recommendProductBuffers(rate, channels, { lastUnitsToOneChannel: false })
        expect(r.weightedBuffer).toBeLessThanOrEqual(alone.weightedBuffer + 1e-12)
        for (const l of Object.values(r.listings)) expect(l.oversellRisk).toBeLessThan(0.01)
      }),
      { numRuns: 60 },
    )
  })

  it('without pending reservations the Odoo round trip widens the window', () => {
    const withPending = recommendProductBuffers(60, channels, { pendingReservations: true })
    const without = recommendProductBuffers(60, channels, {
      pendingReservations: false,
      odooRoundTrip: { minMs: 60_000, maxMs: 600_000 },
    })
    const sum = (r: typeof without) =>
      Object.values(r.listings).reduce((s, l) => s + l.expectedUnseenSales, 0)
    expect(sum(without)).toBeGreaterThan(sum(withPending))
  })
})
