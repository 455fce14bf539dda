import type { Database } from 'better-sqlite3'
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
