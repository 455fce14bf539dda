// A Shopify Admin GraphQL simulator: POST /admin/api/{version}/graphql.json with X-Shopify-Access-Token,
// the queries and mutations the adapter uses (shop, locations, productVariants, nodes, orders,
// inventorySetQuantities with @idempotent, productUpdate), cost-based throttling with
// extensions.cost.throttleStatus (a leaky bucket, THROTTLED errors at HTTP 200), userErrors, and faults.
import { SHOPIFY_LIMITS } from '../../../core/channels/shopify-limits'
import type { SimRequest } from '../../http/sim-server'
import {
  channelProbe,
  checkProbeOrder,
  LeakyBucket,
  simTime,
  startChannelServer,
  withServer,
  type StockWriteSink,
} from '../../kit'
import type { ShopifyContext } from './context'
import { executeQuery } from './execute'
import { admitQuery, type AdmittedQuery } from './gateway'
import { ShopifyState } from './state'
import type { ShopifySimulator, ShopifySimulatorOptions } from './types'

export async function startShopifySimulator(opts: ShopifySimulatorOptions = {}): Promise<ShopifySimulator> {
  const time = simTime(opts.clock)
  const standard = SHOPIFY_LIMITS.standardBucket
  const writes: StockWriteSink = { onStockWrite: null }
  const ctx: ShopifyContext = {
    time,
    state: new ShopifyState(time),
    shopName: opts.shopName ?? 'LastUnit Sim Shop',
    accessToken: opts.accessToken ?? 'shpat_sim_' + 'a1'.repeat(16),
    bucket: new LeakyBucket(
      opts.bucketSize ?? standard.maximumAvailable,
      opts.restoreRate ?? standard.restoreRate,
      time.clock,
    ),
    received: [],
    writes,
    throttled: 0,
  }
  const { state } = ctx

  /** Queries the front door let through, waiting for the backend. */
  const admitted = new WeakMap<SimRequest, AdmittedQuery>()
  const server = await startChannelServer(
    'Shopify',
    [
      {
        method: 'POST',
        pattern: '/admin/api/:version/graphql.json',
        admit: (req) => {
          const r = admitQuery(ctx, req)
          if ('status' in r) return r
          admitted.set(req, r)
          return undefined
        },
        handler: (req) => {
          const q = admitted.get(req) ?? admitQuery(ctx, req)
          return 'status' in q ? q : executeQuery(ctx, q)
        },
      },
    ],
    () => ({ status: 404, body: { errors: 'Not Found' } }),
    opts,
  )

  const sim: ShopifySimulator = withServer<ShopifySimulator>(server, {
    url: server.url,
    get accessToken() {
      return ctx.accessToken
    },
    locationId: state.mainLocation,
    received: ctx.received,
    setProducts: (list) => state.setProducts(list),
    available: (gid) => state.variantOf(gid)?.levels.get(state.mainLocation),
    productStatus(gid) {
      const v = state.variantOf(gid)
      return v ? state.products.get(v.productId)?.status : undefined
    },
    placeOrder: (lines) => state.placeOrder(lines),
    cancelOrder: (gid) => state.cancelOrder(gid),
    removeUnits: (gid, lineIndex, count) => state.removeUnits(gid, lineIndex, count),
    revokeToken() {
      ctx.accessToken = 'revoked-' + ctx.accessToken
    },
    drainBucket(points) {
      ctx.bucket.set(points)
    },
    // Buyers see the available quantity at the main location; a product that is not ACTIVE (DRAFT,
    // ARCHIVED) is not buyable. Admin API access tokens do not expire.
    probe: channelProbe(writes, {
      listingIndex: () =>
        [...state.variants.values()].map((v) => ({
          listingId: `gid://shopify/ProductVariant/${v.id}`,
          sku: v.sku || null,
          ean: v.barcode,
        })),
      listingState(listingId) {
        const v = state.variantOf(listingId)
        if (!v) return undefined
        const quantity = v.levels.get(state.mainLocation) ?? 0
        return { quantity, buyable: state.products.get(v.productId)?.status === 'ACTIVE' && quantity > 0 }
      },
      placeOrder(listingId, quantity) {
        const v = state.variantOf(listingId)
        checkProbeOrder(
          'Shopify',
          listingId,
          quantity,
          v ? (v.levels.get(state.mainLocation) ?? 0) : undefined,
        )
        return sim.placeOrder([{ variantId: listingId, quantity }])
      },
      expireTokens: () => false,
      limitHits: () => ctx.throttled,
    }),
  })
  return sim
}
