// Fetches a channel's listings into the listings table (for mapping and the checklist), and maps the
// unmapped ones to Odoo products by SKU, then EAN. Manual mappings are never changed.
import type { Database } from 'better-sqlite3'
import type { ChannelAdapter, ChannelListing } from '../../core/ports/channel-adapter'
import { replaceListings, unmappedListings } from '../db/repos/listings'
import { insertMapping } from '../db/repos/mappings'
import { productIdsByEan, productIdsBySku, productsWithEan } from '../db/repos/products'

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
  replaceListings(db, channelId, all, now)
  return { channelId, listings: all.length }
}

/**
 * zDirect has no call that lists a merchant's articles: a Zalando listing is an EAN. The candidates are the
 * Odoo products with an EAN; stock for an EAN Zalando does not know is answered per item and shown.
 */
function zalandoCandidates(db: Database): ChannelListing[] {
  return productsWithEan(db).map((r) => ({
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
  const unmapped = unmappedListings(db, channelId)
  let mapped = 0
  db.transaction(() => {
    for (const l of unmapped) {
      // At most two ids each: one match or several is all that counts.
      const sku = l.sku ? productIdsBySku(db, l.sku) : []
      const ean = sku.length !== 1 && l.ean ? productIdsByEan(db, l.ean) : []
      // Only an unambiguous match is taken; two products with one SKU is for the seller to decide.
      const hit =
        sku.length === 1
          ? { id: sku[0]!, source: 'sku' as const }
          : ean.length === 1
            ? { id: ean[0]!, source: 'ean' as const }
            : null
      if (!hit) continue
      insertMapping(db, { channelId, listingId: l.listingId, productId: hit.id, source: hit.source })
      mapped++
    }
  })()
  return mapped
}
