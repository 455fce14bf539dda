import { describe, expect, it } from 'vitest'
import { systemClock } from '../../../main/core/ports/clock'
import { SimRateLimits } from '../../../main/sandbox/channels/sim-toolkit'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** Holds this process's event loop, as a large answer or a garbage collection does. */
const stall = (ms: number) => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    /* busy */
  }
}
const allowed = (limits: SimRateLimits, n: number) =>
  Array.from({ length: n }, () => limits.take('op')).filter((w) => w === 0).length

describe('simulated gateway limits and the simulator’s own stalls', () => {
  it('without a stall, a burst beyond the bucket is refused', async () => {
    const limits = new SimRateLimits({ op: { ratePerSecond: 100, burst: 2 } }, 1, systemClock)
    await sleep(30)
    expect(allowed(limits, 12)).toBe(2)
  })

  it('requests that queued while the simulator stalled get what the bucket would have refilled, once', async () => {
    const limits = new SimRateLimits({ op: { ratePerSecond: 100, burst: 2 } }, 1, systemClock)
    await sleep(30)
    stall(100)
    // About 100 ms at 100 a second: the burst of 2 plus about 10 the stall would have refilled.
    const n = allowed(limits, 40)
    expect(n).toBeGreaterThanOrEqual(11)
    expect(n).toBeLessThanOrEqual(14)
    // A client sending faster than the limit is still refused: the credit is spent.
    expect(allowed(limits, 10)).toBe(0)
  })
})
