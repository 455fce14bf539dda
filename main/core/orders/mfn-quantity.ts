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
  /**
   * After when an order must have been placed to be the sale the event showed (ms): the latest moment the
   * figure LastUnit sent may have been applied (its confirmation; the event's time while one is in flight).
   * An order placed before it sold units Amazon's figure no longer shows (a push overwrote them).
   */
  since: number
}

/**
 * Units sold on Amazon that the quantity `q` shows and no recorded order explains. Every baseline that may be
 * in effect is considered and the largest shortfall taken: when LastUnit cannot tell which of its figures
 * Amazon shows (a push in flight), it holds rather than under-counts; what no order explains is released at
 * the end of the next order poll. 0 when `q` is at or above every baseline, or exactly the figure in flight
 * (LastUnit's own push).
 */
export function unexplainedUnits(
  q: number,
  baselines: readonly MfnBaseline[],
  orders: readonly MfnOrderUnits[],
  eventAt: number,
): number {
  // Exactly the figure in flight: LastUnit's own push applied (Amazon sets what it is sent). A sale that took
  // Amazon to that very figure before the push applied is indistinguishable from it; its ORDER_CHANGE or the
  // next poll finds it, as without this event.
  if (baselines.some((b) => b.appliedBy === null && b.quantity === q)) return 0
  let worst = 0
  for (const b of baselines) {
    // Orders placed after the event are not in its quantity.
    const since =
      b.appliedBy === null
        ? 0
        : orders
            .filter((o) => o.placedAt > b.appliedBy! && o.placedAt <= eventAt)
            .reduce((n, o) => n + o.units, 0)
    worst = Math.max(worst, b.quantity - since - q)
  }
  return worst
}

export type MfnEventOutcome =
  | { kind: 'stale'; hold: MfnHold | null }
  | { kind: 'held'; hold: MfnHold; added: number }
  | { kind: 'unchanged'; hold: MfnHold }

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
  const units = unexplainedUnits(e.quantity, baselines, orders, e.eventAt)
  const before = hold?.units ?? 0
  // Held from now: the poll that releases it must start after this event was read (orders placed up to the
  // event's time are then all in it).
  const next: MfnHold = {
    units,
    eventAt: e.eventAt,
    heldAt: e.now,
    since: Math.max(0, ...baselines.map((b) => b.appliedBy ?? e.eventAt)),
  }
  if (units === before) return { kind: 'unchanged', hold: next }
  return { kind: 'held', hold: next, added: units - before }
}

/**
 * An order of the SKU recorded after the hold: its units replace held ones (never counted twice). An order
 * placed after the event, or before LastUnit's figure was applied, cannot be the sale the event showed, and
 * leaves the hold as it is (it is released after the next poll, which has the order then).
 */
export function replaceByOrder(
  hold: MfnHold | null,
  order: MfnOrderUnits,
): { hold: MfnHold | null; replaced: number } {
  if (!hold || hold.units === 0 || order.placedAt > hold.eventAt || order.placedAt <= hold.since)
    return { hold, replaced: 0 }
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
