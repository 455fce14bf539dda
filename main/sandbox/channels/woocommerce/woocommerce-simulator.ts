// A WooCommerce REST v3 simulator: consumer key/secret by Basic auth or query string, products and
// variations with manage_stock/stock_quantity/stock_status, batch updates of at most 100 objects,
// X-WP-Total/X-WP-TotalPages paging, orders filtered by modified_after (site-local time unless
// dates_are_gmt=true, as Woo does), WordPress error bodies, a host limit answering 429, and the known
// bug where a variation write is answered with the new value but not stored.
import { TokenBucket } from '../../../core/rate-limit/token-bucket'
import {
  channelProbe,
  checkProbeOrder,
  createSchemaValidator,
  simTime,
  startChannelServer,
  withServer,
  type StockWriteSink,
} from '../../kit'
import { hostLimit } from './auth'
import type { WooContext } from './context'
import { orderRoutes } from './routes-orders'
import { productRoutes } from './routes-products'
import { listingIdOf, probeQuantity, stockStatus, WooState } from './state'
import type { WooSimulator, WooSimulatorOptions } from './types'
import { WOO_REQUEST_SCHEMAS } from './woocommerce-schemas'
import { wpError } from './views'

export async function startWooCommerceSimulator(opts: WooSimulatorOptions = {}): Promise<WooSimulator> {
  const time = simTime(opts.clock, opts.timeScale ?? 1)
  const writes: StockWriteSink = { onStockWrite: null }
  const rate = opts.hostRatePerSecond
  const ctx: WooContext = {
    time,
    state: new WooState(time),
    consumerKey: opts.consumerKey ?? 'ck_' + '0123456789abcdef0123456789abcdef01234567',
    consumerSecret: opts.consumerSecret ?? 'cs_' + 'fedcba9876543210fedcba9876543210fedcba98',
    revoked: false,
    stripAuthorizationHeader: opts.stripAuthorizationHeader ?? false,
    offsetMs: (opts.siteUtcOffsetHours ?? 1) * 3_600_000,
    // The host's limit on the simulator's clock: `timeScale` times faster, with the burst it was given.
    host: rate ? new TokenBucket(rate * time.scale, opts.hostBurst ?? rate, time.clock) : undefined,
    validator: createSchemaValidator(WOO_REQUEST_SCHEMAS),
    received: [],
    writes,
    limited: 0,
    url: '',
  }
  const { state } = ctx

  const server = await startChannelServer(
    'WooCommerce',
    [...productRoutes(ctx), ...orderRoutes(ctx)].map((r) => ({ ...r, admit: () => hostLimit(ctx) })),
    () => wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.'),
    opts,
  )
  ctx.url = server.url

  /** A listing by the adapter's id, undefined for a variable product (its variations are the listings). */
  const listing = (listingId: string) => {
    const i = state.byListing(listingId)
    return i && i.type !== 'variable' && listingIdOf(i) === listingId ? i : undefined
  }

  const sim: WooSimulator = withServer<WooSimulator>(server, {
    url: server.url,
    consumerKey: ctx.consumerKey,
    consumerSecret: ctx.consumerSecret,
    received: ctx.received,
    setProducts(list) {
      state.items.clear()
      return state.addProducts(list)
    },
    addProducts: (list) => state.addProducts(list),
    stock(id) {
      const i = state.byListing(id)
      return i
        ? {
            manage_stock: i.manage_stock,
            stock_quantity: i.stock_quantity,
            status: i.status,
            stock_status: stockStatus(i),
          }
        : undefined
    },
    ignoreWrites(ids) {
      for (const id of ids) {
        const i = state.byListing(id)
        if (i) state.ignored.add(i.id)
      }
    },
    placeOrder: (lines) => state.placeOrder(lines),
    setOrderStatus: (id, status) => state.setOrderStatus(id, status),
    refundUnits: (id, lineIndex, count) => state.refundUnits(id, lineIndex, count),
    revokeKeys() {
      ctx.revoked = true
    },
    // Buyers see the managed stock quantity (0 when stock is not managed); buyable when published (a
    // variation: its parent too) and in stock. Consumer keys do not expire.
    probe: channelProbe(writes, {
      listingIndex: () =>
        [...state.items.values()]
          .filter((i) => i.type !== 'variable')
          .map((i) => ({ listingId: listingIdOf(i), sku: i.sku || null, ean: i.gtin || null })),
      listingState(listingId) {
        const i = listing(listingId)
        if (!i) return undefined
        return { quantity: probeQuantity(i), buyable: state.published(i) && stockStatus(i) === 'instock' }
      },
      placeOrder(listingId, quantity) {
        const i = listing(listingId)
        // Stock that is not managed has no limit.
        const stock = !i ? undefined : i.manage_stock ? probeQuantity(i) : Number.MAX_SAFE_INTEGER
        checkProbeOrder('WooCommerce', listingId, quantity, stock)
        return String(sim.placeOrder([{ listingId, quantity }]))
      },
      expireTokens: () => false,
      limitHits: () => ctx.limited,
    }),
  })
  return sim
}
