import { afterEach, describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../../main/core/errors'
import type { PushItem } from '../../../../main/core/ports/channel-adapter'
import { createAmazonAdapter, type AmazonAdapterOptions } from '../../../../main/node/channels/amazon'
import {
  AMAZON_SIM_CREDENTIALS,
  startAmazonSimulator,
  type AmazonSimulator,
  type AmazonSimulatorOptions,
} from '../../../../main/sandbox/channels/amazon'
import { pushItems, skus } from '../../../helpers/push-items'
import { drainOrders, syncUntilSettled } from '../channel-sync-driver'

// Amazon's real delays and limits, 1000 times faster: a 2-minute patch delay is 120 ms here.
const SCALE = 1000
let sim: AmazonSimulator | undefined

afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const setup = async (
  simOpts: AmazonSimulatorOptions = {},
  adapterOpts: AmazonAdapterOptions = {},
  skus = 30,
) => {
  sim = await startAmazonSimulator({ timeScale: SCALE, ...simOpts })
  sim.setListings(Array.from({ length: skus }, (_, i) => ({ sku: `SKU-${i}`, quantity: 5 })))
  const adapter = createAmazonAdapter(
    {
      baseUrl: sim.url,
      tokenUrl: `${sim.url}/auth/o2/token`,
      sellerId: sim.sellerId,
      marketplaceIds: [sim.marketplaceId],
      credentials: AMAZON_SIM_CREDENTIALS,
    },
    { rateScale: SCALE, timeoutMs: 2_000, backoffMs: 5, ...adapterOpts },
  )
  return { sim, adapter }
}

const items = (n: number, qty: (i: number) => number, stamp = 1): PushItem[] => pushItems(skus(n), qty, stamp)

describe('Amazon adapter against the simulator', () => {
  it('pushes a few SKUs as patches: accepted first, confirmed by read-back once Amazon applied them', async () => {
    // Ten real minutes before Amazon shows a patch: 600 ms here, long enough to see it pending under load.
    const { sim, adapter } = await setup({ applyDelayMs: 600_000 })
    const res = await adapter.push(items(3, (i) => i + 10))
    expect(res.results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted'])
    expect(sim.quantityOf('SKU-0')).toBe(5) // not applied yet
    expect(await adapter.confirm!(res.results.map((r) => r.confirmationToken!))).toEqual([])
    await new Promise((r) => setTimeout(r, 700))
    const confirmed = await adapter.confirm!(res.results.map((r) => r.confirmationToken!))
    expect(confirmed.map((r) => [r.listingId, r.outcome])).toEqual([
      ['SKU-0', 'confirmed'],
      ['SKU-1', 'confirmed'],
      ['SKU-2', 'confirmed'],
    ])
    expect([0, 1, 2].map((i) => sim.quantityOf(`SKU-${i}`))).toEqual([10, 11, 12])
    expect(sim.counts.patches).toBe(3)
  })

  it('pushes many SKUs as one JSON_LISTINGS_FEED and reads the processing report per SKU', async () => {
    const { sim, adapter } = await setup({}, {}, 60)
    const batch = items(60, (i) => i)
    batch.push({ listingId: 'NO-SUCH-SKU', quantity: 3, action: 'set', stamp: 1 })
    const out = await syncUntilSettled(adapter, batch, { rateScale: SCALE })
    expect(sim.counts.feeds).toBe(1)
    expect(sim.counts.patches).toBe(0)
    for (let i = 0; i < 60; i++) expect(sim.quantityOf(`SKU-${i}`)).toBe(i)
    expect(out.final.get('SKU-7')?.outcome).toBe('confirmed')
    const bad = out.final.get('NO-SUCH-SKU')
    expect(bad?.outcome).toBe('rejected')
    expect(bad?.message).toContain('NO-SUCH-SKU')
  })

  it('an expired upload URL fails the feed as retryable, never as a rejection of its listings', async () => {
    // The URL expires before the upload reaches it (a stalled process, a slow network): S3 answers 403.
    const { sim, adapter } = await setup({ uploadUrlLifetimeMs: 0 }, { maxAttempts: 2 }, 60)
    const e = await adapter.push(items(60, (i) => i)).then(
      () => undefined,
      (x: unknown) => x,
    )
    expect(e).toBeInstanceOf(ClassifiedError)
    expect(e).toMatchObject({ kind: 'retryable', code: 'amazon.document_expired' })
    expect((e as ClassifiedError).message).toMatch(/presigned URL expired/)
    expect(sim.counts.feeds).toBe(0)
    expect(sim.quantityOf('SKU-7')).toBe(5)
  })

  it('zero stock publishes 0 (not buyable) and resume publishes the quantity again', async () => {
    const { sim, adapter } = await setup()
    await syncUntilSettled(adapter, [{ listingId: 'SKU-1', quantity: 4, action: 'pause', stamp: 1 }])
    expect(sim.quantityOf('SKU-1')).toBe(0)
    expect(await adapter.readBack!(['SKU-1'])).toEqual([
      { listingId: 'SKU-1', quantity: 0, available: false },
    ])
    await syncUntilSettled(adapter, [{ listingId: 'SKU-1', quantity: 4, action: 'resume', stamp: 2 }])
    expect(await adapter.readBack!(['SKU-1'])).toEqual([{ listingId: 'SKU-1', quantity: 4, available: true }])
  })

  it('reads orders since a watermark across pages, with full and partial cancellations', async () => {
    const { sim, adapter } = await setup()
    const since = new Date(Date.now() - 1000).toISOString()
    const ids: string[] = []
    for (let i = 0; i < 130; i++)
      ids.push(
        sim.placeOrder({
          items: [
            { sku: `SKU-${i % 30}`, quantity: 1, unitPrice: 9.5 },
            { sku: `SKU-${(i + 1) % 30}`, quantity: 2 },
          ],
        }),
      )
    sim.cancelOrder(ids[3]!)
    sim.cancelOrder(ids[4]!, 1)
    sim.shipOrder(ids[5]!)
    const seen = new Map<string, Awaited<ReturnType<typeof adapter.fetchOrders>>['items'][number]>()
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await adapter.fetchOrders(since, cursor)
      pages++
      for (const o of page.items) seen.set(o.orderId, o)
      cursor = page.next
    } while (cursor)
    expect(pages).toBe(2)
    expect(seen.size).toBe(130)
    const first = seen.get(ids[0]!)!
    expect(first.lines[0]).toMatchObject({ sku: 'SKU-0', listingId: 'SKU-0', quantity: 1, unitPrice: 9.5 })
    expect(first.lines[0]!.externalIds.asin).toMatch(/^B0/)
    expect(first.currency).toBe('EUR')
    expect(seen.get(ids[3]!)!.status).toBe('cancelled')
    expect(seen.get(ids[3]!)!.lines.every((l) => l.cancelledQuantity === l.quantity)).toBe(true)
    expect(seen.get(ids[4]!)!.status).toBe('partially_cancelled')
    expect(seen.get(ids[4]!)!.lines.map((l) => l.cancelledQuantity)).toEqual([0, 2])
    expect(seen.get(ids[5]!)!.status).toBe('shipped')
    // Overlap: a later watermark still returns what changed after it.
    const later = await adapter.fetchOrders(new Date(Date.now() - 1).toISOString())
    expect(later.items.length).toBeLessThan(130)
  })

  it('renews an access token that expired mid-run, once', async () => {
    const { sim, adapter } = await setup()
    await syncUntilSettled(
      adapter,
      items(2, () => 7),
    )
    expect(sim.counts.tokens).toBe(1)
    sim.expireTokens()
    await syncUntilSettled(
      adapter,
      items(2, () => 8, 2),
    )
    expect(sim.counts.tokens).toBe(2)
    expect(sim.quantityOf('SKU-1')).toBe(8)
  })

  it('a revoked authorisation raises one needs-the-seller error, not a retry storm', async () => {
    const { sim, adapter } = await setup()
    await adapter.push(items(1, () => 1))
    sim.revokeRefreshToken()
    for (let i = 0; i < 3; i++) {
      const err = await adapter.push(items(2, () => 2, 2 + i)).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ClassifiedError)
      expect((err as ClassifiedError).kind).toBe('needs_seller')
      expect((err as ClassifiedError).message).toContain('refresh token')
      expect((err as ClassifiedError).message).not.toContain(AMAZON_SIM_CREDENTIALS.refreshToken)
    }
    expect(sim.counts.tokens).toBe(2) // the first grant, then one refused grant, never again
    const test = await adapter.testConnection()
    expect(test.ok).toBe(false)
    expect(test.message).toContain('refresh token')
  })

  it('survives a 429 storm: throttled patches come back as retry and all quantities land', async () => {
    // A tight plan on the simulator that the adapter does not know about (another app shares the quota).
    const { sim, adapter } = await setup(
      { limits: { patchListingsItem: { ratePerSecond: 0.02, burst: 2 } } },
      { maxAttempts: 2 },
    )
    const out = await syncUntilSettled(
      adapter,
      items(8, (i) => 20 + i),
      { rateScale: SCALE },
    )
    expect(sim.counts.throttled).toBeGreaterThan(0)
    for (let i = 0; i < 8; i++) expect(sim.quantityOf(`SKU-${i}`)).toBe(20 + i)
    expect([...out.final.values()].every((r) => r.outcome === 'confirmed')).toBe(true)
  })

  it('5xx, timeouts, truncated and HTML bodies: nothing is lost and the final quantities are right', async () => {
    let seed = 7
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const { sim, adapter } = await setup(
      { random, faults: { errorRate: 0.15, hangRate: 0.05, truncateRate: 0.05, malformedRate: 0.05 } },
      { timeoutMs: 150, maxAttempts: 3 },
      40,
    )
    await syncUntilSettled(
      adapter,
      items(5, (i) => 100 + i),
      { rateScale: SCALE, deadlineMs: 25_000 },
    )
    await syncUntilSettled(
      adapter,
      items(40, (i) => 200 + i, 2),
      { rateScale: SCALE, deadlineMs: 25_000 },
    )
    sim.faults = {}
    for (let i = 0; i < 40; i++) expect(sim.quantityOf(`SKU-${i}`)).toBe(200 + i)
    expect(sim.requests.some((r) => r.fault)).toBe(true)
  })

  it('orders under 5xx, timeouts and garbled pages: every order arrives', async () => {
    let seed = 3
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const { sim, adapter } = await setup({ random }, { timeoutMs: 150, maxAttempts: 2 })
    const since = new Date(Date.now() - 1000).toISOString()
    const ids = Array.from({ length: 250 }, (_, i) =>
      sim.placeOrder({ items: [{ sku: `SKU-${i % 30}`, quantity: 1 }] }),
    )
    sim.faults = { errorRate: 0.2, hangRate: 0.05, truncateRate: 0.1, malformedRate: 0.1 }
    const { orders, pages, failures } = await drainOrders(adapter, since)
    expect(orders.size).toBe(250)
    expect(ids.every((id) => orders.has(id))).toBe(true)
    expect(pages).toBe(3)
    expect(failures).toBeGreaterThan(0)
    expect(sim.requests.some((r) => r.fault)).toBe(true)
  })

  it('lists listings for mapping with ASIN and quantity, page by page', async () => {
    const { adapter } = await setup({}, {}, 45)
    const all = []
    let cursor: string | undefined
    do {
      const page = await adapter.listListings(cursor)
      all.push(...page.items)
      cursor = page.next
    } while (cursor)
    expect(all).toHaveLength(45)
    expect(all[0]).toMatchObject({ sku: 'SKU-0', quantity: 5, paused: false })
    expect(all[0]!.externalIds.asin).toBeTruthy()
  })

  it('names what is wrong in a connection test and in bad settings', async () => {
    const { sim } = await setup()
    const wrongSecret = createAmazonAdapter(
      {
        baseUrl: sim.url,
        tokenUrl: `${sim.url}/auth/o2/token`,
        sellerId: sim.sellerId,
        marketplaceIds: [sim.marketplaceId],
        credentials: { ...AMAZON_SIM_CREDENTIALS, clientSecret: 'nope' },
      },
      { timeoutMs: 1000 },
    )
    const r = await wrongSecret.testConnection()
    expect(r.ok).toBe(false)
    expect(r.message).toContain('client secret')
    expect(r.message).not.toContain('nope')
    const wrongMarket = createAmazonAdapter(
      {
        baseUrl: sim.url,
        tokenUrl: `${sim.url}/auth/o2/token`,
        sellerId: sim.sellerId,
        marketplaceIds: ['ATVPDKIKX0DER'],
        credentials: AMAZON_SIM_CREDENTIALS,
      },
      { timeoutMs: 1000, backoffMs: 1 },
    )
    const m = await wrongMarket.testConnection()
    expect(m.ok).toBe(false)
    expect(m.message).toContain('ATVPDKIKX0DER')
    expect(() =>
      createAmazonAdapter({
        baseUrl: 'x',
        sellerId: 's',
        marketplaceIds: ['m'],
        credentials: AMAZON_SIM_CREDENTIALS,
      }),
    ).toThrow(/baseUrl "x"/)
    expect(() =>
      createAmazonAdapter({
        baseUrl: sim.url,
        sellerId: 's',
        marketplaceIds: [],
        credentials: AMAZON_SIM_CREDENTIALS,
      }),
    ).toThrow(/marketplaceIds/)
  })
})
