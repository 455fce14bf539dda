// Oversells: the one rule, the one alert kind ('oversell'). A product is oversold when what is promised
// exceeds what Odoo has in the channel's stock scope:
//
//   promised = pending + claimed in Odoo      have = on hand
//
// `pending` are units sold on the channels that Odoo's figures do not hold yet (not imported, or imported
// but not yet in a stock read). `claimed in Odoo` is Odoo's outgoing demand on the stock: every unit it
// reserved (for any sale, ours or the seller's own) and the units of confirmed sales it could not reserve
// (an order confirmed on too little stock waits, unreserved, so it is not in `reserved`):
//
//   claimed in Odoo = max(reserved, released + others)
//
// `released` are the open units of LastUnit's own imported orders (Odoo holds them, reserved or not) and
// `others` Odoo's outgoing demand for every other sale, read as outgoing_qty in the channel's scope after
// each stock read that touches a product with imported orders open (0 until read, and where the gateway
// cannot). Every oversell the rule reports is real. When every sale is reserved this is exactly
// `pending > free` (free = on hand - reserved), the figure every channel's published quantity is computed
// from (core/stock/published-quantity.ts). Kit orders count on their components, never on the kit
// itself. Judged when orders change (order-intake.ts) and after every stored stock read (odoo-sync.ts),
// so it clears when stock arrives or an order is cancelled.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../../core/ports/clock'
import type { KitBook } from '../../core/stock/kit-book'
import { clearAlert, openAlertSummaries } from '../db/repos/alerts'
import type { SyncLogEntry } from '../db/repos/sync-log'
import { openOrdersForProduct, productsWithOpenOrders, releasedDemandByProduct } from '../db/repos/orders'
import { productLabel } from '../db/repos/products'
import { getStock } from '../db/repos/stock'
import type { EngineAlert } from '../engine/engine-core'
import { pendingUnits } from './pending-units'

export const OVERSELL_ALERT = 'oversell'

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e))

export interface OversellFigures {
  /** Odoo's quantity on hand in the channel's scope. */
  onHand: number
  /** Units Odoo reserved there (any sale). */
  reserved: number
  /** Units sold on the channels that Odoo's figures do not hold yet. */
  pending: number
  /** Open units of imported orders Odoo holds (reserved or waiting for stock). */
  released: number
  /** Odoo's outgoing demand in the scope for sales other than LastUnit's imported orders, when read. */
  others?: number
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
  const claimed = Math.max(0, f.reserved, Math.max(0, f.released) + Math.max(0, f.others ?? 0))
  const promised = Math.max(0, f.pending) + claimed
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
  /** The engine log: a failed read of Odoo's outgoing demand is written there with its error. */
  log(e: SyncLogEntry): void
  /** Odoo's outgoing demand per product in a scope; absent where the gateway cannot read it. */
  outgoing?(productIds: number[], scope: string): Promise<Map<number, number>>
}

export class OversellWatch {
  /**
   * Odoo's outgoing demand of other sales as last read (outgoing_qty less the released units of LastUnit's
   * orders at that moment), by scope and product: only for products with imported orders open.
   */
  private readonly others = new Map<string, number>()

  constructor(private readonly d: OversellWatchDeps) {}

  /**
   * After a stock read was stored: judges again the stored products that have open orders or an open
   * oversell, each in the scope of its latest ordering channel, with Odoo's outgoing demand read fresh
   * where LastUnit's imported orders are open.
   */
  async afterStore(productIds: ReadonlySet<number>): Promise<void> {
    const { d } = this
    const kits = d.kits()
    const alerts = new Map<number, string | null>()
    for (const a of openAlertSummaries(d.db))
      if (a.kind === OVERSELL_ALERT && /^product:\d+$/.test(a.subject))
        alerts.set(Number(a.subject.slice('product:'.length)), a.channelId)
    const ordered = new Set(kits.toRead(productsWithOpenOrders(d.db)))
    const byChannel = new Map<string, number[]>()
    for (const id of productIds) {
      if (!ordered.has(id) && !alerts.has(id)) continue
      const channelId = this.ordersOf(kits, id).at(-1)?.channelId ?? alerts.get(id) ?? null
      if (channelId === null) continue
      const list = byChannel.get(channelId) ?? []
      list.push(id)
      byChannel.set(channelId, list)
    }
    if (byChannel.size === 0) return
    const released = kits.spread(releasedDemandByProduct(d.db))
    for (const [channelId, ids] of byChannel) {
      const scope = d.scopeOf(channelId)
      if (scope === null) continue
      const inOdoo = ids.filter((id) => (released.get(id) ?? 0) > 0)
      for (const id of ids) if (!inOdoo.includes(id)) this.others.delete(`${scope}|${id}`)
      if (inOdoo.length > 0 && d.outgoing) {
        // A failed read leaves the last figures read in place (the rule still runs on them) and is logged:
        // the next stock read tries again.
        const read = await d.outgoing(inOdoo, scope).catch((e: unknown) => {
          d.log({
            at: d.clock.now(),
            level: 'warn',
            kind: 'oversell',
            channelId,
            message: `Could not read Odoo's outgoing quantities for ${inOdoo.length} product(s) in ${scope} (${errorText(e)}); the oversell check uses the figures read before.`,
            data: { productIds: inOdoo, scope, error: errorText(e) },
          })
          return null
        })
        if (read)
          for (const id of inOdoo)
            this.others.set(`${scope}|${id}`, Math.max(0, (read.get(id) ?? 0) - (released.get(id) ?? 0)))
      }
      this.check(channelId, ids)
    }
  }

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
        others: (released.get(id) ?? 0) > 0 ? this.others.get(`${scope}|${id}`) : undefined,
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
