// Oversells: the one rule, the one alert kind ('oversell'). A product is oversold when what is promised
// exceeds what Odoo has in the channel's stock scope:
//
//   promised = pending + claimed in Odoo      have = on hand
//
// `pending` are units sold on the channels that Odoo's figures do not hold yet (not imported, or imported
// but not yet in a stock read). `claimed in Odoo` is Odoo's outgoing demand on the stock: every unit it
// reserved (for any sale, ours or the seller's own) and, at least, the open units of the orders LastUnit
// imported whose reservation Odoo could not make (an order confirmed on too little stock stays unreserved,
// so it is not in `reserved`). From the stored figures that is max(reserved, released demand), a lower
// bound of the true claim, so every oversell the rule reports is real. When every imported order is
// reserved this is exactly `pending > free` (free = on hand - reserved), the figure every channel's
// published quantity is computed from (core/stock/published-quantity.ts). Kit orders count on their
// components, never on the kit itself.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../../core/ports/clock'
import type { KitBook } from '../../core/stock/kit-book'
import { clearAlert } from '../db/repos/alerts'
import { openOrdersForProduct, releasedDemandByProduct } from '../db/repos/orders'
import { productLabel } from '../db/repos/products'
import { getStock } from '../db/repos/stock'
import type { EngineAlert } from '../engine/engine-core'
import { pendingUnits } from './pending-units'

export const OVERSELL_ALERT = 'oversell'

export interface OversellFigures {
  /** Odoo's quantity on hand in the channel's scope. */
  onHand: number
  /** Units Odoo reserved there (any sale). */
  reserved: number
  /** Units sold on the channels that Odoo's figures do not hold yet. */
  pending: number
  /** Open units of imported orders Odoo holds (reserved or waiting for stock). */
  released: number
}

export interface OversellVerdict {
  promised: number
  have: number
  shortfall: number
}

/** The rule. Null when everything promised is covered. */
export function oversold(f: OversellFigures): OversellVerdict | null {
  // Only units sold through LastUnit make an oversell of its own: Odoo's internal state is Odoo's.
  if (f.pending <= 0 && f.released <= 0) return null
  const have = Math.max(0, f.onHand)
  const promised = Math.max(0, f.pending) + Math.max(0, f.reserved, f.released)
  return promised > have ? { promised, have, shortfall: promised - have } : null
}

export interface OversellOrder {
  channelId: string
  orderId: string
  quantity: number
  kit?: string
}

export const oversellMessage = (
  label: string,
  v: OversellVerdict,
  free: number,
  orders: readonly OversellOrder[],
): string => {
  const channels = [...new Set(orders.map((o) => o.channelId))].sort()
  return (
    `${label}: ${v.promised} units promised but only ${v.have} on hand in Odoo (${free} free); short by ${v.shortfall}. ` +
    `Orders: ${orders.map((o) => `${o.channelId} ${o.orderId} (${o.kit ? `${o.quantity} x kit ${o.kit}` : o.quantity})`).join(', ') || 'none on the channels'}. ` +
    `Channels: ${channels.join(', ') || 'none'}. Cancel one before the marketplace penalises the late shipment.`
  )
}

export interface OversellWatchDeps {
  db: Database
  clock: Clock
  kits(): KitBook
  scopeOf(channelId: string): string | null
  raiseAlert(a: EngineAlert): void
}

export class OversellWatch {
  constructor(private readonly d: OversellWatchDeps) {}

  check(channelId: string, productIds: Iterable<number>): void {
    const { d } = this
    const scope = d.scopeOf(channelId)
    if (scope === null) return
    const kits = d.kits()
    const pending = pendingUnits(d.db, kits)
    const released = kits.spread(releasedDemandByProduct(d.db))
    for (const id of productIds) {
      if (kits.defs.get(id)?.components.length) continue
      const stock = getStock(d.db, id, scope)
      if (!stock) continue
      const subject = `product:${id}`
      const v = oversold({
        onHand: stock.onHand,
        reserved: stock.reserved,
        pending: pending.get(id) ?? 0,
        released: released.get(id) ?? 0,
      })
      if (!v) {
        clearAlert(d.db, OVERSELL_ALERT, subject, d.clock.now())
        continue
      }
      const orders = this.ordersOf(kits, id)
      const free = Math.max(0, stock.onHand - stock.reserved)
      const channels = [...new Set(orders.map((o) => o.channelId))].sort()
      d.raiseAlert({
        kind: OVERSELL_ALERT,
        severity: 'critical',
        subject,
        channelId: orders[orders.length - 1]?.channelId ?? channelId,
        message: oversellMessage(productLabel(d.db, id), v, free, orders),
        details: {
          productId: id,
          pending: pending.get(id) ?? 0,
          free,
          onHand: stock.onHand,
          reserved: stock.reserved,
          promised: v.promised,
          shortfall: v.shortfall,
          orders,
          channels,
        },
      })
    }
  }

  /** The open orders on a product: its own, and those of the kits made with it. */
  private ordersOf(kits: KitBook, id: number): OversellOrder[] {
    const own = openOrdersForProduct(this.d.db, id)
    const viaKits = kits
      .kitsUsing(id)
      .flatMap((k) => openOrdersForProduct(this.d.db, k).map((o) => ({ ...o, kit: kits.label(k) })))
    return [...own, ...viaKits]
  }
}
