// bol.com ORDER events when the order-detail budget is spent, on an injected clock: the shipped bol adapter
// against the bol.com simulator (its fixed windows at bol's published limits: 8 details a minute, 7 list calls
// per 3 minutes, BOL_ENDPOINT_LIMITS), the shipped queue reader on a queue in memory and a real SQLite file.
// An event past the detail budget is read from the orders list, one list call for every event waiting with
// it; the list leaves a call for the next poll; an event neither may serve is hidden exactly until the detail
// budget frees; a duplicated event gives one pending entry; bol never has to refuse a call (no 429).
import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { KitBook } from '../../../main/core/stock/kit-book'
import type { OrderQueue, QueueMessage } from '../../../main/core/ports/order-queue'
import { createBolAdapter } from '../../../main/node/channels/bol'
import { isBolTestEvent } from '../../../main/node/channels/bol/bol-notifications'
import { openDatabase, type Database } from '../../../main/node/db/database'
import { replaceListings } from '../../../main/node/db/repos/listings'
import { queueMessageCounts } from '../../../main/node/db/repos/queue-messages'
import { recordNotifiedOrder } from '../../../main/node/orders/notified-orders'
import { resolveOrderLine, type OrderIntakeDeps } from '../../../main/node/orders/order-intake'
import { QueueReader } from '../../../main/node/queue/queue-reader'
import { BOL_SIM_CREDENTIALS, startBolSimulator, type BolSimulator } from '../../../main/sandbox/channels/bol'
import { tempDir } from '../../helpers/app'

class MemoryQueue implements OrderQueue {
  readonly url = 'http://127.0.0.1:1/000000000000/orders'
  pending: QueueMessage[] = []
  deleted: string[] = []
  hidden: Array<[string, number]> = []
  async receive(): Promise<QueueMessage[]> {
    const out = this.pending
    this.pending = []
    return out
  }
  async delete(h: string) {
    this.deleted.push(h)
  }
  async changeVisibility(h: string, s: number) {
    this.hidden.push([h, s])
  }
  async attributes() {
    return { arn: 'arn:aws:sqs:eu-west-1:000000000000:orders', visibilityTimeoutSeconds: 30, messages: 0 }
  }
  close() {}
}

let sim: BolSimulator | null = null
let db: Database | null = null
let cleanup: (() => void) | null = null
afterEach(async () => {
  await sim?.stop()
  db?.close()
  cleanup?.()
  sim = null
  db = null
})

const N = 20
let delivery = 0
/** bol.com's documented push message for a new order (Retailer API "Subscriptions"). */
const event = (orderId: string, messageId = `m-${orderId}`): QueueMessage => ({
  messageId,
  receiptHandle: `${messageId}#${++delivery}`,
  body: JSON.stringify({
    retailerId: 1234567,
    timestamp: new Date(clock.t).toISOString(),
    event: { resource: 'ORDER', type: 'NEW_ORDER', resourceId: orderId },
  }),
  receiveCount: 1,
  sentAt: clock.t,
})
const clock = { t: Date.parse('2026-12-05T10:00:00Z'), now: () => clock.t }

async function setup() {
  sim = await startBolSimulator({ clock })
  const offers = sim.setOffers(
    Array.from({ length: N }, (_, i) => ({
      ean: String(8712345000100 + i),
      reference: `SKU-${i}`,
      amount: 50,
    })),
  )
  const adapter = createBolAdapter(
    { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: BOL_SIM_CREDENTIALS },
    // Inline waits pass on the injected clock.
    { clock, sleep: async (ms) => void (clock.t += ms), timeoutMs: 5_000, backoffMs: 5 },
  )
  const t = tempDir('lastunit-bol-events-')
  cleanup = t.cleanup
  const d = openDatabase(join(t.dir, 'q.db'))
  db = d
  d.prepare(
    "INSERT INTO channels (id, type, name, base_url, state) VALUES ('bol', 'bol', 'bol.com', 'https://x', 'live')",
  ).run()
  const product = d.prepare('INSERT INTO products (id, name, default_code) VALUES (?, ?, ?)')
  const map = d.prepare("INSERT INTO sku_mappings (channel_id, listing_id, product_id) VALUES ('bol', ?, ?)")
  offers.forEach((offerId, i) => {
    product.run(i + 1, `Product ${i}`, `ODOO-${i}`)
    map.run(offerId, i + 1)
  })
  // As a listings fetch stores them: each offer with its EAN.
  replaceListings(
    d,
    'bol',
    offers.map((offerId, i) => ({
      listingId: offerId,
      sku: `SKU-${i}`,
      ean: String(8712345000100 + i),
      externalIds: { offerId },
      title: `Product ${i}`,
      quantity: 50,
      paused: false,
    })),
    new Date(clock.t).toISOString(),
  )
  const productOf = (listingId: string) =>
    (
      d
        .prepare("SELECT product_id AS p FROM sku_mappings WHERE channel_id = 'bol' AND listing_id = ?")
        .get(listingId) as { p: number } | undefined
    )?.p ?? null
  const deps = {
    db: d,
    clock,
    channel: () => ({ name: 'bol.com', orderImport: true }),
    log: () => undefined,
    emit: () => undefined,
    kits: () => new KitBook(null),
    lower: () => new Set<number>(),
    changed: () => undefined,
  } as unknown as OrderIntakeDeps
  const queue = new MemoryQueue()
  const reader = new QueueReader({
    db: d,
    clock,
    queue,
    channels: [
      { channelId: 'bol', name: 'bol.com', live: () => true, notifications: adapter.notifications! },
    ],
    record: (channelId, n) =>
      recordNotifiedOrder(deps, channelId, n, (line) => resolveOrderLine(d, productOf, channelId, line)),
    log: () => undefined,
    stateChanged: () => undefined,
    sleep: async () => undefined,
  })
  const buy = (i: number, quantity = 1) => sim!.placeOrder([{ offerId: offers[i]!, quantity }])
  return { sim, adapter, db: d, queue, reader, buy }
}

const pendingOf = (d: Database, productId: number): number =>
  (
    d
      .prepare('SELECT coalesce(sum(pending_quantity), 0) AS n FROM order_lines WHERE product_id = ?')
      .get(productId) as { n: number }
  ).n
const provisional = (d: Database, orderId: string): number =>
  (
    d.prepare("SELECT provisional FROM orders WHERE channel_id = 'bol' AND order_id = ?").get(orderId) as {
      provisional: number
    }
  ).provisional
const listCalls = (s: BolSimulator) =>
  s.received.filter((r) => r.method === 'GET' && r.path === '/retailer/orders').length

describe('bol.com ORDER events past the order-detail budget', () => {
  it('are read from the orders list within its budget, duplicates give one pending entry, and a message neither budget serves is hidden until the detail budget frees', async () => {
    const { sim, db, queue, reader, buy } = await setup()

    // Eight orders in one minute: each event reads its detail, bol's 8 a minute.
    const first = Array.from({ length: 8 }, (_, i) => buy(i))
    queue.pending = first.map((id) => event(id))
    await reader.receiveOnce()
    expect(sim.counts.detailCalls).toBe(8)
    expect(listCalls(sim)).toBe(0)
    for (let i = 0; i < 8; i++) expect(pendingOf(db, i + 1)).toBe(1)
    expect(provisional(db, first[0]!)).toBe(0)

    // Three more orders in the same minute: the detail budget is spent, so one list call serves all three.
    // The first comes twice (SQS delivers at least once) and once more as another event for the same order.
    clock.t += 5_000
    const more = [buy(8, 2), buy(9), buy(10)]
    queue.pending = [
      event(more[0]!),
      event(more[0]!),
      event(more[0]!, 'm-again'),
      event(more[1]!),
      event(more[2]!),
    ]
    await reader.receiveOnce()
    expect(sim.counts.detailCalls).toBe(8)
    expect(listCalls(sim)).toBe(1)
    expect(pendingOf(db, 9)).toBe(2)
    expect(pendingOf(db, 10)).toBe(1)
    expect(pendingOf(db, 11)).toBe(1)
    // Known from the list alone (no price): pending at once, imported once a poll has read its detail.
    expect(provisional(db, more[0]!)).toBe(1)
    expect(queueMessageCounts(db, queue.url)).toMatchObject({ recorded: 11, known: 1 })
    expect(queue.hidden).toEqual([])

    // Each further order while the detail budget is spent takes a list call, down to the one left for the
    // next order poll (7 per 3 minutes: 5 more here, then the reserve).
    for (let i = 0; i < 5; i++) {
      clock.t += 1_000
      queue.pending = [event(buy(11 + i))]
      await reader.receiveOnce()
      expect(pendingOf(db, 12 + i)).toBe(1)
    }
    expect(listCalls(sim)).toBe(6)
    expect(sim.counts.detailCalls).toBe(8)

    // Neither budget serves the next one: it is hidden until bol's detail window resets (60 s after the
    // first detail call, 15 s ago), not for a flat 30 s, and read through the detail when it comes again.
    clock.t += 5_000
    const late = buy(16)
    const m = event(late)
    queue.pending = [m]
    await reader.receiveOnce()
    expect(pendingOf(db, 17)).toBe(0)
    expect(queue.deleted).not.toContain(m.receiptHandle)
    expect(queue.hidden).toHaveLength(1)
    const [handle, seconds] = queue.hidden[0]!
    expect(handle).toBe(m.receiptHandle)
    expect(seconds).toBeGreaterThanOrEqual(44)
    expect(seconds).toBeLessThanOrEqual(46)
    expect(listCalls(sim)).toBe(6)

    clock.t += seconds * 1000
    queue.pending = [{ ...m, receiptHandle: `${m.messageId}#again`, receiveCount: 2 }]
    await reader.receiveOnce()
    expect(pendingOf(db, 17)).toBe(1)
    expect(provisional(db, late)).toBe(0)
    expect(sim.counts.detailCalls).toBe(9)
    // bol never had to refuse a call: every one kept to its published limit.
    expect(sim.counts.throttled).toBe(0)
  })
})

describe("bol.com's test event through the queue reader", () => {
  it('is recognised as a test, never fetched as an order, deleted, and its arrival recorded in the status', async () => {
    const { sim, db, queue, reader } = await setup()
    expect(reader.status().lastTestEventAt).toBeNull()
    // The body of bol's test push is not published: the documented envelope with type TEST (the simulator's).
    const test: QueueMessage = {
      messageId: 'm-test',
      receiptHandle: 'm-test#1',
      body: JSON.stringify({
        retailerId: 1234567,
        timestamp: new Date(clock.t).toISOString(),
        event: { resource: 'ORDER', type: 'TEST', resourceId: '1' },
      }),
      receiveCount: 1,
      sentAt: clock.t,
    }
    queue.pending = [test]
    await reader.receiveOnce()
    expect(reader.status().lastTestEventAt).toBe(clock.t)
    expect(queue.deleted).toEqual(['m-test#1'])
    expect(queue.hidden).toEqual([])
    expect(sim.counts.detailCalls).toBe(0)
    expect(listCalls(sim)).toBe(0)
    expect(queueMessageCounts(db, queue.url)).toMatchObject({ recorded: 0, ignored: 1 })
    expect(db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 0 })

    // A reader of the same queue for another channel only (Amazon's, while bol.com is being set up): the
    // test event is still recognised (isTest over every adapter) and recorded, not set aside as not ours.
    const other = new MemoryQueue()
    const amazonOnly = new QueueReader({
      db,
      clock,
      queue: other,
      channels: [
        {
          channelId: 'amazon',
          name: 'Amazon',
          live: () => true,
          notifications: {
            read: async () => null,
            subscribe: async () => null!,
            subscription: async () => null!,
          },
        },
      ],
      record: () => null!,
      log: () => undefined,
      stateChanged: () => undefined,
      sleep: async () => undefined,
      isTest: isBolTestEvent,
    })
    clock.t += 1_000
    other.pending = [{ ...test, messageId: 'm-test-2', receiptHandle: 'm-test-2#1' }]
    await amazonOnly.receiveOnce()
    expect(amazonOnly.status().lastTestEventAt).toBe(clock.t)
    expect(queueMessageCounts(db, other.url)).toMatchObject({ ignored: 2, not_ours: 0 })
  })
})
