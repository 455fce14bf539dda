// Reading Amazon listings: pages of the seller's listings for mapping, and the live quantity of given SKUs
// (read-back, and the confirmation of accepted patches) through searchListingsItems.
import { ClassifiedError } from '../../../core/errors'
import { AMAZON_LIMITS } from '../../../core/channels/amazon-limits'
import type { ChannelListing, ListingState, Page } from '../../../core/ports/channel-adapter'
import { amazonCall } from './amazon-client'
import type { AmazonContext } from './amazon-context'

export interface ListingsItem {
  sku: string
  summaries?: {
    marketplaceId?: string
    asin?: string
    itemName?: string
    status?: string[]
    productType?: string
  }[]
  fulfillmentAvailability?: { fulfillmentChannelCode: string; quantity?: number }[]
  issues?: { code?: string; message?: string; severity?: string }[]
}

const PAGE = AMAZON_LIMITS.searchPageSize

/** Whether Amazon alone fulfils the listing: it shows availability, but none for the seller's own code. */
export const fulfilledByAmazonOnly = (it: ListingsItem, sellerCode: string): boolean =>
  (it.fulfillmentAvailability?.length ?? 0) > 0 &&
  !it.fulfillmentAvailability!.some((f) => f.fulfillmentChannelCode === sellerCode)

export function amazonListings(ctx: AmazonContext) {
  const { client, sellerPath, marketplaces } = ctx

  const quantityOf = (item: ListingsItem): number | null => {
    const fa = item.fulfillmentAvailability?.find((f) => f.fulfillmentChannelCode === ctx.channelCode)
    return fa?.quantity ?? null
  }

  /** The listings of these SKUs, by SKU (those Amazon does not know are absent). */
  const searchBySkus = async (skus: string[]): Promise<Map<string, ListingsItem>> => {
    const found = new Map<string, ListingsItem>()
    for (let i = 0; i < skus.length; i += PAGE) {
      const chunk = skus.slice(i, i + PAGE)
      const res = await client.json<{ items: ListingsItem[] }>(
        amazonCall('searchListingsItems', 'GET', sellerPath, {
          query: new URLSearchParams({
            marketplaceIds: marketplaces,
            identifiers: chunk.join(','),
            identifiersType: 'SKU',
            includedData: 'summaries,fulfillmentAvailability,issues',
            pageSize: String(PAGE),
          }),
        }),
      )
      if (!Array.isArray(res?.items))
        throw new ClassifiedError(
          'retryable',
          'amazon.malformed',
          'Amazon answered a listings search without its items list',
        )
      for (const it of res.items) found.set(it.sku, it)
    }
    return found
  }

  const toListing = (it: ListingsItem): ChannelListing => {
    const summary = it.summaries?.[0]
    return {
      listingId: it.sku,
      sku: it.sku,
      ean: null,
      externalIds: summary?.asin ? { asin: summary.asin } : {},
      title: summary?.itemName ?? it.sku,
      quantity: quantityOf(it),
      paused: false,
    }
  }

  return {
    quantityOf,
    searchBySkus,

    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const live = await searchBySkus(listingIds)
      return listingIds.flatMap((sku) => {
        const it = live.get(sku)
        if (!it) return []
        return [
          {
            listingId: sku,
            quantity: quantityOf(it) ?? 0,
            available: it.summaries?.some((s) => s.status?.includes('BUYABLE')) ?? false,
          },
        ]
      })
    },

    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const query = new URLSearchParams({
        marketplaceIds: marketplaces,
        includedData: 'summaries,fulfillmentAvailability',
        pageSize: String(PAGE),
      })
      if (cursor) query.set('pageToken', cursor)
      const res = await client.json<{ items: ListingsItem[]; pagination?: { nextToken?: string } }>(
        amazonCall('searchListingsItems', 'GET', sellerPath, { query }),
      )
      const next = res.pagination?.nextToken
      // A listing Amazon fulfils (FBA: only AMAZON_* channel codes, none of the seller's) is not the
      // seller's stock to publish: it is never offered for mapping, so nothing is ever pushed to it.
      const own = res.items.filter((it) => !fulfilledByAmazonOnly(it, ctx.channelCode))
      return { items: own.map(toListing), ...(next ? { next } : {}) }
    },
  }
}

export type AmazonListings = ReturnType<typeof amazonListings>
