// Reading Shopify: the stock location (configured, or the first active one), product variants for mapping
// (cursor pages) and by id (read-back, and the inventory item and product a push needs), remembered.
import { SHOPIFY_LIMITS } from '../../../core/channels/shopify-limits'
import { ClassifiedError } from '../../../core/errors'
import type { ChannelListing, ListingState, Page } from '../../../core/ports/channel-adapter'
import type { ShopifyClient } from './shopify-client'
import {
  LOCATIONS_QUERY,
  SHOPIFY_VARIANTS_PAGE,
  VARIANT_NODES_QUERY,
  VARIANTS_QUERY,
} from './shopify-queries'

interface VariantNode {
  id: string
  sku: string | null
  barcode: string | null
  title: string
  product: { id: string; title: string; status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED' | 'UNLISTED' }
  inventoryItem: { id: string; inventoryLevel: { quantities: { name: string; quantity: number }[] } | null }
}

export const VARIANT_GID = /^gid:\/\/shopify\/ProductVariant\/\d+$/

const available = (v: VariantNode) =>
  v.inventoryItem.inventoryLevel?.quantities.find((q) => q.name === 'available')?.quantity ?? null

export function shopifyListings(shopify: ShopifyClient, configuredLocation: string | undefined) {
  let locationId = configuredLocation
  /** Each variant's inventory item and product, as read. */
  const variants = new Map<string, { inventoryItemId: string; productId: string }>()

  const location = async (): Promise<string> => {
    if (locationId) return locationId
    const data = await shopify.graphql<{
      locations: { nodes: { id: string; name: string; isActive: boolean }[] }
    }>(LOCATIONS_QUERY, { first: 20 }, 'finding the stock location', 22)
    const active = data.locations.nodes.find((l) => l.isActive)
    if (!active)
      throw new ClassifiedError(
        'needs_seller',
        'shopify.no_location',
        'Shopify: the shop has no active location to hold stock',
        { hint: 'Activate a location in Shopify (Settings > Locations) or choose one in the connection.' },
      )
    locationId = active.id
    return active.id
  }

  const readVariants = async (ids: string[]): Promise<Map<string, VariantNode>> => {
    const loc = await location()
    const out = new Map<string, VariantNode>()
    for (let i = 0; i < ids.length; i += SHOPIFY_LIMITS.nodesPerRead) {
      const chunk = ids.slice(i, i + SHOPIFY_LIMITS.nodesPerRead)
      const data = await shopify.graphql<{ nodes: (VariantNode | null)[] }>(
        VARIANT_NODES_QUERY,
        { ids: chunk, locationId: loc },
        `reading ${chunk.length} variants`,
        1 + chunk.length * 3,
      )
      for (const n of data.nodes) {
        if (!n?.inventoryItem) continue
        out.set(n.id, n)
        variants.set(n.id, { inventoryItemId: n.inventoryItem.id, productId: n.product.id })
      }
    }
    return out
  }

  return {
    location,
    variants,
    readVariants,

    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const ids = listingIds.filter((id) => VARIANT_GID.test(id))
      const nodes = await readVariants(ids)
      return ids.flatMap((id) => {
        const n = nodes.get(id)
        return n
          ? [{ listingId: id, quantity: available(n) ?? 0, available: n.product.status === 'ACTIVE' }]
          : []
      })
    },

    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const loc = await location()
      const data = await shopify.graphql<{
        productVariants: {
          pageInfo: { hasNextPage: boolean; endCursor: string | null }
          nodes: VariantNode[]
        }
      }>(
        VARIANTS_QUERY,
        { first: SHOPIFY_VARIANTS_PAGE, after: cursor ?? null, locationId: loc },
        'listing variants',
        2 + SHOPIFY_VARIANTS_PAGE * 3,
      )
      const items = data.productVariants.nodes.map((v): ChannelListing => {
        variants.set(v.id, { inventoryItemId: v.inventoryItem.id, productId: v.product.id })
        return {
          listingId: v.id,
          sku: v.sku || null,
          ean: v.barcode || null,
          externalIds: { variantId: v.id, productId: v.product.id, inventoryItemId: v.inventoryItem.id },
          title: v.title && v.title !== 'Default Title' ? `${v.product.title} - ${v.title}` : v.product.title,
          quantity: available(v),
          paused: v.product.status !== 'ACTIVE',
        }
      })
      const { hasNextPage, endCursor } = data.productVariants.pageInfo
      return { items, ...(hasNextPage && endCursor ? { next: endCursor } : {}) }
    },
  }
}

export type ShopifyListings = ReturnType<typeof shopifyListings>
