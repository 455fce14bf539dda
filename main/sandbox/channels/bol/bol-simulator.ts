// A stand-in for bol.com: the client-credentials login, Offers API v11 (PATCH one offer, cursor-paged list),
// Retailer API v10 orders (50 per page, detail per order) and Shared API process status. Limits are per
// endpoint in fixed windows, reported in `x-ratelimit-limit/-remaining/-reset` and answered with 429 and
// Retry-After; errors are bol's Problem documents with violations.
import { BOL_ENDPOINT_LIMITS, BOL_LIMITS } from '../../../core/channels/bol-limits'
import {
  channelProbe,
  checkProbeOrder,
  FixedWindows,
  RequestRecorder,
  simTime,
  startChannelServer,
  TokenStore,
  withServer,
  type StockWriteSink,
} from '../../kit'
import { specOf, type BolContext } from './context'
import { tokenRoute } from './gateway'
import { offerRoutes } from './routes-offers'
import { EventPublisher } from '../../queue/event-publisher'
import { orderRoutes } from './routes-orders'
import { notifyOrder, subscriptionRoutes } from './routes-subscriptions'
import { BolState } from './state'
import { BOL_SIM_CREDENTIALS, type BolSimulator, type BolSimulatorOptions } from './types'
import { problem } from './views'

export async function startBolSimulator(opts: BolSimulatorOptions = {}): Promise<BolSimulator> {
  const time = simTime(opts.clock, opts.timeScale ?? 1)
  const writes: StockWriteSink = { onStockWrite: null }
  const ctx: BolContext = {
    time,
    state: new BolState(time),
    creds: opts.credentials ?? BOL_SIM_CREDENTIALS,
    tokenTtl: opts.tokenTtlSeconds ?? BOL_LIMITS.tokenLifetimeS,
    budgets: new FixedWindows({ ...BOL_ENDPOINT_LIMITS, ...(opts.limits ?? {}) }, time),
    asyncOfferUpdates: opts.asyncOfferUpdates ?? false,
    processingMs: time.scaled(opts.processingMs ?? 5_000),
    tokens: new TokenStore(time),
    recorder: new RequestRecorder({ redact: ['authorization'], specOf }),
    writes,
    counts: { updates: 0, tokens: 0, throttled: 0, detailCalls: 0 },
    revoked: false,
    subscriptions: new Map(),
    publisher: new EventPublisher({
      ...(opts.eventLossRate ? { lossRate: opts.eventLossRate } : {}),
      ...(opts.eventRandom ? { random: opts.eventRandom } : {}),
    }),
  }
  ctx.publisher.connect(opts.queue ?? null)
  const { state } = ctx

  const server = await startChannelServer(
    'bol.com',
    [tokenRoute(ctx), ...offerRoutes(ctx), ...orderRoutes(ctx), ...subscriptionRoutes(ctx)],
    (req) => {
      ctx.recorder.record(req)
      return problem(404, 'Not Found', `No resource at ${req.path}.`, 'v10')
    },
    opts,
  )

  const sim: BolSimulator = withServer<BolSimulator>(server, {
    url: server.url,
    baseUrl: `${server.url}/retailer`,
    tokenUrl: `${server.url}/token`,
    requests: server.requests,
    received: ctx.recorder.received,
    counts: ctx.counts,
    setOffers: (list) => state.setOffers(list),
    offer(offerId) {
      state.tick()
      const o = state.offers.get(offerId)
      return o
        ? {
            amount: o.amount,
            onHold: o.onHold,
            correctedStock: state.correctedStock(o),
            managedByRetailer: o.managedByRetailer,
          }
        : undefined
    },
    placeOrder(items) {
      const orderId = state.placeOrder(items)
      notifyOrder(ctx, orderId, 'NEW_ORDER')
      return orderId
    },
    notifications: ctx.publisher,
    connectQueue: (queue) => ctx.publisher.connect(queue),
    subscriptions: ctx.subscriptions,
    nullOrderDates(orderId, which) {
      const o = state.orders.get(orderId)
      if (!o) throw new Error(`bol.com simulator: no order ${orderId}`)
      if (which.placed) o.placedHidden = true
      if (which.changed) for (const it of o.items) it.changedHidden = true
    },
    cancelItem: (orderId, itemIndex, quantity) => state.cancelItem(orderId, itemIndex, quantity),
    shipOrder: (orderId) => state.shipOrder(orderId),
    expireTokens: () => ctx.tokens.expireAll(),
    revokeCredentials() {
      ctx.revoked = true
      ctx.tokens.forgetAll()
    },
    // Buyers see the corrected stock; an offer on hold by the retailer is not buyable.
    probe: channelProbe(writes, {
      listingIndex: () =>
        [...state.offers.values()].map((o) => ({
          listingId: o.offerId,
          sku: o.reference ?? null,
          ean: o.ean,
        })),
      listingState(listingId) {
        state.tick()
        const o = state.offers.get(listingId)
        if (!o) return undefined
        const quantity = state.correctedStock(o)
        return { quantity, buyable: !o.onHold && quantity > 0 }
      },
      placeOrder(listingId, quantity) {
        state.tick()
        const o = state.offers.get(listingId)
        checkProbeOrder('bol.com', listingId, quantity, o ? state.correctedStock(o) : undefined)
        return sim.placeOrder([{ offerId: listingId, quantity }])
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
