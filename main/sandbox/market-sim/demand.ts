// The buyers: orders per product at its velocity, with a daily cycle (busy evenings, quiet mornings) and
// orders of more than one unit, times the peak multiplier on peak days, spread over channels by their
// demand share. Drawn once per seed and replayed against every strategy.
import type { Scenario } from './scenario'
import { createRandom, exponential, pickWeighted, type Random } from './prng'

const DAY_MS = 86_400_000

export interface Arrival {
  atMs: number
  /** Index into scenario.products. */
  product: number
  /** Index into scenario.channels. */
  channel: number
  /** Units the buyer orders (one order line). */
  units: number
}

/** The shape of a day's demand: rate(t) = mean x (1 + amplitude x cos(2 pi (hour - peakHour) / 24)). */
export interface DailyCycle {
  amplitude: number
  peakHour: number
}

/** Units per order and their probabilities (weights). */
export type OrderSizes = readonly { units: number; weight: number }[]

/**
 * The simulation's own assumptions (no marketplace publishes them): evening demand 1.5 times the day's
 * mean at 20:00 and half of it at 08:00; four orders in five are one unit, the rest two or three.
 */
export const DEFAULT_DAILY_CYCLE: DailyCycle = { amplitude: 0.5, peakHour: 20 }
export const DEFAULT_ORDER_SIZES: OrderSizes = [
  { units: 1, weight: 0.8 },
  { units: 2, weight: 0.15 },
  { units: 3, weight: 0.05 },
]

export const meanUnits = (sizes: OrderSizes): number => {
  const w = sizes.reduce((s, x) => s + x.weight, 0)
  return w > 0 ? sizes.reduce((s, x) => s + x.units * x.weight, 0) / w : 1
}

export function validateDemandShape(cycle: DailyCycle, sizes: OrderSizes): void {
  if (!(cycle.amplitude >= 0 && cycle.amplitude < 1))
    throw new RangeError(`dailyCycle.amplitude must be >= 0 and < 1, got ${cycle.amplitude}`)
  if (!(cycle.peakHour >= 0 && cycle.peakHour < 24))
    throw new RangeError(`dailyCycle.peakHour must be 0 to 24, got ${cycle.peakHour}`)
  if (sizes.length === 0) throw new RangeError('orderSizes must name at least one order size')
  sizes.forEach((x, i) => {
    if (!(Number.isInteger(x.units) && x.units >= 1))
      throw new RangeError(`orderSizes[${i}].units must be a whole number >= 1, got ${x.units}`)
    if (!(Number.isFinite(x.weight) && x.weight >= 0))
      throw new RangeError(`orderSizes[${i}].weight must be a number >= 0, got ${x.weight}`)
  })
}

/** The daily cycle's factor at time t (its mean over a day is 1). */
export const cycleFactor = (c: DailyCycle, atMs: number): number =>
  1 + c.amplitude * Math.cos((2 * Math.PI * ((atMs % DAY_MS) / 3_600_000 - c.peakHour)) / 24)

function drawUnits(r: Random, sizes: OrderSizes, total: number): number {
  return (
    sizes[
      pickWeighted(
        r,
        sizes.map((s) => s.weight),
        total,
      )
    ]?.units ?? 1
  )
}

export function generateDemand(s: Scenario, seed: number): Arrival[] {
  const out: Arrival[] = []
  if (s.scripted) {
    for (const o of s.scripted) {
      const product = s.products.findIndex((p) => p.id === o.productId)
      const channel = s.channels.findIndex((c) => c.id === o.channelId)
      if (product < 0) throw new RangeError(`scripted order names unknown product ${o.productId}`)
      if (channel < 0) throw new RangeError(`scripted order names unknown channel ${o.channelId}`)
      const units = o.units ?? 1
      if (!(Number.isInteger(units) && units >= 1))
        throw new RangeError(
          `scripted order at ${o.atMs} ms: units must be a whole number >= 1, got ${units}`,
        )
      out.push({ atMs: o.atMs, product, channel, units })
    }
    return out.sort((a, b) => a.atMs - b.atMs)
  }
  validateDemandShape(s.dailyCycle, s.orderSizes)
  const weights = s.channels.map((c) => c.demandShare)
  const total = weights.reduce((a, b) => a + b, 0)
  const sizeTotal = s.orderSizes.reduce((a, x) => a + x.weight, 0)
  const perOrder = meanUnits(s.orderSizes)
  const peakStart = s.normalDays * DAY_MS
  const end = (s.normalDays + s.peakDays) * DAY_MS
  const top = 1 + s.dailyCycle.amplitude
  s.products.forEach((p, product) => {
    const r = createRandom(seed, `demand:${p.id}`)
    // Velocity is in units (Odoo's sales history sums units), so orders arrive at velocity / units per order.
    const normal = p.salesPerDay / perOrder / DAY_MS
    if (normal <= 0) return
    // Thinning (Lewis and Shedler): candidates at the highest rate of the run, each kept with
    // rate(t) / highest, which gives the non-homogeneous Poisson process exactly.
    const highest = normal * Math.max(1, s.peakMultiplier) * top
    let t = 0
    for (;;) {
      t += exponential(r, highest)
      if (t >= end) break
      const rate = normal * (t >= peakStart ? s.peakMultiplier : 1) * cycleFactor(s.dailyCycle, t)
      if (r.next() * highest >= rate) continue
      out.push({
        atMs: t,
        product,
        channel: pickWeighted(r, weights, total),
        units: drawUnits(r, s.orderSizes, sizeTotal),
      })
    }
  })
  return out.sort((a, b) => a.atMs - b.atMs)
}
