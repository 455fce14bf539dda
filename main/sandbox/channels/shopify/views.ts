// How the Admin GraphQL API answers: GraphQL errors with an extensions code, connections with pageInfo and
// opaque cursors, variants with their inventory level at a location, order line items, and the bucket's
// throttleStatus.
import { decodeOffset, encodeOffset } from '../../kit'
import type { ShopifyContext } from './context'
import type { SimOrder, SimVariant } from './state'

export const iso = (ms: number) => new Date(ms).toISOString()

export const gqlError = (message: string, code: string, extra: Record<string, unknown> = {}) => ({
  message,
  extensions: { code, ...extra },
})

const cursorOf = (n: number) => encodeOffset(n, 'cursor:')
/** Where a page after cursor `c` starts (0 without one). */
export const cursorIndex = (c: unknown): number =>
  typeof c === 'string' ? decodeOffset(c, 'cursor:') + 1 : 0

/** One page of a GraphQL connection: `first` items of `all` from `start`, with its pageInfo. */
export const connectionPage = <T>(all: T[], start: number, first: number) => {
  const page = all.slice(start, start + first)
  return {
    page,
    pageInfo: {
      hasNextPage: start + first < all.length,
      endCursor: page.length > 0 ? cursorOf(start + page.length - 1) : null,
    },
  }
}

export const throttleStatus = (ctx: ShopifyContext) => ({
  maximumAvailable: ctx.bucket.max,
  currentlyAvailable: Math.floor(ctx.bucket.available()),
  restoreRate: ctx.bucket.restore,
})

export const variantJson = (ctx: ShopifyContext, v: SimVariant, locationId: string | undefined) => {
  const p = ctx.state.products.get(v.productId)
  const level = locationId === undefined ? undefined : v.levels.get(locationId)
  return {
    __typename: 'ProductVariant',
    id: `gid://shopify/ProductVariant/${v.id}`,
    sku: v.sku,
    barcode: v.barcode,
    title: v.title,
    product: {
      id: `gid://shopify/Product/${v.productId}`,
      title: p?.title ?? '',
      status: p?.status ?? 'ACTIVE',
    },
    inventoryItem: {
      id: `gid://shopify/InventoryItem/${v.inventoryItemId}`,
      inventoryLevel: level === undefined ? null : { quantities: [{ name: 'available', quantity: level }] },
    },
  }
}

/** An order's line items, paged as the query's `lineItems(first:, after:)` asks. */
export const lineItemsJson = (ctx: ShopifyContext, o: SimOrder, lineStart: number, lineFirst: number) => {
  const { page: slice, pageInfo } = connectionPage(o.lines, lineStart, lineFirst)
  return {
    pageInfo,
    nodes: slice.map((l) => ({
      id: `gid://shopify/LineItem/${l.id}`,
      sku: l.sku,
      quantity: l.quantity,
      currentQuantity: l.current,
      variant: {
        id: `gid://shopify/ProductVariant/${l.variantId}`,
        barcode: ctx.state.variants.get(l.variantId)?.barcode ?? null,
      },
      originalUnitPriceSet: { shopMoney: { amount: l.price, currencyCode: 'EUR' } },
    })),
  }
}
