import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RequestPacer } from '../../../../main/node/channels/kit/request-pacer'
import { OrderedBucket } from '../../../../main/sandbox/kit'
import { thrown } from '../../../helpers/push-items'

const pacerAt = (clock: { t: number; now(): number }, slept: number[] = []) =>
  new RequestPacer({
    service: 'Shop',
    clock,
    limits: {
      list: { ratePerSecond: 10, burst: 2 },
      submit: { ratePerSecond: 1, burst: 1 },
      perMinute: { perWindow: 2, windowMs: 60_000 },
    },
    maxInlineWaitMs: 2_000,
    guardMs: 0,
    // Time passes once the caller awaits, not while it is still in the same tick.
    sleep: async (ms) => {
      slept.push(ms)
      await Promise.resolve()
      clock.t += ms
    },
  })

describe('RequestPacer.acquire', () => {
  it('takes a free slot synchronously (nothing to await), so the caller sends in the same tick', () => {
    const clock = { t: 0, now: () => clock.t }
    const pacer = pacerAt(clock)
    expect(pacer.acquire('list')).toBeUndefined()
    expect(pacer.acquire('list')).toBeUndefined()
    // The burst is spent: the third call has to wait.
    expect(pacer.acquire('list')).toBeInstanceOf(Promise)
  })

  it('an operation without a limit is not paced', () => {
    const clock = { t: 0, now: () => clock.t }
    expect(pacerAt(clock).acquire('unknown')).toBeUndefined()
  })

  it('waits, then takes the slot', async () => {
    const clock = { t: 0, now: () => clock.t }
    const slept: number[] = []
    const pacer = pacerAt(clock, slept)
    pacer.acquire('list')
    pacer.acquire('list')
    await pacer.acquire('list')
    expect(slept).toEqual([100])
    expect(clock.t).toBe(100)
  })

  it('takes every limit of a call at once, or none: no slot is spent while another is missing', async () => {
    const clock = { t: 0, now: () => clock.t }
    const slept: number[] = []
    const pacer = pacerAt(clock, slept)
    expect(pacer.acquire('submit')).toBeUndefined()
    // submit is spent for 1 s: list's slot must not go while the call waits for submit.
    const waiting = pacer.acquire(['list', 'submit'])
    expect(waiting).toBeInstanceOf(Promise)
    expect(pacer.acquire('list')).toBeUndefined()
    expect(pacer.acquire('list')).toBeUndefined()
    await waiting
    expect(slept).toEqual([1000])
    // After the wait both were taken: list's burst had refilled and lost one, submit is spent again.
    expect(pacer.acquire('list')).toBeUndefined()
    expect(pacer.acquire('list')).toBeInstanceOf(Promise)
  })

  it('a wait longer than maxInlineWaitMs is handed back as a retryable error naming the limit', async () => {
    const clock = { t: 0, now: () => clock.t }
    const pacer = pacerAt(clock)
    pacer.acquire('perMinute')
    pacer.acquire('perMinute')
    const err = await thrown(pacer.acquire(['list', 'perMinute'])!)
    expect(err.code).toBe('rate_limit.local')
    // A minute and the window's guard of a second (WINDOW_GUARD_MS).
    expect(err.message).toBe('Shop: the perMinute limit allows the next call in 62 s')
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(59_000)
    // The refused call spent nothing: list still has its burst.
    expect(pacer.acquire('list')).toBeUndefined()
    expect(pacer.acquire('list')).toBeUndefined()
  })

  it('never lets more through than each limit allows, whatever the mix of calls (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 400 }),
            ops: fc.subarray(['list', 'submit'], { minLength: 1 }),
          }),
          { maxLength: 60 },
        ),
        async (calls) => {
          const clock = { t: 0, now: () => clock.t }
          const pacer = pacerAt(clock)
          const sent: Record<string, number[]> = { list: [], submit: [] }
          for (const c of calls) {
            clock.t += c.gap
            const p = pacer.acquire(c.ops)
            if (p) await p
            for (const op of c.ops) sent[op]!.push(clock.t)
          }
          // Token bucket: in any window [a, b] at most burst + rate x (b - a) calls.
          const within = (times: number[], rate: number, burst: number) => {
            for (let i = 0; i < times.length; i++)
              for (let j = i; j < times.length; j++)
                if (j - i + 1 > burst + (rate * (times[j]! - times[i]!)) / 1000 + 1e-9) return false
            return true
          }
          expect(within(sent.list!, 10, 2)).toBe(true)
          expect(within(sent.submit!, 1, 1)).toBe(true)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('keeps slack for calls that leave after their slot: by send time they still fit the exact limit (property)', async () => {
    // Amazon's listing calls on the simulators' clock: 100 a second, a burst of 5; the gateway counts send
    // times with the exact cell rate algorithm (OrderedBucket).
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 30 }), late: fc.integer({ min: 0, max: 10 }) }), {
          minLength: 1,
          maxLength: 80,
        }),
        async (calls) => {
          const clock = { t: 1_000_000, now: () => clock.t }
          const pacer = new RequestPacer({
            service: 'Amazon',
            clock,
            limits: { search: { ratePerSecond: 5, burst: 5 } },
            rateScale: 20,
            sleep: async (ms) => {
              await Promise.resolve()
              clock.t += ms
            },
          })
          const gateway = new OrderedBucket(100, 5)
          const sent: number[] = []
          for (const c of calls) {
            clock.t += c.gap
            const p = pacer.acquire('search')
            if (p) await p
            // Slot at clock.t; on the wire up to 10 ms later.
            sent.push(clock.t + c.late)
          }
          const last = Math.max(...sent)
          for (const t of sent) expect(gateway.take(t, last)).toBe(0)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('without the slack the same calls can break the limit by a millisecond', () => {
    // Slots exactly at the limit: the first of the burst leaves 1 ms late, the last paced call is then early.
    const gateway = new OrderedBucket(100, 5)
    const sent = [-49, -49, -48, -48, -47, -39, -29, -19, -8, 0]
    expect(sent.map((t) => gateway.take(t, 0)).filter((w) => w > 0)).toHaveLength(1)
  })
})
