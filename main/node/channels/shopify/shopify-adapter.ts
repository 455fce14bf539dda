// Shopify Admin GraphQL as a ChannelAdapter, assembled from its parts: variants and the location
// (shopify-listings), the quantities push (shopify-push), product status for pause and resume
// (shopify-pause), and orders (shopify-orders), all through one channel client paced by Shopify's cost
// bucket (shopify-client). A listing is a product variant; its stock lives on its inventory item at one
// location.
import { shopifyCapabilities } from '../../../core/channels/channel-capabilities'
import type { ChannelAdapter, ConnectionTestResult } from '../../../core/ports/channel-adapter'
import { resolveAdapterOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import type { ChannelClient } from '../kit/channel-client'
import { connectionFailure } from '../kit/connection-test'
import { ShopifyClient } from './shopify-client'
import { SHOPIFY_API_VERSION, shopifyEndpoint, type ShopifyConfig } from './shopify-config'
import { shopifyListings } from './shopify-listings'
import { shopifyOrders } from './shopify-orders'
import { shopifyProductStatus } from './shopify-pause'
import { shopifyPush } from './shopify-push'
import { SHOP_QUERY } from './shopify-queries'
import { guardAdapter } from '../kit/value-checks'

export { SHOPIFY_API_VERSION, SHOPIFY_BASE_URLS, SHOPIFY_SET_MAX, type ShopifyConfig } from './shopify-config'

/** Shopify's cost bucket restores points in real seconds, whatever the simulator's clock: no rateScale. */
export type ShopifyAdapterOptions = Omit<ChannelAdapterOptions, 'rateScale'>

export function createShopifyAdapter(
  config: ShopifyConfig,
  opts: ShopifyAdapterOptions = {},
): ChannelAdapter & { readonly client: ChannelClient } {
  const endpoint = shopifyEndpoint(config)
  const o = resolveAdapterOptions(opts)
  const shopify = new ShopifyClient(
    {
      endpoint,
      accessToken: config.credentials.accessToken,
      timeoutMs: o.timeoutMs,
      clock: o.clock,
      ...(o.rateMemory ? { rateMemory: o.rateMemory } : {}),
    },
    opts,
  )
  const listings = shopifyListings(shopify, config.locationId)

  return guardAdapter(
    { service: 'Shopify', prefix: 'shopify', negativeStock: true },
    {
      type: 'shopify',
      capabilities: shopifyCapabilities(),
      client: shopify.client,

      async testConnection(): Promise<ConnectionTestResult> {
        try {
          const shop = await shopify.graphql<{ shop: { name: string; myshopifyDomain: string } }>(
            SHOP_QUERY,
            {},
            'reading the shop',
            1,
          )
          const loc = await listings.location()
          return {
            ok: true,
            message: `Connected to Shopify shop "${shop.shop.name}"; stock is set at ${loc}.`,
            details: {
              shop: shop.shop.myshopifyDomain,
              locationId: loc,
              apiVersion: config.apiVersion ?? SHOPIFY_API_VERSION,
            },
          }
        } catch (e) {
          return connectionFailure(e)
        }
      },

      push: shopifyPush(shopify, listings, shopifyProductStatus(shopify), config.reason ?? 'correction'),
      readBack: listings.readBack,
      listListings: listings.listListings,
      fetchOrders: shopifyOrders(shopify),
    },
  )
}
