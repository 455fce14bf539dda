// The engine's copy of Odoo's products (for SKU/EAN lookups of order lines) and their sales velocity.
import type { Database } from 'better-sqlite3'
import { statement } from '../statement'
import type { SnapshotProduct } from '../../../core/checklist'
import type { OdooProduct } from '../../../core/ports/odoo-gateway'

const UPSERT = `INSERT INTO products (id, name, default_code, barcode, active, company_id)
  VALUES (@id, @name, @defaultCode, @barcode, @active, @companyId)
  ON CONFLICT (id) DO UPDATE SET name = excluded.name, default_code = excluded.default_code,
    barcode = excluded.barcode, active = excluded.active, company_id = excluded.company_id,
    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`
const BY_SKU = 'SELECT id FROM products WHERE default_code = ? AND active = 1 LIMIT 2'
const BY_EAN = 'SELECT id FROM products WHERE barcode = ? AND active = 1 LIMIT 2'

export function upsertProducts(db: Database, products: readonly OdooProduct[]): void {
  const upsert = statement(db, UPSERT)
  db.transaction(() => {
    for (const p of products)
      upsert.run({
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
export function setSalesHistory(db: Database, unitsSold: ReadonlyMap<number, number>, days: number): void {
  db.transaction(() => {
    statement(db, 'UPDATE products SET sales_per_day = 0').run()
    const velocity = statement(db, 'UPDATE products SET sales_per_day = ? WHERE id = ?')
    for (const [id, units] of unitsSold) velocity.run(units / days, id)
  })()
}

export function salesPerDay(db: Database): Map<number, number> {
  const rows = statement(db, 'SELECT id, sales_per_day AS v FROM products').all() as Array<{
    id: number
    v: number
  }>
  return new Map(rows.map((r) => [r.id, r.v]))
}

/** Active products with this SKU (at most two: enough to tell one match from several). */
export const productIdsBySku = (db: Database, sku: string | null): number[] =>
  (statement(db, BY_SKU).all(sku) as Array<{ id: number }>).map((r) => r.id)

/** A product found by SKU or EAN, only when exactly one matches. */
export function findProductBySkuOrEan(db: Database, sku: string | null, ean: string | null): number | null {
  for (const [sql, v] of [
    [BY_SKU, sku],
    [BY_EAN, ean],
  ] as const) {
    if (!v) continue
    const rows = statement(db, sql).all(v) as Array<{ id: number }>
    if (rows.length === 1) return rows[0]!.id
  }
  return null
}

export function activeProductIds(db: Database): number[] {
  return (statement(db, 'SELECT id FROM products WHERE active = 1').all() as Array<{ id: number }>).map(
    (r) => r.id,
  )
}

/** Active products with this EAN (at most two: enough to tell one match from several). */
export const productIdsByEan = (db: Database, ean: string): number[] =>
  (statement(db, BY_EAN).all(ean) as Array<{ id: number }>).map((r) => r.id)

export const productCount = (db: Database): number =>
  (statement(db, 'SELECT COUNT(*) AS n FROM products').get() as { n: number }).n

export const productExists = (db: Database, id: number): boolean =>
  !!statement(db, 'SELECT 1 FROM products WHERE id = ?').get(id)

/** A product's name and SKU; undefined when it is not known. */
export const productNameAndSku = (
  db: Database,
  id: number,
): { name: string; sku: string | null } | undefined =>
  statement(db, 'SELECT name, default_code AS sku FROM products WHERE id = ?').get(id) as
    { name: string; sku: string | null } | undefined

/** "[SKU] Name" for messages; "Product N" when it is not known. */
export function productLabel(db: Database, productId: number): string {
  const p = productNameAndSku(db, productId)
  return p ? `${p.sku ? `[${p.sku}] ` : ''}${p.name}` : `Product ${productId}`
}

/** A product's measured sales per day; undefined when it is not known. */
export const productSalesPerDay = (db: Database, id: number): number | undefined =>
  (statement(db, 'SELECT sales_per_day AS v FROM products WHERE id = ?').get(id) as { v: number } | undefined)
    ?.v

/** Active products with an EAN: Zalando's listing candidates. */
export const productsWithEan = (db: Database): Array<{ name: string; sku: string | null; ean: string }> =>
  statement(
    db,
    `SELECT name, default_code AS sku, barcode AS ean FROM products WHERE active = 1 AND barcode IS NOT NULL AND barcode != ''`,
  ).all() as Array<{ name: string; sku: string | null; ean: string }>

/** What auto-match compares listings with: every active product's SKU and EAN. */
export const matchableProducts = (
  db: Database,
): Array<{ id: number; defaultCode: string | null; barcode: string | null }> =>
  statement(
    db,
    'SELECT id, default_code AS defaultCode, barcode FROM products WHERE active = 1',
  ).all() as Array<{
    id: number
    defaultCode: string | null
    barcode: string | null
  }>

/** Active products with how many listings are mapped to each (the mapping screen). */
export const productsWithListingCount = (
  db: Database,
): Array<{ id: number; name: string; sku: string | null; ean: string | null; listings: number }> =>
  statement(
    db,
    `SELECT p.id, p.name, p.default_code AS sku, p.barcode AS ean,
       (SELECT COUNT(*) FROM sku_mappings m WHERE m.product_id = p.id) AS listings
     FROM products p WHERE p.active = 1 ORDER BY p.default_code, p.id`,
  ).all() as Array<{ id: number; name: string; sku: string | null; ean: string | null; listings: number }>

/**
 * Active products, fastest sellers first, with their velocity, the first channel they are mapped on and
 * on how many channels (the buffers screen).
 */
export const productsByVelocity = (
  db: Database,
): Array<{
  id: number
  name: string
  sku: string | null
  v: number
  channelId: string | null
  channels: number
}> =>
  statement(
    db,
    `SELECT p.id, p.name, p.default_code AS sku, p.sales_per_day AS v,
       (SELECT MIN(channel_id) FROM sku_mappings m WHERE m.product_id = p.id) AS channelId,
       (SELECT COUNT(DISTINCT channel_id) FROM sku_mappings m WHERE m.product_id = p.id) AS channels
     FROM products p WHERE p.active = 1 ORDER BY p.sales_per_day DESC, p.id`,
  ).all() as Array<{
    id: number
    name: string
    sku: string | null
    v: number
    channelId: string | null
    channels: number
  }>

/** The products mapped on a channel, with their velocity and the enabled channels each is mapped on. */
export const mappedProductsOfChannel = (db: Database, channelId: string): SnapshotProduct[] =>
  (
    statement(
      db,
      `SELECT p.id AS productId, p.name, p.default_code AS sku, p.sales_per_day AS salesPerDay,
       (SELECT GROUP_CONCAT(DISTINCT m2.channel_id) FROM sku_mappings m2 JOIN channels c2 ON c2.id = m2.channel_id
        WHERE m2.product_id = p.id AND c2.state != 'disabled') AS channelList
     FROM products p WHERE p.id IN (SELECT product_id FROM sku_mappings WHERE channel_id = ?) ORDER BY p.id`,
    ).all(channelId) as Array<
      Omit<SnapshotProduct, 'channelCount' | 'channelIds'> & { channelList: string | null }
    >
  ).map(({ channelList, ...p }) => {
    // Channel ids never hold a comma (channelId in the contract), so the list splits safely.
    const channelIds = channelList ? channelList.split(',').sort() : []
    return { ...p, channelCount: channelIds.length, channelIds }
  })
