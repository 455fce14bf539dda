// Judges, from the outside, whether the engine ever sent a listing a figure older than one it had already
// sent. The fault campaign gives every product a truth that only moves one way: "restock" products only
// receive goods (the published figure can only rise), "selling" products only sell (it can only fall).
// Against such a truth an older figure is recognisable without any help from the engine:
// - rising truth: a figure lower than one already sent is older than it;
// - falling truth: a figure higher than an earlier one that was not below the truth at the time is older.
//   An earlier figure below the truth is the engine counting an order twice for a moment (its pending
//   units and Odoo's reservation seen in the same read); that errs on the safe side and the rise after it
//   is the correction, not an old figure.
// "The truth" for that last test is the truth as LastUnit could know it (`known`): an order lowers it from
// the moment the engine first stored the order, not from the moment the buyer placed it. Otherwise a double
// count of one order that happens to equal a truth which already includes a later order the engine has not
// read yet would pass for a truthful figure, and its correction for an old one. Final figures and figures
// above the truth are judged against the plain truth.

export type TruthDirection = 'rising' | 'falling'

export interface TruthStep {
  /** From this moment (ms) ... */
  at: number
  /** ... the formula's figure is this. */
  value: number
}

export interface ReceivedSend {
  /** When the channel received it (ms). */
  at: number
  /** The figure buyers would see (0 for a pause). */
  value: number
}

export interface SendOrderVerdict {
  sends: number
  /** Figures older than one the channel had already received. */
  outOfOrder: number
  /** Figures below the truth as LastUnit could know it when received (the safe double count, falling truth only). */
  belowTruth: number
  /** Figures above every figure the truth has had (rising) or above the truth when received and above an
   * earlier figure (falling, counted as out of order too): what could oversell. */
  aboveTruth: number
  /** The first out-of-order send, for the report. */
  firstViolation: { index: number; value: number; after: number } | null
}

/** The truth at `at`: the last step at or before it (the first step's value before it). */
export function truthAt(steps: readonly TruthStep[], at: number): number {
  if (steps.length === 0) throw new RangeError('truthAt: the truth has no steps')
  let lo = 0
  let hi = steps.length - 1
  if (at < steps[0]!.at) return steps[0]!.value
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (steps[mid]!.at <= at) lo = mid
    else hi = mid - 1
  }
  return steps[lo]!.value
}

function checkSteps(direction: TruthDirection, steps: readonly TruthStep[], name: string): void {
  for (let i = 1; i < steps.length; i++) {
    const prev = steps[i - 1]!
    const cur = steps[i]!
    if (cur.at < prev.at) throw new RangeError(`judgeSendOrder: ${name} step ${i} goes back in time`)
    if (direction === 'rising' ? cur.value < prev.value : cur.value > prev.value)
      throw new RangeError(
        `judgeSendOrder: the ${direction} ${name} moves the other way at step ${i} (${prev.value} -> ${cur.value})`,
      )
  }
}

/**
 * `known` (falling truth only): the truth as LastUnit could know it, each order counted from when the
 * engine first stored it. It is never below the truth and falls like it; by default the truth itself.
 */
export function judgeSendOrder(
  direction: TruthDirection,
  steps: readonly TruthStep[],
  sends: readonly ReceivedSend[],
  known: readonly TruthStep[] = steps,
): SendOrderVerdict {
  checkSteps(direction, steps, 'truth')
  if (known !== steps) {
    checkSteps(direction, known, 'known truth')
    if (known.length === 0) throw new RangeError('judgeSendOrder: the known truth has no steps')
    // Both are step functions: comparing at every step of either compares them everywhere.
    for (const at of [...steps, ...known].map((x) => x.at))
      if (truthAt(known, at) < truthAt(steps, at))
        throw new RangeError(
          `judgeSendOrder: the known truth (${truthAt(known, at)}) is below the truth (${truthAt(steps, at)}) at ${at}: LastUnit cannot know of an order before it is placed`,
        )
  }
  const verdict: SendOrderVerdict = {
    sends: sends.length,
    outOfOrder: 0,
    belowTruth: 0,
    aboveTruth: 0,
    firstViolation: null,
  }
  const flag = (index: number, value: number, after: number) => {
    verdict.outOfOrder++
    verdict.firstViolation ??= { index, value, after }
  }
  if (direction === 'rising') {
    let highest = -Infinity
    const ceiling = Math.max(...steps.map((s) => s.value))
    sends.forEach((s, i) => {
      if (s.value < highest) flag(i, s.value, highest)
      if (s.value > ceiling) verdict.aboveTruth++
      highest = Math.max(highest, s.value)
    })
    return verdict
  }
  // Falling: the lowest figure sent that was not below the truth (as LastUnit could know it) when it arrived.
  let lowestTruthful = Infinity
  sends.forEach((s, i) => {
    const truth = truthAt(known, s.at)
    if (s.value > lowestTruthful) flag(i, s.value, lowestTruthful)
    if (s.value > steps[0]!.value) verdict.aboveTruth++
    if (s.value < truth) verdict.belowTruth++
    else lowestTruthful = Math.min(lowestTruthful, s.value)
  })
  return verdict
}
