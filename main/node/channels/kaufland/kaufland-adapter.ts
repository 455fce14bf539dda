// Kaufland Seller API v2 as a ChannelAdapter, assembled from its parts: units (kaufland-listings), the
// stock push with pause and resume (kaufland-push), and order units (kaufland-orders), all calling Kaufland
// through one signed channel client (kaufland-client). A listing is one unit on one storefront.
import { kauflandCapabilities } from '../../../core/channels/channel-capabilities'
import { KAUFLAND_LIMITS } from '../../../core/channels/kaufland-limits'
import type { ChannelAdapter, ConnectionTestResult } from '../../../core/ports/channel-adapter'
import { resolveAdapterOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import type { ChannelClient } from '../kit/channel-client'
import { connectionFailure } from '../kit/connection-test'
import { KauflandClient } from './kaufland-client'
import { checkKauflandConfig, type KauflandConfig } from './kaufland-config'
import { kauflandListings } from './kaufland-listings'
import { kauflandOrders } from './kaufland-orders'
import { kauflandPush } from './kaufland-push'
import type { KauflandPagination } from './kaufland-types'
import { guardAdapter } from '../kit/value-checks'

export { KAUFLAND_BASE_URLS, type KauflandConfig } from './kaufland-config'
export const KAUFLAND_BULK_MAX = KAUFLAND_LIMITS.bulkMaxUnits

/** Kaufland's limit is per second and its simulator runs it unscaled: rateScale does not apply. */
export type KauflandAdapterOptions = Omit<ChannelAdapterOptions, 'rateScale'>

export function createKauflandAdapter(
  config: KauflandConfig,
  opts: KauflandAdapterOptions = {},
): ChannelAdapter & { readonly client: ChannelClient } {
  checkKauflandConfig(config)
  const o = resolveAdapterOptions(opts)
  const kaufland = new KauflandClient(
    {
      baseUrl: config.baseUrl,
      clientKey: config.credentials.clientKey,
      secretKey: config.credentials.secretKey,
      userAgent: config.userAgent ?? 'LastUnit/0.1 (stock sync)',
      timeoutMs: o.timeoutMs,
      clock: o.clock,
    },
    opts,
  )
  const storefront = config.storefront
  const listings = kauflandListings(kaufland, storefront)

  return guardAdapter(
    { service: 'Kaufland', prefix: 'kaufland' },
    {
      type: 'kaufland',
      capabilities: kauflandCapabilities(),
      client: kaufland.client,

      async testConnection(): Promise<ConnectionTestResult> {
        try {
          const { data } = await kaufland.json<{ data: string[] }>({
            method: 'GET',
            path: '/info/storefront',
            what: 'checking the storefronts',
          })
          const fronts = (data.data ?? []).map((s) => s.toLowerCase())
          if (!fronts.includes(storefront))
            return {
              ok: false,
              message: `The keys work, but this account does not sell on storefront "${storefront}" (it sells on: ${fronts.join(', ') || 'none'}). Pick one of those.`,
              details: { storefronts: fronts.join(',') },
            }
          const { data: units } = await kaufland.json<{ pagination?: KauflandPagination }>({
            method: 'GET',
            path: '/units',
            query: { storefront, limit: '1' },
            what: 'listing units',
          })
          return {
            ok: true,
            message: `Connected to Kaufland storefront ${storefront}: ${units.pagination?.total ?? 0} units.`,
            details: { storefronts: fronts.join(','), units: String(units.pagination?.total ?? 0) },
          }
        } catch (e) {
          return connectionFailure(e)
        }
      },

      push: kauflandPush(kaufland, storefront),
      readBack: listings.readBack,
      listListings: listings.listListings,
      fetchOrders: kauflandOrders(kaufland, storefront),
    },
  )
}
