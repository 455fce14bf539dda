// Orders announced by the seller's queue (Amazon ORDER_CHANGE, bol.com ORDER events), taken in by the same
// rules as polled ones: stored with their pending units in one transaction, then the other channels lowered
// at once and the oversell rule asked. Polling stays the source of every later change: a notification only
// ever adds an order LastUnit has not stored yet. An order already stored (polled, or announced before) is
// left exactly as it is, so a duplicated, late or stale event changes nothing; a lost one is read by the next
// poll. The caller's `within` runs in the same transaction (the queue records its message there, before it
// deletes it from the queue).
import type { ChannelOrder, ChannelOrderLine } from '../../core/ports/channel-adapter'
import { upsertOrder } from '../db/repos/orders'
import { markOrderNotified, orderStored } from '../db/repos/queue-messages'
import type { OrderIntakeDeps } from './order-intake'

export interface NotifiedIntake {
  order: ChannelOrder
  /** Prices and currency as a poll reads them; else the order waits for a poll before its import. */
  complete: boolean
  /** Runs inside the transaction, told whether the order was already stored. */
  within?: (known: boolean) => void
}

export interface NotifiedResult {
  /** The order was stored before (by a poll or an earlier event): nothing changed. */
  known: boolean
  /** Products whose pending units the order raised. */
  productIds: number[]
}

export function recordNotifiedOrder(
  d: OrderIntakeDeps,
  channelId: string,
  n: NotifiedIntake,
  resolveLine: (line: ChannelOrderLine) => number | null,
): NotifiedResult {
  const channel = d.channel(channelId)
  if (!channel) throw new RangeError(`recordNotified: channel "${channelId}" is not live`)
  const { order } = n
  const now = d.clock.now()
  let known = false
  const affected = new Set<number>()
  const demand = new Set<number>()
  let isNew = false
  d.db.transaction(() => {
    known = orderStored(d.db, channelId, order.orderId)
    if (!known) {
      const r = upsertOrder(d.db, channelId, order, resolveLine, now, !channel.orderImport, !n.complete)
      isNew = r.isNew
      for (const p of r.productIds) affected.add(p)
      for (const p of r.demandIds) demand.add(p)
      markOrderNotified(d.db, channelId, order.orderId, now)
      d.log({
        at: now,
        level: 'info',
        kind: 'order',
        channelId,
        status: order.status,
        message: `order ${order.orderId} new from the order queue (${order.status})${r.unmappedLines ? `, ${r.unmappedLines} lines not mapped to a product` : ''}${n.complete ? '' : '; imported into Odoo once an order poll has read its prices'}`,
        data: { orderId: order.orderId, via: 'queue' },
      })
    }
    n.within?.(known)
  })()
  if (known) return { known, productIds: [] }
  d.emit({ type: 'order', channelId, orderId: order.orderId, productIds: [...affected], isNew })
  const kits = d.kits()
  let plan = new Set<number>()
  if (affected.size > 0) {
    // As for polled orders: a kit's order lowers its components' listings and every kit made with them.
    const touched = kits.withKits(affected)
    plan = new Set([...touched, ...kits.toRead(touched)])
    d.lower(plan)
  }
  for (const p of kits.toRead(demand)) plan.add(p)
  if (plan.size > 0) d.changed(channelId, plan)
  return { known, productIds: [...affected] }
}
