import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  judgeSendOrder,
  truthAt,
  type ReceivedSend,
  type TruthStep,
} from '../../../main/sandbox/fault-campaign/send-order'

/** A truth that moves one way: steps at increasing times. */
const truthArb = (direction: 'rising' | 'falling') =>
  fc
    .record({
      start: fc.integer({ min: 0, max: 50 }),
      moves: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 1000 }), by: fc.integer({ min: 1, max: 3 }) }), {
        minLength: 1,
        maxLength: 20,
      }),
    })
    .map(({ start, moves }) => {
      const steps: TruthStep[] = [{ at: 0, value: start }]
      let at = 0
      let v = start
      for (const m of moves) {
        at += m.gap
        v = direction === 'rising' ? v + m.by : Math.max(0, v - m.by)
        steps.push({ at, value: v })
      }
      return steps
    })

/** An engine that sends, in order, what it saw of the truth some time before each send. */
const inOrderSends = (steps: TruthStep[], lags: number[], gaps: number[]): ReceivedSend[] => {
  const out: ReceivedSend[] = []
  let at = 0
  let seen = 0
  gaps.forEach((g, i) => {
    at += g
    // What it saw never goes back: the observation time only moves forward.
    seen = Math.max(seen, at - (lags[i] ?? 0))
    out.push({ at, value: truthAt(steps, seen) })
  })
  return out
}

describe('judgeSendOrder', () => {
  it('never flags an engine that sends what it saw, in order (property)', () => {
    for (const direction of ['rising', 'falling'] as const)
      fc.assert(
        fc.property(
          truthArb(direction),
          fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 30 }),
          fc.array(fc.integer({ min: 1, max: 800 }), { minLength: 1, maxLength: 30 }),
          (steps, lags, gaps) => {
            const v = judgeSendOrder(direction, steps, inOrderSends(steps, lags, gaps))
            expect(v.outOfOrder).toBe(0)
            expect(v.aboveTruth).toBe(0)
          },
        ),
        { numRuns: 300 },
      )
  })

  it('flags a figure delivered after a newer one (property)', () => {
    for (const direction of ['rising', 'falling'] as const)
      fc.assert(
        fc.property(
          truthArb(direction),
          fc.array(fc.integer({ min: 1, max: 800 }), { minLength: 2, maxLength: 30 }),
          fc.nat(),
          (steps, gaps, pick) => {
            const sends = inOrderSends(steps, [], gaps)
            // Send i is held up and delivered just after a later send j that carries another figure.
            const i = pick % sends.length
            const j = sends.findIndex((s, k) => k > i && s.value !== sends[i]!.value)
            fc.pre(j > 0)
            const swapped = sends.filter((_, k) => k !== i)
            swapped.splice(j, 0, { at: sends[j]!.at + 1, value: sends[i]!.value })
            expect(judgeSendOrder(direction, steps, swapped).outOfOrder).toBeGreaterThan(0)
          },
        ),
        { numRuns: 300 },
      )
  })

  it('takes a dip below a falling truth and its correction for the safe double count, not disorder', () => {
    const steps: TruthStep[] = [
      { at: 0, value: 10 },
      { at: 100, value: 9 },
    ]
    // 9 (after the order), 8 (order counted twice for a moment), 9 (corrected).
    const v = judgeSendOrder('falling', steps, [
      { at: 200, value: 9 },
      { at: 300, value: 8 },
      { at: 400, value: 9 },
    ])
    expect(v).toMatchObject({ outOfOrder: 0, belowTruth: 1, aboveTruth: 0 })
  })

  it('flags a stale figure after a correct one on a falling truth', () => {
    const steps: TruthStep[] = [
      { at: 0, value: 10 },
      { at: 100, value: 9 },
      { at: 200, value: 7 },
    ]
    const v = judgeSendOrder('falling', steps, [
      { at: 250, value: 7 },
      { at: 300, value: 9 },
    ])
    expect(v.outOfOrder).toBe(1)
    expect(v.firstViolation).toEqual({ index: 1, value: 9, after: 7 })
  })

  it('refuses a truth that moves the wrong way, naming the step', () => {
    expect(() =>
      judgeSendOrder(
        'rising',
        [
          { at: 0, value: 3 },
          { at: 5, value: 2 },
        ],
        [],
      ),
    ).toThrow(/rising truth moves the other way at step 1 \(3 -> 2\)/)
  })
})
