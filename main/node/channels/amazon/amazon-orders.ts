// Amazon orders through Orders v2026-01-01 searchOrders, mapped to channel orders. Items come inline (no
// per-order call), and a cancellation shows on the order's fulfillment status or on an item's cancellation
// execution. Orders Amazon fulfils (FBA) are left out: they ship from Amazon's stock, not the seller's.
import { ClassifiedError } from '../../../core/errors'
import { AMAZON_LIMITS } from '../../../core/channels/amazon-limits'
import type {
  ChannelOrder,
  ChannelOrderLine,
  ChannelOrderStatus,
  Page,
} from '../../../core/ports/channel-adapter'
import { amazonCall } from './amazon-client'
import type { AmazonContext } from './amazon-context'

interface AmazonMoney {
  amount?: string
  currencyCode?: string
}

export interface AmazonOrderItem {
  orderItemId: string
  quantityOrdered: number
  product?: { asin?: string; sellerSku?: string; title?: string; price?: { unitPrice?: AmazonMoney } }
  cancellation?: { cancellationExecution?: { cancelledBy?: string }; cancellationRequest?: unknown }
  fulfillment?: { quantityFulfilled?: number; quantityUnfulfilled?: number }
}

export interface AmazonOrder {
  orderId: string
  createdTime: string
  lastUpdatedTime: string
  fulfillment?: { fulfillmentStatus?: string; fulfilledBy?: string }
  orderItems: AmazonOrderItem[]
}

export interface SearchOrdersResponse {
  orders: AmazonOrder[]
  pagination?: { nextToken?: string }
}

/** An order Amazon ships from its own stock (FBA, "AFN"): not the seller's stock, never imported. */
export const fulfilledByAmazon = (o: AmazonOrder): boolean => o.fulfillment?.fulfilledBy === 'AMAZON'

export function mapAmazonOrder(o: AmazonOrder): ChannelOrder {
  const orderCancelled = o.fulfillment?.fulfillmentStatus === 'CANCELLED'
  let currency = ''
  const lines: ChannelOrderLine[] = o.orderItems.map((it) => {
    const cancelled = orderCancelled || it.cancellation?.cancellationExecution !== undefined
    const price = it.product?.price?.unitPrice
    if (price?.currencyCode) currency = price.currencyCode
    const sku = it.product?.sellerSku ?? null
    return {
      lineId: it.orderItemId,
      listingId: sku,
      sku,
      ean: null,
      externalIds: (it.product?.asin ? { asin: it.product.asin } : {}) as Record<string, string>,
      quantity: it.quantityOrdered,
      cancelledQuantity: cancelled ? it.quantityOrdered : 0,
      unitPrice: price?.amount !== undefined ? Number(price.amount) : 0,
    }
  })
  const cancelledLines = lines.filter((l) => l.cancelledQuantity > 0).length
  let status: ChannelOrderStatus = 'open'
  if (orderCancelled || (lines.length > 0 && cancelledLines === lines.length)) status = 'cancelled'
  else if (cancelledLines > 0) status = 'partially_cancelled'
  else if (o.fulfillment?.fulfillmentStatus === 'SHIPPED') status = 'shipped'
  return {
    orderId: o.orderId,
    status,
    updatedAt: o.lastUpdatedTime,
    createdAt: o.createdTime,
    currency,
    lines,
  }
}

/** Orders changed since `sinceIso`, a page at a time (Amazon's pagination token is the cursor). */
export function amazonOrders(ctx: AmazonContext) {
  return async function fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
    if (Number.isNaN(Date.parse(sinceIso)))
      throw new ClassifiedError(
        'permanent',
        'amazon.bad_since',
        `fetchOrders: "${sinceIso}" is not an ISO timestamp`,
      )
    const query = new URLSearchParams({
      marketplaceIds: ctx.marketplaces,
      lastUpdatedAfter: new Date(sinceIso).toISOString(),
      maxResultsPerPage: String(AMAZON_LIMITS.ordersPageSize),
      includedData: 'FULFILLMENT,CANCELLATION',
      // Only orders the seller ships: FBA orders never touch the stock in Odoo.
      fulfilledBy: 'MERCHANT',
    })
    if (cursor) query.set('paginationToken', cursor)
    const res = await ctx.client.json<SearchOrdersResponse>(
      amazonCall('searchOrders', 'GET', '/orders/2026-01-01/orders', { query }),
    )
    if (!Array.isArray(res.orders))
      throw new ClassifiedError(
        'retryable',
        'amazon.malformed',
        'Amazon searchOrders answered without an "orders" list',
      )
    const next = res.pagination?.nextToken
    // Amazon filters by fulfilledBy already; an FBA order that came anyway is still left out.
    const own = res.orders.filter((o) => !fulfilledByAmazon(o))
    return { items: own.map(mapAmazonOrder), ...(next ? { next } : {}) }
  }
}
