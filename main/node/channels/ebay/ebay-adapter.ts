// The eBay channel adapter (Sell Inventory + Fulfillment), assembled from its parts: offers and inventory
// items (ebay-offers), the budgeted bulk push (ebay-push), withdraw and republish (ebay-pause), and orders
// (ebay-orders), all calling eBay through one channel client (ebay-client).
import { ebayCapabilities } from '../../../core/channels/channel-capabilities'
import { errorMessage } from '../../../core/errors'
import type { ChannelAdapter, ConnectionTestResult } from '../../../core/ports/channel-adapter'
import { resolveAdapterOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import type { ChannelClient } from '../kit/channel-client'
import type { IssuedToken } from '../kit/token-cache'
import { createEbayClient, ebayCall } from './ebay-client'
import { checkEbayConfig, type EbayConfig } from './ebay-config'
import { ebayOffers, INVENTORY } from './ebay-offers'
import { ebayOrders } from './ebay-orders'
import { ebayOfferStatus } from './ebay-pause'
import { ebayPush } from './ebay-push'
import { RevisionBudget, type RevisionBudgetOptions } from './revision-budget'
import { guardAdapter } from '../kit/value-checks'

export interface EbayAdapterOptions extends ChannelAdapterOptions {
  revisions?: RevisionBudgetOptions
  /** How long a quantity we saw live on eBay is trusted to skip an unchanged push (ms). */
  trustPublishedMs?: number
  /** eBay may hand back a new refresh token; store it. */
  onCredentialsRefreshed?: (t: IssuedToken) => void
}

export function createEbayAdapter(
  config: EbayConfig,
  opts: EbayAdapterOptions = {},
): ChannelAdapter & { readonly client: ChannelClient; readonly revisions: RevisionBudget } {
  checkEbayConfig(config)
  const o = resolveAdapterOptions(opts)
  const client = createEbayClient(config, { ...opts, clock: o.clock })
  const revisions = new RevisionBudget(opts.revisions)
  const offers = ebayOffers(client, config, o.clock)
  const setStatus = ebayOfferStatus(client, revisions, o.clock)

  return guardAdapter(
    { service: 'eBay', prefix: 'ebay' },
    {
      type: 'ebay',
      capabilities: ebayCapabilities(o.rateScale),
      client,
      revisions,

      async testConnection(): Promise<ConnectionTestResult> {
        try {
          await client.login()
        } catch (e) {
          return { ok: false, message: errorMessage(e), details: { step: 'login (refresh token)' } }
        }
        try {
          const inv = await client.json<{ total?: number }>(
            ebayCall('GET', `${INVENTORY}/inventory_item`, {
              query: new URLSearchParams({ limit: '1', offset: '0' }),
            }),
          )
          return {
            ok: true,
            message: `Connected to eBay (${config.marketplaceId}): ${inv.total ?? 0} inventory items.`,
          }
        } catch (e) {
          return {
            ok: false,
            message: errorMessage(e),
            details: { step: 'inventory (sell.inventory scope)' },
          }
        }
      },

      push: ebayPush({
        client,
        config,
        clock: o.clock,
        offers,
        revisions,
        setStatus,
        trustMs: opts.trustPublishedMs ?? 10 * 60_000,
      }),
      readBack: offers.readBack,
      listListings: offers.listListings,
      fetchOrders: ebayOrders(client),
    },
  )
}
