// Judges, from both ends of the wire, whether a channel received a listing's figures out of order: the
// engine says which figures it sent (each with its outbox stamp, which only grows per listing), the
// simulator says which figures it accepted, in the order the requests arrived. The wire carries no stamp,
// so each received figure is matched to a sent one by its value: the earliest figure with that value that
// is not older than the one matched before. A received figure no such match exists for is older than one
// the channel already had. Repeated values can hide an old figure (it then matches a newer one with the
// same value), never invent one: the verdict may miss an out-of-order figure, and never names one falsely.

export interface SentFigure {
  /** The outbox stamp of the figure (newer figures of a listing have larger stamps). */
  stamp: number
  /** What buyers would see: the quantity, 0 for a pause. */
  value: number
}

export interface ReceivedFigure {
  /** When the simulator accepted it (ms). */
  at: number
  /** What buyers would see: the quantity, 0 for a pause. */
  value: number
}

export interface FigureOrderVerdict {
  received: number
  /** Figures received after a newer figure of the same listing. */
  olderAfterNewer: number
  /** Figures received that the engine never said it sent (a write still unreported when the run ended). */
  unexplained: number
  /** The first figure received out of order, for the report. */
  firstOlder: { index: number; at: number; value: number; afterStamp: number } | null
}

export function judgeFigureOrder(
  sent: readonly SentFigure[],
  received: readonly ReceivedFigure[],
): FigureOrderVerdict {
  const stampsByValue = new Map<number, number[]>()
  for (const s of sent) {
    const xs = stampsByValue.get(s.value) ?? []
    xs.push(s.stamp)
    stampsByValue.set(s.value, xs)
  }
  for (const xs of stampsByValue.values()) xs.sort((a, b) => a - b)
  const verdict: FigureOrderVerdict = {
    received: received.length,
    olderAfterNewer: 0,
    unexplained: 0,
    firstOlder: null,
  }
  // The stamp of the newest figure the channel is known to have received so far.
  let floor = -Infinity
  received.forEach((r, index) => {
    const stamps = stampsByValue.get(r.value)
    if (!stamps) {
      verdict.unexplained++
      return
    }
    // A figure sent again (a retry, a repair after a read-back) carries its own stamp: >= keeps it valid.
    const match = stamps.find((s) => s >= floor)
    if (match === undefined) {
      verdict.olderAfterNewer++
      verdict.firstOlder ??= { index, at: r.at, value: r.value, afterStamp: floor }
      return
    }
    floor = match
  })
  return verdict
}
