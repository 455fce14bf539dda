// Pending units: units sold on a channel but not yet reserved in Odoo. They lower every channel's figure
// until Odoo's reservation is in the stored stock, and only then are released: in the transaction that
// stores a stock read started after Odoo confirmed the order, never before, so a unit is never counted
// twice (pending and reserved) nor published again in between. Kit orders count on their components.
import type { Database } from 'better-sqlite3'
import type { KitBook, PendingUnits } from '../../core/stock/kit-book'
import { pendingByProduct, pendingOrdersForProduct, releaseReservedUnits } from '../db/repos/orders'
import type { SyncLogEntry } from '../db/repos/sync-log'

/** Pending units per product, kit orders spread over their components. */
export const pendingUnits = (db: Database, kits: KitBook): PendingUnits => kits.spread(pendingByProduct(db))

/**
 * Releases the pending units of `productIds` whose Odoo reservation a stock read started at
 * `readStartedAt` includes; each release is in the sync log with both times. Call inside the transaction
 * that stores the read.
 */
export function releasePendingUnits(
  db: Database,
  productIds: readonly number[],
  readStartedAt: number,
  now: number,
  log: (e: SyncLogEntry) => void,
): void {
  for (const r of releaseReservedUnits(db, productIds, readStartedAt))
    log({
      at: now,
      level: 'debug',
      kind: 'order',
      channelId: r.channelId,
      productId: r.productId,
      status: 'released',
      message: `${r.units} pending units of order ${r.orderId} released: Odoo's reservation (confirmed by ${new Date(r.reservedAt).toISOString()}) is in the stock read started ${new Date(readStartedAt).toISOString()}`,
      data: { orderId: r.orderId, units: r.units, reservedAt: r.reservedAt, readStartedAt },
    })
}

/** The orders with units pending on a product: its own, and (in kits) those of the kits made with it. */
export function pendingOrdersOf(
  db: Database,
  kits: KitBook,
  productId: number,
): Array<{ channelId: string; orderId: string; pending: number; kit?: string }> {
  const own = pendingOrdersForProduct(db, productId)
  const viaKits = kits
    .kitsUsing(productId)
    .flatMap((k) => pendingOrdersForProduct(db, k).map((o) => ({ ...o, kit: kits.label(k) })))
  return [...own, ...viaKits]
}
