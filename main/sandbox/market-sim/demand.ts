// The buyers: Poisson arrivals per product at its velocity (times the peak multiplier on peak days),
// spread over channels by their demand share. Drawn once per seed and replayed against every strategy.
import { DAY_MS, type Scenario } from './scenario'
import { createRandom, exponential, pickWeighted } from './prng'

export interface Arrival {
  atMs: number
  /** Index into scenario.products. */
  product: number
  /** Index into scenario.channels. */
  channel: number
}

export function generateDemand(s: Scenario, seed: number): Arrival[] {
  const out: Arrival[] = []
  if (s.scripted) {
    for (const o of s.scripted) {
      const product = s.products.findIndex((p) => p.id === o.productId)
      const channel = s.channels.findIndex((c) => c.id === o.channelId)
      if (product < 0) throw new RangeError(`scripted order names unknown product ${o.productId}`)
      if (channel < 0) throw new RangeError(`scripted order names unknown channel ${o.channelId}`)
      out.push({ atMs: o.atMs, product, channel })
    }
    return out.sort((a, b) => a.atMs - b.atMs)
  }
  const weights = s.channels.map((c) => c.demandShare)
  const total = weights.reduce((a, b) => a + b, 0)
  const peakStart = s.normalDays * DAY_MS
  const end = (s.normalDays + s.peakDays) * DAY_MS
  s.products.forEach((p, product) => {
    const r = createRandom(seed, `demand:${p.id}`)
    const normal = p.salesPerDay / DAY_MS
    const peak = normal * s.peakMultiplier
    let t = 0
    // Restarting the clock at the peak boundary is exact for a memoryless process.
    for (;;) {
      const rate = t < peakStart ? normal : peak
      if (rate <= 0) {
        if (t >= peakStart) break
        t = peakStart
        continue
      }
      const next = t + exponential(r, rate)
      if (t < peakStart && next >= peakStart) {
        t = peakStart
        continue
      }
      if (next >= end) break
      t = next
      out.push({ atMs: t, product, channel: pickWeighted(r, weights, total) })
    }
  })
  return out.sort((a, b) => a.atMs - b.atMs)
}
