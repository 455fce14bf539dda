import { afterEach, describe, expect, it } from 'vitest'
import type { ClassifiedError } from '../../../../main/core/errors'
import type { ChannelOrder, PushItem } from '../../../../main/core/ports/channel-adapter'
import { createEbayAdapter, type EbayAdapterOptions } from '../../../../main/node/channels/ebay'
import {
  EBAY_SIM_CREDENTIALS,
  startEbaySimulator,
  type EbaySimulator,
  type EbaySimulatorOptions,
} from '../../../../main/sandbox/channels/ebay'
import { pushItems, skus } from '../../../helpers/push-items'
import { drainOrders, syncUntilSettled } from '../channel-sync-driver'
import { inMemoryRateMemory } from '../../../helpers/rate-memory'

const SCALE = 1000
let sim: EbaySimulator | undefined

afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const setup = async (
  simOpts: EbaySimulatorOptions = {},
  adapterOpts: EbayAdapterOptions = {},
  n = 30,
  scale = SCALE,
) => {
  sim = await startEbaySimulator({ timeScale: scale, ...simOpts })
  sim.setListings(
    Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, quantity: 5, ean: String(4006381333900 + i) })),
  )
  const adapter = createEbayAdapter(
    {
      baseUrl: sim.url,
      marketplaceId: 'EBAY_DE',
      contentLanguage: 'de-DE',
      credentials: EBAY_SIM_CREDENTIALS,
    },
    {
      rateScale: scale,
      timeoutMs: 2_000,
      backoffMs: 5,
      revisions: { dayMs: 86_400_000 / scale },
      ...adapterOpts,
    },
  )
  return { sim, adapter }
}

const items = (
  n: number,
  qty: (i: number) => number,
  stamp = 1,
  action: PushItem['action'] = 'set',
): PushItem[] => pushItems(skus(n), qty, stamp, action)

describe('eBay adapter against the simulator', () => {
  it('a 429 hold outlives the process that received it', async () => {
    const rateMemory = inMemoryRateMemory()
    // The first process is told to wait longer than it waits inline: the 429 comes back at once.
    const { sim, adapter: first } = await setup({}, { rateMemory, maxInlineWaitMs: 500 })
    await first.listListings()
    sim.faults = { throttleStorm: { retryAfterMs: 2000 } }
    const e = await first.listListings().then(
      () => null,
      (x: unknown) => x as ClassifiedError,
    )
    expect(e).toMatchObject({ kind: 'retryable', code: 'ebay.throttled' })
    sim.faults = {}
    // Killed; a new process waits out the Retry-After the first was given.
    await new Promise((r) => setTimeout(r, 300))
    const again = async (memory?: typeof rateMemory) => {
      const a = createEbayAdapter(
        {
          baseUrl: sim.url,
          marketplaceId: 'EBAY_DE',
          contentLanguage: 'de-DE',
          credentials: EBAY_SIM_CREDENTIALS,
        },
        { rateScale: SCALE, timeoutMs: 2_000, backoffMs: 5, ...(memory ? { rateMemory: memory } : {}) },
      )
      return (await a.listListings()).items.length
    }
    expect(await again(rateMemory)).toBe(30)
    expect(sim.server.earlyRetries).toBe(0)
    // Without the memory the same restart calls inside the hold.
    sim.faults = { throttleStorm: { retryAfterMs: 2000 } }
    await first.listListings().catch(() => undefined)
    sim.faults = {}
    await new Promise((r) => setTimeout(r, 300))
    expect(await again()).toBe(30)
    expect(sim.server.earlyRetries).toBeGreaterThan(0)
  })

  it('updates inventory item and offer together, 25 SKUs per bulk call', async () => {
    const { sim, adapter } = await setup()
    const single = await adapter.push(items(1, () => 9))
    expect(single.results[0]?.outcome).toBe('confirmed')
    expect(sim.listing('SKU-0')).toMatchObject({ live: 9, shipTo: 9, available: 9 })
    const bulkBefore = sim.counts.bulkCalls
    const out = await syncUntilSettled(
      adapter,
      items(30, (i) => i + 1, 2),
    )
    expect([...out.final.values()].every((r) => r.outcome === 'confirmed')).toBe(true)
    for (let i = 0; i < 30; i++)
      expect(sim.listing(`SKU-${i}`)).toMatchObject({ shipTo: i + 1, available: i + 1 })
    expect(sim.counts.bulkCalls - bulkBefore).toBe(2)
  })

  it('an unchanged value spends no revision, and fast changes coalesce under the daily cap', async () => {
    const { sim, adapter } = await setup(
      { maxRevisionsPerDay: 12 },
      // A day of 8.6 s: the steady rate frees one revision every 860 ms.
      { revisions: { maxPerDay: 12, reserve: 2, burst: 3, dayMs: 86_400_000 / 10_000 } },
      30,
      10_000,
    )
    await adapter.push(items(1, () => 7))
    const again = await adapter.push(items(1, () => 7, 2))
    expect(again.calls).toBe(0)
    expect(sim.listing('SKU-0')!.revisionsToday).toBe(1)
    // Ten quick changes: the burst goes out, the rest are deferred and only the latest value is sent later.
    const outcomes = []
    for (let q = 10; q < 20; q++)
      outcomes.push((await adapter.push(items(1, () => q, q)))!.results[0]!.outcome)
    expect(outcomes.filter((o) => o === 'retry').length).toBeGreaterThan(5)
    expect(sim.listing('SKU-0')!.revisionsToday).toBeLessThanOrEqual(4)
    await syncUntilSettled(
      adapter,
      items(1, () => 19, 30),
      { deadlineMs: 10_000, maxWaitMs: 50 },
    )
    expect(sim.listing('SKU-0')!.live).toBe(19)
    expect(sim.counts.revisionsRefused).toBe(0)
    // Going to zero is never held back while any of the cap is left.
    const zero = await adapter.push(items(1, () => 0, 40))
    expect(zero.results[0]?.outcome).toBe('confirmed')
    expect(sim.listing('SKU-0')!.live).toBe(0)
  })

  it('trusts a quantity it saw live only for a while: eBay lowers it on its own sales', async () => {
    const { sim, adapter } = await setup({}, { trustPublishedMs: 100 })
    await adapter.push(items(1, () => 7))
    expect((await adapter.push(items(1, () => 7, 2))).calls).toBe(0)
    sim.placeOrder([{ sku: 'SKU-0', quantity: 2 }])
    await new Promise((r) => setTimeout(r, 150))
    const again = await adapter.push(items(1, () => 7, 3))
    expect(again.calls).toBe(1)
    expect(sim.listing('SKU-0')!.live).toBe(7)
  })

  it('zero stock: 0 keeps the listing (out-of-stock control); pause withdraws and resume republishes', async () => {
    const { sim, adapter } = await setup()
    await syncUntilSettled(adapter, [{ listingId: 'SKU-1', quantity: 0, action: 'set', stamp: 1 }])
    expect(sim.listing('SKU-1')).toMatchObject({ live: 0, published: true })
    await syncUntilSettled(adapter, [{ listingId: 'SKU-2', quantity: 0, action: 'pause', stamp: 1 }])
    expect(sim.listing('SKU-2')).toMatchObject({ published: false })
    expect(await adapter.readBack!(['SKU-2'])).toEqual([
      { listingId: 'SKU-2', quantity: 5, available: false },
    ])
    await syncUntilSettled(adapter, [{ listingId: 'SKU-2', quantity: 4, action: 'resume', stamp: 2 }])
    expect(sim.listing('SKU-2')).toMatchObject({ published: true, live: 4 })
    expect(await adapter.readBack!(['SKU-2'])).toEqual([{ listingId: 'SKU-2', quantity: 4, available: true }])
  })

  it('imports orders by lastmodifieddate with paging and recognises cancellations', async () => {
    const { sim, adapter } = await setup()
    const since = new Date(Date.now() - 1000).toISOString()
    const ids: string[] = []
    for (let i = 0; i < 250; i++) ids.push(sim.placeOrder([{ sku: `SKU-${i % 30}`, quantity: 2, price: 10 }]))
    sim.cancelOrder(ids[0]!)
    sim.requestCancel(ids[1]!)
    sim.shipOrder(ids[2]!)
    const seen = new Map<string, ChannelOrder>()
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await adapter.fetchOrders(since, cursor)
      pages++
      for (const o of page.items) seen.set(o.orderId, o)
      cursor = page.next
    } while (cursor)
    expect(pages).toBe(2)
    expect(seen.size).toBe(250)
    expect(seen.get(ids[0]!)).toMatchObject({ status: 'cancelled' })
    expect(seen.get(ids[0]!)!.lines[0]!.cancelledQuantity).toBe(2)
    expect(seen.get(ids[1]!)!.status).toBe('open')
    expect(seen.get(ids[2]!)!.status).toBe('shipped')
    const line = seen.get(ids[5]!)!.lines[0]!
    expect(line).toMatchObject({ sku: 'SKU-5', listingId: 'SKU-5', quantity: 2, unitPrice: 10 })
    expect(line.externalIds.legacyItemId).toMatch(/^\d+$/)
  })

  it('renews the user token when it expires mid-run; a revoked consent is one alert', async () => {
    const { sim, adapter } = await setup()
    await syncUntilSettled(
      adapter,
      items(3, () => 1),
    )
    sim.expireTokens()
    await syncUntilSettled(
      adapter,
      items(3, () => 2, 2),
    )
    expect(sim.counts.tokens).toBe(2)
    expect(sim.listing('SKU-2')!.live).toBe(2)
    sim.revokeRefreshToken()
    for (let i = 0; i < 3; i++) {
      const e = await adapter.push(items(3, () => 3, 3 + i)).catch((x: unknown) => x)
      expect((e as ClassifiedError).kind).toBe('needs_seller')
      expect((e as ClassifiedError).message).toContain('grant access again')
      expect((e as ClassifiedError).message).not.toContain(EBAY_SIM_CREDENTIALS.refreshToken)
    }
    expect(sim.counts.tokens).toBe(3)
  })

  it('429 storms (quota spent until reset), 5xx, transient 25001, timeouts and garbled bodies lose nothing', async () => {
    let seed = 5
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    // The simulator's quota day runs on a clock of the test's own: the quota is spent (429 until the day
    // ends) however fast or slow this machine runs, and the day ends when the test moves the clock on, never
    // by itself while a busy machine is slow to make the calls.
    const scale = 200_000
    const dayMs = 86_400_000 / scale
    const clock = { t: Math.ceil(Date.now() / dayMs) * dayMs + 1, now: () => clock.t }
    const { sim, adapter } = await setup(
      {
        random,
        clock,
        quotas: { inventory: 20 },
        transientItemErrorRate: 0.1,
        faults: { errorRate: 0.1, hangRate: 0.03, truncateRate: 0.05, malformedRate: 0.05 },
      },
      { timeoutMs: 150, maxAttempts: 3, maxInlineWaitMs: 100 },
      60,
      scale,
    )
    // Until the quota is spent, the day never ends; after each storm of 429s the next day starts, so every
    // figure gets through in the end.
    let seen = 0
    const days = setInterval(() => {
      if (sim.counts.throttled > seen) {
        seen = sim.counts.throttled
        clock.t += dayMs
      }
    }, 50)
    // First the quota runs out: the same figures over and over (each call is one inventory call).
    try {
      while (sim.counts.throttled === 0) await adapter.push(items(60, (i) => 10 + i)).catch(() => undefined)
      await syncUntilSettled(
        adapter,
        items(60, (i) => 70 + i, 2),
        { deadlineMs: 60_000, maxWaitMs: 100 },
      )
    } finally {
      clearInterval(days)
    }
    sim.faults = {}
    for (let i = 0; i < 60; i++) expect(sim.listing(`SKU-${i}`)!.live).toBe(70 + i)
    expect(sim.counts.throttled).toBeGreaterThan(0)
    expect(sim.requests.some((r) => r.fault)).toBe(true)
  }, 90_000)

  it('orders under 5xx, timeouts and garbled pages: every order arrives', async () => {
    let seed = 23
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const { sim, adapter } = await setup({ random }, { timeoutMs: 150, maxAttempts: 2 })
    const since = new Date(Date.now() - 1000).toISOString()
    const ids = Array.from({ length: 450 }, (_, i) => sim.placeOrder([{ sku: `SKU-${i % 30}`, quantity: 1 }]))
    sim.faults = { errorRate: 0.2, hangRate: 0.05, truncateRate: 0.1, malformedRate: 0.1 }
    const { orders, pages } = await drainOrders(adapter, since)
    expect(ids.every((id) => orders.has(id))).toBe(true)
    expect(pages).toBe(3)
    expect(sim.requests.some((r) => r.fault)).toBe(true)
  })

  it('lists inventory items with their offers for mapping, and tests the connection', async () => {
    const { sim, adapter } = await setup({}, {}, 130)
    const all = []
    let cursor: string | undefined
    do {
      const page = await adapter.listListings(cursor)
      all.push(...page.items)
      cursor = page.next
    } while (cursor)
    expect(all).toHaveLength(130)
    expect(all[0]).toMatchObject({ sku: 'SKU-0', ean: '4006381333900', quantity: 5, paused: false })
    expect(all[0]!.externalIds.offerId).toBeTruthy()
    expect(all[0]!.externalIds.listingId).toBeTruthy()
    expect((await adapter.testConnection()).ok).toBe(true)
    const unknown = await adapter.push([{ listingId: 'NOT-ON-EBAY', quantity: 1, action: 'set', stamp: 1 }])
    expect(unknown.results[0]).toMatchObject({ outcome: 'rejected', code: 'ebay.no_offer' })
    expect(unknown.results[0]!.message).toContain('bulk_migrate_listing')
    const bad = createEbayAdapter(
      {
        baseUrl: sim.url,
        marketplaceId: 'EBAY_DE',
        contentLanguage: 'de-DE',
        credentials: { ...EBAY_SIM_CREDENTIALS, clientSecret: 'wrong' },
      },
      { timeoutMs: 1000 },
    )
    const r = await bad.testConnection()
    expect(r.ok).toBe(false)
    expect(r.message).toContain('cert id')
    expect(() =>
      createEbayAdapter({
        baseUrl: sim.url,
        marketplaceId: 'DE',
        contentLanguage: 'de-DE',
        credentials: EBAY_SIM_CREDENTIALS,
      }),
    ).toThrow(/marketplaceId "DE"/)
  })
})
