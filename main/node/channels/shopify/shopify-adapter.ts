// Shopify Admin GraphQL as a ChannelAdapter. A listing is a product variant; its stock lives on the
// variant's inventory item at one location, set with inventorySetQuantities (many per mutation, with an
// idempotency key so a retried batch is not applied twice). Pause sets the product to DRAFT, which
// hides every variant of that product: pause is meant for single-variant products or whole products.
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import { createHash } from 'node:crypto'
import { ClassifiedError } from '../../../core/errors'
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelListing,
  ChannelOrder,
  ConnectionTestResult,
  ListingState,
  Page,
  PushBatchResult,
  PushItem,
} from '../../../core/ports/channel-adapter'
import type { Clock } from '../../../core/ports/clock'
import { connectionFailure } from '../connection-test'
import { newestPerListing, quantityRefusal } from '../push-results'
import { ShopifyClient } from './shopify-client'
import {
  LOCATIONS_QUERY,
  ORDER_LINES_QUERY,
  ORDERS_QUERY,
  SET_QUANTITIES_MUTATION,
  SHOP_QUERY,
  SHOPIFY_ORDER_LINES,
  SHOPIFY_ORDERS_PAGE,
  SHOPIFY_VARIANTS_PAGE,
  VARIANT_NODES_QUERY,
  VARIANTS_QUERY,
  productStatusMutation,
} from './shopify-queries'

/** Shopify stores live on their own domains: the base URL is per shop. */
export const SHOPIFY_BASE_URLS = {
  production: 'https://{shop}.myshopify.com',
} as const
export const SHOPIFY_API_VERSION = '2026-04'
/** Quantities per inventorySetQuantities call (our cap; Shopify documents none, 250 is its usual list cap). */
export const SHOPIFY_SET_MAX = 250

export interface ShopifyConfig {
  /** https://{shop}.myshopify.com, or a simulator URL. */
  baseUrl: string
  apiVersion?: string
  /** gid://shopify/Location/…; the first active location when absent. */
  locationId?: string
  /** The inventory reason Shopify records with each change. */
  reason?: 'correction' | 'cycle_count_available' | 'other'
  credentials: { accessToken: string }
}

export interface ShopifyAdapterOptions {
  timeoutMs: number
  clock: Clock
  /** Longest wait for the cost bucket taken inline (ms); longer waits are returned as retryable. */
  maxInlineWaitMs?: number
  /** Keeps the cost bucket across restarts. */
  rateMemory?: BucketMemory
}

interface VariantNode {
  id: string
  sku: string | null
  barcode: string | null
  title: string
  product: { id: string; title: string; status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED' | 'UNLISTED' }
  inventoryItem: { id: string; inventoryLevel: { quantities: { name: string; quantity: number }[] } | null }
}

interface OrderNode {
  id: string
  name: string
  createdAt: string
  updatedAt: string
  cancelledAt: string | null
  displayFulfillmentStatus: string
  currencyCode: string
  lineItems: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null }
    nodes: {
      id: string
      sku: string | null
      quantity: number
      currentQuantity: number
      variant: { id: string; barcode: string | null } | null
      originalUnitPriceSet: { shopMoney: { amount: string } }
    }[]
  }
}

const configError = (field: string, problem: string) =>
  new ClassifiedError('needs_seller', 'shopify.config', `Shopify connection settings: ${field} ${problem}`, {
    hint: 'Correct the Shopify connection in Connections.',
  })

const VARIANT_GID = /^gid:\/\/shopify\/ProductVariant\/\d+$/

export function createShopifyAdapter(config: ShopifyConfig, opts: ShopifyAdapterOptions): ChannelAdapter {
  let base: URL
  try {
    base = new URL(config.baseUrl)
  } catch {
    throw configError('baseUrl', `is not a URL ("${config.baseUrl}")`)
  }
  const local = base.hostname === '127.0.0.1' || base.hostname === 'localhost'
  if (base.protocol !== 'https:' && !local) throw configError('baseUrl', 'must use https://')
  const apiVersion = config.apiVersion ?? SHOPIFY_API_VERSION
  if (!/^\d{4}-(01|04|07|10)$/.test(apiVersion))
    throw configError('apiVersion', `must look like 2026-04 (got "${apiVersion}")`)
  if (config.locationId !== undefined && !/^gid:\/\/shopify\/Location\/\d+$/.test(config.locationId))
    throw configError(
      'locationId',
      `must be a Location GID like gid://shopify/Location/123 (got "${config.locationId}")`,
    )
  if (!config.credentials.accessToken) throw configError('credentials.accessToken', 'is missing')

  const client = new ShopifyClient({
    endpoint: `${base.origin}/admin/api/${apiVersion}/graphql.json`,
    accessToken: config.credentials.accessToken,
    timeoutMs: opts.timeoutMs,
    clock: opts.clock,
    ...(opts.maxInlineWaitMs === undefined ? {} : { maxInlineWaitMs: opts.maxInlineWaitMs }),
    ...(opts.rateMemory ? { rateMemory: opts.rateMemory } : {}),
  })
  const reason = config.reason ?? 'correction'
  let locationId = config.locationId
  const variants = new Map<string, { inventoryItemId: string; productId: string }>()

  const capabilities: ChannelCapabilities = {
    bulkBatchSize: SHOPIFY_SET_MAX,
    // Standard plans restore 100 points a second; a quantities mutation costs 10 and a page of reads ~100-800.
    rateLimits: [
      { scope: 'push', ratePerSecond: 5, burst: 20 },
      { scope: 'orders', ratePerSecond: 0.5, burst: 2 },
      { scope: 'read', ratePerSecond: 0.5, burst: 2 },
    ],
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: false,
    readBack: true,
    orderPollIntervalMs: 60_000,
  }

  const location = async (): Promise<string> => {
    if (locationId) return locationId
    const data = await client.graphql<{
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

  const available = (v: VariantNode) =>
    v.inventoryItem.inventoryLevel?.quantities.find((q) => q.name === 'available')?.quantity ?? null

  const readVariants = async (ids: string[]): Promise<Map<string, VariantNode>> => {
    const loc = await location()
    const out = new Map<string, VariantNode>()
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100)
      const data = await client.graphql<{ nodes: (VariantNode | null)[] }>(
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

  const idempotencyKey = (loc: string, items: PushItem[]) =>
    'lastunit-' +
    createHash('sha256')
      .update(loc + JSON.stringify(items.map((i) => [i.listingId, i.quantity, i.stamp])))
      .digest('hex')
      .slice(0, 40)

  const setProductStatus = async (
    productIds: string[],
    status: 'ACTIVE' | 'DRAFT',
  ): Promise<Map<string, string>> => {
    const failed = new Map<string, string>()
    for (let i = 0; i < productIds.length; i += 20) {
      const chunk = productIds.slice(i, i + 20)
      const vars = Object.fromEntries(chunk.map((id, j) => [`p${j}`, { id, status }]))
      const data = await client.graphql<
        Record<
          string,
          { product: { id: string } | null; userErrors: { field: string[] | null; message: string }[] }
        >
      >(
        productStatusMutation(chunk.length),
        vars,
        `${status === 'DRAFT' ? 'pausing' : 'resuming'} ${chunk.length} products`,
        10 * chunk.length,
      )
      chunk.forEach((id, j) => {
        const r = data[`p${j}`]
        if (!r || r.userErrors.length > 0)
          failed.set(id, r?.userErrors.map((e) => e.message).join('; ') || 'no answer')
      })
    }
    return failed
  }

  return {
    type: 'shopify',
    capabilities,

    async testConnection(): Promise<ConnectionTestResult> {
      try {
        const shop = await client.graphql<{ shop: { name: string; myshopifyDomain: string } }>(
          SHOP_QUERY,
          {},
          'reading the shop',
          1,
        )
        const loc = await location()
        return {
          ok: true,
          message: `Connected to Shopify shop "${shop.shop.name}"; stock is set at ${loc}.`,
          details: { shop: shop.shop.myshopifyDomain, locationId: loc, apiVersion },
        }
      } catch (e) {
        return connectionFailure(e)
      }
    },

    async push(items: PushItem[]): Promise<PushBatchResult> {
      if (items.length > SHOPIFY_SET_MAX)
        throw new ClassifiedError(
          'permanent',
          'shopify.batch_too_large',
          `Shopify push takes at most ${SHOPIFY_SET_MAX} variants (got ${items.length})`,
        )
      const batch = newestPerListing(items, 'variant', (item) =>
        !VARIANT_GID.test(item.listingId)
          ? {
              code: 'shopify.bad_listing',
              message: `Shopify listing "${item.listingId}" is not a variant id (gid://shopify/ProductVariant/…)`,
            }
          : quantityRefusal(item, 'shopify.bad_quantity', item.listingId),
      )
      const results = batch.results
      let send = batch.send
      if (send.length === 0) return { results, calls: 0 }
      let calls = 0
      const loc = await location()
      const unknown = send.filter((i) => !variants.has(i.listingId)).map((i) => i.listingId)
      if (unknown.length > 0) {
        await readVariants(unknown)
        calls += Math.ceil(unknown.length / 100)
      }
      send = send.filter((i) => {
        if (variants.has(i.listingId)) return true
        results.push({
          listingId: i.listingId,
          stamp: i.stamp,
          outcome: 'rejected',
          code: 'shopify.unknown_variant',
          message: `Shopify has no variant ${i.listingId} (deleted?)`,
        })
        return false
      })
      const statusFailures = new Map<string, string>()
      for (const [action, status] of [
        ['pause', 'DRAFT'],
        ['resume', 'ACTIVE'],
      ] as const) {
        const products = [
          ...new Set(
            send
              .filter((i) => i.action === action)
              .map((i) => variants.get(i.listingId)?.productId as string),
          ),
        ]
        if (products.length === 0) continue
        calls += Math.ceil(products.length / 20)
        const failed = await setProductStatus(products, status)
        failed.forEach((v, k) => statusFailures.set(k, v))
      }
      if (send.length > 0) {
        // The same batch retried must be byte-identical input under the same key, or Shopify refuses it.
        const key = idempotencyKey(loc, send)
        const input = {
          name: 'available',
          reason,
          referenceDocumentUri: `gid://lastunit/StockPush/${key}`,
          // Odoo is the source of truth: an explicit null opts out of compare-and-swap.
          quantities: send.map((i) => ({
            inventoryItemId: variants.get(i.listingId)?.inventoryItemId,
            locationId: loc,
            quantity: i.quantity,
            changeFromQuantity: null,
          })),
        }
        calls++
        const data = await client.graphql<{
          inventorySetQuantities: {
            inventoryAdjustmentGroup: { id: string } | null
            userErrors: { code: string | null; field: string[] | null; message: string }[]
          }
        }>(SET_QUANTITIES_MUTATION, { input, key }, `setting ${send.length} quantities`, 10)
        const errs = data.inventorySetQuantities.userErrors
        const byIndex = new Map<number, string>()
        const general: string[] = []
        for (const e of errs) {
          const idx = e.field?.[0] === 'input' && e.field[1] === 'quantities' ? Number(e.field[2]) : NaN
          if (Number.isInteger(idx)) byIndex.set(idx, `${e.code ?? 'ERROR'}: ${e.message}`)
          else general.push(`${e.code ?? 'ERROR'}: ${e.message}`)
        }
        send.forEach((item, idx) => {
          const base = { listingId: item.listingId, stamp: item.stamp }
          const own = byIndex.get(idx)
          const statusProblem =
            item.action !== 'set'
              ? statusFailures.get(variants.get(item.listingId)?.productId ?? '')
              : undefined
          if (own)
            results.push({
              ...base,
              outcome: 'rejected',
              code: own.split(':')[0] ?? 'shopify.user_error',
              message: `Shopify refused ${item.listingId}: ${own}`,
            })
          // The mutation is all or nothing: when any quantity is refused, none was applied.
          else if (errs.length > 0)
            results.push({
              ...base,
              outcome: 'retry',
              code: 'shopify.batch_refused',
              transient: true,
              message: `Not applied because another quantity in the batch was refused${general.length ? ': ' + general.join('; ') : ''}`,
            })
          else if (statusProblem)
            results.push({
              ...base,
              outcome: 'retry',
              code: 'shopify.product_status',
              message: `Quantity set, but Shopify did not ${item.action} the product: ${statusProblem}`,
            })
          else results.push({ ...base, outcome: 'confirmed' })
        })
      }
      const remaining = client.available()
      return {
        results,
        calls,
        ...(remaining === undefined ? {} : { rateLimit: { remaining: Math.floor(remaining) } }),
      }
    },

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
      const data = await client.graphql<{
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

    async fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
      if (Number.isNaN(Date.parse(sinceIso)))
        throw new ClassifiedError(
          'permanent',
          'shopify.bad_since',
          `fetchOrders: "${sinceIso}" is not an ISO timestamp`,
        )
      const data = await client.graphql<{
        orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: OrderNode[] }
      }>(
        ORDERS_QUERY,
        {
          first: SHOPIFY_ORDERS_PAGE,
          after: cursor ?? null,
          query: `updated_at:>'${new Date(sinceIso).toISOString()}'`,
          lineItemsFirst: SHOPIFY_ORDER_LINES,
        },
        `fetching orders updated after ${sinceIso}`,
        2 + SHOPIFY_ORDERS_PAGE * (2 + SHOPIFY_ORDER_LINES),
      )
      // Orders with more lines than one page holds are completed line page by line page.
      for (const o of data.orders.nodes) {
        let page = o.lineItems.pageInfo
        while (page.hasNextPage && page.endCursor) {
          const more = await client.graphql<{ order: { lineItems: OrderNode['lineItems'] } | null }>(
            ORDER_LINES_QUERY,
            { id: o.id, lineItemsFirst: SHOPIFY_ORDER_LINES, after: page.endCursor },
            `reading more lines of order ${o.name}`,
            2 + SHOPIFY_ORDER_LINES,
          )
          if (!more.order) break
          o.lineItems.nodes.push(...more.order.lineItems.nodes)
          page = more.order.lineItems.pageInfo
        }
      }
      const items = data.orders.nodes.map((o): ChannelOrder => {
        const lines = o.lineItems.nodes.map((l) => ({
          lineId: l.id,
          listingId: l.variant?.id ?? null,
          sku: l.sku || null,
          ean: l.variant?.barcode || null,
          externalIds: { lineItemId: l.id, ...(l.variant ? { variantId: l.variant.id } : {}) },
          quantity: l.quantity,
          // currentQuantity drops when units are removed by cancellation, refund or order edit.
          cancelledQuantity: o.cancelledAt ? l.quantity : Math.max(0, l.quantity - l.currentQuantity),
          unitPrice: Number(l.originalUnitPriceSet.shopMoney.amount),
        }))
        const cancelled = lines.reduce((s, l) => s + l.cancelledQuantity, 0)
        const status = o.cancelledAt
          ? 'cancelled'
          : cancelled > 0
            ? 'partially_cancelled'
            : o.displayFulfillmentStatus === 'FULFILLED'
              ? 'shipped'
              : 'open'
        return {
          orderId: o.id,
          status,
          createdAt: o.createdAt,
          updatedAt: o.updatedAt,
          currency: o.currencyCode,
          lines,
        }
      })
      const { hasNextPage, endCursor } = data.orders.pageInfo
      return { items, ...(hasNextPage && endCursor ? { next: endCursor } : {}) }
    },
  }
}
