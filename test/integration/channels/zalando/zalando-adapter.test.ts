import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClassifiedError } from '../../../../main/core/errors'
import { systemClock } from '../../../../main/core/ports/clock'
import type { ChannelAdapter, ChannelOrder } from '../../../../main/core/ports/channel-adapter'
import { createZalandoAdapter, type ZalandoConfig } from '../../../../main/node/channels/zalando'
import { startZalandoSimulator, type ZalandoSimulator } from '../../../../main/sandbox/channels/zalando'
import { set, thrown } from '../../../helpers/push-items'

const ean = (i: number) => String(4063614500000 + i)

describe('Zalando adapter against the simulator', () => {
  let sim: ZalandoSimulator
  let adapter: ChannelAdapter
  let config: ZalandoConfig
  const [sc1, sc2] = ['091dcbdd-7839-4f39-aa05-324eb4599df0', '733af55a-4133-4d7c-b5f3-d64d42c135fe']

  const start = async (limits = {}) => {
    sim = await startZalandoSimulator({ specsDir: null, limits })
    sim.setArticles(
      Array.from({ length: 600 }, (_, i) => ({
        ean: ean(i),
        external_id: `SKU-${i}`,
        article_id: `ZA1-${i}`,
        quantity: 3,
      })),
    )
    config = {
      baseUrl: sim.url,
      merchantId: sim.merchantId,
      salesChannelIds: [sc1 as string, sc2 as string],
      credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
    }
    adapter = createZalandoAdapter(config, { timeoutMs: 2000, clock: systemClock })
  }
  beforeEach(() => start())
  afterEach(() => sim.stop())

  it('tests the connection, and explains refused credentials without the secret', async () => {
    expect(await adapter.testConnection()).toMatchObject({ ok: true })
    const bad = createZalandoAdapter(
      { ...config, credentials: { clientId: sim.clientId, clientSecret: 'wrong-secret-value' } },
      { timeoutMs: 2000, clock: systemClock },
    )
    const r = await bad.testConnection()
    expect(r.ok).toBe(false)
    expect(r.message).toContain('client id and secret')
    expect(r.message).not.toContain('wrong-secret-value')
    const e = await thrown(bad.push([set(ean(1), 1)]))
    expect(e.kind).toBe('needs_seller')
  })

  it('pushes a batch to every sales channel with per-item 207 results, one token for many calls', async () => {
    expect(adapter.capabilities.bulkBatchSize).toBe(500)
    const items = Array.from({ length: 20 }, (_, i) => set(ean(i), i))
    items.push(set('4000000000000', 5))
    const r = await adapter.push(items)
    expect(r.results.filter((x) => x.outcome === 'confirmed')).toHaveLength(20)
    const unknown = r.results.find((x) => x.listingId === '4000000000000')
    expect(unknown).toMatchObject({ outcome: 'rejected', code: '102' })
    expect(unknown?.message).toContain('4000000000000')
    expect(sim.offer(ean(7), sc1 as string).quantity).toBe(7)
    expect(sim.offer(ean(7), sc2 as string).quantity).toBe(7)
    await adapter.push([set(ean(1), 9)])
    await adapter.fetchOrders('2020-01-01T00:00:00Z')
    expect(sim.tokenStats.issued).toBe(1)
  })

  it('reports code 104 as accepted (held until onboarded) and confirms once Zalando applies it', async () => {
    sim.setArticles([{ ean: ean(1), onboarded: false }, { ean: ean(2) }])
    adapter = createZalandoAdapter(config, { timeoutMs: 2000, clock: systemClock, heldRecheckMs: 0 })
    const r = await adapter.push([set(ean(1), 6, 10), set(ean(2), 2, 10)])
    const held = r.results.find((x) => x.listingId === ean(1))
    expect(held).toMatchObject({ outcome: 'accepted', code: '104' })
    expect(held?.message).toContain('onboarded')
    expect(sim.offer(ean(1), sc1 as string)).toMatchObject({ quantity: undefined, pending: 6 })
    expect(await adapter.confirm?.([held?.confirmationToken as string])).toEqual([])
    sim.onboard(ean(1))
    expect(await adapter.confirm?.([held?.confirmationToken as string])).toEqual([
      { listingId: ean(1), stamp: 10, outcome: 'confirmed' },
    ])
    expect(sim.offer(ean(1), sc2 as string).quantity).toBe(6)
    await adapter.push([set(ean(1), 1, 11)])
    expect((await adapter.confirm?.([held?.confirmationToken as string]))?.[0]).toMatchObject({
      outcome: 'rejected',
      code: 'superseded',
    })
    expect(sim.offer(ean(1), sc2 as string).quantity).toBe(1)
  })

  it('re-checks held values rarely, so confirmations do not eat the stock-update budget', async () => {
    sim.setArticles([{ ean: ean(1), onboarded: false }])
    let now = Date.now()
    const a = createZalandoAdapter(config, { timeoutMs: 2000, clock: { now: () => now } })
    const held = (await a.push([set(ean(1), 6, 1)])).results[0]?.confirmationToken as string
    const posts = () => sim.received.filter((x) => x.path.endsWith('/stocks')).length
    const before = posts()
    await a.confirm?.([held])
    await a.confirm?.([held])
    expect(posts() - before).toBe(1)
    sim.onboard(ean(1))
    expect(await a.confirm?.([held])).toEqual([])
    now += 15 * 60_000
    expect(await a.confirm?.([held])).toEqual([{ listingId: ean(1), stamp: 1, outcome: 'confirmed' }])
  })

  it('pauses with offer blockers on every sales channel and resumes lifting only its own blockers', async () => {
    const pause = await adapter.push([
      { listingId: ean(1), quantity: 0, action: 'pause', stamp: 1 },
      { listingId: ean(2), quantity: 0, action: 'pause', stamp: 1 },
      { listingId: ean(3), quantity: 0, action: 'pause', stamp: 1 },
    ])
    expect(pause.results.every((x) => x.outcome === 'confirmed')).toBe(true)
    expect(pause.calls).toBe(3) // 6 blockers in batches of 5, then one stock call
    expect(sim.offer(ean(1), sc2 as string)).toMatchObject({ blocked: true, quantity: 0 })
    // The seller blocks ean(2) on channel 1 for a reason of their own: resume must leave it.
    const { ZalandoClient } = await import('../../../../main/node/channels/zalando/zalando-client')
    const c = new ZalandoClient(
      {
        baseUrl: sim.url,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        timeoutMs: 2000,
        clock: systemClock,
        tokensPerMinute: 8,
        rateScale: 1,
      },
      {},
    )
    await c.json(
      {
        method: 'POST',
        path: `/merchants/${sim.merchantId}/offer-blockers`,
        body: {
          items: [
            {
              reason: 'PAUSE_04',
              description: 'quality check',
              criteria: { ean: ean(2), sales_channel_id: sc1 },
            },
          ],
        },
        op: 'x',
        what: 'seller blocker',
      },
      [207],
    )
    const resume = await adapter.push([
      { listingId: ean(1), quantity: 4, action: 'resume', stamp: 2 },
      { listingId: ean(2), quantity: 4, action: 'resume', stamp: 2 },
    ])
    expect(resume.results.every((x) => x.outcome === 'confirmed')).toBe(true)
    expect(sim.offer(ean(1), sc1 as string)).toMatchObject({ blocked: false, quantity: 4 })
    expect(sim.offer(ean(2), sc2 as string).blocked).toBe(false)
    expect(sim.offer(ean(2), sc1 as string).blocked).toBe(true)
    expect(sim.offer(ean(3), sc1 as string).blocked).toBe(true)
  })

  it('resumes many EANs from one paged listing of blockers instead of one lookup per EAN', async () => {
    const eans = Array.from({ length: 12 }, (_, i) => ean(100 + i))
    await adapter.push(
      eans.map((listingId) => ({ listingId, quantity: 0, action: 'pause' as const, stamp: 1 })),
    )
    expect(
      eans.every((e) => sim.offer(e, sc1 as string).blocked && sim.offer(e, sc2 as string).blocked),
    ).toBe(true)
    const before = sim.received.length
    const r = await adapter.push(
      eans.map((listingId) => ({ listingId, quantity: 2, action: 'resume' as const, stamp: 2 })),
    )
    expect(r.results.every((x) => x.outcome === 'confirmed')).toBe(true)
    const lookups = sim.received.slice(before).filter((x) => x.method === 'GET')
    expect(lookups).toHaveLength(1)
    expect(eans.some((e) => sim.offer(e, sc1 as string).blocked)).toBe(false)
  })

  it('imports JSON:API orders changed after a time with paging; items map by external_id and article_id', async () => {
    const since = new Date(Date.now() - 1000).toISOString()
    const first = sim.placeOrder({
      lines: [
        { ean: ean(1), quantity: 3, price: 20 },
        { ean: ean(2), quantity: 1 },
      ],
    })
    for (let i = 0; i < 60; i++)
      sim.placeOrder({ salesChannelId: sc2 as string, lines: [{ ean: ean(10 + i), quantity: 1 }] })
    await new Promise((r) => setTimeout(r, 5))
    sim.cancelLines(first, ean(1), 2)
    const all: ChannelOrder[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const p = await adapter.fetchOrders(since, cursor)
      all.push(...p.items)
      cursor = p.next
      pages++
    } while (cursor)
    expect(pages).toBe(2)
    expect(new Set(all.map((o) => o.orderId)).size).toBe(61)
    const o = all.find((x) => x.orderId === first)
    expect(o?.status).toBe('partially_cancelled')
    const line = o?.lines.find((l) => l.sku === 'SKU-1')
    expect(line).toMatchObject({
      quantity: 3,
      cancelledQuantity: 2,
      unitPrice: 20,
      ean: null,
      listingId: null,
      externalIds: { article_id: 'ZA1-1', external_id: 'SKU-1' },
    })
    expect((await adapter.fetchOrders(new Date(Date.now() + 1000).toISOString())).items).toHaveLength(0)
  })

  it('renews an expired token once and carries on', async () => {
    await adapter.push([set(ean(1), 1)])
    sim.expireTokens()
    const r = await adapter.push([set(ean(1), 2)])
    expect(r.results[0]?.outcome).toBe('confirmed')
    expect(sim.tokenStats.issued).toBe(2)
  })

  it('never asks for more than 8 tokens a minute: the 9th waits, reported as retryable', async () => {
    let err: ClassifiedError | undefined
    for (let i = 0; i < 10 && !err; i++) {
      sim.expireTokens()
      try {
        await adapter.push([set(ean(1), i)])
      } catch (e) {
        err = e as ClassifiedError
      }
    }
    expect(err).toMatchObject({ kind: 'retryable', code: 'rate_limit.local' })
    expect(err?.retryAfterMs).toBeGreaterThan(5000)
    expect(sim.tokenStats.refused).toBe(0)
    expect(sim.tokenStats.issued).toBe(8)
  })

  it('keeps within 2000 stock updates a minute on its own side', async () => {
    const batch = (k: number) => Array.from({ length: 500 }, (_, i) => set(ean(i), k))
    await adapter.push(batch(1))
    await adapter.push(batch(2))
    expect(await thrown(adapter.push(batch(3)))).toMatchObject({
      kind: 'retryable',
      code: 'rate_limit.local',
    })
  })

  it('turns a 429 into retryable with Retry-After, and 5xx, timeouts and malformed bodies into retryable', async () => {
    await sim.stop()
    await start({ stockRequestsPerWindow: 2 })
    await adapter.push([set(ean(1), 1)])
    await adapter.push([set(ean(1), 2)])
    const e = await thrown(adapter.push([set(ean(1), 3)]))
    expect(e).toMatchObject({ kind: 'retryable', code: 'zalando.throttled' })
    expect(e.retryAfterMs).toBeGreaterThan(1000)
    // The client retries 5xx, timeouts and garbled bodies with backoff before it gives up: kept short here.
    const a = createZalandoAdapter(config, { timeoutMs: 300, clock: systemClock, backoffMs: 5 })
    await a.fetchOrders('2020-01-01T00:00:00Z')
    sim.faults = { errorRate: 1 }
    expect(await thrown(a.fetchOrders('2020-01-01T00:00:00Z'))).toMatchObject({
      kind: 'retryable',
      code: 'zalando.server',
    })
    sim.faults = { hangRate: 1 }
    expect(await thrown(a.fetchOrders('2020-01-01T00:00:00Z'))).toMatchObject({
      kind: 'retryable',
      code: 'http.timeout',
    })
    sim.faults = { malformedRate: 1 }
    expect(await thrown(a.fetchOrders('2020-01-01T00:00:00Z'))).toMatchObject({
      kind: 'retryable',
      code: 'http.malformed',
    })
    sim.faults = { down: true }
    expect(await thrown(a.fetchOrders('2020-01-01T00:00:00Z'))).toMatchObject({ kind: 'retryable' })
    sim.faults = {}
  })

  it('refuses bad items and settings, naming them', async () => {
    const r = await adapter.push([set('12AB', 1), set(ean(1), 1.5)])
    expect(r.results[0]?.message).toContain('"12AB"')
    expect(r.results[1]?.message).toContain('1.5')
    expect(() =>
      createZalandoAdapter({ ...config, merchantId: 'm1' }, { timeoutMs: 1, clock: systemClock }),
    ).toThrow(/merchantId/)
    expect(() =>
      createZalandoAdapter({ ...config, salesChannelIds: ['de'] }, { timeoutMs: 1, clock: systemClock }),
    ).toThrow(/"de"/)
  })
})
