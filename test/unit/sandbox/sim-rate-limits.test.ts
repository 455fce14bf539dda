import { describe, expect, it } from 'vitest'
import { SENT_AT_HEADER } from '../../../main/node/http/http-client'
import { SimRateLimits } from '../../../main/sandbox/channels/sim-toolkit'

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
  })

  it('ignores a send time ahead of its clock or more than a minute old', () => {
    const limits = new SimRateLimits({ op: { ratePerSecond: 1, burst: 1 } }, 1, clock)
    expect(allowed(limits, [sentAt(clock.t + 60_000), sentAt(clock.t - 120_000), undefined])).toBe(1)
  })
})
