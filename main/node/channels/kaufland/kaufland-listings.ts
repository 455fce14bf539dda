// Reading Kaufland units: pages for mapping (offset paging, products embedded), and each unit's amount and
// status for read-back.
import { KAUFLAND_LIMITS } from '../../../core/channels/kaufland-limits'
import type { ChannelListing, ListingState, Page } from '../../../core/ports/channel-adapter'
import type { KauflandClient } from './kaufland-client'
import type { KauflandPagination, KauflandStorefront, KauflandUnit } from './kaufland-types'

export function kauflandListings(kaufland: KauflandClient, storefront: KauflandStorefront) {
  return {
    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const out: ListingState[] = []
      for (const id of listingIds) {
        if (!/^[1-9]\d*$/.test(id)) continue
        const res = await kaufland.request({
          method: 'GET',
          path: `/units/${id}`,
          query: { storefront },
          what: `reading unit ${id}`,
          accept: [404],
        })
        if (res.status === 404) continue
        const unit = res.json<{ data: KauflandUnit }>().data
        out.push({ listingId: id, quantity: unit.amount, available: unit.status === 'AVAILABLE' })
      }
      return out
    },

    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const offset = cursor === undefined ? 0 : Number(cursor)
      const { data } = await kaufland.json<{ data: KauflandUnit[]; pagination?: KauflandPagination }>({
        method: 'GET',
        path: '/units',
        query: {
          storefront,
          limit: String(KAUFLAND_LIMITS.pageLimit),
          offset: String(offset),
          embedded: 'products',
        },
        what: 'listing units',
      })
      const items = data.data.map((u): ChannelListing => ({
        listingId: String(u.id_unit),
        sku: u.id_offer,
        ean: u.product?.eans[0] ?? null,
        externalIds: {
          id_unit: String(u.id_unit),
          id_product: String(u.id_product),
          ...(u.id_offer ? { id_offer: u.id_offer } : {}),
        },
        title: u.product?.title ?? u.id_offer ?? `Unit ${u.id_unit}`,
        quantity: u.amount,
        paused: u.status === 'ONHOLD',
      }))
      const total = data.pagination?.total ?? offset + items.length
      const next = offset + items.length
      return { items, ...(items.length > 0 && next < total ? { next: String(next) } : {}) }
    },
  }
}
