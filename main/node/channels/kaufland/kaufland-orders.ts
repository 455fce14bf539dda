// Kaufland order units to a ChannelOrder. An order unit is one piece (it has no quantity), so each unit
// becomes its own line of quantity 1, keyed by id_order_unit; the order's state follows from its units.
import { KAUFLAND_LIMITS } from '../../../core/channels/kaufland-limits'
import { ClassifiedError } from '../../../core/errors'
import type { ChannelOrder, ChannelOrderStatus, Page } from '../../../core/ports/channel-adapter'
import type { KauflandClient } from './kaufland-client'
import type { KauflandOrderUnit, KauflandPagination, KauflandStorefront } from './kaufland-types'

const SHIPPED = ['sent', 'sent_and_autopaid', 'received', 'returned', 'returned_paid']

export const kauflandOrderStatus = (units: KauflandOrderUnit[]): ChannelOrderStatus => {
  const cancelled = units.filter((u) => u.status === 'cancelled').length
  if (cancelled === units.length) return 'cancelled'
  if (cancelled > 0) return 'partially_cancelled'
  return units.every((u) => SHIPPED.includes(u.status)) ? 'shipped' : 'open'
}

/** The units of one order (at least one). */
export function kauflandOrderFromUnits(units: KauflandOrderUnit[]): ChannelOrder {
  const first = units[0]
  if (!first) throw new RangeError('an order needs at least one order unit')
  return {
    orderId: first.id_order,
    status: kauflandOrderStatus(units),
    createdAt: units.map((u) => u.ts_created_iso).sort()[0] ?? first.ts_created_iso,
    updatedAt:
      units
        .map((u) => u.ts_updated_iso)
        .sort()
        .at(-1) ?? first.ts_updated_iso,
    currency: first.currency,
    lines: units.map((u) => ({
      lineId: String(u.id_order_unit),
      listingId: null,
      sku: u.id_offer,
      ean: u.product?.eans[0] ?? null,
      externalIds: {
        id_order_unit: String(u.id_order_unit),
        ...(u.product ? { id_product: String(u.product.id_product) } : {}),
      },
      quantity: 1,
      cancelledQuantity: u.status === 'cancelled' ? 1 : 0,
      // Kaufland prices are integral cents of the storefront currency.
      unitPrice: u.price / 100,
    })),
  }
}

/** Order units changed since a time, by offset; orders cut by the page edge or cancelled are read whole. */
export function kauflandOrders(kaufland: KauflandClient, storefront: KauflandStorefront) {
  return async function fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
    const offset = cursor === undefined ? 0 : Number(cursor)
    // Sorted by creation, the units of one order stay together and a unit changing while we page does
    // not move; new orders push the rest down, so a unit may come twice but never be skipped (lines are
    // upserted by id).
    const { data } = await kaufland.json<{ data: KauflandOrderUnit[]; pagination?: KauflandPagination }>({
      method: 'GET',
      path: '/order-units',
      query: {
        storefront,
        ts_updated_from_iso: sinceIso,
        // Only units the seller ships (Kaufland's default, named so it stays so).
        fulfillment_type: 'fulfilled_by_merchant',
        sort: 'ts_created:desc',
        limit: String(KAUFLAND_LIMITS.pageLimit),
        offset: String(offset),
      },
      what: `fetching order units changed since ${sinceIso}`,
    })
    if (!data || !Array.isArray(data.data))
      throw new ClassifiedError(
        'retryable',
        'kaufland.malformed',
        'Kaufland answered the order units request without its data list',
      )
    const total = data.pagination?.total ?? offset + data.data.length
    const next = offset + data.data.length
    const hasNext = data.data.length > 0 && next < total
    const byOrder = new Map<string, KauflandOrderUnit[]>()
    for (const u of data.data) {
      // A unit Kaufland ships from its own stock is not the seller's to import, even if it came anyway.
      if (u.fulfillment_type === 'fulfilled_by_kaufland') continue
      byOrder.set(u.id_order, [...(byOrder.get(u.id_order) ?? []), u])
    }
    // The page cannot tell a cancelled order from a partly cancelled one (unchanged siblings are filtered
    // out by the timestamp), nor see the rest of an order cut by the page edge: read those orders whole.
    const edges = new Set([
      offset > 0 ? data.data[0]?.id_order : undefined,
      hasNext ? data.data.at(-1)?.id_order : undefined,
    ])
    for (const [orderId, units] of byOrder) {
      if (!edges.has(orderId) && !units.some((u) => u.status === 'cancelled')) continue
      const { data: details } = await kaufland.json<{ data: { order_units: KauflandOrderUnit[] } }>({
        method: 'GET',
        path: `/orders/${encodeURIComponent(orderId)}`,
        what: `reading order ${orderId}`,
      })
      if (Array.isArray(details.data?.order_units) && details.data.order_units.length > 0)
        byOrder.set(
          orderId,
          details.data.order_units.filter((u) => u.fulfillment_type !== 'fulfilled_by_kaufland'),
        )
    }
    const items = [...byOrder.values()].map(kauflandOrderFromUnits)
    return { items, ...(hasNext ? { next: String(next) } : {}) }
  }
}
