// The one demo, behind the app's "Try the demo" and `lastunit demo`: the Odoo simulator and the real
// simulator of every channel type, with the demo's configuration written into a database of its own exactly
// as a seller's would be (Odoo connection, channels with their settings and encrypted credentials, location
// rules). The host hands startDemoEnvironment to the runtime (RuntimeOptions.demo), which runs it through
// the same configuration path, adapters and engine as a real seller's. A synthetic market makes stock move.
import { CHANNEL_LABELS, CHANNEL_TYPES, type ChannelType } from '../../../shared/channel-types'
import type { EngineOptions } from '../../node/engine'
import type { AdapterFactoryOptions } from '../../node/runtime/channel-registry'
import type { DemoStartOptions, RuntimeDemo } from '../../node/runtime/runtime-demo'
import { upsertChannel, type ChannelSettings } from '../../node/db/repos/channels'
import { storeCredential } from '../../node/db/repos/credentials'
import { saveOdooConnection } from '../../node/db/repos/odoo-connection'
import { setChannelLocations } from '../../node/db/repos/location-rules'
import { startOdooSim, type OdooSim } from '../odoo/odoo-sim'
import { seededRandom } from '../odoo/demo-catalogue'
import { startAmazonSimulator, AMAZON_SIM_CREDENTIALS, type AmazonSimulator } from '../channels/amazon'
import { startBolSimulator, BOL_SIM_CREDENTIALS, type BolSimulator } from '../channels/bol'
import { startEbaySimulator, EBAY_SIM_CREDENTIALS, type EbaySimulator } from '../channels/ebay'
import { startKauflandSimulator, type KauflandSimulator } from '../channels/kaufland'
import { startZalandoSimulator, type ZalandoSimulator } from '../channels/zalando'
import { startShopifySimulator, type ShopifySimulator } from '../channels/shopify'
import { startWooCommerceSimulator, type WooSimulator } from '../channels/woocommerce'
import { SQS_SIM_CREDENTIALS, startSqsSimulator, type SqsSimulator } from '../queue/sqs-simulator'
import { createChannelAdapter } from '../../node/runtime/channel-registry'
import { getChannel } from '../../node/db/repos/channels'

export interface DemoProduct {
  id: number
  sku: string
  ean: string
  name: string
}

export interface DemoSimulators {
  odoo: OdooSim
  amazon: AmazonSimulator
  bol: BolSimulator
  ebay: EbaySimulator
  kaufland: KauflandSimulator
  zalando: ZalandoSimulator
  shopify: ShopifySimulator
  woocommerce: WooSimulator
  /** The seller's order queue, when the demo runs "Faster orders" (Amazon and bol.com push their orders). */
  sqs?: SqsSimulator
}

/** What the market did: a buyer's order on a marketplace, or a stock move in Odoo. */
export type MarketEvent =
  | {
      kind: 'order'
      at: number
      channel: ChannelType
      channelId: string
      orderId: string
      sku: string
      quantity: number
    }
  | { kind: 'receipt' | 'scrap' | 'inventory'; at: number; sku: string; locationId: number; quantity: number }

export interface DemoEnvironment extends RuntimeDemo {
  readonly sims: DemoSimulators
  readonly products: DemoProduct[]
  /** The locations whose stock counts for every demo channel. */
  readonly locationIds: number[]
  /** Channel ids in the demo database, by type. */
  readonly channelIds: Record<ChannelType, string>
  /**
   * Starts the synthetic market: stock moves in Odoo and buyers order on the channels, every `intervalMs`
   * (default: the option `marketIntervalMs`).
   */
  startMarket(intervalMs?: number): void
  /** Hears every market event (the CLI demo prints them); returns the function that stops listening. */
  onMarketEvent(listener: (e: MarketEvent) => void): () => void
  /**
   * A buyer orders `quantity` of the product with `sku` on the channel of `type`, as on the marketplace
   * itself (its stock drops; LastUnit sees the order at its next order poll). Answers the order's id as
   * LastUnit will see it.
   */
  placeOrder(type: ChannelType, sku: string, quantity?: number): { channelId: string; orderId: string }
  /** The seller's queue when the demo runs Faster orders (its URL and the simulator's access key). */
  readonly queue: { url: string; accessKeyId: string; secretAccessKey: string } | null
  stopMarket(): void
  stop(): Promise<void>
}

export interface DemoEnvironmentOptions extends DemoStartOptions {
  /** Products with stock on every channel (default 40). */
  products?: number
  seed?: number
  /** Speeds the channels' rate windows and delays up (default 20). */
  timeScale?: number
  /** Odoo version to simulate (default 19: JSON-2). */
  odooVersion?: 17 | 18 | 19
  /** Days of sales history in the Odoo catalogue (default 14). */
  historyDays?: number
  /** Time between two market events (default 2500 ms). */
  marketIntervalMs?: number
  /**
   * "Faster orders": an SQS simulator as the seller's queue, Amazon's ORDER_CHANGE and bol.com's ORDER
   * subscriptions to it (made through the adapters), delivered 1-3 s late, 1% twice (default off).
   * 'offered': the queue simulator runs and the marketplaces' simulators publish to it, but nothing is set
   * up in LastUnit: the seller does it in the app ("Faster orders", with `queue` below), as the end-to-end
   * test does. Events are then delivered at once.
   */
  fasterOrders?: boolean | 'offered'
  /** Install Odoo's mrp module (kits) in the simulated Odoo (default false). */
  mrp?: boolean
  /** A host limit in front of the WooCommerce shop, requests per real second (default none: Woo core has none). */
  wooHostLimit?: { ratePerSecond: number; burst: number }
}

/** The engine against the demo: faster polls, and no first-push guard (the demo's listings are its own). */
const DEMO_ENGINE_OPTIONS: Partial<EngineOptions> = {
  pollIntervalMs: 1000,
  orderPollIntervalMs: 2000,
  firstPushGuard: false,
  confirmIntervalMs: 500,
  fullRecomputeSchedule: null,
  reconcileSchedule: null,
}

export async function startDemoEnvironment(opts: DemoEnvironmentOptions): Promise<DemoEnvironment> {
  const timeScale = opts.timeScale ?? 20
  const count = opts.products ?? 40
  const rnd = seededRandom(opts.seed ?? 11)
  const started: Array<{ stop(): Promise<void> }> = []
  try {
    const odoo = await startOdooSim({
      version: opts.odooVersion ?? 19,
      catalogue: { products: count, historyDays: opts.historyDays ?? 14 },
      ...(opts.mrp ? { mrp: true } : {}),
    })
    started.push(odoo)
    const cat = odoo.catalogue!
    const products: DemoProduct[] = cat.productIds
      .map((id) => odoo.store.products.get(id)!)
      .filter((p) => p.active && p.defaultCode && p.barcode)
      .map((p) => ({ id: p.id, sku: p.defaultCode!, ean: p.barcode!, name: p.name }))
    const qty = () => Math.floor(rnd() * 20)

    const amazon = await startAmazonSimulator({ timeScale })
    started.push(amazon)
    amazon.setListings(products.map((p) => ({ sku: p.sku, quantity: qty(), title: p.name })))
    const bol = await startBolSimulator({ timeScale })
    started.push(bol)
    bol.setOffers(products.map((p) => ({ ean: p.ean, reference: p.sku, amount: qty() })))
    const ebay = await startEbaySimulator({ timeScale })
    started.push(ebay)
    ebay.setListings(products.map((p) => ({ sku: p.sku, ean: p.ean, quantity: qty(), title: p.name })))
    const kaufland = await startKauflandSimulator({ specsDir: null })
    started.push(kaufland)
    kaufland.setUnits(
      products.map((p, i) => ({
        id_unit: 900_000 + i,
        id_offer: p.sku,
        ean: p.ean,
        title: p.name,
        amount: qty(),
      })),
    )
    // Zalando's limits are per minute: the window shrinks with the clock, as the adapters pace faster.
    const zalando = await startZalandoSimulator({
      specsDir: null,
      limits: { windowMs: Math.round(60_000 / timeScale) },
    })
    started.push(zalando)
    zalando.setArticles(
      products.map((p) => ({ ean: p.ean, external_id: p.sku, onboarded: true, quantity: qty() })),
    )
    const shopify = await startShopifySimulator({})
    started.push(shopify)
    shopify.setProducts(
      products.map((p) => ({ title: p.name, variants: [{ sku: p.sku, barcode: p.ean, available: qty() }] })),
    )
    const woocommerce = await startWooCommerceSimulator(
      opts.wooHostLimit
        ? {
            hostRatePerSecond: opts.wooHostLimit.ratePerSecond,
            hostBurst: opts.wooHostLimit.burst,
            timeScale,
          }
        : {},
    )
    started.push(woocommerce)
    woocommerce.setProducts(
      products.map((p) => ({ name: p.name, sku: p.sku, gtin: p.ean, stock: qty(), manageStock: true })),
    )

    const sims: DemoSimulators = { odoo, amazon, bol, ebay, kaufland, zalando, shopify, woocommerce }
    let queue: {
      url: string
      arn: string
      region: string
      /** Only offered: the seller sets it up in the app. */
      offered: boolean
      credentials: Record<string, string>
    } | null = null
    if (opts.fasterOrders) {
      const offered = opts.fasterOrders === 'offered'
      const sqs = await startSqsSimulator({
        deliveryDelayMs: offered ? { min: 0, max: 0 } : { min: 1000, max: 3000 },
        duplicateRate: offered ? 0 : 0.01,
        seed: opts.seed ?? 11,
      })
      started.push(sqs)
      sims.sqs = sqs
      const url = sqs.createQueue('lastunit-demo-orders')
      amazon.connectQueue(sqs)
      bol.connectQueue(sqs)
      queue = {
        url,
        arn: `arn:aws:sqs:${sqs.region}:000000000000:lastunit-demo-orders`,
        // The simulator's address (127.0.0.1) names no region: the channels say it in a setting.
        region: sqs.region,
        offered,
        credentials: {
          queueUrl: url,
          queueAccessKeyId: SQS_SIM_CREDENTIALS.accessKeyId,
          queueSecretAccessKey: SQS_SIM_CREDENTIALS.secretAccessKey,
        },
      }
    }
    const locationIds = [cat.warehouses[0]!.lotStockId, cat.warehouses[1]!.lotStockId]
    const channelIds = Object.fromEntries(CHANNEL_TYPES.map((t) => [t, `demo-${t}`])) as Record<
      ChannelType,
      string
    >

    const channel: Record<
      ChannelType,
      { url: string; settings: ChannelSettings; credentials: Record<string, string> }
    > = {
      amazon: {
        url: amazon.url,
        settings: {
          sellerId: amazon.sellerId,
          marketplaceIds: [amazon.marketplaceId],
          tokenUrl: `${amazon.url}/auth/o2/token`,
          ...(queue ? { queueRegion: queue.region } : {}),
        },
        credentials: { ...AMAZON_SIM_CREDENTIALS, ...(queue && !queue.offered ? queue.credentials : {}) },
      },
      bol: {
        url: bol.baseUrl,
        settings: {
          tokenUrl: bol.tokenUrl,
          ...(queue
            ? { queueRoleArn: 'arn:aws:iam::000000000000:role/bol-orders', queueRegion: queue.region }
            : {}),
        },
        credentials: { ...BOL_SIM_CREDENTIALS, ...(queue && !queue.offered ? queue.credentials : {}) },
      },
      ebay: {
        url: ebay.url,
        settings: { marketplaceId: ebay.marketplaceId, contentLanguage: 'de-DE' },
        credentials: EBAY_SIM_CREDENTIALS,
      },
      kaufland: {
        url: kaufland.url,
        settings: { storefront: 'de' },
        credentials: { clientKey: kaufland.clientKey, secretKey: kaufland.secretKey },
      },
      zalando: {
        url: zalando.url,
        settings: { merchantId: zalando.merchantId, salesChannelIds: zalando.salesChannelIds },
        credentials: { clientId: zalando.clientId, clientSecret: zalando.clientSecret },
      },
      shopify: {
        url: shopify.url,
        settings: { locationId: shopify.locationId },
        credentials: { accessToken: shopify.accessToken },
      },
      woocommerce: {
        url: woocommerce.url,
        settings: {},
        credentials: { consumerKey: woocommerce.consumerKey, consumerSecret: woocommerce.consumerSecret },
      },
    }
    const { db, vault } = opts
    db.transaction(() => {
      saveOdooConnection(db, {
        url: odoo.url,
        database: odoo.database,
        username: odoo.login,
        transport: 'auto',
        allowInsecureHttp: false,
        timeoutMs: 15_000,
        pollIntervalMs: 1000,
      })
      storeCredential(db, vault, 'odoo', 'apiKey', odoo.apiKey)
      for (const type of CHANNEL_TYPES) {
        const c = channel[type]
        const id = channelIds[type]
        upsertChannel(db, {
          id,
          type,
          // The brands' own spelling: eBay, WooCommerce, bol.com.
          name: `Demo ${CHANNEL_LABELS[type]}`,
          baseUrl: c.url,
          environment: 'custom',
          settings: c.settings,
          stockBasis: 'free',
          zeroStockAction:
            type === 'amazon' ? 'push_zero' : type === 'bol' || type === 'kaufland' ? 'pause' : 'push_zero',
          orderImport: true,
          odooPartnerId: cat.customerPartnerId,
          odooWarehouseId: cat.warehouses[0]!.id,
          maxPublished: null,
          zeroBelow: null,
          state: 'live',
        })
        for (const [name, value] of Object.entries(c.credentials))
          storeCredential(db, vault, `channel:${id}`, name, value)
        setChannelLocations(db, id, locationIds)
      }
    })()
    if (queue && !queue.offered)
      // The subscriptions, as "Faster orders" makes them: through the channels' own adapters.
      for (const type of ['amazon', 'bol'] as const) {
        const c = channel[type]
        const adapter = createChannelAdapter(getChannel(db, channelIds[type])!, c.credentials, {
          rateScale: timeScale,
          timeoutMs: 10_000,
        })
        const sub = await adapter.notifications!.subscribe({ arn: queue.arn, url: queue.url })
        if (!sub.active) throw new Error(`demo: the ${type} order subscription failed: ${sub.message}`)
      }

    let market: ReturnType<typeof setInterval> | null = null
    const listeners = new Set<(e: MarketEvent) => void>()
    const tell = (e: MarketEvent) => {
      for (const l of listeners) l(e)
    }
    /** The channel's listing of a product, by the id its adapter uses. */
    const listingOf = (type: ChannelType, p: DemoProduct): string | null =>
      sims[type].probe.listingIndex().find((l) => l.sku === p.sku || l.ean === p.ean)?.listingId ?? null
    const placeOrder = (type: ChannelType, sku: string, quantity = 1) => {
      const p = products.find((x) => x.sku === sku)
      if (!p) throw new Error(`demo: no product with SKU ${sku}`)
      const listingId = listingOf(type, p)
      if (!listingId) throw new Error(`demo: ${type} has no listing of ${sku}`)
      return { channelId: channelIds[type], orderId: sims[type].probe.placeOrder(listingId, quantity) }
    }
    const move = () => {
      const p = products[Math.floor(rnd() * products.length)]
      if (!p) return
      const loc = locationIds[Math.floor(rnd() * locationIds.length)]!
      const r = rnd()
      if (r < 0.5) {
        // A buyer on one of the channels: every other channel drops at once, and the order reaches Odoo.
        const type = CHANNEL_TYPES[Math.floor(rnd() * CHANNEL_TYPES.length)]!
        const listingId = listingOf(type, p)
        const shows = listingId ? sims[type].probe.listingState(listingId) : undefined
        if (listingId && shows?.buyable && shows.quantity >= 1) {
          try {
            const orderId = sims[type].probe.placeOrder(listingId, 1)
            const channelId = channelIds[type]
            tell({
              kind: 'order',
              at: Date.now(),
              channel: type,
              channelId,
              orderId,
              sku: p.sku,
              quantity: 1,
            })
          } catch {
            // Sold out between the look and the order: the next tick tries another.
          }
        }
      } else if (r < 0.7) {
        const quantity = 1 + Math.floor(rnd() * 5)
        odoo.store.receive(p.id, loc, quantity)
        tell({ kind: 'receipt', at: Date.now(), sku: p.sku, locationId: loc, quantity })
      } else if (r < 0.85 && odoo.store.stockOf(p.id, [loc]).free > 0) {
        odoo.store.scrap(p.id, loc, 1)
        tell({ kind: 'scrap', at: Date.now(), sku: p.sku, locationId: loc, quantity: 1 })
      } else {
        const quantity = Math.floor(rnd() * 25)
        odoo.store.applyInventory(p.id, loc, quantity)
        tell({ kind: 'inventory', at: Date.now(), sku: p.sku, locationId: loc, quantity })
      }
    }
    return {
      sims,
      products,
      locationIds,
      channelIds,
      placeOrder,
      queue: queue
        ? {
            url: queue.url,
            accessKeyId: SQS_SIM_CREDENTIALS.accessKeyId,
            secretAccessKey: SQS_SIM_CREDENTIALS.secretAccessKey,
          }
        : null,
      engineOptions: DEMO_ENGINE_OPTIONS,
      // The simulators' rate windows run `timeScale` times faster: so do the adapters' declared limits.
      adapterOptions: { rateScale: timeScale, timeoutMs: 10_000 } satisfies AdapterFactoryOptions,
      startMarket(intervalMs = opts.marketIntervalMs ?? 2500) {
        if (market) return
        market = setInterval(move, intervalMs)
        market.unref?.()
      },
      onMarketEvent(listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      stopMarket() {
        if (market) clearInterval(market)
        market = null
      },
      async stop() {
        if (market) clearInterval(market)
        market = null
        listeners.clear()
        for (const s of started.reverse()) await s.stop().catch(() => undefined)
      },
    }
  } catch (e) {
    for (const s of started.reverse()) await s.stop().catch(() => undefined)
    throw e
  }
}
