// Each kit's stock (Odoo's qty_available and free_qty for it) per location scope, stored from its
// components' stored stock: kits have no quants of their own.
import type { Database } from 'better-sqlite3'
import type { KitBook } from '../../core/stock/kit-book'
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
