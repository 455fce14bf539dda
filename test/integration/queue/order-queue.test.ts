// Orders through the seller's queue, end to end over loopback: the Amazon and bol.com simulators send their
// order events (ORDER_CHANGE, ORDER) to the SQS simulator, the engine reads it with the real AWS SDK, and a
// real SQLite file records every message and order. Order polling stays the safety net: a duplicated, late or
// lost event changes nothing in the outcome, and a queue that fails leaves the channel on polling with an alert.
import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv from 'ajv'
import type { ChannelAdapter } from '../../../main/core/ports/channel-adapter'
import { getChannel } from '../../../main/node/db/repos/channels'
import { readCredentials } from '../../../main/node/db/repos/credentials'
import { queueMessageCounts } from '../../../main/node/db/repos/queue-messages'
import { createEngine } from '../../../main/node/engine'
import { AlertNotifier } from '../../../main/node/notifications/alert-notifier'
import { ORDER_QUEUE_ALERT } from '../../../main/node/queue/order-queues'
import { createSqsQueue } from '../../../main/node/queue/sqs-queue'
import { createChannelAdapter } from '../../../main/node/runtime/channel-registry'
import {
  SQS_SIM_CREDENTIALS,
  startSqsSimulator,
  type SqsSimulator,
} from '../../../main/sandbox/queue/sqs-simulator'
import { ENGINE_FAST, makeOrdersWorld, ordersOf, pendingOf, until, type OrdersWorld } from '../orders/harness'

const ROLE = 'arn:aws:iam::000000000000:role/bol-orders'

interface QueueWorld {
  w: OrdersWorld
  sqs: SqsSimulator
  url: string
  amazonId: string
  bolId: string
}

let world: QueueWorld | null = null
afterEach(async () => {
  await world?.w.close()
  await world?.sqs.stop()
  world = null
})

async function makeQueueWorld(sqsOpts: Parameters<typeof startSqsSimulator>[0] = {}): Promise<QueueWorld> {
  const w = await makeOrdersWorld({ products: 2 })
  const sqs = await startSqsSimulator(sqsOpts)
  const url = sqs.createQueue('lastunit-orders')
  const arn = 'arn:aws:sqs:eu-west-1:000000000000:lastunit-orders'
  w.demo.sims.amazon.connectQueue(sqs)
  w.demo.sims.bol.connectQueue(sqs)
  const amazonId = w.ops.get('amazon')!.id
  const bolId = w.ops.get('bol')!.id
  // The subscriptions, made through the adapters as "Faster orders" makes them (bol.com needs its role).
  const amazonSub = await w.adapters.get(amazonId)!.notifications!.subscribe({ arn, url })
  expect(amazonSub).toMatchObject({ active: true, destination: arn })
  const bolRow = getChannel(w.db, bolId)!
  const bolSetup = createChannelAdapter(
    { ...bolRow, settings: { ...bolRow.settings, queueRoleArn: ROLE } },
    readCredentials(w.db, w.vault, `channel:${bolId}`),
    { timeoutMs: 10_000, rateScale: 200 },
  )
  expect(await bolSetup.notifications!.subscribe({ arn, url })).toMatchObject({
    active: true,
    destination: url,
  })
  expect(await bolSetup.notifications!.subscription()).toMatchObject({ active: true })
  expect(await w.adapters.get(amazonId)!.notifications!.subscription()).toMatchObject({
    active: true,
    destination: arn,
  })
  // The engine of the world, with the queue (the harness's engine was never started).
  w.engine = createEngine({
    db: w.db,
    odoo: w.odoo,
    adapters: w.adapters as Map<string, ChannelAdapter>,
    options: ENGINE_FAST,
    orderQueues: [
      {
        queue: createSqsQueue({
          queueUrl: url,
          region: 'eu-west-1',
          accessKeyId: SQS_SIM_CREDENTIALS.accessKeyId,
          secretAccessKey: SQS_SIM_CREDENTIALS.secretAccessKey,
        }),
        channelIds: [amazonId, bolId],
        options: { waitSeconds: 1, retryMs: 50, maxRetryMs: 200, retryMessageSeconds: 1 },
      },
    ],
  })
  w.importer = w.newImporter()
  return { w, sqs, url, amazonId, bolId }
}

const provisional = (w: OrdersWorld, channelId: string, orderId: string) =>
  (
    w.db
      .prepare('SELECT provisional FROM orders WHERE channel_id = ? AND order_id = ?')
      .get(channelId, orderId) as {
      provisional: number
    }
  ).provisional
const unitPrices = (w: OrdersWorld, channelId: string, orderId: string) =>
  (
    w.db
      .prepare('SELECT unit_price FROM order_lines WHERE channel_id = ? AND order_id = ?')
      .all(channelId, orderId) as {
      unit_price: number
    }[]
  ).map((r) => r.unit_price)

describe("orders from the seller's queue", () => {
  it('a duplicated event and an event for an order already polled create one pending entry', async () => {
    world = await makeQueueWorld({ duplicateRate: 1 })
    const { w, sqs, url, amazonId, bolId } = world
    const [p, q] = w.demo.products as [(typeof w.demo.products)[number], (typeof w.demo.products)[number]]
    w.setStock(p, 20)
    w.setStock(q, 20)
    await w.engine.start()
    await w.engine.idle(10_000)
    const amazon = w.ops.get('amazon')!
    const bol = w.ops.get('bol')!

    // Every message comes twice (duplicateRate 1): one order, its 2 units pending once.
    const a1 = amazon.buy(p, 2)
    await until('the Amazon order is pending from the queue', () => pendingOf(w.db, p.id) === 2, 10_000)
    await until('both copies handled', () => sqs.depth('lastunit-orders') === 0, 10_000)
    expect(sqs.counts.duplicated).toBeGreaterThanOrEqual(1)
    expect(ordersOf(w.db, amazonId)).toHaveLength(1)
    expect(queueMessageCounts(w.db, url)).toMatchObject({ recorded: 1 })
    // Known only from its summary: pending at once, but not imported before a poll has read its prices.
    expect(provisional(w, amazonId, a1)).toBe(1)
    expect((await w.importer.runOnce()).confirmed).toBe(0)
    await w.engine.pollOrders(amazonId)
    expect(ordersOf(w.db, amazonId)).toHaveLength(1)
    expect(pendingOf(w.db, p.id)).toBe(2)
    expect(provisional(w, amazonId, a1)).toBe(0)
    expect(unitPrices(w, amazonId, a1)).toEqual([10])
    expect((await w.importer.runOnce()).confirmed).toBe(1)

    // An event that arrives after the poll already stored its order: nothing changes.
    const publisher = w.demo.sims.bol.notifications
    publisher.lossRate = 1
    const b1 = bol.buy(q, 3)
    await w.engine.pollOrders(bolId)
    expect(ordersOf(w.db, bolId)).toHaveLength(1)
    expect(pendingOf(w.db, q.id)).toBe(3)
    const late = publisher.sent[publisher.sent.length - 1]!
    expect(JSON.parse(late)).toMatchObject({ event: { resource: 'ORDER', resourceId: b1 } })
    sqs.send(url, late)
    await until('the late event handled', () => queueMessageCounts(w.db, url).known >= 1, 10_000)
    expect(ordersOf(w.db, bolId)).toHaveLength(1)
    expect(pendingOf(w.db, q.id)).toBe(3)
    const s = w.engine.status().channels.find((c) => c.channelId === amazonId)!
    expect(s.orderQueue).toMatchObject({ state: 'up', reason: null, ordersRecorded: 1 })
    expect(s.orderQueue!.orderToPendingP50Ms).not.toBeNull()
  })

  it('a lost event is caught by polling', async () => {
    world = await makeQueueWorld()
    const { w, sqs, bolId, url } = world
    const [p] = w.demo.products as [(typeof w.demo.products)[number]]
    w.setStock(p, 20)
    await w.engine.start()
    await w.engine.idle(10_000)
    w.demo.sims.bol.notifications.lossRate = 1
    const lost = w.demo.sims.bol.notifications.lost
    w.ops.get('bol')!.buy(p, 1)
    expect(w.demo.sims.bol.notifications.lost).toBe(lost + 1)
    expect(sqs.depth('lastunit-orders')).toBe(0)
    expect(ordersOf(w.db, bolId)).toEqual([])
    await w.engine.pollOrders(bolId)
    expect(ordersOf(w.db, bolId)).toHaveLength(1)
    expect(pendingOf(w.db, p.id)).toBe(1)
    expect(queueMessageCounts(w.db, url).recorded).toBe(0)
  })

  it('an FBA order event is ignored; a summary without items is completed with getOrder', async () => {
    world = await makeQueueWorld()
    const { w, url, amazonId } = world
    const [p] = w.demo.products as [(typeof w.demo.products)[number]]
    w.setStock(p, 20)
    w.demo.sims.amazon.setListings([
      { sku: `${p.sku}-FBA`, quantity: 40, fulfillmentChannelCode: 'AMAZON_EU' },
    ])
    await w.engine.start()
    await w.engine.idle(10_000)
    w.demo.sims.amazon.placeOrder({ items: [{ sku: `${p.sku}-FBA`, quantity: 3 }], fulfilledBy: 'AMAZON' })
    await until('the FBA event handled', () => queueMessageCounts(w.db, url).ignored === 1, 10_000)
    expect(ordersOf(w.db, amazonId)).toEqual([])
    expect(pendingOf(w.db, p.id)).toBe(0)
    const why = w.db.prepare('SELECT detail FROM queue_messages WHERE outcome = ?').get('ignored') as {
      detail: string
    }
    expect(why.detail).toMatch(/FBA/)

    w.demo.sims.amazon.quirks.notificationWithoutItems = true
    const id = w.ops.get('amazon')!.buy(p, 2)
    await until('the order read with getOrder', () => pendingOf(w.db, p.id) === 2, 10_000)
    expect(provisional(w, amazonId, id)).toBe(0)
    expect(unitPrices(w, amazonId, id)).toEqual([10])
  })

  it('a revoked queue falls back to polling with an alert, and comes back', async () => {
    world = await makeQueueWorld()
    const { w, sqs, amazonId, bolId } = world
    const [p] = w.demo.products as [(typeof w.demo.products)[number]]
    w.setStock(p, 20)
    await w.engine.start()
    await w.engine.idle(10_000)
    const queueOf = (id: string) => w.engine.status().channels.find((c) => c.channelId === id)!.orderQueue
    await until('the queue works', () => queueOf(amazonId)?.state === 'up', 10_000)
    sqs.revokeKey(SQS_SIM_CREDENTIALS.accessKeyId)
    await until('the queue is down', () => queueOf(amazonId)?.state === 'down', 10_000)
    expect(queueOf(amazonId)!.reason).toMatch(/InvalidClientTokenId/)
    expect(queueOf(bolId)!.state).toBe('down')
    const alerts = w.db
      .prepare(
        'SELECT subject, channel_id, message FROM alerts WHERE kind = ? AND cleared_at IS NULL ORDER BY subject',
      )
      .all(ORDER_QUEUE_ALERT) as { subject: string; channel_id: string; message: string }[]
    expect(alerts.map((a) => a.subject).sort()).toEqual([amazonId, bolId].sort())
    expect(alerts.find((a) => a.subject === amazonId)!.message).toMatch(
      /Orders of .* are seen within \d+ min \(queue down: .*InvalidClientTokenId/,
    )
    // The desktop notification the seller gets for it.
    const n = new AlertNotifier().onAlert(
      {
        id: 1,
        kind: ORDER_QUEUE_ALERT,
        severity: 'warning',
        subject: amazonId,
        channelId: amazonId,
        message: alerts[0]!.message,
        raisedAt: 0,
        clearedAt: null,
      } as never,
      0,
    )
    expect(n).toMatchObject({ kind: 'order_queue_down', channelId: amazonId, urgent: false })
    // Polling still brings the orders.
    w.ops.get('amazon')!.buy(p, 1)
    await w.engine.pollOrders(amazonId)
    expect(ordersOf(w.db, amazonId)).toHaveLength(1)
    expect(pendingOf(w.db, p.id)).toBe(1)
    // The key works again: the reader finds out by itself and the alert clears.
    sqs.grantKey(SQS_SIM_CREDENTIALS.accessKeyId, SQS_SIM_CREDENTIALS.secretAccessKey)
    await until('the queue is back', () => queueOf(amazonId)?.state === 'up', 10_000)
    const open = w.db
      .prepare('SELECT count(*) AS n FROM alerts WHERE kind = ? AND cleared_at IS NULL')
      .get(ORDER_QUEUE_ALERT) as { n: number }
    expect(open.n).toBe(0)
    // A deleted queue is down too, with SQS's reason.
    sqs.deleteQueue('lastunit-orders')
    await until('the queue is down again', () => queueOf(bolId)?.state === 'down', 10_000)
    expect(queueOf(bolId)!.reason).toMatch(/does not exist/)
  })

  it('every notification payload the simulators send validates against the official schema', async () => {
    world = await makeQueueWorld()
    const { w, url } = world
    const [p] = w.demo.products as [(typeof w.demo.products)[number]]
    w.setStock(p, 20)
    w.demo.sims.amazon.setListings([
      { sku: `${p.sku}-FBA`, quantity: 40, fulfillmentChannelCode: 'AMAZON_EU' },
    ])
    await w.engine.start()
    await w.engine.idle(10_000)
    const amazon = w.ops.get('amazon')!
    const a = amazon.buy(p, 1)
    amazon.cancel(a)
    const b = amazon.buy(p, 2)
    w.demo.sims.amazon.shipOrder(b)
    w.demo.sims.amazon.placeOrder({ items: [{ sku: `${p.sku}-FBA`, quantity: 1 }], fulfilledBy: 'AMAZON' })
    w.ops.get('bol')!.buy(p, 1)
    await until('every event handled', () => world!.sqs.depth('lastunit-orders') === 0, 10_000)
    expect(queueMessageCounts(w.db, url).recorded).toBeGreaterThanOrEqual(2)

    const schema = JSON.parse(
      readFileSync(join(__dirname, '../../../../shared/specs/amazon/OrderChangeNotification.json'), 'utf8'),
    ) as Record<string, unknown>
    delete schema.$schema
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema)
    const sent = w.demo.sims.amazon.notifications.sent
    expect(sent.length).toBe(5)
    for (const body of sent) {
      const ok = validate(JSON.parse(body))
      expect(validate.errors ?? [], body).toEqual([])
      expect(ok).toBe(true)
    }
    // The schema does refuse what it should (a summary without its items).
    const broken = JSON.parse(sent[0]!) as {
      Payload: { OrderChangeNotification: { Summary: Record<string, unknown> } }
    }
    delete broken.Payload.OrderChangeNotification.Summary.OrderItems
    expect(validate(broken)).toBe(false)
    // bol.com publishes no schema for event bodies: each follows its documented push message envelope.
    for (const body of w.demo.sims.bol.notifications.sent)
      expect(JSON.parse(body)).toEqual({
        retailerId: expect.any(Number),
        timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        event: { resource: 'ORDER', type: expect.any(String), resourceId: expect.any(String) },
      })
  })
})
