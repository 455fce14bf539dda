// A storm's 429 holds its operation; a request after it is early, unless it was already on its way: on
// another connection within the grace, or handled late only because the simulator's own process stalled.
import { describe, expect, it } from 'vitest'
import { LoopStalls, StormHolds } from '../../../main/sandbox/http/fault-injection'

const A = { name: 'connection that got the 429' }
const B = { name: 'another connection' }

describe('StormHolds', () => {
  it('counts a request on another connection within the grace as in flight, later as an early retry', () => {
    const h = new StormHolds(250)
    h.hold('POST /graphql', 1_000, 2_000, A)
    h.arrive('POST /graphql', 1_200, B)
    h.arrive('POST /graphql', 2_604, B)
    expect([h.inFlightAtThrottle, h.inFlightThroughStall, h.earlyRetries]).toEqual([1, 0, 1])
    expect(h.earlyRetryLog[0]).toEqual({
      operation: 'POST /graphql',
      at: 2_604,
      afterMs: 1_604,
      sameConnection: false,
    })
  })

  it('does not count a request handled late because this process stalled right after the 429', () => {
    const h = new StormHolds(250)
    h.hold('POST /graphql', 1_000, 2_000, A)
    // Handled at 2604, but the process stalled from 1100: it may have arrived 100 ms after the 429.
    h.arrive('POST /graphql', 2_604, B, 1_100)
    expect([h.inFlightAtThrottle, h.inFlightThroughStall, h.earlyRetries]).toEqual([0, 1, 0])
    // A stall that began after the grace does not excuse it.
    h.arrive('POST /graphql', 2_700, B, 1_400)
    expect(h.earlyRetries).toBe(1)
  })

  it('a request on the connection that carried the 429 was sent after it was read: early, stall or not', () => {
    const h = new StormHolds(250)
    h.hold('POST /graphql', 1_000, 2_000, A)
    h.arrive('POST /graphql', 1_100, A, 1_000)
    expect([h.inFlightThroughStall, h.earlyRetries]).toEqual([0, 1])
    // After the hold ends nothing is counted.
    h.arrive('POST /graphql', 3_000, B)
    expect(h.earlyRetries).toBe(1)
  })
})

describe('LoopStalls', () => {
  it('gives the start of a stall that just ended as the earliest arrival, and the moment itself otherwise', async () => {
    const stalls = new LoopStalls(5, 25)
    await new Promise((r) => setTimeout(r, 30))
    const quiet = Date.now()
    expect(stalls.earliestArrival(quiet)).toBe(quiet)
    // Block the loop for 200 ms: a request handled right after may have arrived when the block began.
    const start = Date.now()
    while (Date.now() - start < 200) {
      /* the process stalls */
    }
    const at = Date.now()
    expect(stalls.earliestArrival(at)).toBeLessThanOrEqual(start + 5)
    // Handled soon after the stall ended: still maybe from within it; well after: its own moment.
    await new Promise((r) => setTimeout(r, 8))
    const soon = Date.now()
    if (soon - at <= 30) expect(stalls.earliestArrival(soon)).toBeLessThanOrEqual(start + 5)
    await new Promise((r) => setTimeout(r, 60))
    const later = Date.now()
    expect(stalls.earliestArrival(later)).toBe(later)
  })
})
