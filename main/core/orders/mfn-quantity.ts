// Amazon's LISTINGS_ITEM_MFN_QUANTITY_CHANGE as a second, independent signal of a sale (issue #23): the
// quantity Amazon shows for a seller-fulfilled SKU after it changed. Amazon sets a listing to what LastUnit
// sends (an absolute quantity) and lowers it by one unit per unit ordered, so a quantity below what LastUnit
// last sent, not explained by Amazon orders recorded since, is a sale whose order LastUnit has not seen yet
// (its ORDER_CHANGE late or lost). Those units are held at once as provisional pending units; the order, when
// it comes (event or poll), replaces them; the end of the next order poll that started after the hold
// releases what no order explained (an edit in Seller Central, not a sale). Pure: the engine reads the
// stored pushes and orders and applies what this returns.

/** A figure LastUnit sent that may be the one Amazon shows now. */
export interface MfnBaseline {
  quantity: number
  /**
   * By when Amazon had applied it (ms): its confirmation. null while in flight (sent, not confirmed): no
   * recorded order can be known to come after it, so none is subtracted.
   */
  appliedBy: number | null
}

/** An Amazon order of the SKU that LastUnit has recorded: when it was placed (ms) and its units. */
export interface MfnOrderUnits {
  placedAt: number
  units: number
}

/** The provisional units held on one SKU. */
export interface MfnHold {
  units: number
  /** The EventTime (ms) of the quantity event the hold stands on: older events are stale. */
  eventAt: number
  /** When the hold was raised (ms, engine clock): a poll started after it releases what is left. */
  heldAt: number
}

/**
 * Units sold on Amazon that the quantity `q` shows and no recorded order explains. Every baseline that may be
 * in effect is considered and the largest shortfall taken: when LastUnit cannot tell which of its figures
 * Amazon shows (a push in flight), it holds rather than under-counts; what no order explains is released at
 * the end of the next order poll. 0 when `q` is at or above every baseline (LastUnit's own push).
 */
export function unexplainedUnits(
  q: number,
  baselines: readonly MfnBaseline[],
  orders: readonly MfnOrderUnits[],
): number {
  let worst = 0
  for (const b of baselines) {
    const since =
      b.appliedBy === null
        ? 0
        : orders.filter((o) => o.placedAt > b.appliedBy!).reduce((n, o) => n + o.units, 0)
    worst = Math.max(worst, b.quantity - since - q)
  }
  return worst
}

export type MfnEventOutcome =
  | { kind: 'stale'; hold: MfnHold | null }
  | { kind: 'held'; hold: MfnHold; added: number }
  | { kind: 'unchanged'; hold: MfnHold | null }

/**
 * The hold after a quantity event: its units are what the event leaves unexplained now (orders recorded
 * since the last event already count in `orders`). An event older than the one the hold stands on changes
 * nothing (events come in any order, 1-3 s late each).
 */
export function applyQuantityEvent(
  hold: MfnHold | null,
  e: { quantity: number; eventAt: number; now: number },
  baselines: readonly MfnBaseline[],
  orders: readonly MfnOrderUnits[],
): MfnEventOutcome {
  if (!Number.isInteger(e.quantity) || e.quantity < 0)
    throw new RangeError(`an MFN quantity must be a whole number of 0 or more, not ${e.quantity}`)
  if (hold && e.eventAt < hold.eventAt) return { kind: 'stale', hold }
  const units = unexplainedUnits(e.quantity, baselines, orders)
  const before = hold?.units ?? 0
  if (units === before) return { kind: 'unchanged', hold: hold ? { ...hold, eventAt: e.eventAt } : null }
  // A hold that grows counts from now for its release; one that shrinks keeps its time.
  const heldAt = units > before || !hold ? e.now : hold.heldAt
  return { kind: 'held', hold: { units, eventAt: e.eventAt, heldAt }, added: units - before }
}

/**
 * An order of the SKU recorded after the hold: its units replace held ones (never counted twice). An order
 * placed after the event cannot be the sale the event showed, and leaves the hold as it is.
 */
export function replaceByOrder(
  hold: MfnHold | null,
  order: MfnOrderUnits,
): { hold: MfnHold | null; replaced: number } {
  if (!hold || hold.units === 0 || order.placedAt > hold.eventAt) return { hold, replaced: 0 }
  const replaced = Math.min(hold.units, order.units)
  return { hold: { ...hold, units: hold.units - replaced }, replaced }
}

/** An order poll that started at `pollStartedAt` finished: a hold raised before it is released whole. */
export function releaseAfterPoll(
  hold: MfnHold | null,
  pollStartedAt: number,
): { hold: MfnHold | null; released: number } {
  if (!hold || hold.units === 0 || hold.heldAt >= pollStartedAt) return { hold, released: 0 }
  return { hold: { ...hold, units: 0 }, released: hold.units }
}
