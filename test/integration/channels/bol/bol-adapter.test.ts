import { afterEach, describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../../main/core/errors'
import type { ChannelOrder } from '../../../../main/core/ports/channel-adapter'
import { createBolAdapter, type BolAdapterOptions } from '../../../../main/node/channels/bol'
import {
  BOL_SIM_CREDENTIALS,
  startBolSimulator,
  type BolSimulator,
  type BolSimulatorOptions,
} from '../../../../main/sandbox/channels/bol'
import { pushItems as push } from '../../../helpers/push-items'
import { drainOrders, syncUntilSettled } from '../channel-sync-driver'

// bol's windows 1000 times shorter: the 3-minute orders window is 180 ms here.
const SCALE = 1000
let sim: BolSimulator | undefined

afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const setup = async (simOpts: BolSimulatorOptions = {}, adapterOpts: BolAdapterOptions = {}, n = 20) => {
  sim = await startBolSimulator({ timeScale: SCALE, ...simOpts })
  const ids = sim.setOffers(
    Array.from({ length: n }, (_, i) => ({
      ean: String(8712345000000 + i),
      reference: `SKU-${i}`,
      amount: 5,
    })),
  )
  const adapter = createBolAdapter(
    { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: BOL_SIM_CREDENTIALS },
    { rateScale: SCALE, timeoutMs: 2_000, backoffMs: 5, ...adapterOpts },
  )
  return { sim, adapter, ids }
}

describe('bol.com adapter against the simulator', () => {
  it('updates one offer synchronously with managedByRetailer set, and many one by one', async () => {
    const { sim, adapter, ids } = await setup()
    // The simulator's first offer update loads and compiles bol's OpenAPI document to check requests
    // against it, seconds on a busy machine: past the adapter's timeout, that one call would be sent twice.
    // Warmed up first (and checked below: every offer gets its figure anyway), the call counted here is one
    // PATCH, whatever the machine's load.
    await adapter.push(push(ids.slice(-1), () => 5))
    const one = await adapter.push(push(ids.slice(0, 1), () => 9))
    expect(one.results[0]?.outcome).toBe('confirmed')
    expect(one.calls).toBe(1)
    expect(sim.offer(ids[0]!)).toMatchObject({ amount: 9, managedByRetailer: true, onHold: false })
    const out = await syncUntilSettled(
      adapter,
      push(ids, (i) => i * 3, 2),
      { rateScale: SCALE },
    )
    expect([...out.final.values()].every((r) => r.outcome === 'confirmed')).toBe(true)
    ids.forEach((id, i) => expect(sim.offer(id)?.amount).toBe(i * 3))
    expect(one.rateLimit?.remaining).toBeTypeOf('number')
  })

  it('marks retries caused by bol itself (its login throttled) as transient, so no listing is blocked for them', async () => {
    const { sim, adapter, ids } = await setup()
    sim.faults = { throttleStorm: { retryAfterMs: 60_000 } }
    const res = await adapter.push(push(ids.slice(0, 3), () => 4))
    expect(res.results.map((r) => [r.outcome, r.transient])).toEqual([
      ['retry', true],
      ['retry', true],
      ['retry', true],
    ])
    // The token endpoint said when to come back: nobody asks it again before then.
    expect(sim.server.earlyRetries).toBe(0)
  })

  it('rejects an unknown offer with bol’s reason and a non-UUID without calling', async () => {
    const { sim, adapter } = await setup()
    const res = await adapter.push([
      { listingId: '00000000-0000-4000-8000-000000000000', quantity: 1, action: 'set', stamp: 1 },
      { listingId: 'SKU-1', quantity: 1, action: 'set', stamp: 1 },
    ])
    expect(res.results[0]).toMatchObject({ outcome: 'rejected', code: 'bol.not_found' })
    expect(res.results[0]?.message).toContain('00000000-0000-4000-8000-000000000000')
    expect(res.results[1]).toMatchObject({ outcome: 'rejected', code: 'bol.offer_id' })
    expect(sim.counts.updates).toBe(0)
  })

  it('pauses with onHoldByRetailer and resumes with the stock back', async () => {
    const { sim, adapter, ids } = await setup()
    const id = ids[2]!
    await syncUntilSettled(
      adapter,
      push([id], () => 0, 1, 'pause'),
    )
    expect(sim.offer(id)).toMatchObject({ onHold: true, amount: 0 })
    expect(await adapter.readBack!([id])).toEqual([{ listingId: id, quantity: 0, available: false }])
    await syncUntilSettled(
      adapter,
      push([id], () => 6, 2, 'resume'),
    )
    expect(sim.offer(id)).toMatchObject({ onHold: false, amount: 6 })
    expect(await adapter.readBack!([id])).toEqual([{ listingId: id, quantity: 6, available: true }])
  })

  it('follows asynchronous updates through the shared process status', async () => {
    const { sim, adapter, ids } = await setup({ asyncOfferUpdates: true, processingMs: 500_000 })
    const res = await adapter.push(push(ids.slice(0, 3), () => 4))
    expect(res.results.every((r) => r.outcome === 'accepted')).toBe(true)
    expect(sim.offer(ids[0]!)?.amount).toBe(5)
    const out = await syncUntilSettled(
      adapter,
      push(ids.slice(0, 3), () => 4, 2),
    )
    expect([...out.final.values()].map((r) => r.outcome)).toEqual(['confirmed', 'confirmed', 'confirmed'])
    expect(sim.offer(ids[0]!)?.amount).toBe(4)
  })

  it('imports orders with paging, offer ids from the detail (once per order) and cancellations', async () => {
    const { sim, adapter, ids } = await setup()
    const since = new Date(Date.now() - 1000).toISOString()
    const orderIds: string[] = []
    for (let i = 0; i < 75; i++)
      orderIds.push(
        sim.placeOrder([
          { offerId: ids[i % 20]!, quantity: 1, unitPrice: 12.5 },
          { offerId: ids[(i + 1) % 20]!, quantity: 3 },
        ]),
      )
    sim.cancelItem(orderIds[0]!, 0)
    sim.cancelItem(orderIds[0]!, 1)
    sim.cancelItem(orderIds[1]!, 1, 1)
    sim.shipOrder(orderIds[2]!)
    const seen = new Map<string, ChannelOrder>()
    const drain = async () => {
      let cursor: string | undefined
      let pages = 0
      do {
        const page = await adapter.fetchOrders(since, cursor).catch(async (e: unknown) => {
          // The detail budget (8 a minute on bol) runs out: wait as told, then resume.
          if (e instanceof ClassifiedError && e.kind === 'retryable') {
            await new Promise((r) => setTimeout(r, Math.min(e.retryAfterMs ?? 50, 500)))
            return { items: [], next: cursor }
          }
          throw e
        })
        pages++
        for (const o of page.items) seen.set(o.orderId, o)
        cursor = page.next
      } while (cursor && pages < 200)
    }
    await drain()
    expect(seen.size).toBe(75)
    const first = seen.get(orderIds[0]!)!
    expect(first.status).toBe('cancelled')
    expect(seen.get(orderIds[1]!)!.status).toBe('partially_cancelled')
    expect(seen.get(orderIds[1]!)!.lines[1]).toMatchObject({ quantity: 3, cancelledQuantity: 1 })
    expect(seen.get(orderIds[2]!)!.status).toBe('shipped')
    const line = seen.get(orderIds[5]!)!.lines[0]!
    expect(line).toMatchObject({
      listingId: ids[5],
      sku: 'SKU-5',
      ean: '8712345000005',
      unitPrice: 12.5,
      quantity: 1,
    })
    expect(line.externalIds.offerId).toBe(ids[5])
    expect(sim.counts.detailCalls).toBe(75)
    // A second poll sees changes from the list alone: no more detail calls for known orders.
    sim.cancelItem(orderIds[10]!, 0)
    seen.clear()
    await drain()
    expect(seen.get(orderIds[10]!)!.status).toBe('partially_cancelled')
    expect(sim.counts.detailCalls).toBe(75)
  })

  it('a restarted process asks for no detail of an order item LastUnit stored, and still reads a new one', async () => {
    const roomy = { limit: 1000, windowSeconds: 60 }
    const { sim, adapter, ids } = await setup({ limits: { 'orders-detail': roomy, 'orders-list': roomy } })
    const since = new Date(Date.now() - 1000).toISOString()
    const orderIds = Array.from({ length: 6 }, (_, i) =>
      sim.placeOrder([
        { offerId: ids[i]!, quantity: 1, unitPrice: 10 + i },
        { offerId: ids[i + 1]!, quantity: 2, unitPrice: 7.5 },
      ]),
    )
    const first = await drainOrders(adapter, since)
    expect(first.orders.size).toBe(6)
    expect(sim.counts.detailCalls).toBe(6)
    // What the engine stored of each line, by order and line id (its order_lines).
    const stored = new Map<string, { offerId: string | null; reference: string | null; unitPrice: number }>()
    for (const o of first.orders.values())
      for (const l of o.lines)
        stored.set(`${o.orderId}/${l.lineId}`, {
          offerId: l.listingId,
          reference: l.sku,
          unitPrice: l.unitPrice,
        })
    const asked: string[] = []
    const restarted = createBolAdapter(
      { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: BOL_SIM_CREDENTIALS },
      {
        rateScale: SCALE,
        timeoutMs: 2_000,
        backoffMs: 5,
        knownItem: (orderId, itemId) => {
          asked.push(`${orderId}/${itemId}`)
          return stored.get(`${orderId}/${itemId}`)
        },
      },
    )
    const fresh = sim.placeOrder([{ offerId: ids[9]!, quantity: 1, unitPrice: 3 }])
    const again = await drainOrders(restarted, since)
    // One detail call, for the order no process stored; the others come from the list and the store.
    expect(sim.counts.detailCalls).toBe(7)
    expect(again.orders.size).toBe(7)
    for (const id of orderIds) expect(again.orders.get(id)).toEqual(first.orders.get(id))
    expect(again.orders.get(fresh)!.lines[0]).toMatchObject({ listingId: ids[9], sku: 'SKU-9', unitPrice: 3 })
    expect(asked).toHaveLength(13)
  })

  it('reads every order when orders leave the sliding change interval between two pages', async () => {
    const clock = { t: Date.parse('2026-11-27T10:00:00Z'), now: () => clock.t }
    const roomy = { limit: 1000, windowSeconds: 60 }
    const { sim, ids } = await setup({ clock, limits: { 'orders-detail': roomy, 'orders-list': roomy } })
    const adapter = createBolAdapter(
      { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: BOL_SIM_CREDENTIALS },
      { clock, timeoutMs: 2_000, backoffMs: 5 },
    )
    // Five orders changed two minutes ago, at the very start of the window the next poll asks for; 55 new ones.
    for (let i = 0; i < 5; i++) sim.placeOrder([{ offerId: ids[i]!, quantity: 1 }])
    clock.t += 120_000
    const fresh = Array.from({ length: 55 }, (_, i) =>
      sim.placeOrder([{ offerId: ids[i % 20]!, quantity: 1 }]),
    )
    const since = new Date(clock.t - 10_000).toISOString()
    const seen = new Set<string>()
    let page = await adapter.fetchOrders(since)
    for (;;) {
      for (const o of page.items) seen.add(o.orderId)
      if (!page.next) break
      // A second passes between two pages: the five old orders leave the two-minute window.
      clock.t += 1_000
      page = await adapter.fetchOrders(since, page.next)
    }
    expect(fresh.filter((id) => !seen.has(id))).toEqual([])
  })

  it('reuses one token, renews it when it expires mid-run, and stops at revoked credentials', async () => {
    const { sim, adapter, ids } = await setup()
    await syncUntilSettled(
      adapter,
      push(ids.slice(0, 5), () => 1),
    )
    await syncUntilSettled(
      adapter,
      push(ids.slice(0, 5), () => 2, 2),
    )
    expect(sim.counts.tokens).toBe(1)
    sim.expireTokens()
    await syncUntilSettled(
      adapter,
      push(ids.slice(0, 5), () => 3, 3),
    )
    expect(sim.counts.tokens).toBe(2)
    expect(sim.offer(ids[4]!)?.amount).toBe(3)
    sim.revokeCredentials()
    for (let i = 0; i < 3; i++) {
      const e = await adapter.push(push(ids.slice(0, 2), () => 4, 4 + i)).catch((x: unknown) => x)
      expect((e as ClassifiedError).kind).toBe('needs_seller')
      expect((e as ClassifiedError).message).not.toContain(BOL_SIM_CREDENTIALS.clientSecret)
    }
    expect(sim.counts.tokens).toBe(3)
    const t = await adapter.testConnection()
    expect(t.ok).toBe(false)
    expect(t.message).toContain('client id or secret')
  })

  it('holds back on x-ratelimit headers and 429 storms, and every offer ends right', async () => {
    const { sim, adapter, ids } = await setup(
      { limits: { 'offers-update': { limit: 3, windowSeconds: 100 } } },
      {},
      30,
    )
    const out = await syncUntilSettled(
      adapter,
      push(ids, (i) => 100 + i),
      { rateScale: SCALE },
    )
    ids.forEach((id, i) => expect(sim.offer(id)?.amount).toBe(100 + i))
    expect([...out.final.values()].every((r) => r.outcome === 'confirmed')).toBe(true)
    // The headers announce the end of each window, so the adapter waits instead of collecting 429s: ten
    // windows, four calls in flight, and at most the odd 429 where the first answer had not come back yet.
    expect(sim.counts.throttled).toBeLessThanOrEqual(3)
  })

  it('5xx, timeouts and garbled bodies: nothing is lost', async () => {
    let seed = 11
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const { sim, adapter, ids } = await setup(
      { random, faults: { errorRate: 0.2, hangRate: 0.05, truncateRate: 0.1, malformedRate: 0.1 } },
      { timeoutMs: 150, maxAttempts: 3 },
    )
    await syncUntilSettled(
      adapter,
      push(ids, (i) => 50 + i),
      { deadlineMs: 25_000 },
    )
    const listed = []
    let cursor: string | undefined
    do {
      const page = await adapter.listListings(cursor).catch(() => ({ items: [], next: cursor }))
      listed.push(...page.items)
      cursor = page.next
    } while (cursor)
    sim.faults = {}
    ids.forEach((id, i) => expect(sim.offer(id)?.amount).toBe(50 + i))
    expect(sim.requests.some((r) => r.fault)).toBe(true)
  })

  it('orders under 5xx, timeouts and garbled pages: every order arrives, from today and from days back', async () => {
    let seed = 17
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const { sim, adapter, ids } = await setup(
      { random },
      { timeoutMs: 150, maxAttempts: 2, maxInlineWaitMs: 50 },
    )
    const placed = Array.from({ length: 60 }, (_, i) =>
      sim.placeOrder([{ offerId: ids[i % 20]!, quantity: 1 }]),
    )
    sim.faults = { errorRate: 0.15, hangRate: 0.05, truncateRate: 0.1, malformedRate: 0.1 }
    for (const since of [new Date(Date.now() - 1000), new Date(Date.now() - 3 * 86_400_000)]) {
      const { orders } = await drainOrders(adapter, since.toISOString(), { maxWaitMs: 100 })
      expect(placed.every((id) => orders.has(id))).toBe(true)
      expect(orders.get(placed[7]!)!.lines[0]!.listingId).toBe(ids[7])
    }
    expect(sim.requests.some((r) => r.fault)).toBe(true)
  })

  it('lists offers for mapping with EAN, reference and on-hold state', async () => {
    const { adapter, ids } = await setup({}, {}, 130)
    const all = []
    let cursor: string | undefined
    do {
      const page = await adapter.listListings(cursor)
      all.push(...page.items)
      cursor = page.next
    } while (cursor)
    expect(all).toHaveLength(130)
    const one = all.find((l) => l.listingId === ids[7])!
    expect(one).toMatchObject({ sku: 'SKU-7', ean: '8712345000007', quantity: 5, paused: false })
    expect(one.externalIds.bolProductId).toBeTruthy()
  })

  it('refuses settings that cannot work, naming the field', () => {
    expect(() =>
      createBolAdapter({ baseUrl: 'https://api.bol.com', credentials: BOL_SIM_CREDENTIALS }),
    ).toThrow(/must end in \/retailer/)
    expect(() =>
      createBolAdapter({
        baseUrl: 'https://api.bol.com/retailer',
        credentials: { clientId: '', clientSecret: 'x' },
      }),
    ).toThrow(/clientId/)
  })
})
