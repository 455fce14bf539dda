// Zalando zDirect as a ChannelAdapter, assembled from its parts: the stock push with its 207 results and
// held-value confirmation (zalando-push), pause and resume through offer blockers (zalando-pause), and
// orders (zalando-orders), all calling zDirect through one channel client (zalando-client). A listing is
// one EAN; its stock goes to every configured sales channel (country).
import { zalandoCapabilities } from '../../../core/channels/channel-capabilities'
import { ZALANDO_LIMITS } from '../../../core/channels/zalando-limits'
import { ClassifiedError } from '../../../core/errors'
import type {
  ChannelAdapter,
  ChannelListing,
  ConnectionTestResult,
  Page,
  PushBatchResult,
  PushItem,
} from '../../../core/ports/channel-adapter'
import { resolveAdapterOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import type { ChannelClient } from '../kit/channel-client'
import { connectionFailure } from '../kit/connection-test'
import { newestPerListing, quantityRefusal } from '../kit/push-results'
import { ZALANDO_WINDOW_MS, ZalandoClient } from './zalando-client'
import { checkZalandoConfig, isZalandoSandbox, type ZalandoConfig } from './zalando-config'
import type { ZalandoContext } from './zalando-context'
import { zalandoOrders } from './zalando-orders'
import { zalandoBlockers } from './zalando-pause'
import { zalandoStocks, type HeldToken } from './zalando-push'

export {
  ZALANDO_BASE_URLS,
  ZALANDO_BLOCKERS_MAX,
  ZALANDO_PAUSE_DESCRIPTION,
  ZALANDO_STOCKS_MAX,
  type ZalandoConfig,
} from './zalando-config'
import { guardAdapter } from '../kit/value-checks'

export interface ZalandoAdapterOptions extends ChannelAdapterOptions {
  /** How often a value held by code 104 is re-sent to see whether it was applied (default 15 min). */
  heldRecheckMs?: number
}

export function createZalandoAdapter(
  config: ZalandoConfig,
  opts: ZalandoAdapterOptions = {},
): ChannelAdapter & { readonly client: ChannelClient } {
  checkZalandoConfig(config)
  const o = resolveAdapterOptions(opts)
  const baseUrl = config.baseUrl.replace(/\/+$/, '')
  const sandbox = isZalandoSandbox(baseUrl)
  const env = sandbox ? 'sandbox' : 'production'
  const zalando = new ZalandoClient(
    {
      baseUrl,
      clientId: config.credentials.clientId,
      clientSecret: config.credentials.clientSecret,
      timeoutMs: o.timeoutMs,
      clock: o.clock,
      tokensPerMinute: ZALANDO_LIMITS.tokensPerMinute[env],
      rateScale: o.rateScale,
      ...(o.rateMemory ? { rateMemory: o.rateMemory } : {}),
    },
    {
      stocks: { perWindow: ZALANDO_LIMITS.stockRequestsPerMinute, windowMs: ZALANDO_WINDOW_MS },
      orders: { perWindow: ZALANDO_LIMITS.ordersPerMinute[env], windowMs: ZALANDO_WINDOW_MS },
      blockers: ZALANDO_LIMITS.blockers,
    },
    opts,
  )
  const client = zalando.client
  const ctx: ZalandoContext = {
    zalando,
    clock: o.clock,
    mid: encodeURIComponent(config.merchantId),
    channels: config.salesChannelIds,
  }
  const capabilities = zalandoCapabilities(ctx.channels.length, sandbox)
  const stocks = zalandoStocks(ctx, {
    rateScale: o.rateScale,
    rateMemory: o.rateMemory,
    ...(opts.heldRecheckMs === undefined ? {} : { heldRecheckMs: opts.heldRecheckMs }),
  })
  const blockers = zalandoBlockers(ctx)

  async function push(items: PushItem[]): Promise<PushBatchResult> {
    if (items.length > capabilities.bulkBatchSize)
      throw new ClassifiedError(
        'permanent',
        'zalando.batch_too_large',
        `Zalando takes at most ${capabilities.bulkBatchSize} EANs per push with ${ctx.channels.length} sales channels (got ${items.length})`,
      )
    const { results, send } = newestPerListing(items, 'EAN', (item) =>
      !/^\d{8,14}$/.test(item.listingId)
        ? {
            code: 'zalando.bad_ean',
            message: `Zalando listing "${item.listingId}" is not an EAN (8 to 14 digits)`,
          }
        : quantityRefusal(item, 'zalando.bad_quantity', `EAN ${item.listingId}`),
    )
    if (send.length === 0) return { results, calls: 0 }
    const before = client.calls
    const blockFailures = new Map<string, string>()
    const pauses = send.filter((i) => i.action === 'pause').map((i) => i.listingId)
    const resumes = send.filter((i) => i.action === 'resume').map((i) => i.listingId)
    if (pauses.length > 0) (await blockers.pause(pauses)).failed.forEach((v, k) => blockFailures.set(k, v))
    if (resumes.length > 0) (await blockers.resume(resumes)).failed.forEach((v, k) => blockFailures.set(k, v))
    const outcomes = await stocks.postStocks(send.map((i) => ({ ean: i.listingId, quantity: i.quantity })))
    for (const item of send) {
      stocks.sent(item.listingId, item.stamp)
      const base = { listingId: item.listingId, stamp: item.stamp }
      const blockProblem = blockFailures.get(item.listingId)
      if (blockProblem) {
        results.push({
          ...base,
          outcome: 'retry',
          code: 'zalando.offer_blocker',
          message: `Zalando did not ${item.action} EAN ${item.listingId}: ${blockProblem}`,
        })
        continue
      }
      const r = outcomes.get(item.listingId) ?? { outcome: 'retry' as const }
      const held: HeldToken = { ean: item.listingId, quantity: item.quantity, stamp: item.stamp }
      results.push({
        ...base,
        ...r,
        ...(r.outcome === 'accepted' ? { confirmationToken: JSON.stringify(held) } : {}),
      })
    }
    return { results, calls: client.calls - before }
  }

  return guardAdapter(
    { service: 'Zalando', prefix: 'zalando' },
    {
      type: 'zalando',
      capabilities,
      client,

      async testConnection(): Promise<ConnectionTestResult> {
        try {
          await client.login()
          await zalando.json({
            method: 'GET',
            path: `/merchants/${ctx.mid}/offer-blockers`,
            query: { page_size: '1' },
            op: 'blockers',
            what: 'checking access to the merchant',
          })
          return {
            ok: true,
            message: `Connected to Zalando${sandbox ? ' (sandbox)' : ''} as merchant ${config.merchantId}; stock goes to ${ctx.channels.length} sales channel(s).`,
            details: { merchantId: config.merchantId, salesChannels: String(ctx.channels.length) },
          }
        } catch (e) {
          return connectionFailure(e)
        }
      },

      push,
      confirm: stocks.confirm,

      // zDirect offers no read of the articles or their stock: listings are mapped by EAN from Odoo.
      async listListings(_cursor?: string): Promise<Page<ChannelListing>> {
        return { items: [] }
      },

      fetchOrders: zalandoOrders(ctx),
    },
  )
}
