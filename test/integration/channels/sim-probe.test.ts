// The probe every channel simulator offers the fault campaign: listings by the id the engine's adapter
// uses, a callback for every accepted stock write, what buyers see, and buyer orders the adapter imports.
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelAdapter, PushItem } from '../../../main/core/ports/channel-adapter'
import { isGuardedAdapter } from '../../../main/node/channels/kit/value-checks'
import { systemClock } from '../../../main/core/ports/clock'
import { createAmazonAdapter } from '../../../main/node/channels/amazon'
import { createBolAdapter } from '../../../main/node/channels/bol'
import { createEbayAdapter } from '../../../main/node/channels/ebay'
import { createKauflandAdapter } from '../../../main/node/channels/kaufland'
import { createShopifyAdapter } from '../../../main/node/channels/shopify'
import { createWooCommerceAdapter } from '../../../main/node/channels/woocommerce'
import { createZalandoAdapter } from '../../../main/node/channels/zalando'
import { AMAZON_SIM_CREDENTIALS, startAmazonSimulator } from '../../../main/sandbox/channels/amazon'
import { BOL_SIM_CREDENTIALS, startBolSimulator } from '../../../main/sandbox/channels/bol'
import { EBAY_SIM_CREDENTIALS, startEbaySimulator } from '../../../main/sandbox/channels/ebay'
import { startKauflandSimulator } from '../../../main/sandbox/channels/kaufland'
import type { ChannelSimProbe, StockWrite } from '../../../main/sandbox/kit'
import { startShopifySimulator } from '../../../main/sandbox/channels/shopify'
import { startWooCommerceSimulator } from '../../../main/sandbox/channels/woocommerce'
import { startZalandoSimulator } from '../../../main/sandbox/channels/zalando'
import { drainOrders, syncUntilSettled } from './channel-sync-driver'

const SCALE = 1000

interface Case {
  probe: ChannelSimProbe
  adapter: ChannelAdapter
  /** The seeded listings, as the probe must name them. */
  ids: string[]
  /** Whether expireTokens has tokens to expire. */
  tokens: boolean
  /** False where the channel has no pause (Amazon publishes 0). */
  pauses: boolean
  /** False where the adapter lists nothing and the engine matches listings by EAN (Zalando). */
  lists?: false
  stop(): Promise<void>
}

const SETUPS: Record<string, () => Promise<Case>> = {
  amazon: async () => {
    const sim = await startAmazonSimulator({ timeScale: SCALE })
    sim.setListings([0, 1, 2].map((i) => ({ sku: `SKU-${i}`, quantity: 5 })))
    const adapter = createAmazonAdapter(
      {
        baseUrl: sim.url,
        tokenUrl: `${sim.url}/auth/o2/token`,
        sellerId: sim.sellerId,
        marketplaceIds: [sim.marketplaceId],
        credentials: AMAZON_SIM_CREDENTIALS,
      },
      { rateScale: SCALE, timeoutMs: 2_000, backoffMs: 5 },
    )
    return {
      probe: sim.probe,
      adapter,
      ids: ['SKU-0', 'SKU-1', 'SKU-2'],
      tokens: true,
      pauses: false,
      stop: sim.stop,
    }
  },
  bol: async () => {
    const sim = await startBolSimulator({ timeScale: SCALE })
    const ids = sim.setOffers(
      [0, 1, 2].map((i) => ({ ean: String(8712345000000 + i), reference: `SKU-${i}`, amount: 5 })),
    )
    const adapter = createBolAdapter(
      { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: BOL_SIM_CREDENTIALS },
      { rateScale: SCALE, timeoutMs: 2_000, backoffMs: 5 },
    )
    return { probe: sim.probe, adapter, ids, tokens: true, pauses: true, stop: sim.stop }
  },
  ebay: async () => {
    const sim = await startEbaySimulator({ timeScale: SCALE })
    sim.setListings([0, 1, 2].map((i) => ({ sku: `SKU-${i}`, quantity: 5, ean: String(4006381333900 + i) })))
    const adapter = createEbayAdapter(
      {
        baseUrl: sim.url,
        marketplaceId: 'EBAY_DE',
        contentLanguage: 'de-DE',
        credentials: EBAY_SIM_CREDENTIALS,
      },
      {
        rateScale: SCALE,
        timeoutMs: 2_000,
        backoffMs: 5,
        revisions: { dayMs: 86_400_000 / SCALE },
      },
    )
    return {
      probe: sim.probe,
      adapter,
      ids: ['SKU-0', 'SKU-1', 'SKU-2'],
      tokens: true,
      pauses: true,
      stop: sim.stop,
    }
  },
  kaufland: async () => {
    const sim = await startKauflandSimulator({ specsDir: null })
    sim.setUnits(
      [0, 1, 2].map((i) => ({
        id_unit: 1001 + i,
        id_offer: `SKU-${i}`,
        ean: String(4006381333000 + i),
        amount: 5,
      })),
    )
    const adapter = createKauflandAdapter(
      {
        baseUrl: sim.url,
        storefront: 'de',
        credentials: { clientKey: sim.clientKey, secretKey: sim.secretKey },
      },
      { timeoutMs: 2_000, clock: systemClock },
    )
    return {
      probe: sim.probe,
      adapter,
      ids: ['1001', '1002', '1003'],
      tokens: false,
      pauses: true,
      stop: sim.stop,
    }
  },
  zalando: async () => {
    const sim = await startZalandoSimulator({ specsDir: null })
    const eans = [0, 1, 2].map((i) => String(4006381300000 + i))
    sim.setArticles(eans.map((ean, i) => ({ ean, external_id: `SKU-${i}`, quantity: 5 })))
    const adapter = createZalandoAdapter(
      {
        baseUrl: sim.url,
        merchantId: sim.merchantId,
        salesChannelIds: sim.salesChannelIds,
        credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      },
      { timeoutMs: 2_000, clock: systemClock },
    )
    return { probe: sim.probe, adapter, ids: eans, tokens: true, pauses: true, lists: false, stop: sim.stop }
  },
  shopify: async () => {
    const sim = await startShopifySimulator()
    const ids = sim.setProducts(
      [0, 1, 2].map((i) => ({
        title: `Shirt ${i}`,
        variants: [{ sku: `SH-${i}`, barcode: `40000000${String(i).padStart(5, '0')}`, available: 5 }],
      })),
    )
    const adapter = createShopifyAdapter(
      { baseUrl: sim.url, credentials: { accessToken: sim.accessToken } },
      { timeoutMs: 2_000, clock: systemClock },
    )
    return { probe: sim.probe, adapter, ids, tokens: false, pauses: true, stop: sim.stop }
  },
  woocommerce: async () => {
    const sim = await startWooCommerceSimulator()
    const ids = sim.setProducts([
      { name: 'Mug', sku: 'MUG', stock: 5, gtin: '4012345000001' },
      {
        name: 'Tee',
        sku: 'TEE',
        variations: [
          { sku: 'TEE-S', option: 'S', stock: 5 },
          { sku: 'TEE-M', option: 'M', stock: 5 },
        ],
      },
    ])
    const adapter = createWooCommerceAdapter(
      {
        baseUrl: sim.url,
        credentials: { consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret },
      },
      { timeoutMs: 2_000, clock: systemClock },
    )
    return { probe: sim.probe, adapter, ids, tokens: false, pauses: true, stop: sim.stop }
  },
}

let current: Case | undefined
const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  await current?.stop()
  current = undefined
  for (const stop of cleanup.splice(0)) await stop()
})

const push = (listingId: string, quantity: number, action: PushItem['action'], stamp: number) =>
  syncUntilSettled(current!.adapter, [{ listingId, quantity, action, stamp }], { rateScale: SCALE })

describe.each(Object.keys(SETUPS))('the %s simulator probe', (type) => {
  it('indexes the listings by the adapter id, reports accepted writes and imports its orders', async () => {
    current = await SETUPS[type]!()
    const { probe, adapter, ids } = current
    const [id, other] = ids as [string, string]
    // Every channel's pagers and numbers are guarded (repeated cursors, page cap, ranges: #21).
    expect(isGuardedAdapter(adapter)).toBe(true)

    // The probe names listings the way the adapter does.
    const index = probe.listingIndex()
    expect(index.map((l) => l.listingId).sort()).toEqual([...ids].sort())
    const listed = await adapter.listListings()
    if (current.lists === false) expect(index.map((l) => l.ean).sort()).toEqual([...ids].sort())
    else expect(listed.items.map((l) => l.listingId).sort()).toEqual([...ids].sort())
    for (const l of listed.items) {
      const mine = index.find((x) => x.listingId === l.listingId)
      expect(mine?.sku).toBe(l.sku)
      if (l.ean !== null) expect(mine?.ean).toBe(l.ean)
    }
    expect(probe.listingState(id)).toEqual({ quantity: 5, buyable: true })
    expect(probe.listingState('no-such-listing')).toBeUndefined()

    // A stock write through the real adapter.
    const writes: StockWrite[] = []
    probe.onStockWrite = (w) => writes.push(w)
    const set = await push(id, 7, 'set', 1)
    expect(set.final.get(id)?.outcome).toBe('confirmed')
    expect(writes.filter((w) => w.listingId === id).at(-1)).toMatchObject({ quantity: 7, paused: false })
    expect(writes.every((w) => w.listingId === id)).toBe(true)
    expect(probe.listingState(id)).toEqual({ quantity: 7, buyable: true })

    // A buyer order lowers what buyers see, and the adapter imports it under the id the probe returned.
    const since = new Date(Date.now() - 60_000).toISOString()
    const orderId = probe.placeOrder(id, 2)
    expect(probe.listingState(id)).toMatchObject({ quantity: 5 })
    const { orders } = await drainOrders(adapter, since, { maxWaitMs: 100 })
    expect([...orders.keys()]).toContain(orderId)
    expect(() => probe.placeOrder('no-such-listing', 1)).toThrow(/no-such-listing/)
    expect(() => probe.placeOrder(other, 6)).toThrow(/5 in stock, 6 ordered/)

    // Zero stock: a pause where the channel has one, 0 published where it has not.
    writes.length = 0
    await push(other, 0, 'pause', 2)
    expect(writes.length).toBeGreaterThan(0)
    expect(writes.at(-1)).toMatchObject({ listingId: other, quantity: 0, paused: current.pauses })
    expect(probe.listingState(other)).toMatchObject({ buyable: false })

    expect(probe.limitHits).toBe(0)
    expect(probe.expireTokens()).toBe(current.tokens)
  })
})

describe('probe details', () => {
  it('Amazon reports a feed write per message when the feed is accepted, before it is applied', async () => {
    const sim = await startAmazonSimulator({ timeScale: SCALE, feedProcessingMs: 60_000_000 })
    cleanup.push(sim.stop)
    sim.setListings(Array.from({ length: 25 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 5 })))
    const adapter = createAmazonAdapter(
      {
        baseUrl: sim.url,
        tokenUrl: `${sim.url}/auth/o2/token`,
        sellerId: sim.sellerId,
        marketplaceIds: [sim.marketplaceId],
        credentials: AMAZON_SIM_CREDENTIALS,
      },
      { rateScale: SCALE, timeoutMs: 2_000, backoffMs: 5 },
    )
    const writes: StockWrite[] = []
    sim.probe.onStockWrite = (w) => writes.push(w)
    const res = await adapter.push(
      Array.from({ length: 25 }, (_, i) => ({ listingId: `SKU-${i}`, quantity: i, action: 'set', stamp: 1 })),
    )
    expect(res.results.every((r) => r.outcome === 'accepted')).toBe(true)
    expect(sim.counts.feeds).toBe(1)
    expect(writes.map((w) => [w.listingId, w.quantity])).toEqual(
      Array.from({ length: 25 }, (_, i) => [`SKU-${i}`, i]),
    )
    expect(sim.probe.listingState('SKU-3')).toEqual({ quantity: 5, buyable: true }) // not applied yet
  })

  it("limitHits counts the simulator's own 429s, not an injected storm", async () => {
    const sim = await startWooCommerceSimulator({ hostRatePerSecond: 2 })
    cleanup.push(sim.stop)
    sim.setProducts([{ name: 'Mug', sku: 'MUG', stock: 5 }])
    const auth = `Basic ${Buffer.from(`${sim.consumerKey}:${sim.consumerSecret}`).toString('base64')}`
    const get = () =>
      fetch(`${sim.url}/wp-json/wc/v3/products`, { headers: { authorization: auth } }).then((r) => r.status)
    sim.faults = { throttleStorm: { retryAfterMs: 1000 } }
    expect(await Promise.all([get(), get(), get()])).toEqual([429, 429, 429])
    // The host counts requests at its door, as they arrive, before the injected storm behind it: the
    // requests it let through got the storm's 429, the others its own, and only those are limit hits.
    const storm = sim.server.faultCounts.throttle_storm!
    expect(storm).toBeGreaterThan(0)
    expect(sim.probe.limitHits).toBe(3 - storm)
    const before = sim.probe.limitHits
    sim.faults = {}
    const statuses = await Promise.all([get(), get(), get(), get()])
    expect(statuses.filter((s) => s === 429).length).toBe(sim.probe.limitHits - before)
    expect(sim.probe.limitHits).toBeGreaterThan(before)
    expect(sim.server.limited).toBe(sim.probe.limitHits)
    expect(sim.server.faultCounts.throttle_storm).toBe(storm)
  })

  it("WooCommerce's host limit runs on the simulator's clock: timeScale times the rate, the burst it was given", async () => {
    const clock = { t: 1_000_000, now: () => clock.t }
    const sim = await startWooCommerceSimulator({ hostRatePerSecond: 1, hostBurst: 2, timeScale: 100, clock })
    cleanup.push(sim.stop)
    sim.setProducts([{ name: 'Mug', sku: 'MUG', stock: 5 }])
    const auth = `Basic ${Buffer.from(`${sim.consumerKey}:${sim.consumerSecret}`).toString('base64')}`
    const get = () =>
      fetch(`${sim.url}/wp-json/wc/v3/products`, { headers: { authorization: auth } }).then((r) => r.status)
    // Two at once (the burst), a third refused; 10 ms later (one request at 100 a second) one more.
    expect([await get(), await get(), await get()]).toEqual([200, 200, 429])
    clock.t += 10
    expect(await get()).toBe(200)
    expect(await get()).toBe(429)
    expect(sim.probe.limitHits).toBe(2)
  })

  it('Zalando reports one write per EAN however many sales channels the request names', async () => {
    const sim = await startZalandoSimulator({ specsDir: null })
    cleanup.push(sim.stop)
    const eans = ['4006381300000', '4006381300001']
    sim.setArticles(eans.map((ean) => ({ ean, quantity: 5 })))
    const adapter = createZalandoAdapter(
      {
        baseUrl: sim.url,
        merchantId: sim.merchantId,
        salesChannelIds: sim.salesChannelIds,
        credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      },
      { timeoutMs: 2_000, clock: systemClock },
    )
    const writes: StockWrite[] = []
    sim.probe.onStockWrite = (w) => writes.push(w)
    await adapter.push(eans.map((ean, i) => ({ listingId: ean, quantity: 8 + i, action: 'set', stamp: 1 })))
    expect(writes.map((w) => [w.listingId, w.quantity, w.paused])).toEqual([
      [eans[0], 8, false],
      [eans[1], 9, false],
    ])
  })
})
