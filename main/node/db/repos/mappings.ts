import type { Database } from 'better-sqlite3'
import type { MappingRowDto } from '../../../../shared/dto'
import { statement } from '../statement'

export type MappingSource = 'manual' | 'sku' | 'ean' | 'channel_id' | 'csv' | 'config'

export interface SkuMapping {
  channelId: string
  listingId: string
  productId: number
  source: MappingSource
}

export const listMappings = (db: Database, channelId?: string): SkuMapping[] =>
  (
    statement(
      db,
      `SELECT channel_id AS channelId, listing_id AS listingId, product_id AS productId, source FROM sku_mappings
         ${channelId === undefined ? '' : 'WHERE channel_id = ?'} ORDER BY channel_id, listing_id`,
    ).all(...(channelId === undefined ? [] : [channelId])) as SkuMapping[]
  ).map((m) => ({ ...m }))

export class DuplicateMappingError extends Error {
  constructor(
    readonly channelId: string,
    readonly listingId: string,
    readonly existingProductId: number,
  ) {
    super(`Listing "${listingId}" on ${channelId} is already mapped to Odoo product ${existingProductId}.`)
    this.name = 'DuplicateMappingError'
  }
}

/** Maps a listing. A listing already mapped to another product is refused unless `replace` is set. */
export const putMapping = (db: Database, m: SkuMapping, opts: { replace?: boolean } = {}): void => {
  const existing = statement(
    db,
    'SELECT product_id FROM sku_mappings WHERE channel_id = ? AND listing_id = ?',
  ).get(m.channelId, m.listingId) as { product_id: number } | undefined
  if (existing && existing.product_id !== m.productId && !opts.replace)
    throw new DuplicateMappingError(m.channelId, m.listingId, existing.product_id)
  statement(
    db,
    `INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES (?, ?, ?, ?)
     ON CONFLICT(channel_id, listing_id) DO UPDATE SET product_id = excluded.product_id, source = excluded.source`,
  ).run(m.channelId, m.listingId, m.productId, m.source)
}

export const deleteMapping = (db: Database, channelId: string, listingId: string): void => {
  statement(db, 'DELETE FROM sku_mappings WHERE channel_id = ? AND listing_id = ?').run(channelId, listingId)
}

/** Every mapping as (channel, listing, product), by channel and listing. */
export const mappingRefs = (
  db: Database,
): Array<{ channel_id: string; listing_id: string; product_id: number }> =>
  statement(
    db,
    'SELECT channel_id, listing_id, product_id FROM sku_mappings ORDER BY channel_id, listing_id',
  ).all() as Array<{ channel_id: string; listing_id: string; product_id: number }>

export const mappingExists = (db: Database, channelId: string, listingId: string): boolean =>
  !!statement(db, 'SELECT 1 FROM sku_mappings WHERE channel_id = ? AND listing_id = ?').get(
    channelId,
    listingId,
  )

/** Adds a mapping for a listing known to have none (auto-mapping). */
export const insertMapping = (db: Database, m: SkuMapping): void => {
  statement(
    db,
    'INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES (?, ?, ?, ?)',
  ).run(m.channelId, m.listingId, m.productId, m.source)
}

/** Every mapping with its product's SKU, by channel and listing (the CSV export). */
export const mappingsWithSku = (
  db: Database,
): Array<{ channelId: string; listingId: string; sku: string | null; productId: number }> =>
  statement(
    db,
    `SELECT m.channel_id AS channelId, m.listing_id AS listingId, p.default_code AS sku, m.product_id AS productId
     FROM sku_mappings m LEFT JOIN products p ON p.id = m.product_id ORDER BY m.channel_id, m.listing_id`,
  ).all() as Array<{ channelId: string; listingId: string; sku: string | null; productId: number }>

const ROW_SQL = `SELECT l.channel_id AS channelId, l.listing_id AS listingId, l.sku, l.ean, l.title,
    m.product_id AS productId, p.name AS productName, p.default_code AS productSku, m.source
  FROM listings l
  LEFT JOIN sku_mappings m ON m.channel_id = l.channel_id AND m.listing_id = l.listing_id
  LEFT JOIN products p ON p.id = m.product_id`

/**
 * The mapping screen's rows: every fetched listing with its product, then the mappings of listings not
 * fetched (yet), so nothing is hidden from the seller.
 */
export function mappingScreenRows(db: Database): MappingRowDto[] {
  const listed = statement(db, `${ROW_SQL} ORDER BY l.channel_id, l.listing_id`).all() as MappingRowDto[]
  const orphans = statement(
    db,
    `SELECT m.channel_id AS channelId, m.listing_id AS listingId, NULL AS sku, NULL AS ean, '' AS title,
       m.product_id AS productId, p.name AS productName, p.default_code AS productSku, m.source
     FROM sku_mappings m LEFT JOIN products p ON p.id = m.product_id
     WHERE NOT EXISTS (SELECT 1 FROM listings l WHERE l.channel_id = m.channel_id AND l.listing_id = m.listing_id)`,
  ).all() as MappingRowDto[]
  return [...listed, ...orphans]
}

/** One fetched listing's row of the mapping screen; undefined when the listing was not fetched. */
export const mappingScreenRow = (
  db: Database,
  channelId: string,
  listingId: string,
): MappingRowDto | undefined =>
  statement(db, `${ROW_SQL} WHERE l.channel_id = ? AND l.listing_id = ?`).get(channelId, listingId) as
    MappingRowDto | undefined
