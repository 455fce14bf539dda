// A stand-in for Amazon SP-API: LWA token endpoint, Listings Items 2021-08-01, Feeds 2021-06-30 with a presigned
// document store, and Orders 2026-01-01 searchOrders. Patches and feeds are applied after a delay, as on
// Amazon; requests are checked against the embedded schemas and the official models when present; limits
// are Amazon's per-operation rates on a scaled clock, answered with 429 QuotaExceeded.
import { AMAZON_LIMITS } from '../../../core/channels/amazon-limits'
import {
  channelProbe,
  checkProbeOrder,
  RequestRecorder,
  SimRateLimits,
  simTime,
  startChannelServer,
  TokenStore,
  withServer,
  type SimLimit,
  type StockWriteSink,
} from '../../kit'
import { tokenRoute } from './auth'
import { specOf, type AmazonContext } from './context'
import { feedRoutes, UPLOAD_URL_LIFETIME_MS } from './routes-feeds'
import { listingRoutes } from './routes-listings'
import { EventPublisher } from '../../queue/event-publisher'
import { mfnQuantityEvent, notificationRoutes, notifyOrderChange } from './routes-notifications'
import { orderRoutes } from './routes-orders'
import { AmazonState } from './state'
import { AMAZON_SIM_CREDENTIALS, type AmazonSimulator, type AmazonSimulatorOptions } from './types'
import { amazonError } from './views'

export async function startAmazonSimulator(opts: AmazonSimulatorOptions = {}): Promise<AmazonSimulator> {
  const time = simTime(opts.clock, opts.timeScale ?? 1)
  const sellerId = opts.sellerId ?? 'A2SIMSELLER'
  const gzipReports = opts.gzipReports ?? true
  const writes: StockWriteSink = { onStockWrite: null }
  const ctx: AmazonContext = {
    quirks: { repeatNextToken: false, notificationWithoutItems: false },
    time,
    state: new AmazonState(time, sellerId, gzipReports),
    sellerId,
    marketplaceId: opts.marketplaceId ?? 'A1PA6795UKMFR9',
    creds: opts.credentials ?? AMAZON_SIM_CREDENTIALS,
    applyDelay: time.scaled(opts.applyDelayMs ?? AMAZON_LIMITS.patchApplyMs),
    feedDelay: time.scaled(opts.feedProcessingMs ?? AMAZON_LIMITS.feedProcessingMs),
    uploadUrlLifetime: time.scaled(opts.uploadUrlLifetimeMs ?? UPLOAD_URL_LIFETIME_MS),
    tokenTtl: opts.tokenTtlSeconds ?? AMAZON_LIMITS.tokenLifetimeS,
    gzipReports,
    tokens: new TokenStore(time),
    grantlessTokens: new TokenStore(time),
    notifications: {
      destinations: new Map(),
      subscriptions: new Map(),
      publisher: new EventPublisher({
        ...(opts.eventLossRate ? { lossRate: opts.eventLossRate } : {}),
        ...(opts.eventRandom ? { random: opts.eventRandom } : {}),
      }),
    },
    // Amazon's documented default usage plans: the channel's limits file.
    limits: new SimRateLimits(
      { ...AMAZON_LIMITS.operations, ...(opts.limits ?? {}) } as Record<string, SimLimit>,
      time.scale,
      time.clock,
    ),
    recorder: new RequestRecorder({ redact: ['x-amz-access-token'], specOf, textBodies: true }),
    writes,
    counts: { patches: 0, feeds: 0, tokens: 0, throttled: 0, rejected: 0 },
    refreshRevoked: false,
    url: '',
  }
  const { state } = ctx
  ctx.notifications.publisher.connect(opts.queue ?? null)
  let quantityQueue: string | null = null
  state.onQuantityChange = (sku, quantity) => {
    if (quantityQueue)
      ctx.notifications.publisher.publish(quantityQueue, JSON.stringify(mfnQuantityEvent(ctx, sku, quantity)))
  }

  const server = await startChannelServer(
    'Amazon',
    [
      tokenRoute(ctx),
      ...listingRoutes(ctx),
      ...feedRoutes(ctx),
      ...orderRoutes(ctx),
      ...notificationRoutes(ctx),
    ],
    (req) => {
      ctx.recorder.recordAs(req, undefined)
      return amazonError(404, 'NotFound', `Resource ${req.path} is not found.`)
    },
    opts,
  )
  ctx.url = server.url

  const sim: AmazonSimulator = withServer<AmazonSimulator>(server, {
    quirks: ctx.quirks,
    url: server.url,
    sellerId,
    marketplaceId: ctx.marketplaceId,
    requests: server.requests,
    received: ctx.recorder.received,
    counts: ctx.counts,
    limits: ctx.limits,
    setListings: (list) => state.setListings(list),
    quantityOf(sku) {
      state.tick()
      return state.listings.get(sku)?.quantity
    },
    placeOrder(input) {
      const orderId = state.placeOrder(input)
      notifyOrderChange(ctx, orderId, { type: 'OrderStatusChange', reason: 'Order placed' })
      return orderId
    },
    cancelOrder(orderId, itemIndex) {
      state.cancelOrder(orderId, itemIndex)
      notifyOrderChange(ctx, orderId, { type: 'OrderStatusChange', reason: 'Order canceled' })
    },
    shipOrder(orderId) {
      state.shipOrder(orderId)
      notifyOrderChange(ctx, orderId, { type: 'OrderStatusChange', reason: 'Order shipped' })
    },
    notifications: ctx.notifications.publisher,
    connectQueue: (queue) => ctx.notifications.publisher.connect(queue),
    forwardQuantityEvents: (queueUrl) => {
      quantityQueue = queueUrl
    },
    expireTokens: () => ctx.tokens.expireAll(),
    revokeRefreshToken() {
      ctx.refreshRevoked = true
      ctx.tokens.forgetAll()
    },
    // Amazon has no pause (the adapter publishes 0): a listing is buyable while its quantity is above 0.
    probe: channelProbe(writes, {
      listingIndex: () =>
        [...state.listings.values()].map((l) => ({ listingId: l.sku, sku: l.sku, ean: null })),
      listingState(listingId) {
        state.tick()
        const l = state.listings.get(listingId)
        return l ? { quantity: l.quantity, buyable: l.quantity > 0 } : undefined
      },
      placeOrder(listingId, quantity) {
        state.tick()
        checkProbeOrder('Amazon', listingId, quantity, state.listings.get(listingId)?.quantity)
        return sim.placeOrder({ items: [{ sku: listingId, quantity }] })
      },
      expireTokens() {
        sim.expireTokens()
        return true
      },
      limitHits: () => ctx.counts.throttled,
      endedTokenRefusals: () => ctx.tokens.endedTokenRefusals,
    }),
  })
  return sim
}
