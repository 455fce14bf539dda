// What a push adapter answers before it calls the channel: items the channel cannot take (a listing id of the
// wrong form, a quantity that is not a whole number >= 0) are rejected at once, and of several values for one
// listing in a batch only the newest stamp is sent; each older one is answered 'superseded'.
import type { PushItem, PushItemResult } from '../../../core/ports/channel-adapter'

/** Why the channel cannot take an item: its result's code and message. */
export interface Refusal {
  code: string
  message: string
}

/** The refusal of a quantity that is not a whole number >= 0; `what` names the listing in the message. */
export const quantityRefusal = (item: PushItem, code: string, what: string): Refusal | undefined =>
  Number.isInteger(item.quantity) && item.quantity >= 0
    ? undefined
    : { code, message: `Quantity for ${what} must be a whole number >= 0 (got ${item.quantity})` }

/**
 * Splits a batch into the items to send (one per listing, the newest stamp; in the order each listing first
 * appears) and the results already known: items `check` refuses, and values superseded by a newer one for the
 * same listing ("A newer value for this <noun> is in the same batch"), in batch order.
 */
export function newestPerListing(
  items: readonly PushItem[],
  noun: string,
  check: (item: PushItem) => Refusal | undefined,
): { results: PushItemResult[]; send: PushItem[] } {
  const results: PushItemResult[] = []
  const newest = new Map<string, PushItem>()
  for (const item of items) {
    const refused = check(item)
    if (refused) {
      results.push({ listingId: item.listingId, stamp: item.stamp, outcome: 'rejected', ...refused })
      continue
    }
    const prev = newest.get(item.listingId)
    const older = prev && prev.stamp >= item.stamp ? item : prev
    if (older)
      results.push({
        listingId: older.listingId,
        stamp: older.stamp,
        outcome: 'rejected',
        code: 'superseded',
        message: `A newer value for this ${noun} is in the same batch`,
      })
    if (!prev || prev.stamp < item.stamp) newest.set(item.listingId, item)
  }
  return { results, send: [...newest.values()] }
}
