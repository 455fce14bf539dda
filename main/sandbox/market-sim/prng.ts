// A seeded PRNG with independent named streams, so every strategy in one run sees the same demand,
// lead times and latencies (common random numbers): differences between strategies are then the
// strategies, not luck.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number
}

/** FNV-1a over the stream name, mixed with the seed: one 32-bit state per (seed, stream). */
function streamSeed(seed: number, stream: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0)
  for (let i = 0; i < stream.length; i++) {
    h ^= stream.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= Math.imul(seed >>> 0, 0x9e3779b1)
  return h >>> 0
}

/** mulberry32: small, fast and good enough for simulation (not for secrets). */
export function createRandom(seed: number, stream = ''): Random {
  let a = streamSeed(seed, stream)
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0
      let t = a
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    },
  }
}

export function uniformBetween(r: Random, min: number, max: number): number {
  return max <= min ? min : min + r.next() * (max - min)
}

/** Exponential inter-arrival time of a Poisson process with `ratePerMs` events per ms. */
export function exponential(r: Random, ratePerMs: number): number {
  // 1 - u is in (0, 1], so the log is finite.
  return -Math.log(1 - r.next()) / ratePerMs
}

/** Index drawn with probability proportional to `weights`. */
export function pickWeighted(r: Random, weights: readonly number[], total: number): number {
  let u = r.next() * total
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] ?? 0
    if (u < 0) return i
  }
  return weights.length - 1
}
