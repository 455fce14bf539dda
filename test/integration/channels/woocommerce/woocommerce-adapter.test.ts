import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../../../main/core/ports/clock'
import type { ChannelAdapter, ChannelOrder } from '../../../../main/core/ports/channel-adapter'
import { createWooCommerceAdapter, type WooCommerceConfig } from '../../../../main/node/channels/woocommerce'
import {
  startWooCommerceSimulator,
  type WooSimulator,
  type WooSimulatorOptions,
} from '../../../../main/sandbox/channels/woocommerce'
import { set, thrown } from '../../../helpers/push-items'
import { inMemoryRateMemory } from '../../../helpers/rate-memory'

describe('WooCommerce adapter against the simulator', () => {
  let sim: WooSimulator
  let adapter: ChannelAdapter
  let config: WooCommerceConfig
  let ids: string[]

  const start = async (o: WooSimulatorOptions = {}) => {
    sim = await startWooCommerceSimulator(o)
    ids = sim.setProducts([
      ...Array.from({ length: 130 }, (_, i) => ({
        name: `Mug ${i}`,
        sku: `MUG-${i}`,
        stock: 3,
        gtin: `4012345${String(i).padStart(6, '0')}`,
      })),
      {
        name: 'Tee',
        sku: 'TEE',
        variations: [
          { sku: 'TEE-S', option: 'S', stock: 2 },
          { sku: 'TEE-M', option: 'M', stock: 2 },
          { sku: 'TEE-L', option: 'L', stock: 2, manageStock: false },
        ],
      },
      { name: 'Legacy', sku: 'LEG', manageStock: false },
    ])
    config = {
      baseUrl: sim.url,
      credentials: { consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret },
    }
    adapter = createWooCommerceAdapter(config, { timeoutMs: 2000, clock: systemClock })
  }
  beforeEach(() => start())
  afterEach(() => sim.stop())

  const tee = () => ids.filter((i) => i.includes('/'))

  it('tests the connection', async () => {
    const r = await adapter.testConnection()
    expect(r).toMatchObject({ ok: true, details: { products: '132' } })
  })

  it('lists products and variations for mapping, paging from X-WP-TotalPages', async () => {
    const p1 = await adapter.listListings()
    expect(p1.items).toHaveLength(100)
    expect(p1.items[0]).toMatchObject({
      listingId: ids[0],
      sku: 'MUG-0',
      ean: '4012345000000',
      quantity: 3,
      paused: false,
    })
    expect(p1.next).toBe('2')
    const p2 = await adapter.listListings(p1.next)
    expect(p2.next).toBeUndefined()
    expect(p2.items.filter((l) => l.listingId.includes('/')).map((l) => l.title)).toEqual([
      'Tee - S',
      'Tee - M',
      'Tee - L',
    ])
    expect(p2.items.find((l) => l.sku === 'LEG')?.quantity).toBeNull()
  })

  it('batches 100 products in one call, turns manage_stock on, and confirms from the batch answers', async () => {
    const items = ids.slice(0, 97).map((id, i) => set(id, i))
    items.push(...tee().map((id) => set(id, 7)))
    const r = await adapter.push(items)
    expect(r.results.every((x) => x.outcome === 'confirmed')).toBe(true)
    // The products batch and the variations batch of the Tee: each answer carries the records as stored.
    expect(r.calls).toBe(2)
    expect(sim.received.map((x) => `${x.method} ${x.path}`)).toEqual([
      'POST /wp-json/wc/v3/products/batch',
      `POST /wp-json/wc/v3/products/${tee()[0]?.split('/')[0]}/variations/batch`,
    ])
    expect(sim.stock(ids[50] as string)).toMatchObject({ stock_quantity: 50, manage_stock: true })
    expect(sim.stock(tee()[2] as string)).toMatchObject({ stock_quantity: 7, manage_stock: true })
    const batch = sim.received.find((x) => x.path.endsWith('/products/batch'))
    expect((batch?.body as { update: unknown[] }).update).toHaveLength(97)
    expect((batch?.body as { update: { manage_stock: boolean }[] }).update[0]?.manage_stock).toBe(true)
    await expect(
      adapter.push(Array.from({ length: 101 }, (_, i) => set(ids[i] as string, 1))),
    ).rejects.toMatchObject({ kind: 'permanent' })
  })

  it('a variation write that Woo answers but does not store (woocommerce#36595) shows in the read-back', async () => {
    const [s, m] = tee()
    sim.ignoreWrites([s as string])
    const r = await adapter.push([set(s as string, 9), set(m as string, 9)])
    // The batch answer echoes the value it dropped: it cannot tell, so both count as confirmed...
    expect(r.results.map((x) => x.outcome)).toEqual(['confirmed', 'confirmed'])
    expect(r.calls).toBe(1)
    // ...and the read-back the engine's reconciliation runs shows the old value (woocommerce-reconcile.test.ts
    // runs it through the engine, which repairs it).
    expect(await adapter.readBack?.([s as string, m as string])).toEqual([
      { listingId: s, quantity: 2, available: true },
      { listingId: m, quantity: 9, available: true },
    ])
  })

  it('a batch answer that shows another value than sent is not confirmed', async () => {
    // A shop that leaves a variation's stock to its parent answers with manage_stock "parent".
    const server = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            update: [{ id: 2, manage_stock: 'parent', stock_quantity: null, status: 'publish' }],
          }),
        )
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    try {
      const shop = createWooCommerceAdapter(
        { ...config, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
        { timeoutMs: 2000, clock: systemClock },
      )
      const r = await shop.push([set('1/2', 5)])
      expect(r.results[0]).toMatchObject({ outcome: 'retry', code: 'woocommerce.write_ignored' })
      expect(r.results[0]?.message).toContain('not managed')
    } finally {
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    }
  })

  it('rejects unknown ids per item with the Woo error, and bad ids locally', async () => {
    const r = await adapter.push([set('99999', 1), set(`${tee()[0]?.split('/')[0]}/88888`, 1), set('abc', 1)])
    expect(r.results.find((x) => x.listingId === '99999')).toMatchObject({
      outcome: 'rejected',
      code: 'woocommerce_rest_product_invalid_id',
    })
    expect(r.results.find((x) => x.listingId.endsWith('/88888'))).toMatchObject({
      outcome: 'rejected',
      code: 'woocommerce_rest_product_variation_invalid_id',
    })
    expect(r.results.find((x) => x.listingId === 'abc')?.message).toContain('"abc"')
  })

  it('pauses products as draft and variations as private (disabled), and resumes with publish', async () => {
    const v = tee()[1] as string
    await adapter.push([
      { listingId: ids[0] as string, quantity: 0, action: 'pause', stamp: 1 },
      { listingId: v, quantity: 0, action: 'pause', stamp: 1 },
    ])
    expect(sim.stock(ids[0] as string)).toMatchObject({
      status: 'draft',
      stock_quantity: 0,
      stock_status: 'outofstock',
    })
    expect(sim.stock(v)).toMatchObject({ status: 'private', stock_quantity: 0 })
    expect((await adapter.readBack?.([ids[0] as string]))?.[0]?.available).toBe(false)
    const r = await adapter.push([
      { listingId: ids[0] as string, quantity: 5, action: 'resume', stamp: 2 },
      { listingId: v, quantity: 5, action: 'resume', stamp: 2 },
    ])
    expect(r.results.every((x) => x.outcome === 'confirmed')).toBe(true)
    expect(sim.stock(v)).toMatchObject({ status: 'publish', stock_quantity: 5, stock_status: 'instock' })
  })

  it('imports orders by modified_after with dates_are_gmt, pages by X-WP-TotalPages, and sees cancellations', async () => {
    const since = new Date(Date.now() - 2000).toISOString()
    const orderIds = Array.from({ length: 150 }, (_, i) =>
      sim.placeOrder([
        { listingId: ids[i % 20] as string, quantity: 1 },
        { listingId: tee()[0] as string, quantity: 1 },
      ]),
    )
    await new Promise((r) => setTimeout(r, 5))
    sim.setOrderStatus(orderIds[3] as number, 'cancelled')
    const all: ChannelOrder[] = []
    let cursor: string | undefined
    do {
      const p = await adapter.fetchOrders(since, cursor)
      all.push(...p.items)
      cursor = p.next
    } while (cursor)
    expect(all).toHaveLength(150)
    expect(all.at(-1)?.orderId).toBe(String(orderIds[3]))
    const c = all.at(-1)
    expect(c?.status).toBe('cancelled')
    expect(c?.lines[1]).toMatchObject({
      listingId: tee()[0],
      sku: 'TEE-S',
      quantity: 1,
      cancelledQuantity: 1,
      unitPrice: 24.5,
    })
    const q = sim.received.find((x) => x.path.endsWith('/orders'))?.query
    expect(q).toMatchObject({ dates_are_gmt: 'true', orderby: 'modified', order: 'asc', per_page: '100' })
    // The site runs at UTC+1: without dates_are_gmt an hour of changes would be missed.
    expect((await adapter.fetchOrders(new Date(Date.now() - 30 * 60_000).toISOString())).items.length).toBe(
      100,
    )
    expect((await adapter.fetchOrders(new Date(Date.now() + 1000).toISOString())).items).toHaveLength(0)
  })

  it('counts partially refunded units as cancelled, from the order refunds', async () => {
    const since = new Date(Date.now() - 1000).toISOString()
    const id = sim.placeOrder([
      { listingId: ids[0] as string, quantity: 3 },
      { listingId: ids[1] as string, quantity: 1 },
    ])
    await new Promise((r) => setTimeout(r, 5))
    sim.refundUnits(id, 0, 2)
    const page = await adapter.fetchOrders(since)
    const o = page.items.find((x) => x.orderId === String(id))
    expect(o?.status).toBe('partially_cancelled')
    expect(o?.lines.map((l) => [l.quantity, l.cancelledQuantity])).toEqual([
      [3, 2],
      [1, 0],
    ])
  })

  it('revoked keys ask the seller; a host that strips Authorization is explained; query auth works there', async () => {
    await sim.stop()
    await start({ stripAuthorizationHeader: true })
    const e = await thrown(adapter.push([set(ids[0] as string, 1)]))
    expect(e).toMatchObject({ kind: 'needs_seller', code: 'woocommerce.auth' })
    expect(e.hint).toContain('query-string')
    const q = createWooCommerceAdapter(
      { ...config, authMode: 'query' },
      { timeoutMs: 2000, clock: systemClock },
    )
    expect((await q.push([set(ids[0] as string, 4)])).results[0]?.outcome).toBe('confirmed')
    sim.revokeKeys()
    const e2 = await thrown(q.push([set(ids[0] as string, 1)]))
    expect(e2.kind).toBe('needs_seller')
    expect(e2.message).not.toContain(sim.consumerSecret)
  })

  it('a host 429 hold outlives the process that received it', async () => {
    const rateMemory = inMemoryRateMemory()
    // The first process is told to wait longer than it waits inline: the 429 comes back at once.
    const first = createWooCommerceAdapter(config, {
      timeoutMs: 2000,
      clock: systemClock,
      rateMemory,
      maxInlineWaitMs: 500,
    })
    sim.faults = { throttleStorm: { retryAfterMs: 2000 } }
    expect(await thrown(first.push([set(ids[0] as string, 1)]))).toMatchObject({
      kind: 'retryable',
      code: 'woocommerce.throttled',
    })
    sim.faults = {}
    // Killed; a new process waits out the Retry-After the first was given.
    await new Promise((r) => setTimeout(r, 300))
    const second = createWooCommerceAdapter(config, { timeoutMs: 2000, clock: systemClock, rateMemory })
    expect((await second.push([set(ids[0] as string, 2)])).results[0]?.outcome).toBe('confirmed')
    expect(sim.server.earlyRetries).toBe(0)
    // Without the memory the same restart calls inside the hold.
    sim.faults = { throttleStorm: { retryAfterMs: 2000 } }
    await thrown(first.push([set(ids[0] as string, 3)]))
    sim.faults = {}
    await new Promise((r) => setTimeout(r, 300))
    await createWooCommerceAdapter(config, { timeoutMs: 2000, clock: systemClock }).push([
      set(ids[0] as string, 4),
    ])
    expect(sim.server.earlyRetries).toBe(1)
  })

  it('host 429s, 5xx, timeouts and malformed bodies are retryable', async () => {
    await sim.stop()
    await start({ hostRatePerSecond: 2 })
    // A Retry-After longer than the client waits inline comes back as retryable with the wait.
    const a = createWooCommerceAdapter(config, { timeoutMs: 300, clock: systemClock, maxInlineWaitMs: 500 })
    const settled = await Promise.allSettled(Array.from({ length: 4 }, () => a.listListings()))
    const r429 = settled.find((s) => s.status === 'rejected')
    expect(r429?.status === 'rejected' && r429.reason).toMatchObject({
      kind: 'retryable',
      code: 'woocommerce.throttled',
      retryAfterMs: 1000,
    })
    await sim.stop()
    await start()
    // Each failure is tried four times before it comes back; the backoff is kept short here.
    const b = createWooCommerceAdapter(config, { timeoutMs: 300, clock: systemClock, backoffMs: 5 })
    sim.faults = { errorRate: 1 }
    expect(await thrown(b.push([set(ids[0] as string, 1)]))).toMatchObject({
      kind: 'retryable',
      code: 'woocommerce.server',
    })
    sim.faults = { hangRate: 1 }
    expect(await thrown(b.push([set(ids[0] as string, 1)]))).toMatchObject({
      kind: 'retryable',
      code: 'http.timeout',
    })
    sim.faults = { malformedRate: 1 }
    expect(await thrown(b.fetchOrders('2020-01-01T00:00:00Z'))).toMatchObject({
      kind: 'retryable',
      code: 'http.malformed',
    })
    sim.faults = {}
  })

  it('refuses plain http to a remote shop and malformed keys, naming the field', () => {
    expect(() =>
      createWooCommerceAdapter(
        { ...config, baseUrl: 'http://shop.example.com' },
        { timeoutMs: 1, clock: systemClock },
      ),
    ).toThrow(/https/)
    expect(() =>
      createWooCommerceAdapter(
        { ...config, credentials: { consumerKey: 'abc', consumerSecret: sim.consumerSecret } },
        { timeoutMs: 1, clock: systemClock },
      ),
    ).toThrow(/consumerKey/)
  })
})
