import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../../../main/core/ports/clock'
import type { ChannelAdapter, ChannelOrder } from '../../../../main/core/ports/channel-adapter'
import { createShopifyAdapter, type ShopifyConfig } from '../../../../main/node/channels/shopify'
import { startShopifySimulator, type ShopifySimulator } from '../../../../main/sandbox/channels/shopify'
import { set, thrown } from '../../../helpers/push-items'
import { inMemoryRateMemory } from '../../../helpers/rate-memory'

describe('Shopify adapter against the simulator', () => {
  let sim: ShopifySimulator
  let adapter: ChannelAdapter
  let config: ShopifyConfig
  let ids: string[]

  const start = async (o: { bucketSize?: number; restoreRate?: number } = {}) => {
    sim = await startShopifySimulator(o)
    ids = sim.setProducts([
      ...Array.from({ length: 120 }, (_, i) => ({
        title: `Shirt ${i}`,
        variants: [{ sku: `SH-${i}`, barcode: `40000000${String(i).padStart(5, '0')}`, available: 2 }],
      })),
      {
        title: 'Jeans',
        variants: [
          { sku: 'JE-30', available: 1 },
          { sku: 'JE-32', available: 1 },
        ],
      },
      { title: 'Cap', variants: [{ sku: 'CAP', stocked: false }] },
    ])
    config = { baseUrl: sim.url, credentials: { accessToken: sim.accessToken } }
    adapter = createShopifyAdapter(config, { timeoutMs: 2000, clock: systemClock })
  }
  beforeEach(() => start())
  afterEach(() => sim.stop())

  it('tests the connection and picks the active location', async () => {
    const r = await adapter.testConnection()
    expect(r.ok).toBe(true)
    expect(r.details?.['locationId']).toBe(sim.locationId)
  })

  it('lists variants for mapping with cursor paging, SKU and barcode', async () => {
    const p1 = await adapter.listListings()
    expect(p1.items).toHaveLength(100)
    expect(p1.items[0]).toMatchObject({
      listingId: ids[0],
      sku: 'SH-0',
      ean: '4000000000000',
      quantity: 2,
      paused: false,
      title: 'Shirt 0',
    })
    const p2 = await adapter.listListings(p1.next)
    expect(p2.items).toHaveLength(23)
    expect(p2.next).toBeUndefined()
    expect(p2.items.find((l) => l.sku === 'JE-32')?.title).toBe('Jeans - Size 2')
  })

  it('sets many quantities in one inventorySetQuantities with name available, a reason, changeFromQuantity and an idempotency key', async () => {
    const items = ids.slice(0, 110).map((id, i) => set(id, i))
    const r = await adapter.push(items)
    expect(r.results.every((x) => x.outcome === 'confirmed')).toBe(true)
    expect(sim.available(ids[42] as string)).toBe(42)
    const mutation = sim.received.filter((x) => x.fields.includes('inventorySetQuantities'))
    expect(mutation).toHaveLength(1)
    const input = mutation[0]?.variables['input'] as {
      name: string
      reason: string
      quantities: { changeFromQuantity: unknown }[]
    }
    expect(input.name).toBe('available')
    expect(input.reason).toBe('correction')
    expect(input.quantities).toHaveLength(110)
    expect(input.quantities.every((q) => 'changeFromQuantity' in q && q.changeFromQuantity === null)).toBe(
      true,
    )
    expect(mutation[0]?.idempotencyKey).toMatch(/^lastunit-[0-9a-f]{40}$/)
    expect(r.rateLimit?.remaining).toBeGreaterThan(0)
  })

  it('a retried batch reuses its idempotency key, so Shopify does not apply it twice', async () => {
    await adapter.push([set(ids[0] as string, 5, 7)])
    sim.placeOrder([{ variantId: ids[0] as string, quantity: 2 }])
    expect(sim.available(ids[0] as string)).toBe(3)
    await adapter.push([set(ids[0] as string, 5, 7)])
    const keys = sim.received.filter((x) => x.idempotencyKey).map((x) => x.idempotencyKey)
    expect(keys[0]).toBe(keys[1])
    expect(sim.available(ids[0] as string)).toBe(3)
  })

  it('rejects the one refused quantity and retries the others (the mutation is all or nothing)', async () => {
    const cap = ids.at(-1) as string
    const r = await adapter.push([
      set(ids[0] as string, 9),
      set(cap, 1),
      set('gid://shopify/ProductVariant/1', 1),
      set('123', 1),
    ])
    expect(r.results.find((x) => x.listingId === cap)).toMatchObject({
      outcome: 'rejected',
      code: 'ITEM_NOT_STOCKED_AT_LOCATION',
    })
    expect(r.results.find((x) => x.listingId === ids[0])).toMatchObject({ outcome: 'retry' })
    expect(r.results.find((x) => x.listingId === 'gid://shopify/ProductVariant/1')).toMatchObject({
      outcome: 'rejected',
      code: 'shopify.unknown_variant',
    })
    expect(r.results.find((x) => x.listingId === '123')?.message).toContain('"123"')
    expect(sim.available(ids[0] as string)).toBe(2)
    const again = await adapter.push([set(ids[0] as string, 9)])
    expect(again.results[0]?.outcome).toBe('confirmed')
  })

  it('pauses by setting the product to DRAFT and resumes with ACTIVE; read-back shows both', async () => {
    await adapter.push([{ listingId: ids[3] as string, quantity: 0, action: 'pause', stamp: 1 }])
    expect(sim.productStatus(ids[3] as string)).toBe('DRAFT')
    expect(sim.available(ids[3] as string)).toBe(0)
    expect(await adapter.readBack?.([ids[3] as string])).toEqual([
      { listingId: ids[3], quantity: 0, available: false },
    ])
    await adapter.push([{ listingId: ids[3] as string, quantity: 6, action: 'resume', stamp: 2 }])
    expect(sim.productStatus(ids[3] as string)).toBe('ACTIVE')
    expect(await adapter.readBack?.([ids[3] as string])).toEqual([
      { listingId: ids[3], quantity: 6, available: true },
    ])
  })

  it('imports orders updated after a time with cursor paging, cancellations and removed units', async () => {
    const since = new Date(Date.now() - 1000).toISOString()
    const orderIds = Array.from({ length: 32 }, (_, i) =>
      sim.placeOrder([
        { variantId: ids[i % 10] as string, quantity: 2 },
        { variantId: ids[50] as string, quantity: 1 },
      ]),
    )
    await new Promise((r) => setTimeout(r, 5))
    sim.cancelOrder(orderIds[0] as string)
    sim.removeUnits(orderIds[1] as string, 0, 1)
    const all: ChannelOrder[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const p = await adapter.fetchOrders(since, cursor)
      all.push(...p.items)
      cursor = p.next
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(all).toHaveLength(32)
    expect(all.at(-1)?.orderId).toBe(orderIds[1]) // sorted by updated_at
    const cancelled = all.find((o) => o.orderId === orderIds[0])
    expect(cancelled?.status).toBe('cancelled')
    expect(cancelled?.lines.every((l) => l.cancelledQuantity === l.quantity)).toBe(true)
    const edited = all.find((o) => o.orderId === orderIds[1])
    expect(edited?.status).toBe('partially_cancelled')
    expect(edited?.lines[0]).toMatchObject({
      quantity: 2,
      cancelledQuantity: 1,
      listingId: ids[1],
      sku: 'SH-1',
      unitPrice: 19.9,
    })
    const later = await adapter.fetchOrders(new Date(Date.now() + 1000).toISOString())
    expect(later.items).toHaveLength(0)
  })

  it('reads every line of an order with more lines than one page holds', async () => {
    const since = new Date(Date.now() - 1000).toISOString()
    const big = sim.placeOrder(ids.slice(0, 120).map((variantId) => ({ variantId, quantity: 1 })))
    const page = await adapter.fetchOrders(since)
    const order = page.items.find((o) => o.orderId === big)
    expect(order?.lines).toHaveLength(120)
    expect(new Set(order?.lines.map((l) => l.lineId)).size).toBe(120)
    expect(order?.lines.at(-1)?.sku).toBe('SH-119')
  })

  it('a revoked or expired token asks the seller to reconnect, without showing the token', async () => {
    sim.revokeToken()
    const e = await thrown(adapter.push([set(ids[0] as string, 1)]))
    expect(e).toMatchObject({ kind: 'needs_seller', code: 'shopify.auth' })
    expect(e.message + (e.hint ?? '')).not.toContain(config.credentials.accessToken)
    expect((await adapter.testConnection()).ok).toBe(false)
  })

  it('waits for the cost bucket from throttleStatus, and reports THROTTLED as retryable with the wait', async () => {
    await sim.stop()
    await start({ bucketSize: 400, restoreRate: 200 })
    await adapter.listListings() // cost 302 requested, learns the bucket
    const t0 = Date.now()
    await adapter.listListings() // would be throttled without waiting
    expect(Date.now() - t0).toBeGreaterThan(100)
    // A second client drains the bucket behind our back: Shopify answers THROTTLED at HTTP 200.
    sim.drainBucket(0)
    // A THROTTLED answer is waited out inline when the wait is short; longer than the client may wait, it
    // comes back as retryable with the wait the throttle status implies.
    const e = await thrown(
      createShopifyAdapter(config, {
        timeoutMs: 2000,
        clock: systemClock,
        maxInlineWaitMs: 50,
      }).listListings(),
    )
    expect(e).toMatchObject({ kind: 'retryable', code: 'shopify.throttled' })
    expect(e.retryAfterMs).toBeGreaterThan(50) // 22 points for the location query at 200 a second
    const slow = createShopifyAdapter(config, { timeoutMs: 2000, clock: systemClock, maxInlineWaitMs: 0 })
    await slow.testConnection().catch(() => undefined)
    sim.drainBucket(0)
    await thrown(slow.listListings()).then((x) => expect(x.kind).toBe('retryable'))
  })

  it('a restarted process goes on with the cost bucket the last one left, and is never throttled for it', async () => {
    await sim.stop()
    await start({ bucketSize: 400, restoreRate: 200 })
    const rateMemory = inMemoryRateMemory()
    const first = createShopifyAdapter(config, { timeoutMs: 2000, clock: systemClock, rateMemory })
    await first.listListings() // spends about 300 of 400 points
    expect(rateMemory.load('cost')?.tokens).toBeLessThan(150)
    // Killed; a new process at once: without the memory its first read would be THROTTLED.
    const second = createShopifyAdapter(config, { timeoutMs: 2000, clock: systemClock, rateMemory })
    const t0 = Date.now()
    await second.listListings()
    expect(Date.now() - t0).toBeGreaterThan(100)
    expect(sim.probe.limitHits).toBe(0)
  })

  it('queries that wait for the bucket side by side each spend their points: none is throttled', async () => {
    await sim.stop()
    await start({ bucketSize: 400, restoreRate: 400 })
    const a = createShopifyAdapter(config, { timeoutMs: 2000, clock: systemClock })
    await a.listListings() // leaves about 100 of 400 points
    // Four reads at once, each about 300 points: they must go one after another as the bucket refills.
    await Promise.all(Array.from({ length: 4 }, () => a.listListings()))
    expect(sim.probe.limitHits).toBe(0)
  })

  it('a 429 read while a query waits for points holds that query too', async () => {
    await sim.stop()
    await start({ bucketSize: 400, restoreRate: 400 })
    // A 429 (Retry-After 1 s) is longer than this client waits inline: it comes back at once, and holds.
    const a = createShopifyAdapter(config, { timeoutMs: 2000, clock: systemClock, maxInlineWaitMs: 800 })
    await a.listListings() // leaves about 100 of 400 points
    // About 300 points short: this read waits half a second for the bucket.
    const waiting = a.listListings()
    // Meanwhile a cheap query gets a 429 with Retry-After: 1.
    sim.faults = { throttleStorm: { retryAfterMs: 1000 } }
    await a.testConnection().catch(() => undefined)
    expect(sim.server.faultCounts['throttle_storm']).toBe(1)
    sim.faults = {}
    const t0 = Date.now()
    await waiting
    // The waiting read went after the hold, not when its points were there.
    expect(sim.server.earlyRetries).toBe(0)
    expect(Date.now() - t0).toBeGreaterThan(700)
  })

  it('a 429 hold outlives the process that received it', async () => {
    const rateMemory = inMemoryRateMemory()
    // The first process is told to wait longer than it waits inline: the 429 comes back at once.
    const first = createShopifyAdapter(config, {
      timeoutMs: 2000,
      clock: systemClock,
      rateMemory,
      maxInlineWaitMs: 500,
    })
    sim.faults = { throttleStorm: { retryAfterMs: 1000 } }
    expect(await thrown(first.listListings())).toMatchObject({ kind: 'retryable', code: 'shopify.throttled' })
    sim.faults = {}
    // Killed; a new process at once waits out the Retry-After the first was given.
    const second = createShopifyAdapter(config, { timeoutMs: 2000, clock: systemClock, rateMemory })
    await second.listListings()
    expect(sim.server.earlyRetries).toBe(0)
    // Without the memory the same restart calls at once, inside the hold.
    sim.faults = { throttleStorm: { retryAfterMs: 1000 } }
    await thrown(first.listListings())
    sim.faults = {}
    await createShopifyAdapter(config, { timeoutMs: 2000, clock: systemClock }).listListings()
    expect(sim.server.earlyRetries).toBeGreaterThan(0)
  })

  it('5xx, timeouts and malformed bodies are retryable; bad settings are named', async () => {
    // Each failure is tried again before it comes back (every attempt spends its query points, so two
    // attempts here keep the expensive reads within the bucket); the backoff is kept short.
    const a = createShopifyAdapter(config, {
      timeoutMs: 300,
      clock: systemClock,
      backoffMs: 5,
      maxAttempts: 2,
    })
    await a.testConnection()
    sim.faults = { errorRate: 1 }
    expect(await thrown(a.push([set(ids[0] as string, 1)]))).toMatchObject({
      kind: 'retryable',
      code: 'shopify.server',
    })
    sim.faults = { hangRate: 1 }
    expect(await thrown(a.push([set(ids[0] as string, 1)]))).toMatchObject({
      kind: 'retryable',
      code: 'http.timeout',
    })
    sim.faults = { malformedRate: 1 }
    expect(await thrown(a.fetchOrders('2020-01-01T00:00:00Z'))).toMatchObject({
      kind: 'retryable',
      code: 'http.malformed',
    })
    sim.faults = { truncateRate: 1 }
    expect(await thrown(a.listListings())).toMatchObject({ kind: 'retryable', code: 'http.malformed' })
    sim.faults = {}
    expect(() =>
      createShopifyAdapter(
        { ...config, baseUrl: 'http://shop.example.com' },
        { timeoutMs: 1, clock: systemClock },
      ),
    ).toThrow(/https/)
    expect(() =>
      createShopifyAdapter({ ...config, locationId: '9002' }, { timeoutMs: 1, clock: systemClock }),
    ).toThrow(/locationId/)
    const old = createShopifyAdapter(
      { ...config, apiVersion: '2024-01' },
      { timeoutMs: 2000, clock: systemClock },
    )
    expect((await thrown(old.listListings())).kind).toBe('needs_seller')
  })
})
