// The engine's kit chores: loading the kits from Odoo (where mrp is installed), storing each kit's stock
// (Odoo's qty_available and free_qty for it) per location scope from its components' stored stock, and
// the orders behind a component's pending units (its own orders and those of kits made with it).
import type { Database } from 'better-sqlite3'
import type { KitBook } from '../../core/stock/kit-book'
import { pendingOrdersForProduct } from '../db/repos/orders'
import { getStock, storeStock } from '../db/repos/stock'

/** Stores the kits' stock in every scope from their components' stock as stored now. */
export function storeKitStock(
  db: Database,
  kits: KitBook,
  scopes: Iterable<string>,
  kitIds: Iterable<number>,
  at: number,
): void {
  const ids = [...kitIds].filter((id) => kits.isKit(id))
  if (ids.length === 0) return
  for (const scope of scopes)
    for (const kitId of ids) {
      const s = kits.stock(kitId, (id) => getStock(db, id, scope))
      if (s)
        storeStock(
          db,
          scope,
          [],
          [{ productId: kitId, onHand: s.onHand, reserved: s.onHand - s.free, forecast: null }],
          at,
        )
    }
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
