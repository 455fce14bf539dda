// Numbers read from a channel are checked before anything stores or computes with them: a quantity of
// -2147483648 read back from eBay, a price of NaN, a quantity of 1e21 are the channel's fault and must
// not become stock, orders or a "confirmed" push. A number out of range throws a classified error that
// names the channel, the field and the listing or order.
import { ClassifiedError } from '../../../core/errors'
import type {
  ChannelAdapter,
  ChannelListing,
  ChannelOrder,
  ListingState,
} from '../../../core/ports/channel-adapter'
import { guardPages, type PagerOwner } from './page-guard'

/** The largest quantity a channel may answer: a signed 32-bit integer, what Odoo and the channels store. */
export const MAX_QUANTITY = 2 ** 31 - 1
/** Prices read from orders: finite, not negative, and below what any shop sells a unit for. */
export const MAX_PRICE = 1e9

const badValue = (owner: PagerOwner, field: string, value: unknown, of: string, expected: string) =>
  new ClassifiedError(
    'permanent',
    `${owner.prefix}.bad_value`,
    `${owner.service} answered ${field} ${JSON.stringify(value) ?? String(value)} for ${of}: expected ${expected}`,
    { hint: `A fault of ${owner.service}'s answer; nothing was stored from it.` },
  )

/** A quantity: a whole number 0..2^31-1. */
export function checkQuantity(owner: PagerOwner, field: string, value: unknown, of: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_QUANTITY)
    throw badValue(owner, field, value, of, `a whole number from 0 to ${MAX_QUANTITY}`)
  return value
}

/** A price: a finite number 0..1e9. */
export function checkPrice(owner: PagerOwner, field: string, value: unknown, of: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_PRICE)
    throw badValue(owner, field, value, of, `a price from 0 to ${MAX_PRICE}`)
  return value
}

/** An id: a non-empty string (ids that are numbers on the channel are checked before they become one). */
export function checkId(owner: PagerOwner, field: string, value: unknown, of: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512)
    throw badValue(owner, field, value, of, 'a non-empty id')
  return value
}

/** A numeric id as channels send them: a whole number 1..2^53-1. */
export function checkNumericId(owner: PagerOwner, field: string, value: unknown, of: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw badValue(owner, field, value, of, 'a whole positive id')
  return value
}

/** Stock on a listing: a quantity, or below zero down to -(2^31-1) where the channel reports that. */
function checkStock(owner: PagerOwner, value: unknown, of: string): void {
  if (owner.negativeStock && typeof value === 'number' && Number.isInteger(value) && value < 0) {
    if (value < -MAX_QUANTITY)
      throw badValue(owner, 'quantity', value, of, `a whole number from ${-MAX_QUANTITY} to ${MAX_QUANTITY}`)
    return
  }
  checkQuantity(owner, 'quantity', value, of)
}

export function checkListing(owner: PagerOwner, l: ChannelListing): ChannelListing {
  checkId(owner, 'listing id', l.listingId, 'a listing')
  if (l.quantity !== null) checkStock(owner, l.quantity, `listing ${l.listingId}`)
  return l
}

export function checkListingState(owner: PagerOwner, s: ListingState): ListingState {
  checkId(owner, 'listing id', s.listingId, 'a read-back')
  checkStock(owner, s.quantity, `listing ${s.listingId} (read back)`)
  return s
}

export function checkOrder(owner: PagerOwner, o: ChannelOrder): ChannelOrder {
  checkId(owner, 'order id', o.orderId, 'an order')
  for (const line of o.lines) {
    const of = `line ${line.lineId} of order ${o.orderId}${line.listingId ? ` (listing ${line.listingId})` : ''}`
    checkId(owner, 'line id', line.lineId, `a line of order ${o.orderId}`)
    checkQuantity(owner, 'quantity', line.quantity, of)
    checkQuantity(owner, 'cancelled quantity', line.cancelledQuantity, of)
    checkPrice(owner, 'unit price', line.unitPrice, of)
  }
  return o
}

const GUARDED = Symbol('lastunit.guardedAdapter')

/** Whether `adapter` came out of guardAdapter (every channel's must: a test walks them). */
export const isGuardedAdapter = (adapter: object): boolean => GUARDED in adapter

/**
 * The adapter as the engine gets it: its pagers (listings and orders) guarded against repeated cursors and
 * runaway page counts, and every listing, order and read-back checked before it goes further.
 */
export function guardAdapter<A extends ChannelAdapter>(owner: PagerOwner, adapter: A): A {
  const listings = guardPages(owner, 'reading the listings', (cursor?: string) =>
    adapter.listListings(cursor),
  )
  const orders = guardPages(owner, 'reading the orders', (cursor: string | undefined, since: string) =>
    adapter.fetchOrders(since, cursor),
  )
  const readBack = adapter.readBack?.bind(adapter)
  return {
    ...adapter,
    [GUARDED]: true,
    async listListings(cursor?: string) {
      const page = await listings(cursor)
      return { ...page, items: page.items.map((l) => checkListing(owner, l)) }
    },
    async fetchOrders(sinceIso: string, cursor?: string) {
      const page = await orders(cursor, sinceIso)
      return { ...page, items: page.items.map((o) => checkOrder(owner, o)) }
    },
    ...(readBack
      ? {
          async readBack(ids: string[]) {
            return (await readBack(ids)).map((s) => checkListingState(owner, s))
          },
        }
      : {}),
  }
}
