// The Amazon SP-API channel adapter, assembled from its parts: listings (amazon-listings), the push by
// patch or feed (amazon-push) and its confirmation (amazon-confirm), and orders (amazon-orders), all
// calling SP-API through one channel client (amazon-client). Amazon has no pause: zero stock is 0.
import { amazonCapabilities } from '../../../core/channels/channel-capabilities'
import { errorMessage } from '../../../core/errors'
import type { ChannelAdapter, ConnectionTestResult } from '../../../core/ports/channel-adapter'
import { resolveAdapterOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import type { ChannelClient } from '../kit/channel-client'
import { amazonCall, createAmazonClient } from './amazon-client'
import { checkAmazonConfig, type AmazonConfig } from './amazon-config'
import { amazonConfirm } from './amazon-confirm'
import { amazonContext } from './amazon-context'
import { amazonListings } from './amazon-listings'
import { amazonNotifications } from './amazon-notifications'
import { amazonOrders } from './amazon-orders'
import { amazonPush } from './amazon-push'
import { guardAdapter } from '../kit/value-checks'

export interface AmazonAdapterOptions extends ChannelAdapterOptions {
  /** Batches above this size go out as a feed instead of single patches. */
  feedThreshold?: number
  /** A patch not visible in a read-back after this long is reported 'retry' (Amazon dropped or overrode it). */
  patchConfirmTimeoutMs?: number
}

export function createAmazonAdapter(
  config: AmazonConfig,
  opts: AmazonAdapterOptions = {},
): ChannelAdapter & { readonly client: ChannelClient } {
  checkAmazonConfig(config)
  const o = resolveAdapterOptions(opts)
  const client = createAmazonClient(config, { ...opts, clock: o.clock })
  const ctx = amazonContext(client, config, o.clock, o.rateScale)
  const listings = amazonListings(ctx)

  return guardAdapter(
    { service: 'Amazon', prefix: 'amazon' },
    {
      type: 'amazon',
      capabilities: amazonCapabilities(o.rateScale),
      client,

      async testConnection(): Promise<ConnectionTestResult> {
        try {
          await client.login()
        } catch (e) {
          return { ok: false, message: errorMessage(e), details: { step: 'login (LWA token)' } }
        }
        try {
          const res = await client.json<{ numberOfResults: number }>(
            amazonCall('searchListingsItems', 'GET', ctx.sellerPath, {
              query: new URLSearchParams({ marketplaceIds: ctx.marketplaces, pageSize: '1' }),
            }),
          )
          return {
            ok: true,
            message: `Connected to Amazon as seller ${config.sellerId}: ${res.numberOfResults} listings in ${ctx.marketplaces}.`,
          }
        } catch (e) {
          return {
            ok: false,
            message: errorMessage(e),
            details: { step: 'listings (seller id and marketplaces)' },
          }
        }
      },

      push: amazonPush(ctx, opts.feedThreshold),
      confirm: amazonConfirm(ctx, listings, opts.patchConfirmTimeoutMs),
      readBack: listings.readBack,
      listListings: listings.listListings,
      fetchOrders: amazonOrders(ctx),
      notifications: amazonNotifications(ctx),
    },
  )
}
