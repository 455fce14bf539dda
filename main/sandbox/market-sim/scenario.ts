// What one simulated market looks like: channels, products with demand at realistic velocities (a daily
// cycle, orders of one to three units), a peak day, Odoo's replenishment and returns, and the engine's own
// timings.
import { DEFAULT_CHANNELS, type ChannelProfile, type MsRange } from './channel-profile'
import { DEFAULT_DAILY_CYCLE, DEFAULT_ORDER_SIZES, type DailyCycle, type OrderSizes } from './demand'
import { createRandom, uniformBetween } from './prng'

export interface ProductSpec {
  id: number
  /** Normal demand over all channels (the velocity Odoo's sales history would show). */
  salesPerDay: number
  initialStock: number
  /** A purchase is ordered when Odoo's free stock falls to this many units. */
  reorderPoint: number
  reorderQuantity: number
  leadTime: MsRange
}

/** One order the test scripts instead of Poisson demand. */
export interface ScriptedOrder {
  atMs: number
  productId: number
  channelId: string
  /** Default 1. */
  units?: number
}

export interface Scenario {
  channels: readonly ChannelProfile[]
  products: readonly ProductSpec[]
  /** Normal days, then `peakDays` at `peakMultiplier` times the normal demand. */
  normalDays: number
  peakDays: number
  peakMultiplier: number
  /** The first simulated day (YYYY-MM-DD), for the buffer rules' peak dates. */
  startDay: string
  /** LastUnit's incremental Odoo poll. */
  odooPollMs: number
  /** From an order being seen until it is a confirmed, reserved sale order in Odoo. */
  odooImport: MsRange
  returnRate: number
  returnDelay: MsRange
  /** How demand moves through a day (busy evenings). */
  dailyCycle: DailyCycle
  /** Units per order. */
  orderSizes: OrderSizes
  /** When set, demand is exactly these orders (tests); otherwise Poisson per product and channel. */
  scripted?: readonly ScriptedOrder[]
}

export const DAY_MS = 86_400_000
const MINUTE = 60_000

/** Products of each velocity class: slow < 5 sales/day, medium 5-20, fast > 20 (product.md). */
const MIX: readonly { share: number; min: number; max: number }[] = [
  { share: 0.45, min: 0.5, max: 4.5 },
  { share: 0.4, min: 5, max: 20 },
  { share: 0.15, min: 21, max: 60 },
]

/**
 * A catalogue drawn from its own seed: velocities per class, stock for about a week, reorder when 1.5
 * to 3.5 days are left against a supplier lead time of 1 to 4 days, so some cycles run out before the
 * receipt (the last units, where oversells happen, are a regular event, not a rarity).
 */
export function defaultProducts(count: number, seed = 1): ProductSpec[] {
  const r = createRandom(seed, 'catalogue')
  const out: ProductSpec[] = []
  let id = 1
  for (const cls of MIX) {
    const n = Math.round(count * cls.share)
    for (let i = 0; i < n && out.length < count; i++) {
      const rate = uniformBetween(r, cls.min, cls.max)
      const reorderQuantity = Math.max(2, Math.round(rate * uniformBetween(r, 4, 10)))
      out.push({
        id: id++,
        salesPerDay: Math.round(rate * 10) / 10,
        initialStock: Math.max(1, Math.round(reorderQuantity * uniformBetween(r, 0.3, 1))),
        reorderPoint: Math.max(1, Math.round(rate * uniformBetween(r, 1.5, 3.5))),
        reorderQuantity,
        leadTime: { minMs: 1 * DAY_MS, maxMs: 4 * DAY_MS },
      })
    }
  }
  return out
}

export function defaultScenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    channels: DEFAULT_CHANNELS,
    products: defaultProducts(60),
    normalDays: 14,
    peakDays: 1,
    peakMultiplier: 4,
    startDay: '2026-11-14',
    odooPollMs: 5000,
    odooImport: { minMs: 3000, maxMs: 30_000 },
    returnRate: 0.05,
    returnDelay: { minMs: 3 * DAY_MS, maxMs: 14 * DAY_MS },
    dailyCycle: DEFAULT_DAILY_CYCLE,
    orderSizes: DEFAULT_ORDER_SIZES,
    ...overrides,
  }
}

/**
 * A harder market for the same strategies: Amazon applying pushes 5-15 minutes late (sellers report
 * "few minutes", sometimes far more) and a three-day peak at 8 times the normal rate (Black Friday week).
 */
export function stressScenario(overrides: Partial<Scenario> = {}): Scenario {
  return defaultScenario({
    channels: DEFAULT_CHANNELS.map((c) =>
      c.id === 'amazon' ? { ...c, applyDelay: { minMs: 5 * MINUTE, maxMs: 15 * MINUTE } } : c,
    ),
    normalDays: 7,
    peakDays: 3,
    peakMultiplier: 8,
    ...overrides,
  })
}

/** Every delay removed: orders seen, imported and pushed the instant they happen. */
export function instantTiming(s: Scenario): Scenario {
  return { ...s, odooPollMs: 0, odooImport: { minMs: 0, maxMs: 0 } }
}

export const isPeakTime = (s: Scenario, atMs: number): boolean => atMs >= s.normalDays * DAY_MS

export function dayOf(s: Scenario, atMs: number): string {
  const d = new Date(Date.parse(`${s.startDay}T00:00:00Z`) + Math.floor(atMs / DAY_MS) * DAY_MS)
  return d.toISOString().slice(0, 10)
}

export { MINUTE }
