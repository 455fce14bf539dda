import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  TokenBucket,
  type BucketMemory,
  type BucketSnapshot,
} from '../../../main/core/rate-limit/token-bucket'

const memory = (): BucketMemory & { data: Map<string, BucketSnapshot> } => {
  const data = new Map<string, BucketSnapshot>()
  return { data, load: (k) => data.get(k), save: (k, s) => void data.set(k, { ...s }) }
}

describe('TokenBucket with memory', () => {
  it('a restarted bucket goes on with the tokens the last one left, refilled for the time between', () => {
    const clock = { t: 0, now: () => clock.t }
    const m = memory()
    const a = new TokenBucket(2, 5, clock, { store: m, key: 'push' })
    for (let i = 0; i < 5; i++) expect(a.take()).toBe(0)
    expect(a.take()).toBeGreaterThan(0)
    // Killed; a new process 1 s later: 2 tokens back, not a full burst of 5.
    clock.t += 1000
    const b = new TokenBucket(2, 5, clock, { store: m, key: 'push' })
    expect(b.take()).toBe(0)
    expect(b.take()).toBe(0)
    expect(b.take()).toBe(500)
  })

  it('a Retry-After hold survives a restart', () => {
    const clock = { t: 0, now: () => clock.t }
    const m = memory()
    new TokenBucket(10, 10, clock, { store: m, key: 'orders' }).pauseFor(3000)
    clock.t += 1000
    expect(new TokenBucket(10, 10, clock, { store: m, key: 'orders' }).take()).toBe(2000)
  })

  it('never allows more than burst + rate x time across any number of restarts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 2000 }), restart: fc.boolean() }), {
          minLength: 1,
          maxLength: 200,
        }),
        (steps) => {
          const clock = { t: 0, now: () => clock.t }
          const m = memory()
          const rate = 3
          const burst = 4
          let b = new TokenBucket(rate, burst, clock, { store: m, key: 'k' })
          let taken = 0
          for (const s of steps) {
            clock.t += s.gap
            if (s.restart) b = new TokenBucket(rate, burst, clock, { store: m, key: 'k' })
            if (b.take() === 0) taken++
            expect(taken).toBeLessThanOrEqual(burst + Math.floor((rate * clock.t) / 1000))
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('a store that fails never fails a request', () => {
    const clock = { t: 0, now: () => clock.t }
    const broken: BucketMemory = {
      load: () => undefined,
      save: () => {
        throw new Error('disk full')
      },
    }
    expect(new TokenBucket(1, 1, clock, { store: broken, key: 'k' }).take()).toBe(0)
  })
})
