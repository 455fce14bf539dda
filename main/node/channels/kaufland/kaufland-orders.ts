// Kaufland order units to a ChannelOrder. An order unit is one piece (it has no quantity), so each unit
// becomes its own line of quantity 1, keyed by id_order_unit; the order's state follows from its units.
import type { ChannelOrder, ChannelOrderStatus } from '../../../core/ports/channel-adapter'
import type { KauflandOrderUnit } from './kaufland-types'

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
