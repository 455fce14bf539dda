// What the mapping screen reads beside the mappings themselves: the figure each listing last got, and what
// a CSV import checks each row against.
import type { Database } from 'better-sqlite3'
import type { MappingImportContext } from '../../../core/mapping/mapping-import'
import type { MappingSource } from './mappings'

export interface PublishedFigure {
  quantity: number | null
  paused: boolean
  status: string
}

/** Per listing ("channel\u0000listing"): the figure LastUnit last asked the channel to show. */
export function publishedByListing(db: Database): Map<string, PublishedFigure> {
  const rows = db
    .prepare('SELECT channel_id AS c, listing_id AS l, quantity, action, status FROM push_state')
    .all() as Array<{ c: string; l: string; quantity: number | null; action: string | null; status: string }>
  return new Map(
    rows.map((r) => [
      `${r.c}\u0000${r.l}`,
      { quantity: r.quantity, paused: r.action === 'pause', status: r.status },
    ]),
  )
}

/** The mapping of one listing, for undo. */
export const mappingOf = (
  db: Database,
  channelId: string,
  listingId: string,
): { productId: number; source: MappingSource } | null =>
  (db
    .prepare(
      'SELECT product_id AS productId, source FROM sku_mappings WHERE channel_id = ? AND listing_id = ?',
    )
    .get(channelId, listingId) as { productId: number; source: MappingSource } | undefined) ?? null

/** What a CSV import checks each row against, read from the store. */
export function mappingImportContext(db: Database): MappingImportContext {
  const channels = new Set(db.prepare('SELECT id FROM channels').pluck().all() as string[])
  const counts = new Map(
    (
      db.prepare('SELECT channel_id AS c, COUNT(*) AS n FROM listings GROUP BY channel_id').all() as Array<{
        c: string
        n: number
      }>
    ).map((r) => [r.c, r.n]),
  )
  const listing = db.prepare('SELECT 1 FROM listings WHERE channel_id = ? AND listing_id = ?')
  const bySku = db.prepare('SELECT id FROM products WHERE default_code = ? AND active = 1 LIMIT 2').pluck()
  const product = db.prepare('SELECT 1 FROM products WHERE id = ?')
  const mapped = db
    .prepare('SELECT product_id FROM sku_mappings WHERE channel_id = ? AND listing_id = ?')
    .pluck()
  return {
    channelExists: (c) => channels.has(c),
    listingCount: (c) => counts.get(c) ?? 0,
    listingExists: (c, l) => !!listing.get(c, l),
    productsBySku: (sku) => bySku.all(sku) as number[],
    productExists: (id) => !!product.get(id),
    mappedTo: (c, l) => (mapped.get(c, l) as number | undefined) ?? null,
  }
}

/** Active products with their SKU and name, for labels in import reports. */
export const productLabel = (db: Database, id: number): string => {
  const p = db.prepare('SELECT default_code AS sku, name FROM products WHERE id = ?').get(id) as
    { sku: string | null; name: string } | undefined
  return p ? `${p.sku ?? `#${id}`} ${p.name}` : `Odoo product ${id}`
}
