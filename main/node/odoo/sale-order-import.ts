// Imports one marketplace order into Odoo as a confirmed sale order, idempotently: the channel and order
// id form client_order_ref, looked up before creating, so a retry after a timeout never duplicates.
import { ClassifiedError } from '../../core/errors'
import { clientOrderRefFor } from '../../core/odoo/client-order-ref'
import type { OdooGateway, SaleOrderLineInput } from '../../core/ports/odoo-gateway'

export interface ChannelOrderImport {
  channel: string
  orderId: string
  lines: SaleOrderLineInput[]
  warehouseId: number | null
}

/** The Odoo customer (res.partner id) each channel's orders are booked on. */
export type ChannelCustomers = Readonly<Record<string, number>>

export async function importChannelOrder(
  gw: OdooGateway,
  customers: ChannelCustomers,
  order: ChannelOrderImport,
): Promise<{ saleOrderId: number; created: boolean }> {
  const partnerId = customers[order.channel]
  if (partnerId === undefined)
    throw new ClassifiedError(
      'needs_seller',
      'odoo.no_customer',
      `No Odoo customer is set for channel "${order.channel}": order ${order.orderId} cannot be imported`,
      { hint: 'Choose the Odoo customer for this channel in its settings.' },
    )
  const ref = clientOrderRefFor(order.channel, order.orderId)
  const existing = await gw.findSaleOrder(ref)
  const saleOrderId =
    existing?.id ??
    (await gw.createSaleOrder({
      partnerId,
      warehouseId: order.warehouseId,
      clientOrderRef: ref,
      lines: order.lines,
    }))
  await gw.confirmSaleOrder(saleOrderId)
  return { saleOrderId, created: existing === null }
}

export async function cancelChannelOrder(
  gw: OdooGateway,
  channel: string,
  orderId: string,
): Promise<boolean> {
  const existing = await gw.findSaleOrder(clientOrderRefFor(channel, orderId))
  if (!existing) return false
  await gw.cancelSaleOrder(existing.id)
  return true
}
