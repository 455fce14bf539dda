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
      moves: fc.array(
        fc.record({ gap: fc.integer({ min: 1, max: 1000 }), by: fc.integer({ min: 1, max: 3 }) }),
        {
          minLength: 1,
          maxLength: 20,
        },
      ),
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

  describe('with the truth as LastUnit could know it', () => {
    // Two orders of 2 units: placed at 10 and 20, first stored by the engine at 30 and 60.
    const steps: TruthStep[] = [
      { at: 0, value: 86 },
      { at: 10, value: 84 },
      { at: 20, value: 82 },
    ]
    const known: TruthStep[] = [
      { at: 0, value: 86 },
      { at: 30, value: 84 },
      { at: 60, value: 82 },
    ]

    it('takes a double count that equals a truth with an order not read yet for the safe dip it is', () => {
      // 82 at 50 counts the first order twice (pending and reserved): only the first is known by then.
      const sends: ReceivedSend[] = [
        { at: 5, value: 86 },
        { at: 35, value: 84 },
        { at: 50, value: 82 },
        { at: 52, value: 84 },
        { at: 61, value: 82 },
      ]
      // Against the plain truth the dip looks truthful and its correction old: the artifact this removes.
      expect(judgeSendOrder('falling', steps, sends).outOfOrder).toBe(1)
      expect(judgeSendOrder('falling', steps, sends, known)).toMatchObject({
        outOfOrder: 0,
        belowTruth: 1,
        aboveTruth: 0,
      })
    })

    it('still flags an old figure sent after one the engine could know', () => {
      const v = judgeSendOrder(
        'falling',
        steps,
        [
          { at: 35, value: 84 },
          { at: 61, value: 82 },
          { at: 70, value: 84 },
        ],
        known,
      )
      expect(v.outOfOrder).toBe(1)
      expect(v.firstViolation).toEqual({ index: 2, value: 84, after: 82 })
    })

    it('refuses a known truth below the truth: an order known before it was placed', () => {
      expect(() =>
        judgeSendOrder(
          'falling',
          steps,
          [],
          [
            { at: 0, value: 86 },
            { at: 5, value: 84 },
          ],
        ),
      ).toThrow(/known truth \(84\) is below the truth \(86\) at 5/)
    })

    it('never flags an engine that sends what it knew, in order, however late it read the orders (property)', () => {
      fc.assert(
        fc.property(
          truthArb('falling'),
          fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 20, maxLength: 20 }),
          fc.array(fc.integer({ min: 1, max: 800 }), { minLength: 1, maxLength: 30 }),
          fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
          (truth, readLags, gaps, doubles) => {
            // Each fall of the truth is an order; the engine stores it readLag later, in any order.
            const knownAt = truth.slice(1).map((s, i) => s.at + (readLags[i] ?? 0))
            const known: TruthStep[] = [{ at: 0, value: truth[0]!.value }]
            for (const at of [...new Set(knownAt)].sort((a, b) => a - b)) {
              // The known figure: the first value less every order stored by then (falls are whole steps).
              let v = truth[0]!.value
              truth.slice(1).forEach((s, i) => {
                if (knownAt[i]! <= at) v -= truth[i]!.value - s.value
              })
              known.push({ at, value: v })
            }
            let at = 0
            const sends: ReceivedSend[] = gaps.map((g, i) => {
              at += g
              const v = truthAt(known, at)
              // Now and then an order counted twice for a moment: a figure below what it knew.
              return { at, value: doubles[i] ? Math.max(0, v - 2) : v }
            })
            const v = judgeSendOrder('falling', truth, sends, known)
            expect(v.outOfOrder).toBe(0)
          },
        ),
        { numRuns: 300 },
      )
    })
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
