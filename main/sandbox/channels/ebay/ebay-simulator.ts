// A stand-in for eBay: the OAuth refresh-token grant, Sell Inventory (bulk_update_price_quantity, offers,
// inventory items, withdraw/publish) and Fulfillment getOrders with the lastmodifieddate filter. It counts
// each listing's revisions per day and blocks the 251st, answers per-item results with 207, and enforces
// daily call quotas per API on a scaled clock (429, errorId 2001).
import { EBAY_LIMITS } from '../../../core/channels/ebay-limits'
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
import { tokenRoute } from './auth'
import { specOf, type EbayContext } from './context'
import { fulfillmentRoutes } from './routes-fulfillment'
import { inventoryRoutes } from './routes-inventory'
import { EbayState } from './state'
import { EBAY_SIM_CREDENTIALS, type EbaySimulator, type EbaySimulatorOptions } from './types'
import { ebayError } from './views'

export async function startEbaySimulator(opts: EbaySimulatorOptions = {}): Promise<EbaySimulator> {
  const time = simTime(opts.clock, opts.timeScale ?? 1)
  const quotas = { ...EBAY_LIMITS.dailyCalls, ...opts.quotas }
  const writes: StockWriteSink = { onStockWrite: null }
  const ctx: EbayContext = {
    time,
    state: new EbayState(time, opts.maxRevisionsPerDay ?? EBAY_LIMITS.revisionsPerDay),
    creds: opts.credentials ?? EBAY_SIM_CREDENTIALS,
    marketplaceId: opts.marketplaceId ?? 'EBAY_DE',
    tokenTtl: opts.tokenTtlSeconds ?? EBAY_LIMITS.tokenLifetimeS,
    // Daily quotas: windows of a day on the scaled clock, reset at the same time for every API.
    quotas: new FixedWindows(
      Object.fromEntries(
        Object.entries(quotas).map(([api, limit]) => [api, { limit, windowSeconds: 86_400 }]),
      ),
      time,
      true,
    ),
    transientItemErrorRate: opts.transientItemErrorRate ?? 0,
    random: opts.random ?? Math.random,
    tokens: new TokenStore(time),
    recorder: new RequestRecorder({ redact: ['authorization'], specOf }),
    writes,
    counts: { bulkCalls: 0, revisionsRefused: 0, tokens: 0, throttled: 0 },
    revoked: false,
  }
  const { state } = ctx

  const server = await startChannelServer(
    'eBay',
    [tokenRoute(ctx), ...inventoryRoutes(ctx), ...fulfillmentRoutes(ctx)],
    (req) => {
      ctx.recorder.record(req)
      return ebayError(404, 2002, `Resource not found: ${req.path}`)
    },
    opts,
  )

  const sim: EbaySimulator = withServer<EbaySimulator>(server, {
    url: server.url,
    marketplaceId: ctx.marketplaceId,
    requests: server.requests,
    received: ctx.recorder.received,
    counts: ctx.counts,
    setListings: (list) => state.setListings(list),
    listing: (sku) => state.listing(sku),
    placeOrder: (lines) => state.placeOrder(lines),
    setOfferQuantity(sku, quantity) {
      const o = state.offerOfSku(sku)
      if (!o) throw new Error(`eBay simulator: no offer for ${sku}`)
      if (!Number.isInteger(quantity) || quantity < -(2 ** 31) || quantity > 2 ** 31 - 1)
        throw new Error(`eBay simulator: ${quantity} is not an int32`)
      o.available = quantity
    },
    cancelOrder: (id) => state.cancelOrder(id),
    requestCancel: (id) => state.requestCancel(id),
    shipOrder: (id) => state.shipOrder(id),
    expireTokens: () => ctx.tokens.expireAll(),
    revokeRefreshToken() {
      ctx.revoked = true
      ctx.tokens.forgetAll()
    },
    // Buyers see min(ship-to-home, offer quantity); a withdrawn (unpublished) offer is not buyable.
    probe: channelProbe(writes, {
      listingIndex: () =>
        [...state.items.values()].map((i) => ({ listingId: i.sku, sku: i.sku, ean: i.ean || null })),
      listingState(listingId) {
        const o = state.offerOfSku(listingId)
        const quantity = state.liveQuantity(listingId)
        if (!o || quantity === undefined) return undefined
        return { quantity, buyable: o.published && quantity > 0 }
      },
      placeOrder(listingId, quantity) {
        checkProbeOrder('eBay', listingId, quantity, state.liveQuantity(listingId))
        return sim.placeOrder([{ sku: listingId, quantity }])
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
