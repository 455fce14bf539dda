// A zDirect simulator: client-credentials tokens (8 a minute, more gets 429 and is counted as a
// violation), stocks with 207 per-item results (104 while an article awaits onboarding) under both limits
// (60 requests and 2000 updates a minute), the Offer Blocking API as its spec describes it, and JSON:API
// orders with page[number] paging. Errors are problem+json, as Zalando's gateway sends them.
import { ZALANDO_LIMITS } from '../../../core/channels/zalando-limits'
import { WindowLimit } from '../../../core/rate-limit/window-limit'
import {
  channelProbe,
  checkProbeOrder,
  createSchemaValidator,
  loadComponentSchemas,
  simTime,
  startChannelServer,
  TokenStore,
  withServer,
  type StockWriteSink,
} from '../../kit'
import { tokenRoute } from './auth'
import type { ZalandoContext } from './context'
import { blockerRoutes } from './routes-blockers'
import { orderRoutes } from './routes-orders'
import { stockRoutes } from './routes-stocks'
import { ZalandoState } from './state'
import { ZALANDO_REQUEST_SCHEMAS } from './zalando-schemas'
import type { ZalandoSimLimits, ZalandoSimulator, ZalandoSimulatorOptions } from './types'
import { problem } from './views'

export async function startZalandoSimulator(opts: ZalandoSimulatorOptions = {}): Promise<ZalandoSimulator> {
  const time = simTime(opts.clock)
  const salesChannelIds = opts.salesChannelIds ?? [
    '091dcbdd-7839-4f39-aa05-324eb4599df0',
    '733af55a-4133-4d7c-b5f3-d64d42c135fe',
  ]
  const lim: ZalandoSimLimits = {
    tokensPerWindow: ZALANDO_LIMITS.tokensPerMinute.production,
    stockRequestsPerWindow: ZALANDO_LIMITS.stockRequestsPerMinute,
    stockItemsPerWindow: ZALANDO_LIMITS.stockItemsPerMinute,
    ordersPerWindow: ZALANDO_LIMITS.ordersPerMinute.production,
    windowMs: ZALANDO_LIMITS.windowMs,
    ...opts.limits,
  }
  const window = (limit: number) => new WindowLimit(limit, lim.windowMs, time.clock)
  const writes: StockWriteSink = { onStockWrite: null }
  const ctx: ZalandoContext = {
    time,
    state: new ZalandoState(time, salesChannelIds),
    merchantId: opts.merchantId ?? 'e2ad171a-6b52-4db0-8ae3-54709720458b',
    salesChannelIds,
    probeChannel: salesChannelIds[0] ?? '',
    clientId: opts.clientId ?? 'sim-zalando-client',
    clientSecret: opts.clientSecret ?? 'sim-zalando-secret-' + 'x'.repeat(24),
    tokenTtl: opts.tokenTtlSeconds ?? ZALANDO_LIMITS.tokenLifetimeS,
    lim,
    windows: {
      tokens: window(lim.tokensPerWindow),
      stockRequests: window(lim.stockRequestsPerWindow),
      stockItems: window(lim.stockItemsPerWindow),
      orders: window(lim.ordersPerWindow),
    },
    embedded: createSchemaValidator(ZALANDO_REQUEST_SCHEMAS),
    spec: loadComponentSchemas('zalando/zalando-offer-blocking-openapi.yml', opts.specsDir),
    tokens: new TokenStore(time),
    received: [],
    writes,
    tokenStats: { issued: 0, refused: 0 },
    quirks: { repeatBlockerCursor: false },
    limitHits: 0,
    url: '',
  }
  const { state, probeChannel } = ctx

  const server = await startChannelServer(
    'Zalando',
    [tokenRoute(ctx), ...stockRoutes(ctx), ...blockerRoutes(ctx), ...orderRoutes(ctx)],
    (req) => problem(404, 'Not Found', `No endpoint ${req.method} ${req.path}`),
    opts,
  )
  ctx.url = server.url

  const sim: ZalandoSimulator = withServer<ZalandoSimulator>(server, {
    quirks: ctx.quirks,
    url: server.url,
    merchantId: ctx.merchantId,
    salesChannelIds,
    clientId: ctx.clientId,
    clientSecret: ctx.clientSecret,
    received: ctx.received,
    specValidation: ctx.spec !== undefined,
    tokenStats: ctx.tokenStats,
    setArticles: (list) => state.setArticles(list),
    onboard: (ean) => state.onboard(ean),
    offer: (ean, sc) => state.offer(ean, sc),
    placeOrder: (order) => state.placeOrder(order),
    cancelLines: (orderId, ean, count) => state.cancelLines(orderId, ean, count),
    expireTokens: () => ctx.tokens.forgetAll(),
    // Buyers see the quantity on the first sales channel; an EAN is not buyable while it waits for
    // onboarding or has an offer blocker on that channel.
    probe: channelProbe(writes, {
      listingIndex: () =>
        [...state.articles.values()].map((a) => ({ listingId: a.ean, sku: a.external_id, ean: a.ean })),
      listingState(listingId) {
        const a = state.articles.get(listingId)
        if (!a) return undefined
        const quantity = a.qty.get(probeChannel) ?? 0
        return { quantity, buyable: a.onboarded && !state.isBlocked(a.ean, probeChannel) && quantity > 0 }
      },
      placeOrder(listingId, quantity) {
        const a = state.articles.get(listingId)
        checkProbeOrder('Zalando', listingId, quantity, a ? (a.qty.get(probeChannel) ?? 0) : undefined)
        return sim.placeOrder({ salesChannelId: probeChannel, lines: [{ ean: listingId, quantity }] })
      },
      expireTokens() {
        sim.expireTokens()
        return true
      },
      limitHits: () => ctx.limitHits,
      endedTokenRefusals: () => ctx.tokens.endedTokenRefusals,
    }),
  })
  return sim
}
