// Zalando orders (JSON:API) to ChannelOrders. Order items carry Zalando's article_id and the merchant's
// external_id, never the EAN: the listing (EAN) is found by mapping external_id to the SKU, so lines
// leave listingId and ean empty. An item sums its order lines (one unit each) into quantities.
import { ZALANDO_LIMITS } from '../../../core/channels/zalando-limits'
import { ClassifiedError } from '../../../core/errors'
import type {
  ChannelOrder,
  ChannelOrderLine,
  ChannelOrderStatus,
  Page,
} from '../../../core/ports/channel-adapter'
import type { ZalandoContext } from './zalando-context'
import type {
  JsonApiResource,
  ZalandoOrderAttributes,
  ZalandoOrderItemAttributes,
  ZalandoOrderLineAttributes,
  ZalandoOrdersDocument,
} from './zalando-types'

const key = (r: { type: string; id: string }) => `${r.type}|${r.id}`

export function mapZalandoOrder(
  o: JsonApiResource<ZalandoOrderAttributes>,
  included: Map<string, JsonApiResource<unknown>>,
): ChannelOrder {
  const lines: ChannelOrderLine[] = []
  for (const ref of o.relationships?.['order_items']?.data ?? []) {
    const item = included.get(key(ref)) as JsonApiResource<ZalandoOrderItemAttributes> | undefined
    if (!item) continue
    const a = item.attributes
    const firstLine = (item.relationships?.['order_lines']?.data ?? [])
      .map((l) => included.get(key(l)) as JsonApiResource<ZalandoOrderLineAttributes> | undefined)
      .find((l) => l)
    lines.push({
      lineId: item.id,
      listingId: null,
      sku: a.external_id ?? null,
      ean: null,
      externalIds: { article_id: a.article_id, ...(a.external_id ? { external_id: a.external_id } : {}) },
      quantity: a.quantity_initial,
      cancelledQuantity: a.quantity_canceled,
      unitPrice: firstLine?.attributes.price.amount ?? 0,
    })
  }
  const qty = lines.reduce((s, l) => s + l.quantity, 0)
  const cancelled = lines.reduce((s, l) => s + l.cancelledQuantity, 0)
  const status: ChannelOrderStatus =
    qty > 0 && cancelled === qty
      ? 'cancelled'
      : cancelled > 0
        ? 'partially_cancelled'
        : o.attributes.status === 'fulfilled'
          ? 'shipped'
          : 'open'
  return {
    orderId: o.id,
    status,
    createdAt: o.attributes.created_at ?? o.attributes.order_date,
    updatedAt: o.attributes.modified_at ?? o.attributes.created_at ?? o.attributes.order_date,
    currency: o.attributes.order_lines_price_currency ?? 'EUR',
    lines,
  }
}

export function mapZalandoOrders(doc: ZalandoOrdersDocument): ChannelOrder[] {
  const included = new Map<string, JsonApiResource<unknown>>(
    (doc.included ?? []).map((r) => [key(r), r as JsonApiResource<unknown>]),
  )
  return doc.data.map((o) => mapZalandoOrder(o, included))
}

/** Partner-fulfilled orders changed after a time, a JSON:API page at a time (the cursor is the page number). */
export function zalandoOrders(ctx: ZalandoContext) {
  return async function fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
    const page = cursor === undefined ? 0 : Number(cursor)
    const doc = await ctx.zalando.json<ZalandoOrdersDocument>({
      method: 'GET',
      path: `/merchants/${ctx.mid}/orders`,
      query: {
        last_updated_after: sinceIso,
        order_type: 'PartnerFulfilled',
        include: 'order_items,order_lines',
        'page[number]': String(page),
        'page[size]': String(ZALANDO_LIMITS.ordersPageSize),
      },
      accept: 'application/vnd.api+json',
      op: 'orders',
      what: `fetching orders changed after ${sinceIso}`,
    })
    if (!Array.isArray(doc.data))
      throw new ClassifiedError(
        'retryable',
        'zalando.malformed',
        'Zalando answered the orders request without a "data" list',
      )
    const items = mapZalandoOrders(doc)
    return { items, ...(doc.links?.next && doc.data.length > 0 ? { next: String(page + 1) } : {}) }
  }
}
