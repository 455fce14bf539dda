// bol.com v10 orders: the list (ReducedOrder) carries EAN, quantities and cancellations per item; the detail
// (Order) adds the offer id and the seller's reference that mapping needs. Details never change those two,
// so they are fetched once per order and the list supplies every later change.
import type { ChannelOrder, ChannelOrderStatus } from '../../../core/ports/channel-adapter'

export interface BolReducedOrderItem {
  orderItemId: string
  ean: string
  fulfilmentMethod?: string
  fulfilmentStatus: 'OPEN' | 'HANDLED'
  quantity: number
  quantityShipped: number
  quantityCancelled: number
  cancellationRequest: boolean
  latestChangedDateTime: string
}

export interface BolReducedOrder {
  orderId: string
  orderPlacedDateTime: string
  orderItems: BolReducedOrderItem[]
}

export interface BolOrderDetail {
  orderId: string
  orderPlacedDateTime?: string
  orderItems: {
    orderItemId: string
    offer?: { offerId?: string; reference?: string } | null
    product?: { ean?: string; title?: string } | null
    unitPrice: number
  }[]
}

export interface BolItemFacts {
  offerId: string | null
  reference: string | null
  unitPrice: number
}

export const latestChangeOf = (o: BolReducedOrder): string =>
  o.orderItems.reduce(
    (m, it) => (it.latestChangedDateTime > m ? it.latestChangedDateTime : m),
    o.orderPlacedDateTime,
  )

export function mapBolOrder(o: BolReducedOrder, facts: Map<string, BolItemFacts>): ChannelOrder {
  const lines = o.orderItems.map((it) => {
    const f = facts.get(it.orderItemId)
    const externalIds: Record<string, string> = {}
    if (f?.offerId) externalIds.offerId = f.offerId
    return {
      lineId: it.orderItemId,
      listingId: f?.offerId ?? null,
      sku: f?.reference ?? null,
      ean: it.ean,
      externalIds,
      quantity: it.quantity,
      cancelledQuantity: it.quantityCancelled,
      unitPrice: f?.unitPrice ?? 0,
    }
  })
  const cancelled = o.orderItems.filter((it) => it.quantityCancelled >= it.quantity).length
  const partly = o.orderItems.some((it) => it.quantityCancelled > 0)
  let status: ChannelOrderStatus = 'open'
  if (o.orderItems.length > 0 && cancelled === o.orderItems.length) status = 'cancelled'
  else if (partly) status = 'partially_cancelled'
  else if (o.orderItems.every((it) => it.quantityShipped + it.quantityCancelled >= it.quantity))
    status = 'shipped'
  return {
    orderId: o.orderId,
    status,
    updatedAt: latestChangeOf(o),
    createdAt: o.orderPlacedDateTime,
    currency: 'EUR',
    lines,
  }
}
