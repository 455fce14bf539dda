import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { OrderedBucket, SimRateLimits } from '../../../main/sandbox/kit'

const clock = { t: 1_000_000, now: () => clock.t }
const allowed = (limits: SimRateLimits, n: number) =>
  Array.from({ length: n }, () => limits.take('op')).filter((w) => w === 0).length

describe('simulated gateway limits', () => {
  it('counts a request when it arrives: a burst beyond the bucket is refused', () => {
    const limits = new SimRateLimits({ op: { ratePerSecond: 100, burst: 2 } }, 1, clock)
    expect(allowed(limits, 12)).toBe(2)
  })

  it('judges arrival times, whatever the client says about when it sent a request', () => {
    const limits = new SimRateLimits({ op: { ratePerSecond: 100, burst: 2 } }, 1, clock)
    // Twenty requests arriving at one instant: only the burst passes, even when each carries a send stamp
    // paced at the limit (the gateway no longer reads the stamp at all).
    clock.t += 1000
    expect(allowed(limits, 20)).toBe(2)
    // Each refusal keeps the admitted requests around it: the pattern that broke the limit.
    expect(limits.refusals).toHaveLength(18)
    expect(limits.refusals[0]).toMatchObject({ op: 'op', at: clock.t, gapMs: 0, around: [0, 0] })
    // Paced at the limit as they arrive: every one passes.
    let ok = 0
    for (let i = 0; i < 50; i++) {
      clock.t += 10
      if (limits.take('op') === 0) ok++
    }
    expect(ok).toBe(50)
  })

  it('scales its windows with the clock', () => {
    const limits = new SimRateLimits({ op: { ratePerSecond: 1, burst: 1 } }, 20, clock)
    clock.t += 10_000
    expect(limits.take('op')).toBe(0)
    expect(limits.take('op')).toBeGreaterThan(0)
    clock.t += 50
    expect(limits.take('op')).toBe(0)
  })
})

describe('OrderedBucket (a token bucket for requests counted out of time order)', () => {
  it('in time order: never more than burst + rate x time in any interval, and a refilled bucket always admits (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 120 }),
        (rate, burst, gaps) => {
          const b = new OrderedBucket(rate, burst)
          const admitted: number[] = []
          let t = 0
          for (const g of gaps) {
            t += g
            const full = admitted.length === 0 || t - admitted[admitted.length - 1]! >= (burst * 1000) / rate
            const ok = b.take(t, t) === 0
            if (full) expect(ok).toBe(true)
            if (ok) admitted.push(t)
          }
          for (let i = 0; i < admitted.length; i++)
            for (let j = i; j < admitted.length; j++)
              expect(j - i + 1).toBeLessThanOrEqual(
                burst + (rate * (admitted[j]! - admitted[i]!)) / 1000 + 1e-9,
              )
        },
      ),
      { numRuns: 500 },
    )
  })

  it('admits a paced sequence handed over in any order, and refuses a burst in any order (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rate = 100
        const burst = 5
        // 40 requests sent exactly at the limit: 5 at once, then one every 10 ms.
        const times = Array.from({ length: 40 }, (_, i) => (i < 5 ? 0 : (i - 4) * 10))
        let s = seed
        const shuffled = [...times].sort(() => ((s = (s * 16807) % 2147483647) % 3) - 1)
        const b = new OrderedBucket(rate, burst)
        expect(shuffled.filter((t) => b.take(t, 1000) === 0)).toHaveLength(40)
        // Ten more at one instant: at most what the bucket can hold passes.
        const burstAt = 400
        const more = Array.from({ length: 10 }, () => burstAt)
        expect(more.filter((t) => b.take(t, 1000) === 0).length).toBeLessThanOrEqual(burst)
      }),
      { numRuns: 200 },
    )
  })
})
