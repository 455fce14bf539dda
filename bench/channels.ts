// npm run bench -- channels [listings]
// A full resync of 10,000 listings per channel through its real adapter, against its simulator enforcing the
// channel's real rate limits on a scaled clock. For each channel: API calls made against the fewest the
// channel's API allows, and the wall time the real limits imply (the calls replayed through the real
// per-operation limits, plus an assumed round trip per call and the channel's own processing delay).
// Add a channel by adding one entry to SETUPS. The last line is one JSON object, one key per channel type.
import type { ChannelType } from '../main/core/channel-types'
import { AMAZON_LIMITS } from '../main/core/channels/amazon-limits'
import { BOL_ENDPOINT_LIMITS } from '../main/core/channels/bol-limits'
import { EBAY_LIMITS } from '../main/core/channels/ebay-limits'
import { KAUFLAND_LIMITS } from '../main/core/channels/kaufland-limits'
import { SHOPIFY_LIMITS } from '../main/core/channels/shopify-limits'
import { WOOCOMMERCE_LIMITS } from '../main/core/channels/woocommerce-limits'
import { ZALANDO_LIMITS } from '../main/core/channels/zalando-limits'
import type { ChannelAdapter, PushItem } from '../main/core/ports/channel-adapter'
import { createAmazonAdapter } from '../main/node/channels/amazon'
import { createBolAdapter } from '../main/node/channels/bol'
import { createEbayAdapter } from '../main/node/channels/ebay'
import { AMAZON_SIM_CREDENTIALS, startAmazonSimulator } from '../main/sandbox/channels/amazon'
import { BOL_SIM_CREDENTIALS, startBolSimulator } from '../main/sandbox/channels/bol'
import { EBAY_SIM_CREDENTIALS, startEbaySimulator } from '../main/sandbox/channels/ebay'
import type { RecordedRequest } from '../main/sandbox/kit'
import { createKauflandAdapter } from '../main/node/channels/kaufland'
import { createShopifyAdapter } from '../main/node/channels/shopify'
import { createWooCommerceAdapter } from '../main/node/channels/woocommerce'
import { createZalandoAdapter } from '../main/node/channels/zalando'
import { startKauflandSimulator } from '../main/sandbox/channels/kaufland'
import { startShopifySimulator } from '../main/sandbox/channels/shopify'
import { startWooCommerceSimulator } from '../main/sandbox/channels/woocommerce'
import { startZalandoSimulator } from '../main/sandbox/channels/zalando'
import { syncUntilSettled } from '../test/integration/channels/channel-sync-driver'

interface Limit {
  ratePerSecond: number
  burst: number
}

export interface BenchRun {
  adapter: ChannelAdapter
  items: PushItem[]
  /** Requests the simulator received since the run started (token grants included). */
  received(): RecordedRequest[]
  /** The quantity the channel publishes now for a listing. */
  published(listingId: string): number | undefined
  stop(): Promise<void>
}

export interface ChannelBenchSetup {
  type: ChannelType
  /** How many times faster than real time the simulator's limits and delays run. */
  timeScale: number
  /** Starts the simulator with `n` listings and an adapter on it; mapping (offer ids) is done before. */
  start(n: number, quantity: (i: number) => number): Promise<BenchRun>
  /** The rate-limited operation a request counts against (undefined: not limited or not an API call). */
  operation(r: RecordedRequest): string | undefined
  /** The channel's real limits per operation. */
  limits: Record<string, Limit>
  /** Fewest API calls a full resync of n listings can take on this channel. */
  minCalls(n: number): number
  /** Time the channel itself takes to apply what it accepted (real seconds), e.g. Amazon's feed processing. */
  processingS: number
  /** Calls the adapter keeps in flight at once (bol's one-offer PATCHes); 1 when sequential. */
  concurrency: number
  note: string
}

/** Assumed round trip of one call to a real marketplace API, seconds. */
const ROUND_TRIP_S = 0.15

const isToken = (r: RecordedRequest) => /token$/.test(r.path)

const amazon: ChannelBenchSetup = {
  type: 'amazon',
  timeScale: 1000,
  limits: { ...AMAZON_LIMITS.operations },
  processingS: 300,
  concurrency: 1,
  note: 'one JSON_LISTINGS_FEED; 300 s assumed feed processing',
  minCalls: (n) => Math.ceil(n / AMAZON_LIMITS.feedMessagesCeiling) * 6,
  operation(r) {
    if (r.path.startsWith('/sim-s3/') || isToken(r)) return undefined
    if (r.method === 'PATCH') return 'patchListingsItem'
    if (r.path.startsWith('/listings/')) return 'searchListingsItems'
    if (r.path === '/feeds/2021-06-30/documents') return 'createFeedDocument'
    if (r.path === '/feeds/2021-06-30/feeds') return 'createFeed'
    if (r.path.startsWith('/feeds/2021-06-30/feeds/')) return 'getFeed'
    if (r.path.startsWith('/feeds/2021-06-30/documents/')) return 'getFeedDocument'
    if (r.path.startsWith('/orders/')) return 'searchOrders'
    return undefined
  },
  async start(n, quantity) {
    const sim = await startAmazonSimulator({ timeScale: this.timeScale, gzipReports: true })
    sim.setListings(Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, quantity: 0 })))
    const adapter = createAmazonAdapter(
      {
        baseUrl: sim.url,
        tokenUrl: `${sim.url}/auth/o2/token`,
        sellerId: sim.sellerId,
        marketplaceIds: [sim.marketplaceId],
        credentials: AMAZON_SIM_CREDENTIALS,
      },
      { rateScale: this.timeScale, backoffMs: 5 },
    )
    const from = sim.received.length
    return {
      adapter,
      items: Array.from({ length: n }, (_, i) => ({
        listingId: `SKU-${i}`,
        quantity: quantity(i),
        action: 'set',
        stamp: 1,
      })),
      received: () => sim.received.slice(from),
      published: (id) => sim.quantityOf(id),
      stop: () => sim.stop(),
    }
  },
}

const bol: ChannelBenchSetup = {
  type: 'bol',
  timeScale: 1000,
  limits: Object.fromEntries(
    Object.entries(BOL_ENDPOINT_LIMITS).map(([k, w]) => [
      k,
      { ratePerSecond: w.limit / w.windowSeconds, burst: w.limit },
    ]),
  ),
  processingS: 0,
  concurrency: 4,
  note: 'no bulk stock call: one PATCH per offer (v11); offer limit 25/s assumed',
  minCalls: (n) => n,
  operation(r) {
    if (isToken(r)) return 'token'
    if (r.method === 'PATCH') return 'offers-update'
    if (r.path === '/retailer/offers' || r.path.startsWith('/retailer/offers/')) return 'offers-list'
    if (r.path === '/retailer/orders') return 'orders-list'
    if (r.path.startsWith('/retailer/orders/')) return 'orders-detail'
    if (r.path.startsWith('/shared/')) return 'process-status'
    return undefined
  },
  async start(n, quantity) {
    const sim = await startBolSimulator({ timeScale: this.timeScale })
    const ids = sim.setOffers(
      Array.from({ length: n }, (_, i) => ({
        ean: String(8_700_000_000_000 + i),
        reference: `SKU-${i}`,
        amount: 0,
      })),
    )
    const adapter = createBolAdapter(
      { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: BOL_SIM_CREDENTIALS },
      { rateScale: this.timeScale, backoffMs: 5 },
    )
    const from = sim.received.length
    return {
      adapter,
      items: ids.map((id, i) => ({ listingId: id, quantity: quantity(i), action: 'set', stamp: 1 })),
      received: () => sim.received.slice(from),
      published: (id) => sim.offer(id)?.amount,
      stop: () => sim.stop(),
    }
  },
}

const ebay: ChannelBenchSetup = {
  type: 'ebay',
  timeScale: 1000,
  limits: {
    inventory: {
      ratePerSecond: EBAY_LIMITS.dailyCalls.inventory / 86_400,
      burst: EBAY_LIMITS.dailyCalls.inventory,
    },
    fulfillment: {
      ratePerSecond: EBAY_LIMITS.dailyCalls.fulfillment / 86_400,
      burst: EBAY_LIMITS.dailyCalls.fulfillment,
    },
  },
  processingS: 0,
  concurrency: 1,
  note: '25 SKUs per bulk_update_price_quantity; offer ids mapped beforehand',
  minCalls: (n) => Math.ceil(n / EBAY_LIMITS.bulkMaxItems),
  operation(r) {
    if (isToken(r)) return undefined
    if (r.path.startsWith('/sell/inventory/')) return 'inventory'
    if (r.path.startsWith('/sell/fulfillment/')) return 'fulfillment'
    return undefined
  },
  async start(n, quantity) {
    const sim = await startEbaySimulator({ timeScale: this.timeScale })
    sim.setListings(Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, quantity: 0 })))
    const adapter = createEbayAdapter(
      {
        baseUrl: sim.url,
        marketplaceId: 'EBAY_DE',
        contentLanguage: 'de-DE',
        credentials: EBAY_SIM_CREDENTIALS,
      },
      { rateScale: this.timeScale, backoffMs: 5 },
    )
    // Mapping happens once when a channel is connected, not on every resync.
    let cursor: string | undefined
    do cursor = (await adapter.listListings(cursor)).next
    while (cursor)
    const from = sim.received.length
    return {
      adapter,
      items: Array.from({ length: n }, (_, i) => ({
        listingId: `SKU-${i}`,
        quantity: quantity(i),
        action: 'set',
        stamp: 1,
      })),
      received: () => sim.received.slice(from),
      published: (id) => sim.listing(id)?.live,
      stop: () => sim.stop(),
    }
  },
}

/** Wraps a simulator's own request log in the bench's record shape. */
const recorded = (
  method: string,
  path: string,
  query: Record<string, string> = {},
  body?: unknown,
): RecordedRequest => ({
  method,
  path,
  query: new URLSearchParams(query),
  headers: {},
  body,
  spec: undefined,
})

const kaufland: ChannelBenchSetup = {
  type: 'kaufland',
  timeScale: 1000,
  limits: {
    seller: { ratePerSecond: KAUFLAND_LIMITS.requestsPerSecond, burst: KAUFLAND_LIMITS.requestsPerSecond },
  },
  processingS: 0,
  concurrency: 1,
  note: '150 units per POST /units/bulk (207); 111 req/s per seller',
  minCalls: (n) => Math.ceil(n / KAUFLAND_LIMITS.bulkMaxUnits),
  operation: () => 'seller',
  async start(n, quantity) {
    const sim = await startKauflandSimulator({
      ratePerSecond: KAUFLAND_LIMITS.requestsPerSecond * this.timeScale,
    })
    sim.setUnits(
      Array.from({ length: n }, (_, i) => ({
        id_unit: 1000 + i,
        id_offer: `SKU-${i}`,
        ean: String(4_006_000_000_000 + i),
        amount: 0,
      })),
    )
    const adapter = createKauflandAdapter(
      {
        baseUrl: sim.url,
        storefront: 'de',
        credentials: { clientKey: sim.clientKey, secretKey: sim.secretKey },
      },
      { timeoutMs: 30_000, clock: { now: () => Date.now() } },
    )
    const from = sim.received.length
    return {
      adapter,
      items: Array.from({ length: n }, (_, i) => ({
        listingId: String(1000 + i),
        quantity: quantity(i),
        action: 'set',
        stamp: 1,
      })),
      received: () => sim.received.slice(from).map((r) => recorded(r.method, r.path, r.query, r.body)),
      published: (id) => sim.unit(Number(id))?.amount,
      stop: () => sim.stop(),
    }
  },
}

const zalando: ChannelBenchSetup = {
  type: 'zalando',
  timeScale: 1000,
  // 2000 stock updates a minute is the binding limit: a full request of 1000 updates fits twice a minute.
  limits: {
    stocks: {
      ratePerSecond: ZALANDO_LIMITS.stockItemsPerMinute / ZALANDO_LIMITS.stocksMaxItems / 60,
      burst: ZALANDO_LIMITS.stockItemsPerMinute / ZALANDO_LIMITS.stocksMaxItems,
    },
    token: {
      ratePerSecond: ZALANDO_LIMITS.tokensPerMinute.production / 60,
      burst: ZALANDO_LIMITS.tokensPerMinute.production,
    },
  },
  processingS: 0,
  concurrency: 1,
  note: '2 sales channels: 500 EANs x 2 = 1000 updates per call; 2000 updates/min',
  minCalls: (n) => Math.ceil((n * 2) / ZALANDO_LIMITS.stocksMaxItems),
  operation(r) {
    if (isToken(r)) return 'token'
    return r.path.endsWith('/stocks') ? 'stocks' : undefined
  },
  async start(n, quantity) {
    const sim = await startZalandoSimulator({
      limits: { windowMs: ZALANDO_LIMITS.windowMs / this.timeScale },
    })
    const ean = (i: number) => String(4_063_000_000_000 + i)
    sim.setArticles(Array.from({ length: n }, (_, i) => ({ ean: ean(i), quantity: 0 })))
    const adapter = createZalandoAdapter(
      {
        baseUrl: sim.url,
        merchantId: sim.merchantId,
        salesChannelIds: sim.salesChannelIds,
        credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      },
      { timeoutMs: 30_000, clock: { now: () => Date.now() }, rateScale: this.timeScale },
    )
    const from = sim.server.requests.length
    const channel = sim.salesChannelIds[0] as string
    return {
      adapter,
      items: Array.from({ length: n }, (_, i) => ({
        listingId: ean(i),
        quantity: quantity(i),
        action: 'set',
        stamp: 1,
      })),
      received: () => sim.server.requests.slice(from).map((r) => recorded(r.method, r.path)),
      published: (id) => sim.offer(id, channel).quantity,
      stop: () => sim.stop(),
    }
  },
}

const shopify: ChannelBenchSetup = {
  type: 'shopify',
  timeScale: 1000,
  // Points restored a second on Standard plans; a quantities mutation costs 10.
  limits: {
    inventorySetQuantities: {
      ratePerSecond: SHOPIFY_LIMITS.standardBucket.restoreRate / 10,
      burst: SHOPIFY_LIMITS.standardBucket.maximumAvailable / 10,
    },
  },
  processingS: 0,
  concurrency: 1,
  note: '250 quantities per inventorySetQuantities; variant ids mapped beforehand',
  minCalls: (n) => Math.ceil(n / SHOPIFY_LIMITS.setQuantitiesMax),
  operation: (r) => (r.path.includes('inventorySetQuantities') ? 'inventorySetQuantities' : undefined),
  async start(n, quantity) {
    const sim = await startShopifySimulator({
      restoreRate: SHOPIFY_LIMITS.standardBucket.restoreRate * this.timeScale,
    })
    const ids = sim.setProducts(
      Array.from({ length: n }, (_, i) => ({
        title: `Product ${i}`,
        variants: [{ sku: `SKU-${i}`, available: 0 }],
      })),
    )
    const adapter = createShopifyAdapter(
      { baseUrl: sim.url, credentials: { accessToken: sim.accessToken } },
      { timeoutMs: 30_000, clock: { now: () => Date.now() } },
    )
    let cursor: string | undefined
    do cursor = (await adapter.listListings(cursor)).next
    while (cursor)
    const from = sim.received.length
    return {
      adapter,
      items: ids.map((id, i) => ({ listingId: id, quantity: quantity(i), action: 'set', stamp: 1 })),
      received: () =>
        sim.received
          .slice(from)
          .map((r) => recorded('POST', `/graphql/${r.fields.join('+')}`, {}, r.variables)),
      published: (id) => sim.available(id),
      stop: () => sim.stop(),
    }
  },
}

const woocommerce: ChannelBenchSetup = {
  type: 'woocommerce',
  timeScale: 100,
  // Woo core has no API limit; the worker paces pushes (2 a second) because shared hosts do.
  limits: { batch: WOOCOMMERCE_LIMITS.worker.push },
  processingS: 0,
  concurrency: 1,
  note: '100 per products/batch, confirmed by the batch answer (reconciliation catches ignored writes); paced at 2 batches/s',
  minCalls: (n) => Math.ceil(n / WOOCOMMERCE_LIMITS.batchMax),
  operation: (r) => (r.path.endsWith('/batch') ? 'batch' : undefined),
  async start(n, quantity) {
    const sim = await startWooCommerceSimulator()
    const ids = sim.setProducts(
      Array.from({ length: n }, (_, i) => ({ name: `Product ${i}`, sku: `SKU-${i}`, stock: 0 })),
    )
    const adapter = createWooCommerceAdapter(
      { baseUrl: sim.url, credentials: { consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret } },
      { timeoutMs: 30_000, clock: { now: () => Date.now() } },
    )
    const from = sim.received.length
    return {
      adapter,
      items: ids.map((id, i) => ({ listingId: id, quantity: quantity(i), action: 'set', stamp: 1 })),
      received: () => sim.received.slice(from).map((r) => recorded(r.method, r.path, r.query, r.body)),
      published: (id) => sim.stock(id)?.stock_quantity ?? undefined,
      stop: () => sim.stop(),
    }
  },
}

export const SETUPS: ChannelBenchSetup[] = [amazon, bol, ebay, kaufland, zalando, shopify, woocommerce]

/** Replays the calls, in order, through the channel's real per-operation limits on a virtual clock. */
function impliedWallSeconds(setup: ChannelBenchSetup, calls: RecordedRequest[]): number {
  const buckets = new Map<string, { tokens: number; at: number }>()
  let t = 0
  for (const r of calls) {
    const op = setup.operation(r)
    const limit = op ? setup.limits[op] : undefined
    if (op && limit) {
      const b = buckets.get(op) ?? { tokens: limit.burst, at: 0 }
      b.tokens = Math.min(limit.burst, b.tokens + (t - b.at) * limit.ratePerSecond)
      b.at = t
      if (b.tokens < 1) {
        t += (1 - b.tokens) / limit.ratePerSecond
        b.tokens = 1
        b.at = t
      }
      b.tokens -= 1
      buckets.set(op, b)
    }
    t += ROUND_TRIP_S / setup.concurrency
  }
  return t + setup.processingS
}

async function main() {
  const n = Number(process.argv[2] ?? 10_000)
  const only = process.argv[3]?.split(',')
  const out: Record<string, { calls: number; min_calls: number; implied_wall_s: number }> = {}
  console.log(
    `Full resync of ${n.toLocaleString('en')} listings per channel; simulators run their real limits ${'\u00d7'} time scale.`,
  )
  console.log(
    `Implied wall time = calls replayed through the real limits + ${ROUND_TRIP_S} s assumed round trip (shared by the calls in flight) + channel processing.\n`,
  )
  console.log('channel   scale   calls  min_calls  ratio  measured_s  implied_wall_s  wrong  note')
  for (const setup of SETUPS) {
    if (only && !only.includes(setup.type)) continue
    const quantity = (i: number) => (i * 7) % 50
    const run = await setup.start(n, quantity)
    const started = performance.now()
    await syncUntilSettled(run.adapter, run.items, {
      rateScale: setup.timeScale,
      deadlineMs: 15 * 60_000,
      confirmEveryMs: 100,
      maxWaitMs: 1000,
    })
    const measured = (performance.now() - started) / 1000
    const calls = run.received().filter((r) => !isToken(r))
    const wrong = run.items.filter((it) => run.published(it.listingId) !== it.quantity).length
    const implied = impliedWallSeconds(setup, run.received())
    await run.stop()
    const min = setup.minCalls(n)
    out[setup.type] = { calls: calls.length, min_calls: min, implied_wall_s: Math.round(implied * 10) / 10 }
    console.log(
      [
        setup.type.padEnd(8),
        `${setup.timeScale}x`.padStart(6),
        String(calls.length).padStart(7),
        String(min).padStart(10),
        (calls.length / min).toFixed(2).padStart(6),
        measured.toFixed(1).padStart(11),
        implied.toFixed(1).padStart(15),
        String(wrong).padStart(6),
        ` ${setup.note}`,
      ].join(' '),
    )
  }
  console.log(JSON.stringify(out))
}

await main()
