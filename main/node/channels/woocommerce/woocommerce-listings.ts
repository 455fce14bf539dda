// Reading WooCommerce: products and their variations for mapping (page by page), and the stock records of
// given listings (read-back), grouped as Woo needs them (products, then variations per parent).
import { WOOCOMMERCE_LIMITS } from '../../../core/channels/woocommerce-limits'
import type { ChannelListing, ListingState, Page } from '../../../core/ports/channel-adapter'
import { PageRun } from '../kit/page-guard'
import { WOO_SERVICE, type WooClient } from './woocommerce-client'
import { parseWooListingId, wooListingId, type WooListingRef } from './woocommerce-listing-id'
import { byParent, groupPath, type WooStockRecord } from './woocommerce-records'

const PAGE = WOOCOMMERCE_LIMITS.pageMax

export function wooListings(woo: WooClient) {
  /** The stock records of these listings, by listing id. */
  const readRecords = async (refs: WooListingRef[]): Promise<Map<string, WooStockRecord>> => {
    const records = new Map<string, WooStockRecord>()
    for (const [parent, group] of byParent(refs.map((ref) => ({ ref })))) {
      const ids = group.map(({ ref }) => ref.variationId ?? ref.productId)
      for (let i = 0; i < ids.length; i += PAGE) {
        const chunk = ids.slice(i, i + PAGE)
        const { data } = await woo.json<WooStockRecord[]>({
          method: 'GET',
          path: groupPath(parent),
          query: { include: chunk.join(','), per_page: String(PAGE) },
          what:
            parent === undefined
              ? `reading ${chunk.length} products`
              : `reading ${chunk.length} variations of product ${parent}`,
        })
        for (const r of data)
          records.set(parent === undefined ? wooListingId(r.id) : wooListingId(parent, r.id), r)
      }
    }
    return records
  }

  return {
    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const refs = listingIds.map(parseWooListingId).filter((r): r is WooListingRef => r !== undefined)
      const records = await readRecords(refs)
      return [...records.entries()].map(([listingId, r]) => ({
        listingId,
        quantity: r.stock_quantity ?? 0,
        available: r.status === 'publish',
      }))
    },

    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const page = cursor === undefined ? 1 : Number(cursor)
      const { data, res } = await woo.json<WooStockRecord[]>({
        method: 'GET',
        path: '/products',
        query: { per_page: String(PAGE), page: String(page), orderby: 'id', order: 'asc', status: 'any' },
        what: `listing products (page ${page})`,
      })
      const items: ChannelListing[] = []
      for (const p of data) {
        if (p.type !== 'variable') {
          items.push({
            listingId: wooListingId(p.id),
            sku: p.sku || null,
            ean: p.global_unique_id || null,
            externalIds: { productId: String(p.id) },
            title: p.name ?? `Product ${p.id}`,
            quantity: p.manage_stock === true ? p.stock_quantity : null,
            paused: p.status !== 'publish',
          })
          continue
        }
        const run = new PageRun(
          { service: WOO_SERVICE, prefix: 'woocommerce' },
          `listing variations of product ${p.id}`,
        )
        for (let vp = 1, pages = 1; vp <= pages; vp++) {
          run.count()
          const { data: vars, res: vres } = await woo.json<WooStockRecord[]>({
            method: 'GET',
            path: `/products/${p.id}/variations`,
            query: { per_page: String(PAGE), page: String(vp) },
            what: `listing variations of product ${p.id}`,
          })
          pages = Number(vres.headers.get('x-wp-totalpages') ?? 1)
          for (const v of vars)
            items.push({
              listingId: wooListingId(p.id, v.id),
              sku: v.sku || null,
              ean: v.global_unique_id || null,
              externalIds: { productId: String(p.id), variationId: String(v.id) },
              title: `${p.name ?? p.id} - ${(v.attributes ?? []).map((a) => a.option).join(' / ') || v.id}`,
              quantity: v.manage_stock === true ? v.stock_quantity : null,
              paused: p.status !== 'publish' || v.status !== 'publish',
            })
        }
      }
      const totalPages = Number(res.headers.get('x-wp-totalpages') ?? page)
      return { items, ...(page < totalPages ? { next: String(page + 1) } : {}) }
    },
  }
}
