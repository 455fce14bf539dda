import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../../../main/core/ports/clock'
import type { ChannelAdapter } from '../../../../main/core/ports/channel-adapter'
import {
  createKauflandAdapter,
  type KauflandConfig,
} from '../../../../main/node/channels/kaufland/kaufland-adapter'
import { startKauflandSimulator, type KauflandSimulator } from '../../../../main/sandbox/channels/kaufland'
import { set, thrown } from '../../../helpers/push-items'

describe('Kaufland adapter against the simulator', () => {
  let sim: KauflandSimulator
  let adapter: ChannelAdapter
  let config: KauflandConfig

  beforeEach(async () => {
    sim = await startKauflandSimulator({ specsDir: null, storefronts: ['de', 'cz'] })
    sim.setUnits(
      Array.from({ length: 260 }, (_, i) => ({
        id_unit: 1001 + i,
        id_offer: `SKU-${i + 1}`,
        ean: String(4006381333000 + i),
        amount: 5,
      })),
    )
    config = {
      baseUrl: sim.url,
      storefront: 'de',
      credentials: { clientKey: sim.clientKey, secretKey: sim.secretKey },
    }
    adapter = createKauflandAdapter(config, { timeoutMs: 2000, clock: systemClock })
  })
  afterEach(() => sim.stop())

  it('tests the connection and names a storefront the account does not sell on', async () => {
    expect(await adapter.testConnection()).toMatchObject({ ok: true })
    const fr = createKauflandAdapter({ ...config, storefront: 'fr' }, { timeoutMs: 2000, clock: systemClock })
    const r = await fr.testConnection()
    expect(r.ok).toBe(false)
    expect(r.message).toContain('"fr"')
    expect(r.message).toContain('de, cz')
  })

  it('pushes one unit with a signed PATCH and reads it back', async () => {
    const r = await adapter.push([set('1001', 17)])
    expect(r.results).toEqual([{ listingId: '1001', stamp: 1, outcome: 'confirmed' }])
    expect(sim.unit(1001)?.amount).toBe(17)
    expect(sim.received.at(-1)).toMatchObject({
      method: 'PATCH',
      path: '/v2/units/1001',
      body: { amount: 17 },
    })
    expect(await adapter.readBack?.(['1001'])).toEqual([{ listingId: '1001', quantity: 17, available: true }])
  })

  it('pushes 150 units in one bulk call with per-item 207 results, unknown units rejected', async () => {
    const items = Array.from({ length: 149 }, (_, i) => set(String(1001 + i), i))
    items.push(set('999999', 3))
    const r = await adapter.push(items)
    expect(r.calls).toBe(1)
    expect(r.results.filter((x) => x.outcome === 'confirmed')).toHaveLength(149)
    const bad = r.results.find((x) => x.listingId === '999999')
    expect(bad).toMatchObject({ outcome: 'rejected', code: 'kaufland.404' })
    expect(bad?.message).toContain('999999')
    expect(sim.unit(1149)?.amount).toBe(148)
    expect(adapter.capabilities.bulkBatchSize).toBe(150)
    await expect(
      adapter.push(Array.from({ length: 151 }, (_, i) => set(String(1001 + i), 1))),
    ).rejects.toMatchObject({ kind: 'permanent' })
  })

  it('keeps only the newest value of a unit that appears twice in a batch', async () => {
    const r = await adapter.push([set('1001', 1, 5), set('1002', 2, 1), set('1001', 9, 7)])
    expect(sim.unit(1001)?.amount).toBe(9)
    expect(r.results.find((x) => x.stamp === 5)).toMatchObject({ outcome: 'rejected', code: 'superseded' })
    expect(r.results.find((x) => x.stamp === 7)).toMatchObject({ outcome: 'confirmed' })
  })

  it('rejects bad items locally with a message naming the item', async () => {
    const r = await adapter.push([set('abc', 1), set('1001', -2)])
    expect(r.calls).toBe(0)
    expect(r.results[0]?.message).toContain('"abc"')
    expect(r.results[1]?.message).toContain('-2')
  })

  it('pauses with status ONHOLD and resumes with AVAILABLE', async () => {
    await adapter.push([
      { listingId: '1001', quantity: 0, action: 'pause', stamp: 1 },
      { listingId: '1002', quantity: 0, action: 'pause', stamp: 1 },
    ])
    expect(sim.unit(1001)).toEqual({ amount: 0, status: 'ONHOLD' })
    expect((await adapter.readBack?.(['1001']))?.[0]).toMatchObject({ available: false })
    const listings = await adapter.listListings()
    expect(listings.items.find((l) => l.listingId === '1002')?.paused).toBe(true)
    await adapter.push([{ listingId: '1001', quantity: 4, action: 'resume', stamp: 2 }])
    expect(sim.unit(1001)).toEqual({ amount: 4, status: 'AVAILABLE' })
  })

  it('lists units for mapping with offset paging', async () => {
    const p1 = await adapter.listListings()
    expect(p1.items).toHaveLength(100)
    expect(p1.items[0]).toMatchObject({
      listingId: '1001',
      sku: 'SKU-1',
      ean: '4006381333000',
      quantity: 5,
      paused: false,
    })
    const p3 = await adapter.listListings('200')
    expect(p3.items).toHaveLength(60)
    expect(p3.next).toBeUndefined()
    expect(p1.next).toBe('100')
  })

  it('imports order units since a timestamp, one unit per piece, with paging and cancellations', async () => {
    const since = new Date(Date.now() - 1000).toISOString()
    const big = sim.placeOrder([
      { id_unit: 1001, quantity: 3 },
      { id_unit: 1002, quantity: 1 },
    ])
    for (let i = 0; i < 110; i++) sim.placeOrder([{ id_unit: 1010 + (i % 50), quantity: 1 }])
    sim.cancelOrderUnit(big.id_order_units[0] as number)
    const orders = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await adapter.fetchOrders(since, cursor)
      orders.push(...page.items)
      cursor = page.next
      pages++
    } while (cursor)
    expect(pages).toBe(2)
    const lines = new Map(orders.flatMap((o) => o.lines.map((l) => [l.lineId, { ...l, orderId: o.orderId }])))
    expect(lines.size).toBe(114)
    const mine = orders.filter((o) => o.orderId === big.id_order)
    const bigLines = [...new Map(mine.flatMap((o) => o.lines).map((l) => [l.lineId, l])).values()]
    expect(bigLines.filter((l) => l.sku === 'SKU-1')).toHaveLength(3)
    expect(bigLines.every((l) => l.quantity === 1)).toBe(true)
    expect(bigLines.filter((l) => l.cancelledQuantity === 1)).toHaveLength(1)
    expect(mine.every((o) => o.status === 'partially_cancelled')).toBe(true)
    expect(mine.some((o) => o.lines.length === 4)).toBe(true)
    expect(sim.unit(1001)?.amount).toBe(2)
    const later = await adapter.fetchOrders(new Date(Date.now() + 60_000).toISOString())
    expect(later.items).toHaveLength(0)
  })

  it('asks the seller when keys are revoked or the secret is wrong, without leaking the secret', async () => {
    const wrong = createKauflandAdapter(
      { ...config, credentials: { clientKey: sim.clientKey, secretKey: 'not-the-secret-123' } },
      { timeoutMs: 2000, clock: systemClock },
    )
    const e1 = await thrown(wrong.push([set('1001', 1)]))
    expect(e1).toMatchObject({ kind: 'needs_seller', code: 'kaufland.auth' })
    expect(e1.hint).toContain('clock')
    expect(e1.message).not.toContain('not-the-secret-123')
    sim.revokeKeys()
    const e2 = await thrown(adapter.push([set('1001', 1)]))
    expect(e2.kind).toBe('needs_seller')
    expect(JSON.stringify(e2)).not.toContain(sim.secretKey)
    expect((await adapter.testConnection()).ok).toBe(false)
  })

  it('refuses a timestamp far from server time', async () => {
    const skewed = createKauflandAdapter(config, {
      timeoutMs: 2000,
      clock: { now: () => Date.now() - 3_600_000 },
    })
    await expect(skewed.push([set('1001', 1)])).rejects.toMatchObject({ kind: 'needs_seller' })
  })

  it('turns 429 into a retryable error with the wait, 5xx retryable, timeouts and malformed bodies retryable', async () => {
    await sim.stop()
    sim = await startKauflandSimulator({ specsDir: null, ratePerSecond: 3 })
    sim.setUnits([{ id_unit: 1001, id_offer: 'A', ean: '4006381333931', amount: 1 }])
    // A Retry-After longer than the client may wait inline comes back to the engine; failures are retried
    // with a backoff kept short here.
    const a = createKauflandAdapter(
      { ...config, baseUrl: sim.url, credentials: { clientKey: sim.clientKey, secretKey: sim.secretKey } },
      { timeoutMs: 300, clock: systemClock, maxInlineWaitMs: 500, backoffMs: 5 },
    )
    const errors = await Promise.allSettled(Array.from({ length: 6 }, () => a.push([set('1001', 2)])))
    const throttled = errors.find((r) => r.status === 'rejected')
    expect(throttled?.status === 'rejected' && throttled.reason).toMatchObject({
      kind: 'retryable',
      code: 'kaufland.throttled',
      retryAfterMs: 1000,
    })
    // The faults below are each tried four times, more than this tight limit allows: a roomy simulator.
    await sim.stop()
    sim = await startKauflandSimulator({ specsDir: null })
    sim.setUnits([{ id_unit: 1001, id_offer: 'A', ean: '4006381333931', amount: 1 }])
    const b = createKauflandAdapter(
      { ...config, baseUrl: sim.url, credentials: { clientKey: sim.clientKey, secretKey: sim.secretKey } },
      { timeoutMs: 300, clock: systemClock, backoffMs: 5 },
    )
    sim.faults = { errorRate: 1 }
    expect(await thrown(b.push([set('1001', 2)]))).toMatchObject({
      kind: 'retryable',
      code: 'kaufland.server',
    })
    sim.faults = { hangRate: 1 }
    expect(await thrown(b.push([set('1001', 2)]))).toMatchObject({ kind: 'retryable', code: 'http.timeout' })
    sim.faults = { malformedRate: 1 }
    expect(await thrown(b.listListings())).toMatchObject({ kind: 'retryable', code: 'http.malformed' })
    sim.faults = { truncateRate: 1 }
    expect(await thrown(b.fetchOrders('2020-01-01T00:00:00Z'))).toMatchObject({
      kind: 'retryable',
      code: 'http.malformed',
    })
    sim.faults = {}
  })

  it('validates bodies like Kaufland: an unknown field is refused with its name', async () => {
    const { KauflandClient } = await import('../../../../main/node/channels/kaufland/kaufland-client')
    const client = new KauflandClient({
      baseUrl: sim.url,
      clientKey: sim.clientKey,
      secretKey: sim.secretKey,
      userAgent: 't',
      timeoutMs: 2000,
      clock: systemClock,
    })
    const res = await client.send({
      method: 'PATCH',
      path: '/units/1001',
      query: { storefront: 'de' },
      body: { amount: 1, quantity: 3 },
      what: 'test',
    })
    expect(res.status).toBe(400)
    expect(res.text).toContain('quantity')
    const dup = await client.send({
      method: 'POST',
      path: '/units/bulk',
      query: { storefront: 'de' },
      body: [
        { id_unit: 1001, unit_data: { amount: 1 } },
        { id_unit: 1001, unit_data: { amount: 2 } },
      ],
      what: 'test',
    })
    expect(dup.status).toBe(400)
    expect(dup.text).toContain('bulk-duplicate-units')
  })

  it('refuses a bad configuration with the field named', () => {
    expect(() =>
      createKauflandAdapter({ ...config, storefront: 'xx' as 'de' }, { timeoutMs: 1, clock: systemClock }),
    ).toThrow(/storefront/)
    expect(() =>
      createKauflandAdapter({ ...config, baseUrl: 'nope' }, { timeoutMs: 1, clock: systemClock }),
    ).toThrow(/baseUrl/)
  })
})
