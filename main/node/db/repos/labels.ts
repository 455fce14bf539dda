// How the screens name what the engine names by id: a product by its SKU and name, a listing by the
// product it sells, a channel by its name.
import type { Database } from 'better-sqlite3'

export interface ProductLabel {
  id: number
  sku: string | null
  name: string
}

export function productLabels(db: Database, ids: Iterable<number>): Map<number, ProductLabel> {
  const list = [...new Set(ids)]
  const out = new Map<number, ProductLabel>()
  const stmt = db.prepare('SELECT id, default_code AS sku, name FROM products WHERE id = ?')
  for (const id of list) {
    const r = stmt.get(id) as ProductLabel | undefined
    if (r) out.set(id, r)
  }
  return out
}

export interface ListingLabel {
  listingId: string
  /** The listing's own SKU on the channel, else its product's internal reference. */
  sku: string | null
  productId: number | null
  productName: string | null
}

/** Listings of a channel with their products (all of them when `listingIds` is omitted). */
export function listingLabels(
  db: Database,
  channelId: string,
  listingIds?: Iterable<string>,
): Map<string, ListingLabel> {
  const rows = db
    .prepare(
      `SELECT x.listing_id AS listingId, coalesce(p.default_code, l.sku) AS sku, m.product_id AS productId,
         p.name AS productName
       FROM (SELECT listing_id FROM listings WHERE channel_id = @c
             UNION SELECT listing_id FROM sku_mappings WHERE channel_id = @c) x
       LEFT JOIN listings l ON l.channel_id = @c AND l.listing_id = x.listing_id
       LEFT JOIN sku_mappings m ON m.channel_id = @c AND m.listing_id = x.listing_id
       LEFT JOIN products p ON p.id = m.product_id`,
    )
    .all({ c: channelId }) as ListingLabel[]
  const want = listingIds ? new Set(listingIds) : null
  const out = new Map<string, ListingLabel>()
  for (const r of rows) if (!want || want.has(r.listingId)) out.set(r.listingId, r)
  return out
}

/** Channel names by id. */
export const channelNames = (db: Database): Map<string, string> =>
  new Map(
    (db.prepare('SELECT id, name FROM channels').all() as Array<{ id: string; name: string }>).map((r) => [
      r.id,
      r.name,
    ]),
  )

/** A product's measured sales a day (null: unknown product). */
