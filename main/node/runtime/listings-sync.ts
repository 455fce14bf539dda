// Fetches a channel's listings into the listings table (for mapping and the checklist), and maps the
// unmapped ones to Odoo products by SKU, then EAN. Manual mappings are never changed.
import type { Database } from 'better-sqlite3'
import type { ChannelAdapter, ChannelListing } from '../../core/ports/channel-adapter'

export interface ListingsRefresh {
  channelId: string
  listings: number
}

const MAX_PAGES = 500

export async function fetchListings(
  db: Database,
  channelId: string,
  adapter: ChannelAdapter,
): Promise<ListingsRefresh> {
  const all: ChannelListing[] = []
  let cursor: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const p = await adapter.listListings(cursor)
    all.push(...p.items)
    if (!p.next) break
    cursor = p.next
  }
  if (all.length === 0 && adapter.type === 'zalando') all.push(...zalandoCandidates(db))
  const now = new Date().toISOString()
  db.transaction(() => {
    db.prepare('DELETE FROM listings WHERE channel_id = ?').run(channelId)
    const ins = db.prepare(
      `INSERT OR REPLACE INTO listings (channel_id, listing_id, sku, ean, external_ids, title, quantity, paused, fetched_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    for (const l of all)
      ins.run(
        channelId,
        l.listingId,
        l.sku,
        l.ean,
        JSON.stringify(l.externalIds),
        l.title,
        l.quantity,
        l.paused ? 1 : 0,
        now,
      )
  })()
  return { channelId, listings: all.length }
}

/**
 * zDirect has no call that lists a merchant's articles: a Zalando listing is an EAN. The candidates are the
 * Odoo products with an EAN; stock for an EAN Zalando does not know is answered per item and shown.
 */
function zalandoCandidates(db: Database): ChannelListing[] {
  const rows = db
    .prepare(
      `SELECT name, default_code AS sku, barcode AS ean FROM products WHERE active = 1 AND barcode IS NOT NULL AND barcode != ''`,
    )
    .all() as { name: string; sku: string | null; ean: string }[]
  return rows.map((r) => ({
    listingId: r.ean,
    sku: r.sku,
    ean: r.ean,
    externalIds: {},
    title: r.name,
    quantity: null,
    paused: false,
  }))
}

/** Maps unmapped listings of a channel by SKU (default_code) or EAN (barcode); returns how many it mapped. */
export function autoMapBySkuAndEan(db: Database, channelId: string): number {
  const unmapped = db
    .prepare(
      `SELECT l.listing_id AS listingId, l.sku, l.ean FROM listings l
       LEFT JOIN sku_mappings m ON m.channel_id = l.channel_id AND m.listing_id = l.listing_id
       WHERE l.channel_id = ? AND m.listing_id IS NULL`,
    )
    .all(channelId) as { listingId: string; sku: string | null; ean: string | null }[]
  const bySku = db.prepare('SELECT id FROM products WHERE default_code = ? AND active = 1')
  const byEan = db.prepare('SELECT id FROM products WHERE barcode = ? AND active = 1')
  const put = db.prepare(
    `INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES (?, ?, ?, ?)`,
  )
  let mapped = 0
  db.transaction(() => {
    for (const l of unmapped) {
      const sku = l.sku ? (bySku.all(l.sku) as { id: number }[]) : []
      const ean = sku.length !== 1 && l.ean ? (byEan.all(l.ean) as { id: number }[]) : []
      // Only an unambiguous match is taken; two products with one SKU is for the seller to decide.
      const hit =
        sku.length === 1
          ? { id: sku[0]!.id, source: 'sku' }
          : ean.length === 1
            ? { id: ean[0]!.id, source: 'ean' }
            : null
      if (!hit) continue
      put.run(channelId, l.listingId, hit.id, hit.source)
      mapped++
    }
  })()
  return mapped
}
