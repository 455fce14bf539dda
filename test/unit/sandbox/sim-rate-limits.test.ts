import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SENT_AT_HEADER } from '../../../main/node/http/http-client'
import { OrderedBucket, SimRateLimits } from '../../../main/sandbox/kit'

const clock = { t: 1_000_000, now: () => clock.t }
const sentAt = (t: number) => ({ headers: { [SENT_AT_HEADER]: String(t) } })
const allowed = (limits: SimRateLimits, reqs: Array<{ headers: Record<string, string> } | undefined>) =>
  reqs.map((r) => limits.take('op', r)).filter((w) => w === 0).length

describe('simulated gateway limits', () => {
  it('counts a request when it arrives: a burst beyond the bucket is refused', () => {
    const limits = new SimRateLimits({ op: { ratePerSecond: 100, burst: 2 } }, 1, clock)
    expect(allowed(limits, Array(12).fill(undefined))).toBe(2)
  })

  it('counts a request when it was sent, when it says so: calls paced at the limit that queued in a stall all pass', () => {
    const limits = new SimRateLimits({ op: { ratePerSecond: 100, burst: 2 } }, 1, clock)
    const t0 = clock.t
    // Sent 10 ms apart (exactly 100 a second) while the simulator was busy; handled together 200 ms later.
    clock.t = t0 + 200
    expect(
      allowed(
        limits,
        Array.from({ length: 20 }, (_, i) => sentAt(t0 + i * 10)),
      ),
    ).toBe(20)
  })

  it('refuses a client that sent faster than the limit, whenever the simulator gets round to it', () => {
    const limits = new SimRateLimits({ op: { ratePerSecond: 100, burst: 2 } }, 1, clock)
    const t0 = clock.t
    clock.t = t0 + 500
    // Twenty sent within the same 5 ms: the burst of 2 passes, the rest is throttled.
    expect(
      allowed(
        limits,
        Array.from({ length: 20 }, (_, i) => sentAt(t0 + (i % 5))),
      ),
    ).toBe(2)
    // Out of order send times refill nothing twice.
    expect(allowed(limits, [sentAt(t0 + 1), sentAt(t0 + 2)])).toBe(0)
    // Each refusal keeps the admitted requests around it: the pattern that broke the limit.
    expect(limits.refusals).toHaveLength(20)
    expect(limits.refusals[0]).toMatchObject({ op: 'op', at: t0 + 2, handledAfterMs: 498, around: [-2, -1] })
  })

  it('ignores a send time ahead of its clock or more than a minute old', () => {
    const limits = new SimRateLimits({ op: { ratePerSecond: 1, burst: 1 } }, 1, clock)
    expect(allowed(limits, [sentAt(clock.t + 60_000), sentAt(clock.t - 120_000), undefined])).toBe(1)
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
