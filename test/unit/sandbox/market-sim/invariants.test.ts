import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DEFAULT_CHANNELS, instantChannels } from '../../../../main/sandbox/market-sim/channel-profile'
import { EventQueue } from '../../../../main/sandbox/market-sim/event-queue'
import { createRandom } from '../../../../main/sandbox/market-sim/prng'
import {
  defaultScenario,
  instantTiming,
  type ProductSpec,
} from '../../../../main/sandbox/market-sim/scenario'
import { simulate } from '../../../../main/sandbox/market-sim/simulate'
import { instantStrategy, strategies } from '../../../../main/sandbox/market-sim/strategy'

const DAY = 86_400_000

const product = fc.record({
  salesPerDay: fc.double({ min: 0, max: 80, noNaN: true }),
  initialStock: fc.integer({ min: 0, max: 12 }),
  reorderPoint: fc.integer({ min: 0, max: 6 }),
  reorderQuantity: fc.integer({ min: 1, max: 20 }),
})

const catalogue = fc
  .array(product, { minLength: 1, maxLength: 4 })
  .map((ps): ProductSpec[] =>
    ps.map((p, i) => ({ ...p, id: i + 1, leadTime: { minMs: 0.2 * DAY, maxMs: 1.5 * DAY } })),
  )

const strategyIndex = fc.integer({ min: 0, max: strategies().length - 1 })

describe('market simulation invariants', () => {
  it('every buyer is accepted or refused; oversells and lost sales are within those', () => {
    fc.assert(
      fc.property(catalogue, strategyIndex, fc.integer({ min: 1, max: 1000 }), (products, si, seed) => {
        const s = defaultScenario({ products, normalDays: 2, peakDays: 1 })
        const strategy = strategies()[si]
        if (!strategy) return
        const r = simulate(s, strategy, seed)
        for (const m of [r.normal, r.peak]) {
          expect(m.accepted + m.refused).toBe(m.demand)
          expect(m.oversells).toBeLessThanOrEqual(m.accepted)
          // Lost sales are units of refused orders; an order is one to three units.
          expect(m.lostSales).toBeLessThanOrEqual(m.refusedUnits)
          expect(m.refusedUnits).toBeGreaterThanOrEqual(m.refused)
          expect(m.refusedUnits).toBeLessThanOrEqual(3 * m.refused)
          expect(m.demandUnits).toBeGreaterThanOrEqual(m.demand)
          expect(m.oversells).toBeGreaterThanOrEqual(0)
        }
      }),
      { numRuns: 40 },
    )
  })

  it('without delays no strategy oversells, whatever the catalogue', () => {
    fc.assert(
      fc.property(catalogue, strategyIndex, fc.integer({ min: 1, max: 1000 }), (products, si, seed) => {
        const s = instantTiming(
          defaultScenario({
            products,
            normalDays: 2,
            peakDays: 1,
            channels: instantChannels(DEFAULT_CHANNELS),
          }),
        )
        const strategy = strategies()[si]
        if (!strategy) return
        const r = simulate(s, instantStrategy(strategy), seed)
        expect(r.normal.oversells + r.peak.oversells).toBe(0)
      }),
      { numRuns: 40 },
    )
  })

  it('the event queue pops in time order, ties in scheduling order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
        const q = new EventQueue()
        const seen: [number, number][] = []
        times.forEach((t, i) => q.schedule(t, () => seen.push([t, i])))
        for (let e = q.pop(); e; e = q.pop()) e.run()
        const sorted = times
          .map((t, i): [number, number] => [t, i])
          .sort((a, b) => a[0] - b[0] || a[1] - b[1])
        expect(seen).toEqual(sorted)
      }),
    )
  })

  it('named random streams are reproducible, independent and uniform', () => {
    const a = createRandom(5, 'demand:1')
    const b = createRandom(5, 'demand:1')
    const c = createRandom(5, 'demand:2')
    const xs = Array.from({ length: 2000 }, () => a.next())
    expect(Array.from({ length: 2000 }, () => b.next())).toEqual(xs)
    expect(Array.from({ length: 2000 }, () => c.next())).not.toEqual(xs)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    expect(mean).toBeGreaterThan(0.47)
    expect(mean).toBeLessThan(0.53)
  })
})
