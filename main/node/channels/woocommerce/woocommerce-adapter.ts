// WooCommerce REST v3 as a ChannelAdapter, assembled from its parts: products and variations
// (woocommerce-listings), the batch push with pause and resume, confirmed by the batch answer
// (woocommerce-push), and orders (woocommerce-orders), all through one channel client (woocommerce-client).
import { wooCommerceCapabilities } from '../../../core/channels/channel-capabilities'
import { WOOCOMMERCE_LIMITS } from '../../../core/channels/woocommerce-limits'
import type { ChannelAdapter, ConnectionTestResult } from '../../../core/ports/channel-adapter'
import { resolveAdapterOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import type { ChannelClient } from '../kit/channel-client'
import { connectionFailure } from '../kit/connection-test'
import { WooClient } from './woocommerce-client'
import { wooSiteRoot, type WooCommerceConfig } from './woocommerce-config'
import { wooListings } from './woocommerce-listings'
import { wooOrders } from './woocommerce-orders'
import { wooPush } from './woocommerce-push'
import { guardAdapter } from '../kit/value-checks'

export { WOOCOMMERCE_BASE_URLS, type WooCommerceConfig } from './woocommerce-config'
export const WOO_BATCH_MAX = WOOCOMMERCE_LIMITS.batchMax

/** Woo has no limits of its own to scale: rateScale does not apply. */
/** WooCommerce publishes no limits to scale; `rateMemory` keeps a host's 429 hold across restarts. */
export type WooCommerceAdapterOptions = Omit<ChannelAdapterOptions, 'rateScale'>

export function createWooCommerceAdapter(
  config: WooCommerceConfig,
  opts: WooCommerceAdapterOptions = {},
): ChannelAdapter & { readonly client: ChannelClient } {
  const base = wooSiteRoot(config)
  const o = resolveAdapterOptions(opts)
  const woo = new WooClient(
    {
      baseUrl: base.origin + base.pathname.replace(/\/+$/, ''),
      consumerKey: config.credentials.consumerKey,
      consumerSecret: config.credentials.consumerSecret,
      authMode: config.authMode ?? 'basic',
      timeoutMs: o.timeoutMs,
      clock: o.clock,
    },
    opts,
  )
  const listings = wooListings(woo)

  return guardAdapter(
    { service: 'WooCommerce', prefix: 'woocommerce', negativeStock: true },
    {
      type: 'woocommerce',
      capabilities: wooCommerceCapabilities(),
      client: woo.client,

      async testConnection(): Promise<ConnectionTestResult> {
        try {
          const { res } = await woo.json<unknown[]>({
            method: 'GET',
            path: '/products',
            query: { per_page: '1' },
            what: 'listing products',
          })
          const total = res.headers.get('x-wp-total') ?? '?'
          await woo.json<unknown[]>({
            method: 'GET',
            path: '/orders',
            query: { per_page: '1' },
            what: 'listing orders',
          })
          return {
            ok: true,
            message: `Connected to WooCommerce at ${base.host}: ${total} products; products and orders are readable.`,
            details: { products: total },
          }
        } catch (e) {
          return connectionFailure(e)
        }
      },

      push: wooPush(woo),
      readBack: listings.readBack,
      listListings: listings.listListings,
      fetchOrders: wooOrders(woo),
    },
  )
}
