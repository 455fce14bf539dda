import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { BucketMemory, BucketSnapshot } from '../../../main/core/rate-limit/token-bucket'
import { WindowLimit } from '../../../main/core/rate-limit/window-limit'

const memory = (): BucketMemory => {
  const data = new Map<string, BucketSnapshot>()
  return { load: (k) => data.get(k), save: (k, s) => void data.set(k, { ...s }) }
}

describe('WindowLimit ("N per minute")', () => {
  it('allows N in a window, then says when the oldest leaves it', () => {
    const clock = { t: 0, now: () => clock.t }
    const w = new WindowLimit(3, 60_000, clock)
    expect([w.take(), w.take(), w.take()]).toEqual([0, 0, 0])
    clock.t = 10_000
    expect(w.take()).toBe(50_001)
    clock.t = 60_001
    expect(w.take()).toBe(0)
    expect(w.available()).toBe(2)
  })

  it('counts costs (Zalando’s stock updates per request) and never fits a cost above the limit', () => {
    const clock = { t: 0, now: () => clock.t }
    const w = new WindowLimit(2000, 60_000, clock)
    expect(w.take(1500)).toBe(0)
    expect(w.take(600)).toBeGreaterThan(0)
    expect(w.take(500)).toBe(0)
    expect(new WindowLimit(5, 1000, clock).take(6)).toBe(1000)
  })

  it('never counts more than N in any window, across any number of restarts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 30_000 }),
            cost: fc.integer({ min: 1, max: 4 }),
            restart: fc.boolean(),
          }),
          { minLength: 1, maxLength: 150 },
        ),
        (steps) => {
          const clock = { t: 0, now: () => clock.t }
          const m = memory()
          const limit = 8
          const windowMs = 60_000
          let w = new WindowLimit(limit, windowMs, clock, { store: m, key: 'k' })
          const counted: Array<{ at: number; cost: number }> = []
          for (const s of steps) {
            clock.t += s.gap
            if (s.restart) w = new WindowLimit(limit, windowMs, clock, { store: m, key: 'k' })
            if (w.take(s.cost) === 0) counted.push({ at: clock.t, cost: s.cost })
            const inWindow = counted.filter((c) => c.at > clock.t - windowMs).reduce((a, c) => a + c.cost, 0)
            expect(inWindow).toBeLessThanOrEqual(limit)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('holds everything for a Retry-After, also after a restart', () => {
    const clock = { t: 0, now: () => clock.t }
    const m = memory()
    new WindowLimit(10, 60_000, clock, { store: m, key: 'k' }).pauseFor(5_000)
    clock.t = 2_000
    expect(new WindowLimit(10, 60_000, clock, { store: m, key: 'k' }).take()).toBe(3_000)
  })
})

describe('WindowLimit with a guard (clients)', () => {
  it('keeps N in any window as the other side counts on arrival, when requests arrive up to the guard late (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.array(
          fc.record({ gap: fc.integer({ min: 0, max: 2_000 }), delay: fc.integer({ min: 0, max: 500 }) }),
          {
            minLength: 1,
            maxLength: 80,
          },
        ),
        (limit, steps) => {
          const clock = { t: 0, now: () => clock.t }
          const client = new WindowLimit(limit, 3_000, clock, undefined, 500)
          const arrivals: number[] = []
          for (const s of steps) {
            clock.t += s.gap
            let wait = client.take()
            while (wait > 0) {
              clock.t += wait
              wait = client.take()
            }
            arrivals.push(clock.t + s.delay)
          }
          // The channel's own window over arrival times: never more than `limit` in any 3 s.
          const server = { t: 0, now: () => server.t }
          const gate = new WindowLimit(limit, 3_000, server)
          for (const a of [...arrivals].sort((x, y) => x - y)) {
            server.t = a
            expect(gate.take()).toBe(0)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('without the guard, one request delayed on the way breaks the limit at the other end', () => {
    const clock = { t: 0, now: () => clock.t }
    const client = new WindowLimit(2, 3_000, clock)
    expect(client.take()).toBe(0) // sent at 0, arrives at 200
    clock.t = 100
    expect(client.take()).toBe(0) // arrives at 100
    clock.t = 3_001
    expect(client.take()).toBe(0) // arrives at 3 001: with the one of 200, 3 in the channel's window
    const guarded = new WindowLimit(2, 3_000, { now: () => 0 }, undefined, 500)
    expect(guarded.take()).toBe(0)
    expect(guarded.take()).toBe(0)
    expect(guarded.wait()).toBe(3_501)
  })
})

describe('WindowLimit.countLastFromNow: requests sent one at a time, counted by the channel on arrival', () => {
  /**
   * One request at a time (a token request): sent when the limit lets it, arriving `delay` later (held up on
   * its way), answered `answer` after that. Returns the arrival times, as the channel counts them.
   */
  const run = (steps: Array<{ delay: number; answer: number; gap: number }>, countFromAnswer: boolean) => {
    const clock = { t: 0, now: () => clock.t }
    const w = new WindowLimit(8, 3_000, clock, undefined, 0)
    const arrivals: number[] = []
    for (const s of steps) {
      clock.t += s.gap
      const wait = w.take()
      if (wait > 0) {
        clock.t += wait
        expect(w.take()).toBe(0)
      }
      clock.t += s.delay
      arrivals.push(clock.t)
      clock.t += s.answer
      if (countFromAnswer) w.countLastFromNow()
    }
    return arrivals
  }
  const mostInAWindow = (arrivals: number[]) =>
    Math.max(0, ...arrivals.map((a) => arrivals.filter((x) => x > a - 3_000 && x <= a).length))

  it('a first request held up on its way lets a 9th into the window the channel sees full, unless counted from its answer', () => {
    // The first arrives 1.5 s late; seven more follow at once (each refused as malformed, say); the 9th goes
    // as soon as the client's window allows.
    const steps = [
      { delay: 1_500, answer: 5, gap: 0 },
      ...Array.from({ length: 8 }, () => ({ delay: 5, answer: 5, gap: 0 })),
    ]
    expect(mostInAWindow(run(steps, false))).toBe(9)
    expect(mostInAWindow(run(steps, true))).toBe(8)
  })

  it('never lets the channel count more than N in its window, however the requests are held up (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            delay: fc.integer({ min: 0, max: 5_000 }),
            answer: fc.integer({ min: 0, max: 2_000 }),
            gap: fc.integer({ min: 0, max: 1_000 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        (steps) => {
          expect(mostInAWindow(run(steps, true))).toBeLessThanOrEqual(8)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('remembers the new count for the next process', () => {
    const clock = { t: 0, now: () => clock.t }
    const m = memory()
    const w = new WindowLimit(2, 1_000, clock, { store: m, key: 'token:window' })
    w.take()
    w.take()
    clock.t = 900
    w.countLastFromNow()
    clock.t = 1_500
    // The memory keeps both units at the later moment (900): they count until 1900 for the next process.
    const next = new WindowLimit(2, 1_000, clock, { store: m, key: 'token:window' })
    expect(next.available()).toBe(0)
    clock.t = 1_901
    expect(next.available()).toBe(2)
  })
})
