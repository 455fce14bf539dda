// The channels' listings as last fetched (read only from the channels), for mapping, the checklist and the
// first-push diff.
import type { Database } from 'better-sqlite3'
import type { ChannelListing } from '../../../core/ports/channel-adapter'
import { statement } from '../statement'

/** Replaces a channel's listings with a fresh fetch, in one transaction. */
export function replaceListings(
  db: Database,
  channelId: string,
  listings: readonly ChannelListing[],
  fetchedAt: string,
): void {
  db.transaction(() => {
    statement(db, 'DELETE FROM listings WHERE channel_id = ?').run(channelId)
    const ins = statement(
      db,
      `INSERT OR REPLACE INTO listings (channel_id, listing_id, sku, ean, external_ids, title, quantity, paused, fetched_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    for (const l of listings)
      ins.run(
        channelId,
        l.listingId,
        l.sku,
        l.ean,
        JSON.stringify(l.externalIds),
        l.title,
        l.quantity,
        l.paused ? 1 : 0,
        fetchedAt,
      )
  })()
}

/** The channel's one fetched listing with this EAN (null: none, or more than one). */
export function listingIdByEan(db: Database, channelId: string, ean: string): string | null {
  const rows = statement(
    db,
    'SELECT listing_id AS id FROM listings WHERE channel_id = ? AND ean = ? LIMIT 2',
  ).all(channelId, ean) as { id: string }[]
  return rows.length === 1 ? rows[0]!.id : null
}

/** The ids of a channel's fetched listings, in order. */
export const fetchedListingIds = (db: Database, channelId: string): string[] =>
  (
    statement(db, 'SELECT listing_id AS id FROM listings WHERE channel_id = ? ORDER BY listing_id').all(
      channelId,
    ) as { id: string }[]
  ).map((r) => r.id)

export const listingCount = (db: Database, channelId: string): number =>
  (statement(db, 'SELECT COUNT(*) AS n FROM listings WHERE channel_id = ?').get(channelId) as { n: number }).n

/** How many listings of a channel were fetched, and how many of them are mapped. */
export const listingMappingCounts = (db: Database, channelId: string): { listings: number; mapped: number } =>
  statement(
    db,
    `SELECT COUNT(*) AS listings, COUNT(m.listing_id) AS mapped FROM listings l
     LEFT JOIN sku_mappings m ON m.channel_id = l.channel_id AND m.listing_id = l.listing_id
     WHERE l.channel_id = ?`,
  ).get(channelId) as { listings: number; mapped: number }

/** Each fetched listing of a channel with its SKU (none: ''), by listing id. */
export const listingSkus = (db: Database, channelId: string): Map<string, string> =>
  new Map(
    (
      statement(db, 'SELECT listing_id AS id, sku FROM listings WHERE channel_id = ?').all(
        channelId,
      ) as Array<{
        id: string
        sku: string | null
      }>
    ).map((x) => [x.id, x.sku ?? '']),
  )

/** What the channel showed for each listing when it was fetched: a paused listing shows 0. */
export const fetchedListingQuantities = (db: Database, channelId: string): Map<string, number | null> =>
  new Map(
    (
      statement(db, 'SELECT listing_id, quantity, paused FROM listings WHERE channel_id = ?').all(
        channelId,
      ) as Array<{ listing_id: string; quantity: number | null; paused: number }>
    ).map((r) => [r.listing_id, r.paused ? 0 : r.quantity]),
  )

/** A channel's fetched listings with whether each is mapped (the checklist). */
export const listingsWithMappedFlag = (
  db: Database,
  channelId: string,
): Array<{ listingId: string; sku: string | null; title: string; mapped: boolean }> =>
  (
    statement(
      db,
      `SELECT l.listing_id AS listingId, l.sku, l.title, m.product_id IS NOT NULL AS mapped
       FROM listings l LEFT JOIN sku_mappings m ON m.channel_id = l.channel_id AND m.listing_id = l.listing_id
       WHERE l.channel_id = ? ORDER BY l.listing_id`,
    ).all(channelId) as Array<{ listingId: string; sku: string | null; title: string; mapped: number }>
  ).map((l) => ({ ...l, mapped: l.mapped === 1 }))

/** A channel's fetched listings that no mapping covers yet. */
export const unmappedListings = (
  db: Database,
  channelId: string,
): Array<{ listingId: string; sku: string | null; ean: string | null }> =>
  statement(
    db,
    `SELECT l.listing_id AS listingId, l.sku, l.ean FROM listings l
     LEFT JOIN sku_mappings m ON m.channel_id = l.channel_id AND m.listing_id = l.listing_id
     WHERE l.channel_id = ? AND m.listing_id IS NULL`,
  ).all(channelId) as Array<{ listingId: string; sku: string | null; ean: string | null }>

/** Unmapped listings of one channel or all, with their channel ids as stored (JSON) for auto-match. */
export const unmappedListingsToMatch = (
  db: Database,
  channelId?: string,
): Array<{ channelId: string; listingId: string; sku: string | null; ean: string | null; ext: string }> =>
  statement(
    db,
    `SELECT l.channel_id AS channelId, l.listing_id AS listingId, l.sku, l.ean, l.external_ids AS ext
     FROM listings l WHERE NOT EXISTS (SELECT 1 FROM sku_mappings m WHERE m.channel_id = l.channel_id
       AND m.listing_id = l.listing_id) ${channelId ? 'AND l.channel_id = ?' : ''}`,
  ).all(...(channelId ? [channelId] : [])) as Array<{
    channelId: string
    listingId: string
    sku: string | null
    ean: string | null
    ext: string
  }>
