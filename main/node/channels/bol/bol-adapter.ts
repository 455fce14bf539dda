// The bol.com channel adapter, assembled from its parts: offers (bol-listings), the stock push with pause
// and resume and its process-status confirmation (bol-push), and orders (bol-orders), all calling bol
// through one channel client (bol-client) paced by bol's own rate-limit headers (bol-rate-budget).
import { bolCapabilities } from '../../../core/channels/channel-capabilities'
import { errorMessage } from '../../../core/errors'
import type { ChannelAdapter, ConnectionTestResult } from '../../../core/ports/channel-adapter'
import { resolveAdapterOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import type { ChannelClient } from '../kit/channel-client'
import { BolClient } from './bol-client'
import { checkBolConfig, type BolConfig } from './bol-config'
import { bolListings } from './bol-listings'
import { bolNotifications } from './bol-notifications'
import { BolListedOrders, bolOrderDetails, bolOrders, bolRecentOrders, type KnownBolItem } from './bol-orders'
import { bolPush } from './bol-push'
import { guardAdapter } from '../kit/value-checks'

export interface BolAdapterOptions extends ChannelAdapterOptions {
  /** Offer updates in flight at once. */
  concurrency?: number
  /** Order items whose facts LastUnit stored already (the runtime's order lines): no detail call for them. */
  knownItem?: KnownBolItem
}

export function createBolAdapter(
  config: BolConfig,
  opts: BolAdapterOptions = {},
): ChannelAdapter & { readonly client: ChannelClient } {
  checkBolConfig(config)
  const o = resolveAdapterOptions(opts)
  const bol = new BolClient(config, { ...opts, clock: o.clock })
  const listings = bolListings(bol)
  const { push, confirm } = bolPush(bol, Math.max(1, opts.concurrency ?? 4))
  // One cache of order details and listed orders: an ORDER event's detail read spares the poll its own, and
  // an order a poll listed needs no call for its event.
  const details = bolOrderDetails(bol, new BolListedOrders(), opts.knownItem)

  return guardAdapter(
    { service: 'bol.com', prefix: 'bol' },
    {
      type: 'bol',
      capabilities: bolCapabilities(o.rateScale),
      client: bol.client,

      async testConnection(): Promise<ConnectionTestResult> {
        try {
          await bol.client.login()
        } catch (e) {
          return { ok: false, message: errorMessage(e), details: { step: 'login (client credentials)' } }
        }
        try {
          const res = await listings.offers(new URLSearchParams({ 'page-size': '1' }))
          return {
            ok: true,
            message: `Connected to bol.com: ${res.offers?.length ? 'offers found' : 'no offers yet'}.`,
          }
        } catch (e) {
          return { ok: false, message: errorMessage(e), details: { step: 'offers (Offers API v11)' } }
        }
      },

      push,
      confirm,
      readBack: listings.readBack,
      listListings: listings.listListings,
      fetchOrders: bolOrders(bol, config, o.clock, details),
      // Events and polls call bol through one client: its orders-list and orders-detail budgets count both.
      notifications: bolNotifications(
        bol,
        { details, recent: bolRecentOrders(bol), room: (e) => bol.budget.room(e) },
        o.clock,
        () => config.queueRoleArn,
      ),
    },
  )
}
