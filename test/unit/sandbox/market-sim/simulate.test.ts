import { describe, expect, it } from 'vitest'
import { DEFAULT_CHANNELS, instantChannels } from '../../../../main/sandbox/market-sim/channel-profile'
import { generateDemand } from '../../../../main/sandbox/market-sim/demand'
import { sumPeriods } from '../../../../main/sandbox/market-sim/metrics'
import {
  defaultProducts,
  defaultScenario,
  instantTiming,
  type Scenario,
} from '../../../../main/sandbox/market-sim/scenario'
import { simulate } from '../../../../main/sandbox/market-sim/simulate'
import { instantStrategy, strategies, type StrategyName } from '../../../../main/sandbox/market-sim/strategy'

const HOUR = 3_600_000
const MIN = 60_000

const small = (over: Partial<Scenario> = {}): Scenario =>
  defaultScenario({ products: defaultProducts(12, 3), normalDays: 3, peakDays: 1, ...over })

/** One product with a single unit and no replenishment within the run, and scripted buyers. */
const lastUnit = (salesPerDay: number, orders: { atMs: number; channelId: string }[]): Scenario =>
  defaultScenario({
    products: [
      {
        id: 1,
        salesPerDay,
        initialStock: 1,
        reorderPoint: 0,
        reorderQuantity: 5,
        leadTime: { minMs: 10 * 24 * HOUR, maxMs: 10 * 24 * HOUR },
      },
    ],
    normalDays: 1,
    peakDays: 0,
    returnRate: 0,
    scripted: orders.map((o) => ({ ...o, productId: 1 })),
  })

const outcome = (s: Scenario, name: StrategyName, targetRisk = 0.01) => {
  const strategy = strategies(targetRisk).find((x) => x.name === name)
  if (!strategy) throw new Error(name)
  const r = simulate(s, strategy, 1)
  const m = sumPeriods(r.normal, r.peak)
  return { accepted: m.accepted, oversells: m.oversells, lost: m.lostSales }
}

describe('market simulation', () => {
  it('with zero latency and instant detection no strategy oversells', () => {
    // One-unit orders: without buffers nothing is refused while a unit is free either. (With larger
    // orders, a buyer of 2 refused where 1 is left is a lost sale of that 1.)
    const s = instantTiming(
      small({ channels: instantChannels(DEFAULT_CHANNELS), orderSizes: [{ units: 1, weight: 1 }] }),
    )
    for (const seed of [1, 2, 3]) {
      const demand = generateDemand(s, seed)
      expect(demand.length).toBeGreaterThan(200)
      for (const strategy of strategies()) {
        const r = simulate(s, instantStrategy(strategy), seed, demand)
        expect({ name: strategy.name, oversells: r.normal.oversells + r.peak.oversells }).toEqual({
          name: strategy.name,
          oversells: 0,
        })
        // Without buffers, nothing is refused while a unit is free either.
        if (strategy.buffers === 'none') expect(r.normal.lostSales + r.peak.lostSales).toBe(0)
      }
    }
  })

  it('one unit, two simultaneous orders on two channels: only a buffer prevents the oversell', () => {
    const both = [
      { atMs: HOUR, channelId: 'bol' },
      { atMs: HOUR, channelId: 'shopify' },
    ]
    const sold = { accepted: 2, oversells: 1, lost: 0 }
    const held = { accepted: 0, oversells: 0, lost: 2 }
    // A medium seller (10/day): the fixed table holds 1 unit back everywhere; LastUnit holds it back only
    // on Amazon (slow to detect and to apply), so bol and Shopify both still show it.
    const medium = lastUnit(10, both)
    const expected: Record<StrategyName, typeof sold> = {
      manual_daily: sold,
      batch_60m: sold,
      batch_15m: sold,
      batch_5m: sold,
      realtime: sold,
      realtime_fixed_table: held,
      realtime_pending: sold,
      lastunit: sold,
      lastunit_default_buffers: held,
      lastunit_notified: sold,
    }
    for (const name of Object.keys(expected) as StrategyName[])
      expect({ name, ...outcome(medium, name) }).toEqual({ name, ...expected[name] })
    // With a stricter target (0.1%) LastUnit gives a medium seller's last unit to Amazon alone.
    expect(outcome(medium, 'lastunit', 0.001)).toEqual(held)
    // A fast seller (40/day): LastUnit gives the last units to bol alone. bol sells the unit, Shopify
    // refuses when nothing is left: no oversell and no lost sale.
    const fast = lastUnit(40, both)
    expect(outcome(fast, 'lastunit')).toEqual({ accepted: 1, oversells: 0, lost: 0 })
    expect(outcome(fast, 'realtime_fixed_table')).toEqual(held)
    expect(outcome(fast, 'realtime')).toEqual(sold)
  })

  it('one unit, orders five minutes apart on two channels: what each sync interval catches', () => {
    const apart = lastUnit(10, [
      { atMs: HOUR + 1 * MIN, channelId: 'bol' },
      { atMs: HOUR + 6 * MIN, channelId: 'shopify' },
    ])
    const sold = { accepted: 2, oversells: 1, lost: 0 }
    const caught = { accepted: 1, oversells: 0, lost: 0 }
    expect(outcome(apart, 'manual_daily')).toEqual(sold)
    expect(outcome(apart, 'batch_60m')).toEqual(sold)
    expect(outcome(apart, 'batch_15m')).toEqual(sold)
    // The 5-minute batch runs at 1:05, imports the bol order and zeroes Shopify before 1:06.
    expect(outcome(apart, 'batch_5m')).toEqual(caught)
    expect(outcome(apart, 'realtime')).toEqual(caught)
    expect(outcome(apart, 'realtime_pending')).toEqual(caught)
    expect(outcome(apart, 'lastunit')).toEqual(caught)
    expect(outcome(apart, 'lastunit', 0.001)).toEqual({ accepted: 0, oversells: 0, lost: 2 })
  })

  it('notifications: an Amazon order is seen in seconds, not at the next order poll', () => {
    // One unit: sold on Amazon at 1:00, then 30 s later on Shopify. Amazon's orders are polled every 225 s;
    // its ORDER_CHANGE arrives within 1-3 s (the seeded draw loses none here), so Shopify is at 0 by then.
    const s = lastUnit(2, [
      { atMs: HOUR, channelId: 'amazon' },
      { atMs: HOUR + 30_000, channelId: 'shopify' },
    ])
    const none = (name: StrategyName) => {
      const strategy = strategies().find((x) => x.name === name)!
      // The buffers out of the way: only detection counts here.
      const r = simulate(s, { ...strategy, buffers: 'none' }, 1)
      const m = sumPeriods(r.normal, r.peak)
      return { accepted: m.accepted, oversells: m.oversells }
    }
    expect(none('lastunit')).toEqual({ accepted: 2, oversells: 1 })
    expect(none('lastunit_notified')).toEqual({ accepted: 1, oversells: 0 })
  })

  it('is deterministic for a fixed seed, and seeds differ', () => {
    const s = small()
    for (const strategy of strategies()) {
      expect(simulate(s, strategy, 7)).toEqual(simulate(s, strategy, 7))
    }
    const lu = strategies().find((x) => x.name === 'lastunit')
    if (!lu) throw new Error('lastunit')
    expect(simulate(s, lu, 7)).not.toEqual(simulate(s, lu, 8))
  })

  it('demand follows the daily cycle and orders carry one to three units', () => {
    const s = small({ normalDays: 3, peakDays: 0 })
    const demand = [1, 2, 3].flatMap((seed) => generateDemand(s, seed))
    const hourOf = (t: number) => Math.floor((t % (24 * HOUR)) / HOUR)
    const evening = demand.filter((a) => hourOf(a.atMs) >= 18 && hourOf(a.atMs) < 22).length
    const morning = demand.filter((a) => hourOf(a.atMs) >= 6 && hourOf(a.atMs) < 10).length
    // 1 + 0.5 cos around 20:00 against around 08:00: about three times as many orders.
    expect(evening / morning).toBeGreaterThan(2.2)
    expect(evening / morning).toBeLessThan(4)
    const units = demand.map((a) => a.units)
    expect(new Set(units)).toEqual(new Set([1, 2, 3]))
    const mean = units.reduce((x, y) => x + y, 0) / units.length
    expect(mean).toBeGreaterThan(1.18)
    expect(mean).toBeLessThan(1.32)
    // Velocity is in units: the units over the run match the catalogue's sales a day.
    const expectedUnits = 3 * s.products.reduce((x, p) => x + p.salesPerDay, 0) * 3
    expect(units.reduce((x, y) => x + y, 0) / expectedUnits).toBeGreaterThan(0.9)
    expect(units.reduce((x, y) => x + y, 0) / expectedUnits).toBeLessThan(1.1)
  })

  it('a buyer of more units than the listing shows is refused; an order that cannot ship whole is one oversell', () => {
    const s = defaultScenario({
      products: [
        {
          id: 1,
          salesPerDay: 10,
          initialStock: 1,
          reorderPoint: 0,
          reorderQuantity: 5,
          leadTime: { minMs: 10 * 24 * HOUR, maxMs: 10 * 24 * HOUR },
        },
      ],
      normalDays: 1,
      peakDays: 0,
      returnRate: 0,
      scripted: [
        { atMs: HOUR, productId: 1, channelId: 'bol', units: 2 },
        { atMs: 2 * HOUR, productId: 1, channelId: 'bol', units: 1 },
      ],
    })
    const realtime = strategies().find((x) => x.name === 'realtime')!
    const r = simulate(s, realtime, 1)
    // bol shows 1: the buyer of 2 goes elsewhere (1 unit lost), the buyer of 1 gets it.
    expect(r.normal).toMatchObject({
      demand: 2,
      demandUnits: 3,
      accepted: 1,
      refused: 1,
      lostSales: 1,
      oversells: 0,
    })
    expect(() =>
      generateDemand({ ...s, scripted: [{ atMs: 0, productId: 1, channelId: 'bol', units: 0 }] }, 1),
    ).toThrow('units must be a whole number >= 1, got 0')
  })

  it('replays the same buyers against every strategy of a seed', () => {
    const s = small()
    const demand = strategies().map((st) => {
      const r = simulate(s, st, 4)
      return r.normal.demand + r.peak.demand
    })
    expect(new Set(demand).size).toBe(1)
    expect(demand[0]).toBe(generateDemand(s, 4).length)
  })
})
