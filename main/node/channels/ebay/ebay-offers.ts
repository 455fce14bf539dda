// eBay offers, read and remembered: the offer of each SKU on the marketplace (looked up once), the quantity
// last seen live per SKU (an unchanged value costs no revision), inventory items for mapping, read-back.
import { EBAY_LIMITS } from '../../../core/channels/ebay-limits'
import { ClassifiedError } from '../../../core/errors'
import type { ChannelListing, ListingState, Page } from '../../../core/ports/channel-adapter'
import type { Clock } from '../../../core/ports/clock'
import type { ChannelClient } from '../kit/channel-client'
import { ebayCall } from './ebay-client'
import type { EbayConfig } from './ebay-config'

export const INVENTORY = '/sell/inventory/v1'

export interface EbayOffer {
  offerId: string
  sku: string
  marketplaceId?: string
  format?: string
  availableQuantity?: number
  status?: string
  listing?: { listingId?: string; listingStatus?: string }
}

interface InventoryItem {
  sku: string
  product?: { title?: string; ean?: string[] }
  availability?: { shipToLocationAvailability?: { quantity?: number } }
}

export function ebayOffers(client: ChannelClient, config: EbayConfig, clock: Clock) {
  const offers = new Map<string, EbayOffer | null>()
  /**
   * Last quantity known to be live per SKU, and when: an unchanged value costs no revision. eBay lowers the
   * figure itself on a sale, so the knowledge is trusted only for a while.
   */
  const published = new Map<string, { quantity: number; at: number }>()

  const pickOffer = (list: EbayOffer[]): EbayOffer | null =>
    list.find((o) => o.marketplaceId === config.marketplaceId && o.format === 'FIXED_PRICE') ??
    list.find((o) => o.marketplaceId === config.marketplaceId) ??
    null

  const fetchOffer = async (sku: string): Promise<EbayOffer | null> => {
    try {
      const res = await client.json<{ offers?: EbayOffer[] }>(
        ebayCall('GET', `${INVENTORY}/offer`, {
          query: new URLSearchParams({ sku, marketplace_id: config.marketplaceId }),
        }),
      )
      const o = pickOffer(res.offers ?? [])
      offers.set(sku, o)
      if (o?.availableQuantity !== undefined && o.status === 'PUBLISHED')
        published.set(sku, { quantity: o.availableQuantity, at: clock.now() })
      return o
    } catch (e) {
      if (e instanceof ClassifiedError && e.code === 'ebay.not_found') {
        offers.set(sku, null)
        return null
      }
      throw e
    }
  }

  const offerOf = async (sku: string) => (offers.has(sku) ? (offers.get(sku) ?? null) : fetchOffer(sku))

  return {
    published,
    offerOf,

    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const out: ListingState[] = []
      for (const sku of listingIds) {
        const o = await fetchOffer(sku)
        if (!o) continue
        out.push({ listingId: sku, quantity: o.availableQuantity ?? 0, available: o.status === 'PUBLISHED' })
      }
      return out
    },

    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const res = await client.json<{ inventoryItems?: InventoryItem[]; next?: string }>(
        ebayCall('GET', `${INVENTORY}/inventory_item`, {
          query: new URLSearchParams({ limit: String(EBAY_LIMITS.inventoryPageSize), offset: cursor ?? '0' }),
        }),
      )
      const items: ChannelListing[] = []
      for (const inv of res.inventoryItems ?? []) {
        const o = await offerOf(inv.sku)
        const externalIds: Record<string, string> = {}
        if (o?.offerId) externalIds.offerId = o.offerId
        if (o?.listing?.listingId) externalIds.listingId = o.listing.listingId
        items.push({
          listingId: inv.sku,
          sku: inv.sku,
          ean: inv.product?.ean?.[0] ?? null,
          externalIds,
          title: inv.product?.title ?? inv.sku,
          quantity: o?.availableQuantity ?? inv.availability?.shipToLocationAvailability?.quantity ?? null,
          paused: o?.status !== 'PUBLISHED',
        })
      }
      const next = res.next
        ? (new URL(res.next, 'http://x').searchParams.get('offset') ?? undefined)
        : undefined
      return { items, ...(next ? { next } : {}) }
    },
  }
}

export type EbayOffers = ReturnType<typeof ebayOffers>
