// Burst order polls on the engine, on fake timers (the engine's clock and timers are the faked Date and
// setTimeout): an order that takes a product's last units polls each other channel listing it once, within
// that channel's published orders limit (the shipped capabilities: Amazon's searchOrders bucket of 20 at
// 0.0056/s, bol's 7 per 3 minutes), and the regular intervals go on unchanged.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { join } from 'node:path'
import {
  amazonCapabilities,
  bolCapabilities,
  wooCommerceCapabilities,
  zalandoCapabilities,
} from '../../../main/core/channels/channel-capabilities'
import { BURST_MIN_GAIN_MS, OrderPollBudget } from '../../../main/core/channels/order-poll-budget'
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelOrder,
  PushItem,
} from '../../../main/core/ports/channel-adapter'
import { TokenBucket } from '../../../main/core/rate-limit/token-bucket'
import { WindowLimit } from '../../../main/core/rate-limit/window-limit'
import { openDatabase } from '../../../main/node/db/database'
import { createEngine, type Engine } from '../../../main/node/engine'
import { MemoryOdoo } from '../../../main/sandbox/stand-ins/memory-odoo'
import { tempDir } from '../../helpers/app'

let cleanup: () => void = () => undefined
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  vi.setSystemTime(new Date('2026-12-01T10:00:00Z'))
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

interface FakeChannel {
  adapter: ChannelAdapter
  /** When each orders call was made (fake clock). */
  calls: number[]
  orders: ChannelOrder[]
  shown: Map<string, number>
}

function fakeChannel(type: ChannelAdapter['type'], caps: ChannelCapabilities): FakeChannel {
  const calls: number[] = []
  const orders: ChannelOrder[] = []
  const shown = new Map<string, number>()
  const adapter: ChannelAdapter = {
    type,
    capabilities: { ...caps, asyncConfirmation: false, readBack: false },
    testConnection: async () => ({ ok: true, message: '' }),
    listListings: async () => ({ items: [] }),
    push: async (items: PushItem[]) => {
      for (const i of items) shown.set(i.listingId, i.action === 'pause' ? 0 : i.quantity)
      return {
        calls: 1,
        results: items.map((i) => ({
          listingId: i.listingId,
          stamp: i.stamp,
          outcome: 'confirmed' as const,
        })),
      }
    },
    fetchOrders: async (since) => {
      calls.push(Date.now())
      return { items: orders.filter((o) => o.updatedAt >= since) }
    },
  }
  return { adapter, calls, orders, shown }
}

let orderSeq = 0
function sell(ch: FakeChannel, listingId: string, quantity = 1): void {
  const at = new Date(Date.now()).toISOString()
  ch.orders.push({
    orderId: `o${++orderSeq}`,
    status: 'open',
    updatedAt: at,
    createdAt: at,
    currency: 'EUR',
    lines: [
      {
        lineId: '1',
        listingId,
        sku: null,
        ean: null,
        externalIds: {},
        quantity,
        cancelledQuantity: 0,
        unitPrice: 10,
      },
    ],
  })
}

/**
 * Channels: `shop` (sells; polled every 5 s), `amz` (Amazon's shipped capabilities, 225 s), `bol` (35 s),
 * `zal` (Zalando, 5 s) and `solo` (Amazon's, but lists only product 99). Products 1..n have `stock` units.
 */
async function world(n: number, stock: number) {
  const t = tempDir()
  const db = openDatabase(join(t.dir, 'lastunit.db'))
  const odoo = new MemoryOdoo()
  const products = Array.from({ length: n }, (_, i) => i + 1)
  for (const p of [...products, 99]) {
    odoo.addProduct(p, `SKU-${p}`)
    odoo.receive(p, stock)
  }
  const shopCaps = { ...wooCommerceCapabilities(), orderPollIntervalMs: 5_000 }
  const chans = {
    shop: fakeChannel('woocommerce', shopCaps),
    amz: fakeChannel('amazon', amazonCapabilities()),
    bol: fakeChannel('bol', bolCapabilities()),
    zal: fakeChannel('zalando', zalandoCapabilities(1)),
    solo: fakeChannel('amazon', amazonCapabilities()),
  }
  const insertChannel = db.prepare(
    "INSERT INTO channels (id, type, name, base_url, state, zero_stock_action) VALUES (?, ?, ?, 'http://127.0.0.1:1', 'live', 'push_zero')",
  )
  const map = db.prepare('INSERT INTO sku_mappings (channel_id, listing_id, product_id) VALUES (?, ?, ?)')
  for (const [id, c] of Object.entries(chans)) {
    insertChannel.run(id, c.adapter.type, id)
    for (const p of id === 'solo' ? [99] : products) map.run(id, `${id}-${p}`, p)
  }
  const engine: Engine = createEngine({
    db,
    odoo,
    adapters: Object.fromEntries(Object.entries(chans).map(([id, c]) => [id, c.adapter])),
    options: {
      pollIntervalMs: 3_600_000,
      lateCommitSweepMs: 3_600_000,
      firstPushGuard: false,
      fullRecomputeSchedule: null,
      reconcileSchedule: null,
      // Every listing has the same default buffer of the slow class; a test asks for 0 to see the last unit.
    },
  })
  cleanup = () => {
    engine.halt()
    db.close()
    t.cleanup()
  }
  await engine.start()
  // Every channel's first poll runs at start; let them and the first pushes settle.
  await vi.advanceTimersByTimeAsync(100)
  for (const c of Object.values(chans)) c.calls.length = 0
  return { engine, db, chans }
}

const callsIn = (calls: number[], from: number, to: number) => calls.filter((t) => t >= from && t < to).length

describe('burst order polls', () => {
  it('a sell-out polls each other channel listing the product once, at once; the regular intervals go on', async () => {
    const { chans } = await world(1, 1)
    expect(chans.amz.shown.get('amz-1')).toBe(1)
    const t0 = Date.now()
    await vi.advanceTimersByTimeAsync(50_000)
    // Regular polls only so far: Amazon none in its first 225 s, bol one per 35 s, shop one per 5 s.
    expect(callsIn(chans.amz.calls, t0, Date.now())).toBe(0)
    expect(callsIn(chans.bol.calls, t0, Date.now())).toBe(1)

    sell(chans.shop, 'shop-1')
    const soldAt = Date.now()
    // The shop's next regular poll (within 5 s) sees the order, lowers every channel to 0 and bursts.
    await vi.advanceTimersByTimeAsync(5_000)
    const seenAt = chans.shop.calls.filter((t) => t >= soldAt)[0]!
    expect(chans.amz.shown.get('amz-1')).toBe(0)
    expect(chans.amz.calls.filter((t) => t >= soldAt)).toEqual([seenAt])
    expect(chans.bol.calls.filter((t) => t >= soldAt)).toEqual([seenAt])
    // Zalando is polled every 5 s anyway (no burst), the shop sold it, solo does not list product 1.
    expect(chans.zal.calls.filter((t) => t >= soldAt).every((t) => (t - t0 + 100) % 5_000 === 0)).toBe(true)
    expect(callsIn(chans.solo.calls, soldAt, Date.now())).toBe(0)

    // The regular schedule is unchanged: Amazon at 225 s after its start poll, bol every 35 s.
    await vi.advanceTimersByTimeAsync(225_000 - (Date.now() - t0) + 1)
    const amzRegular = chans.amz.calls.filter((t) => t !== seenAt)
    expect(amzRegular.map((t) => t - t0 + 100)).toEqual([225_000])
    const bolRegular = chans.bol.calls.filter((t) => t !== seenAt).map((t) => t - t0 + 100)
    expect(bolRegular).toEqual([35_000, 70_000, 105_000, 140_000, 175_000, 210_000])
  })

  it('an order that leaves units is no sell-out: no extra poll', async () => {
    const { chans } = await world(1, 5)
    const t0 = Date.now()
    sell(chans.shop, 'shop-1')
    await vi.advanceTimersByTimeAsync(5_000)
    expect(chans.amz.shown.get('amz-1')).toBe(4)
    expect(callsIn(chans.amz.calls, t0, Date.now())).toBe(0)
    expect(callsIn(chans.bol.calls, t0, Date.now())).toBe(0)
  })

  it('repeated sell-outs never take a channel past its published orders limit', async () => {
    const { chans } = await world(60, 1)
    const t0 = Date.now()
    // A sell-out on the shop every 5 s for 20 minutes: far more than the bursts the limits allow.
    for (let i = 1; i <= 60; i++) {
      sell(chans.shop, `shop-${i}`)
      await vi.advanceTimersByTimeAsync(5_000)
    }
    await vi.advanceTimersByTimeAsync(1_200_000 - 300_000)
    const end = Date.now()
    const bursts: Record<string, number> = {}
    for (const id of ['amz', 'bol'] as const) {
      // Replayed through the channel's published limit (the form the simulators enforce): every call fits.
      const caps = id === 'amz' ? amazonCapabilities() : bolCapabilities()
      const spec = caps.rateLimits.find((l) => l.scope === 'orders')!
      let replayAt = 0
      const clock = { now: () => replayAt }
      const limit = spec.windowMs
        ? new WindowLimit(spec.burst, spec.windowMs, clock)
        : new TokenBucket(spec.ratePerSecond, spec.burst, clock)
      replayAt = t0 - 100
      limit.take() // the start poll
      for (const at of chans[id].calls) {
        replayAt = at
        expect(limit.take(), `${id} call at ${at - t0} ms`).toBe(0)
      }
      const regular = Math.floor((end - t0 + 100) / caps.orderPollIntervalMs)
      bursts[id] = chans[id].calls.length - regular
    }
    // Amazon spent its reservoir (20, less the start poll; the last burst leaves what refills to a token by
    // the next regular poll) and nothing more while the sell-outs went on; bol the room its 7 per 3 minutes
    // leaves beside its six polls of every 3 minutes.
    expect(bursts.amz).toBe(19)
    expect(bursts.bol).toBeGreaterThanOrEqual(2)
    expect(bursts.bol).toBeLessThan(60)
    // bol: never more than 7 calls in any 3 minutes, counted from the calls themselves.
    const bol = chans.bol.calls
    for (const at of bol) expect(callsIn(bol, at, at + 180_000)).toBeLessThanOrEqual(7)
    // Amazon: 20 at once at most, then one per 178.6 s: calls <= 20 + rate x elapsed in every span from t0.
    expect(chans.amz.calls.length).toBeLessThanOrEqual(20 + Math.floor(((end - t0) / 1000) * 0.0056))
  })
})

describe('OrderPollBudget', () => {
  it('a bucket spends its reservoir and keeps a token for each regular poll', () => {
    const now = 0
    const clock = { now: () => now }
    const amazon = new OrderPollBudget({ ratePerSecond: 0.0056, burst: 20 }, clock)
    let bursts = 0
    while (amazon.burstFits(100_000, 225_000)) {
      amazon.spent()
      bursts++
    }
    // 19 leave one token, and the next regular poll in 100 s finds it (0.56 refilled by then).
    expect(bursts).toBe(19)
    expect(amazon.available()).toBe(1)
    // A poll every 100 s would take more than the refill: no burst may borrow from it.
    const tight = new OrderPollBudget({ ratePerSecond: 0.0056, burst: 20 }, clock)
    expect(tight.burstFits(100_000, 100_000)).toBe(false)
  })

  it('a window keeps room for every regular poll inside the burst window', () => {
    let now = 0
    const clock = { now: () => now }
    const bol = new OrderPollBudget({ ratePerSecond: 7 / 180, burst: 7, windowMs: 180_000 }, clock)
    // Regular polls every 35 s: six fall in one 3-minute window, so one burst fits, not two.
    bol.spent()
    now = 10_000
    expect(bol.burstFits(25_000, 35_000)).toBe(true)
    bol.spent()
    now = 11_000
    expect(bol.burstFits(24_000, 35_000)).toBe(false)
    // Once the burst has left the window, there is room again.
    now = 190_001
    expect(bol.burstFits(5_001, 35_000)).toBe(true)
  })

  it('a call past the limit is counted at the slot the client gives it', () => {
    let now = 0
    const clock = { now: () => now }
    const b = new OrderPollBudget({ ratePerSecond: 1 / 60, burst: 2, windowMs: 120_000 }, clock)
    b.spent()
    b.spent()
    b.spent() // over: the client holds it until 120 s, and it counts there
    // A burst now and a regular poll in 10 s would make three in the window with the held call.
    now = 125_000
    expect(b.burstFits(10_000, 1_000_000)).toBe(false)
    now = 240_001
    expect(b.burstFits(10_000, 1_000_000)).toBe(true)
  })

  it('refuses a limit that is no limit, naming the figure', () => {
    const clock = { now: () => 0 }
    expect(() => new OrderPollBudget({ ratePerSecond: 0, burst: 5 }, clock)).toThrow(/ratePerSecond.*0/)
    expect(() => new OrderPollBudget({ ratePerSecond: 1, burst: 0 }, clock)).toThrow(/burst.*0/)
    expect(() => new OrderPollBudget({ ratePerSecond: 1, burst: 2, windowMs: -1 }, clock)).toThrow(
      /windowMs.*-1/,
    )
    expect(BURST_MIN_GAIN_MS).toBe(5_000)
  })
})
