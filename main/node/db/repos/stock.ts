// Odoo's stock per product and location scope, as last read. Always overwritten by a fresh read of the
// whole product (never patched), so a missed change heals on the next read.
import type { Database } from 'better-sqlite3'
import { statement } from '../statement'
import type { ProductStock } from '../../../core/ports/odoo-gateway'

export interface StoredStock {
  onHand: number
  reserved: number
  forecast: number | null
  computedAt: number
}

const UPSERT = `INSERT INTO product_stock (product_id, scope, on_hand, reserved, forecast, computed_at)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (product_id, scope) DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved,
    forecast = excluded.forecast, computed_at = excluded.computed_at`
const GET =
  'SELECT on_hand, reserved, forecast, computed_at FROM product_stock WHERE product_id = ? AND scope = ?'

/** Stores a read; products asked for but absent from `rows` have no quants there: stock 0. */
export function storeStock(
  db: Database,
  scope: string,
  asked: readonly number[],
  rows: readonly ProductStock[],
  at: number,
): void {
  const upsert = statement(db, UPSERT)
  const seen = new Set<number>()
  for (const r of rows) {
    seen.add(r.productId)
    upsert.run(r.productId, scope, r.onHand, r.reserved, r.forecast, at)
  }
  for (const id of asked) if (!seen.has(id)) upsert.run(id, scope, 0, 0, null, at)
}

/** Every stored figure, keyed product NUL scope (bulk planning). */
export function stockAllByKey(db: Database): Map<string, StoredStock> {
  const rows = db.prepare('SELECT * FROM product_stock').all() as Array<{
    product_id: number
    scope: string
    on_hand: number
    reserved: number
    forecast: number | null
    computed_at: number
  }>
  return new Map(
    rows.map((r) => [
      `${r.product_id}\u0000${r.scope}`,
      { onHand: r.on_hand, reserved: r.reserved, forecast: r.forecast, computedAt: r.computed_at },
    ]),
  )
}

/** Every stored figure by scope, then product (bulk planning: no key string built per lookup). */
export function stockByScope(db: Database): Map<string, Map<number, StoredStock>> {
  const out = new Map<string, Map<number, StoredStock>>()
  const rows = db
    .prepare('SELECT scope, product_id, on_hand, reserved, forecast, computed_at FROM product_stock')
    .raw()
    .all() as Array<[string, number, number, number, number | null, number]>
  for (const [scope, productId, onHand, reserved, forecast, computedAt] of rows) {
    let m = out.get(scope)
    if (!m) out.set(scope, (m = new Map()))
    m.set(productId, { onHand, reserved, forecast, computedAt })
  }
  return out
}

export function getStock(db: Database, productId: number, scope: string): StoredStock | null {
  const r = statement(db, GET).get(productId, scope) as
    { on_hand: number; reserved: number; forecast: number | null; computed_at: number } | undefined
  return r
    ? { onHand: r.on_hand, reserved: r.reserved, forecast: r.forecast, computedAt: r.computed_at }
    : null
}

/** A product's stored figures in every scope, largest on-hand first. */
export const stockScopesOf = (
  db: Database,
  productId: number,
): Array<{ scope: string; on_hand: number; reserved: number }> =>
  statement(
    db,
    'SELECT scope, on_hand, reserved FROM product_stock WHERE product_id = ? ORDER BY on_hand DESC',
  ).all(productId) as Array<{ scope: string; on_hand: number; reserved: number }>
