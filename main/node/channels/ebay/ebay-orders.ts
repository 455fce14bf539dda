// eBay Fulfillment getOrders answers, mapped to channel orders. eBay cancels whole orders (cancelState
// CANCELED); a cancellation still being requested leaves the order open until it completes.
import type { ChannelOrder, ChannelOrderStatus } from '../../../core/ports/channel-adapter'

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
}

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
  const lines = (o.lineItems ?? []).map((li) => {
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
      unitPrice: li.quantity > 0 && Number.isFinite(cost) ? Math.round((cost / li.quantity) * 100) / 100 : 0,
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
