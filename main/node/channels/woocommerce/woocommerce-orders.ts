// WooCommerce orders modified after a time (GMT dates, oldest change first, X-WP-TotalPages paging). A
// partial refund takes units off an open order; Woo keeps them on the line, so they are counted from the
// order's refunds, which name the line they refund.
import { WOOCOMMERCE_LIMITS } from '../../../core/channels/woocommerce-limits'
import { ClassifiedError } from '../../../core/errors'
import type { ChannelOrder, ChannelOrderStatus, Page } from '../../../core/ports/channel-adapter'
import type { WooClient } from './woocommerce-client'
import { wooListingId } from './woocommerce-listing-id'

interface WooOrder {
  id: number
  status: string
  currency: string
  date_created_gmt: string
  date_modified_gmt: string
  line_items: {
    id: number
    product_id: number
    variation_id: number
    sku: string
    quantity: number
    price: number | string
  }[]
  refunds?: { id: number }[]
}

interface WooRefund {
  line_items: { quantity: number; meta_data?: { key: string; value: unknown }[] }[]
}

const gmt = (s: string) => (/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`)

const orderStatus = (s: string): ChannelOrderStatus =>
  s === 'cancelled' || s === 'refunded' || s === 'failed' || s === 'trash'
    ? 'cancelled'
    : s === 'completed'
      ? 'shipped'
      : 'open'

export function wooOrders(woo: WooClient) {
  /** Units refunded per order line, from the refunds of the open orders that have any. */
  const refundedUnits = async (orders: WooOrder[]): Promise<Map<number, number>> => {
    const refunded = new Map<number, number>()
    for (const o of orders) {
      if (!o.refunds?.length || orderStatus(o.status) === 'cancelled') continue
      const { data: refunds } = await woo.json<WooRefund[]>({
        method: 'GET',
        path: `/orders/${o.id}/refunds`,
        query: { per_page: '100' },
        what: `reading the refunds of order ${o.id}`,
      })
      for (const r of refunds)
        for (const l of r.line_items) {
          const lineId = Number(l.meta_data?.find((x) => x.key === '_refunded_item_id')?.value)
          if (Number.isInteger(lineId))
            refunded.set(lineId, (refunded.get(lineId) ?? 0) + Math.abs(l.quantity))
        }
    }
    return refunded
  }

  const toOrder = (o: WooOrder, refunded: Map<number, number>): ChannelOrder => {
    const cancelledOrder = orderStatus(o.status) === 'cancelled'
    const anyRefund = o.line_items.some((l) => (refunded.get(l.id) ?? 0) > 0)
    const status = cancelledOrder ? 'cancelled' : anyRefund ? 'partially_cancelled' : orderStatus(o.status)
    return {
      orderId: String(o.id),
      status,
      createdAt: gmt(o.date_created_gmt),
      updatedAt: gmt(o.date_modified_gmt),
      currency: o.currency,
      lines: o.line_items.map((l) => ({
        lineId: String(l.id),
        listingId: wooListingId(l.product_id, l.variation_id || undefined),
        sku: l.sku || null,
        ean: null,
        externalIds: {
          productId: String(l.product_id),
          ...(l.variation_id ? { variationId: String(l.variation_id) } : {}),
        },
        quantity: l.quantity,
        cancelledQuantity: cancelledOrder ? l.quantity : Math.min(l.quantity, refunded.get(l.id) ?? 0),
        unitPrice: Number(l.price),
      })),
    }
  }

  return async function fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
    const since = Date.parse(sinceIso)
    if (Number.isNaN(since))
      throw new ClassifiedError(
        'permanent',
        'woocommerce.bad_since',
        `fetchOrders: "${sinceIso}" is not an ISO timestamp`,
      )
    const page = cursor === undefined ? 1 : Number(cursor)
    // Oldest change first: an order modified while we page moves behind us and comes again, never skipped.
    const { data, res } = await woo.json<WooOrder[]>({
      method: 'GET',
      path: '/orders',
      query: {
        modified_after: new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        dates_are_gmt: 'true',
        status: 'any',
        orderby: 'modified',
        order: 'asc',
        per_page: String(WOOCOMMERCE_LIMITS.pageMax),
        page: String(page),
      },
      what: `fetching orders modified after ${sinceIso}`,
    })
    if (!Array.isArray(data) || data.some((o) => !o || typeof o !== 'object' || !Array.isArray(o.line_items)))
      throw new ClassifiedError(
        'retryable',
        'woocommerce.malformed',
        'WooCommerce answered the orders request with something that is not a list of orders',
      )
    const refunded = await refundedUnits(data)
    const totalPages = Number(res.headers.get('x-wp-totalpages') ?? page)
    return {
      items: data.map((o) => toOrder(o, refunded)),
      ...(page < totalPages ? { next: String(page + 1) } : {}),
    }
  }
}
