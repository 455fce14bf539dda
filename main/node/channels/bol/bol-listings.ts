// Reading bol.com offers (Offers API v11): pages for mapping by cursor, and the stock of given offers
// (read-back) through the offer-ids filter.
import { BOL_LIMITS } from '../../../core/channels/bol-limits'
import type { ChannelListing, ListingState, Page } from '../../../core/ports/channel-adapter'
import type { BolClient } from './bol-client'
import { BOL_OFFER_ID } from './bol-push'

interface OfferResponse {
  offerId: string
  ean?: string
  reference?: string
  onHoldByRetailer: boolean
  unknownProductTitle?: string
  stock?: { amount?: number; correctedStock?: number; managedByRetailer?: boolean }
  product?: { bolProductId?: string }
  /** FBR: the seller ships it; FBB: bol.com ships it from its own stock (Offers v11 Fulfilment). */
  fulfilment?: { method?: string }
}

export interface BolOfferList {
  offers?: OfferResponse[]
  page?: { pageSize?: number; nextCursor?: string | null }
}

const toListing = (o: OfferResponse): ChannelListing => {
  const externalIds: Record<string, string> = { offerId: o.offerId }
  if (o.product?.bolProductId) externalIds.bolProductId = o.product.bolProductId
  return {
    listingId: o.offerId,
    sku: o.reference ?? null,
    ean: o.ean ?? null,
    externalIds,
    title: o.unknownProductTitle ?? o.reference ?? o.ean ?? o.offerId,
    quantity: o.stock?.amount ?? null,
    paused: o.onHoldByRetailer,
  }
}

export function bolListings(bol: BolClient) {
  const offers = (query: URLSearchParams) =>
    bol.json<BolOfferList>({ endpoint: 'offers-list', method: 'GET', path: '/offers', query, version: 'v11' })

  return {
    offers,

    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const out: ListingState[] = []
      const ids = listingIds.filter((id) => BOL_OFFER_ID.test(id))
      for (let i = 0; i < ids.length; i += BOL_LIMITS.readBackBatch) {
        const query = new URLSearchParams({ 'page-size': String(BOL_LIMITS.offersPageSize) })
        for (const id of ids.slice(i, i + BOL_LIMITS.readBackBatch)) query.append('offer-ids', id)
        const res = await offers(query)
        for (const o of res.offers ?? [])
          out.push({
            listingId: o.offerId,
            quantity: o.stock?.amount ?? 0,
            available: !o.onHoldByRetailer && (o.stock?.correctedStock ?? o.stock?.amount ?? 0) > 0,
          })
      }
      return out
    },

    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const query = new URLSearchParams({ 'page-size': String(BOL_LIMITS.offersPageSize) })
      if (cursor) query.set('cursor', cursor)
      const res = await offers(query)
      const next = res.page?.nextCursor
      // An FBB offer ships from bol.com's stock, not the seller's: never offered for mapping, never pushed to.
      const own = (res.offers ?? []).filter((o) => o.fulfilment?.method !== 'FBB')
      return { items: own.map(toListing), ...(next ? { next } : {}) }
    },
  }
}
