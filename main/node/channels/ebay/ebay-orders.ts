// eBay Fulfillment getOrders answers, mapped to channel orders. eBay cancels whole orders (cancelState
// CANCELED); a cancellation still being requested leaves the order open until it completes.
import { EBAY_LIMITS } from '../../../core/channels/ebay-limits'
import { ClassifiedError } from '../../../core/errors'
import type { ChannelOrder, ChannelOrderStatus, Page } from '../../../core/ports/channel-adapter'
import type { ChannelClient } from '../kit/channel-client'
import { ebayCall } from './ebay-client'

interface EbayAmount {
  value?: string
  currency?: string
}

export interface EbayLineItem {
  lineItemId: string
  sku?: string
  legacyItemId?: string
  legacyVariationId?: string
  title?: string
  quantity: number
  lineItemCost?: EbayAmount
  lineItemFulfillmentStatus?: string
  /** eBay's own fulfilment programme (eBay Fulfilment): `fulfilledBy: "EBAY"` ships from eBay's stock. */
  program?: { fulfillmentProgram?: { fulfilledBy?: string } }
}

/** A line eBay ships from its own warehouse: not the seller's stock, never imported. */
export const fulfilledByEbay = (li: EbayLineItem): boolean =>
  li.program?.fulfillmentProgram?.fulfilledBy === 'EBAY'

export interface EbayOrder {
  orderId: string
  creationDate: string
  lastModifiedDate: string
  orderFulfillmentStatus?: string
  cancelStatus?: { cancelState?: string }
  pricingSummary?: { total?: EbayAmount }
  lineItems?: EbayLineItem[]
}

export interface EbayOrderPage {
  orders?: EbayOrder[]
  total?: number
  offset?: number
  limit?: number
  next?: string
}

export function mapEbayOrder(o: EbayOrder): ChannelOrder {
  const cancelled = o.cancelStatus?.cancelState === 'CANCELED'
  let status: ChannelOrderStatus = 'open'
  if (cancelled) status = 'cancelled'
  else if (o.orderFulfillmentStatus === 'FULFILLED') status = 'shipped'
  let currency = o.pricingSummary?.total?.currency ?? ''
  const lines = (o.lineItems ?? [])
    .filter((li) => !fulfilledByEbay(li))
    .map((li) => {
      const externalIds: Record<string, string> = {}
      if (li.legacyItemId) externalIds.legacyItemId = li.legacyItemId
      if (li.legacyVariationId) externalIds.legacyVariationId = li.legacyVariationId
      const cost = Number(li.lineItemCost?.value ?? '0')
      currency ||= li.lineItemCost?.currency ?? ''
      return {
        lineId: li.lineItemId,
        listingId: li.sku ?? null,
        sku: li.sku ?? null,
        ean: null,
        externalIds,
        quantity: li.quantity,
        cancelledQuantity: cancelled ? li.quantity : 0,
        unitPrice:
          li.quantity > 0 && Number.isFinite(cost) ? Math.round((cost / li.quantity) * 100) / 100 : 0,
      }
    })
  return {
    orderId: o.orderId,
    status,
    updatedAt: o.lastModifiedDate,
    createdAt: o.creationDate,
    currency,
    lines,
  }
}

/** Orders modified since a time, by offset (Fulfillment getOrders). */
export function ebayOrders(client: ChannelClient) {
  return async function fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
    if (Number.isNaN(Date.parse(sinceIso)))
      throw new ClassifiedError(
        'permanent',
        'ebay.bad_since',
        `fetchOrders: "${sinceIso}" is not an ISO timestamp`,
      )
    const offset = Number(cursor ?? '0')
    const res = await client.json<EbayOrderPage>(
      ebayCall('GET', '/sell/fulfillment/v1/order', {
        query: new URLSearchParams({
          filter: `lastmodifieddate:[${new Date(sinceIso).toISOString()}..]`,
          limit: String(EBAY_LIMITS.ordersPageSize),
          offset: String(offset),
        }),
      }),
    )
    const orders = res.orders ?? []
    const nextOffset = offset + orders.length
    const more = orders.length > 0 && res.total !== undefined && nextOffset < res.total
    // An order whose every line eBay fulfils is not the seller's to import.
    const own = orders.filter((o) => !(o.lineItems?.length && o.lineItems.every(fulfilledByEbay)))
    return { items: own.map(mapEbayOrder), ...(more ? { next: String(nextOffset) } : {}) }
  }
}
