// The rule that turns Amazon's MFN quantity events into provisional units (main/core/orders/mfn-quantity.ts),
// against a model of Amazon: a push sets the listing's quantity (absolute), an order lowers it by its units,
// every change is an event delivered late, in any order, or never. LastUnit knows only what it sent (the last
// confirmed figure and at most one in flight, as push_state keeps them), the orders it recorded (by event or
// poll) and the events it read. For any interleaving: held + recorded never under-count the units sold since
// the last applied push up to the newest event read, and nothing stays held after a poll.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  applyQuantityEvent,
  releaseAfterPoll,
  replaceByOrder,
  unexplainedUnits,
  type MfnBaseline,
  type MfnHold,
  type MfnOrderUnits,
} from '../../../main/core/orders/mfn-quantity'

type Step =
  | { k: 'sale'; units: number }
  | { k: 'send'; quantity: number }
  | { k: 'apply' }
  | { k: 'confirm' }
  | { k: 'deliver'; pick: number }
  | { k: 'lose'; pick: number }
  | { k: 'record'; pick: number }
  | { k: 'poll' }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ k: fc.constant('sale' as const), units: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ k: fc.constant('send' as const), quantity: fc.integer({ min: 0, max: 12 }) }),
  fc.constant({ k: 'apply' as const }),
  fc.constant({ k: 'confirm' as const }),
  fc.record({ k: fc.constant('deliver' as const), pick: fc.nat() }),
  fc.record({ k: fc.constant('deliver' as const), pick: fc.nat() }),
  fc.record({ k: fc.constant('lose' as const), pick: fc.nat() }),
  fc.record({ k: fc.constant('record' as const), pick: fc.nat() }),
  fc.constant({ k: 'poll' as const }),
)

function run(steps: Step[]): void {
  let t = 1000
  // Amazon's side.
  let shown = 10
  let appliedAt = 0 // when the figure Amazon shows now was set
  const sales: Array<MfnOrderUnits & { id: number }> = []
  const events: Array<{ quantity: number; eventAt: number }> = []
  // LastUnit's side.
  let confirmed: MfnBaseline = { quantity: 10, appliedBy: 0 }
  let inFlight: { quantity: number; applied: boolean } | null = null
  const recorded = new Map<number, MfnOrderUnits>()
  let unrecorded: Array<MfnOrderUnits & { id: number }> = []
  let hold: MfnHold | null = null
  let newestRead = -1
  let ambiguous = false

  const baselines = (): MfnBaseline[] => [
    confirmed,
    ...(inFlight ? [{ quantity: inFlight.quantity, appliedBy: null }] : []),
  ]
  const record = (o: MfnOrderUnits & { id: number }) => {
    hold = replaceByOrder(hold, o).hold
    recorded.set(o.id, o)
    unrecorded = unrecorded.filter((x) => x.id !== o.id)
  }

  for (const s of steps) {
    t += 10
    switch (s.k) {
      case 'sale': {
        if (shown < s.units) break
        shown -= s.units
        const o = { id: sales.length, placedAt: t, units: s.units }
        sales.push(o)
        unrecorded.push(o)
        events.push({ quantity: shown, eventAt: t })
        break
      }
      case 'send':
        // One push in flight per listing at a time (push_state keeps the last sent and the last confirmed).
        if (inFlight) break
        inFlight = { quantity: s.quantity, applied: false }
        break
      case 'apply':
        if (!inFlight || inFlight.applied) break
        inFlight.applied = true
        shown = inFlight.quantity
        appliedAt = t
        events.push({ quantity: shown, eventAt: t })
        break
      case 'confirm':
        if (!inFlight?.applied) break
        confirmed = { quantity: inFlight.quantity, appliedBy: t }
        inFlight = null
        break
      case 'deliver':
      case 'lose': {
        if (events.length === 0) break
        const [e] = events.splice(s.pick % events.length, 1)
        if (s.k === 'lose') break
        const r = applyQuantityEvent(hold, { ...e!, now: t }, baselines(), [...recorded.values()])
        hold = r.hold
        if (r.kind !== 'stale') {
          newestRead = Math.max(newestRead, e!.eventAt)
          // Exactly the figure in flight is taken for LastUnit's own push (mfn-quantity.ts): a sale that took
          // Amazon to that very figure is left to its order event and the poll, as without quantity events.
          ambiguous = inFlight?.quantity === e!.quantity
        }
        break
      }
      case 'record':
        if (unrecorded.length > 0) record(unrecorded[s.pick % unrecorded.length]!)
        break
      case 'poll': {
        const startedAt = t
        for (const o of unrecorded.filter((x) => x.placedAt < startedAt)) record(o)
        t += 5
        hold = releaseAfterPoll(hold, startedAt).hold
        // Nothing stays provisional after a poll that started after it was held.
        expect(hold?.units ?? 0).toBe(0)
        break
      }
    }
    // The newest event read after the figure Amazon shows was set: every unit sold between the two is held
    // or recorded.
    if (newestRead > appliedAt && !ambiguous) {
      const sold = sales
        .filter((o) => o.placedAt > appliedAt && o.placedAt <= newestRead)
        .reduce((n, o) => n + o.units, 0)
      const known = [...recorded.values()]
        .filter((o) => o.placedAt > appliedAt && o.placedAt <= newestRead)
        .reduce((n, o) => n + o.units, 0)
      expect((hold?.units ?? 0) + known).toBeGreaterThanOrEqual(sold)
    }
  }
}

describe('MFN quantity events: provisional units', () => {
  it('an order placed before the figure Amazon shows was applied does not replace a held sale', () => {
    // Sold at 50, 10 applied by 100 (overwriting that sale), sold again at 200: Amazon shows 9.
    const sent: MfnBaseline[] = [{ quantity: 10, appliedBy: 100 }]
    const h = applyQuantityEvent(null, { quantity: 9, eventAt: 200, now: 210 }, sent, []).hold!
    expect(h.units).toBe(1)
    // The order of the sale at 50 arrives: the sale at 200 is still unseen.
    expect(replaceByOrder(h, { placedAt: 50, units: 1 })).toMatchObject({ replaced: 0, hold: { units: 1 } })
    expect(replaceByOrder(h, { placedAt: 150, units: 1 })).toMatchObject({ replaced: 1, hold: { units: 0 } })
  })

  it('never under-count what was sold since the last applied push, and never outlive a poll', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => run(steps)),
      { numRuns: 5000 },
    )
  })

  it("a quantity at or above what was sent is LastUnit's own push: nothing held", () => {
    expect(unexplainedUnits(8, [{ quantity: 8, appliedBy: 100 }], [], 200)).toBe(0)
    expect(unexplainedUnits(9, [{ quantity: 8, appliedBy: 100 }], [], 200)).toBe(0)
    // 10 confirmed, 8 in flight: Amazon showing 8 is that push applied; 9 is a sale before it applied.
    const both: MfnBaseline[] = [
      { quantity: 10, appliedBy: 100 },
      { quantity: 8, appliedBy: null },
    ]
    expect(unexplainedUnits(8, both, [], 200)).toBe(0)
    expect(unexplainedUnits(9, both, [], 200)).toBe(1)
  })

  it('a drop below what was sent, less the orders recorded after it applied, is held', () => {
    const sent: MfnBaseline[] = [{ quantity: 10, appliedBy: 100 }]
    expect(unexplainedUnits(7, sent, [], 300)).toBe(3)
    // One order placed after the push was applied explains one unit; one placed before it does not.
    expect(
      unexplainedUnits(
        7,
        sent,
        [
          { placedAt: 150, units: 1 },
          { placedAt: 50, units: 1 },
        ],
        300,
      ),
    ).toBe(2)
  })

  it('an event older than the hold changes nothing; an order replaces held units once', () => {
    const sent: MfnBaseline[] = [{ quantity: 10, appliedBy: 100 }]
    const a = applyQuantityEvent(null, { quantity: 8, eventAt: 300, now: 310 }, sent, [])
    expect(a).toMatchObject({ kind: 'held', hold: { units: 2 }, added: 2 })
    const stale = applyQuantityEvent(a.hold, { quantity: 9, eventAt: 200, now: 320 }, sent, [])
    expect(stale).toMatchObject({ kind: 'stale', hold: { units: 2 } })
    const r = replaceByOrder(a.hold, { placedAt: 250, units: 1 })
    expect(r).toMatchObject({ replaced: 1, hold: { units: 1 } })
    // Placed after the event: not the sale it showed.
    expect(replaceByOrder(r.hold, { placedAt: 400, units: 1 }).replaced).toBe(0)
    expect(() => applyQuantityEvent(null, { quantity: -1, eventAt: 1, now: 1 }, sent, [])).toThrow(
      /whole number of 0 or more/,
    )
  })
})
