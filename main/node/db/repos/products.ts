// The engine's copy of Odoo's products (for SKU/EAN lookups of order lines) and their sales velocity.
import type { Database, Statement } from 'better-sqlite3'
import type { OdooProduct } from '../../../core/ports/odoo-gateway'

export class ProductsRepo {
  private readonly sUpsert: Statement
  private readonly sVelocity: Statement
  private readonly sBySku: Statement
  private readonly sByEan: Statement

  constructor(private readonly db: Database) {
    this.sUpsert = db.prepare(
      `INSERT INTO products (id, name, default_code, barcode, active, company_id)
       VALUES (@id, @name, @defaultCode, @barcode, @active, @companyId)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, default_code = excluded.default_code,
         barcode = excluded.barcode, active = excluded.active, company_id = excluded.company_id,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    this.sVelocity = db.prepare('UPDATE products SET sales_per_day = ? WHERE id = ?')
    this.sBySku = db.prepare('SELECT id FROM products WHERE default_code = ? AND active = 1 LIMIT 2')
    this.sByEan = db.prepare('SELECT id FROM products WHERE barcode = ? AND active = 1 LIMIT 2')
  }

  upsertMany(products: readonly OdooProduct[]): void {
    this.db.transaction(() => {
      for (const p of products)
        this.sUpsert.run({
          id: p.id,
          name: p.name,
          defaultCode: p.defaultCode,
          barcode: p.barcode,
          active: p.active ? 1 : 0,
          companyId: p.companyId,
        })
    })()
  }

  /** Units sold over `days` days, per product; products not named sold nothing. */
  setSalesHistory(unitsSold: ReadonlyMap<number, number>, days: number): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE products SET sales_per_day = 0').run()
      for (const [id, units] of unitsSold) this.sVelocity.run(units / days, id)
    })()
  }

  salesPerDay(): Map<number, number> {
    const rows = this.db.prepare('SELECT id, sales_per_day AS v FROM products').all() as Array<{
      id: number
      v: number
    }>
    return new Map(rows.map((r) => [r.id, r.v]))
  }

  /** A product found by SKU or EAN, only when exactly one matches. */
  findBySkuOrEan(sku: string | null, ean: string | null): number | null {
    for (const [stmt, v] of [
      [this.sBySku, sku],
      [this.sByEan, ean],
    ] as const) {
      if (!v) continue
      const rows = stmt.all(v) as Array<{ id: number }>
      if (rows.length === 1) return rows[0]!.id
    }
    return null
  }

  ids(): number[] {
    return (this.db.prepare('SELECT id FROM products WHERE active = 1').all() as Array<{ id: number }>).map(
      (r) => r.id,
    )
  }
}
