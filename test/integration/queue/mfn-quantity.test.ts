// Amazon's second signal of a sale (issue #23): LISTINGS_ITEM_MFN_QUANTITY_CHANGE, forwarded to the seller's
// queue by an EventBridge rule. End to end over loopback: the Amazon simulator publishes the quantity of a
// seller-fulfilled listing whenever it changes (an order, a quantity applied), the engine reads the queue with
// the AWS SDK and holds units no recorded order explains; the order, when a poll brings it, replaces them.
import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv from 'ajv'
import type { ChannelAdapter } from '../../../main/core/ports/channel-adapter'
import { mfnHold } from '../../../main/node/db/repos/mfn-holds'
import { pendingByProduct } from '../../../main/node/db/repos/orders'
import { queueMessageCounts } from '../../../main/node/db/repos/queue-messages'
import { createEngine } from '../../../main/node/engine'
import { createSqsQueue } from '../../../main/node/queue/sqs-queue'
import {
  SQS_SIM_CREDENTIALS,
  startSqsSimulator,
  type SqsSimulator,
} from '../../../main/sandbox/queue/sqs-simulator'
import { amazonMfnQuantityChange } from '../../../main/sandbox/stand-ins/stand-in-events'
import { ENGINE_FAST, makeOrdersWorld, ordersOf, pendingOf, until, type OrdersWorld } from '../orders/harness'

let world: { w: OrdersWorld; sqs: SqsSimulator } | null = null
afterEach(async () => {
  await world?.w.close()
  await world?.sqs.stop()
  world = null
})

async function makeWorld() {
  const w = await makeOrdersWorld({ products: 2 })
  const sqs = await startSqsSimulator()
  const url = sqs.createQueue('lastunit-orders')
  const arn = 'arn:aws:sqs:eu-west-1:000000000000:lastunit-orders'
  w.demo.sims.amazon.connectQueue(sqs)
  // The seller's EventBridge rule that forwards the quantity events to the queue.
  w.demo.sims.amazon.forwardQuantityEvents(url)
  const amazonId = w.ops.get('amazon')!.id
  expect(await w.adapters.get(amazonId)!.notifications!.subscribe({ arn, url })).toMatchObject({
    active: true,
  })
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
        channelIds: [amazonId],
        options: { waitSeconds: 1, retryMs: 50, maxRetryMs: 200, retryMessageSeconds: 1 },
      },
    ],
  })
  world = { w, sqs }
  return { w, sqs, url, amazonId }
}

const noBuffer = (w: OrdersWorld, productId: number) =>
  w.db.prepare("INSERT INTO buffer_rules (scope, product_id, buffer) VALUES ('product', ?, 0)").run(productId)
const quantityEvents = (w: OrdersWorld) =>
  w.demo.sims.amazon.notifications.sent.filter((b) => b.includes('LISTINGS_ITEM_MFN_QUANTITY_CHANGE'))
const held = (w: OrdersWorld, amazonId: string, sku: string) => mfnHold(w.db, amazonId, sku)?.units ?? 0

describe('Amazon MFN quantity events', () => {
  it("a lost ORDER_CHANGE: the quantity event lowers the other channels at once, the poll's order replaces the held units", async () => {
    const { w, sqs, url, amazonId } = await makeWorld()
    const [p] = w.demo.products as [(typeof w.demo.products)[number]]
    w.setStock(p, 20)
    noBuffer(w, p.id)
    await w.engine.start()
    await w.engine.idle(10_000)
    const bol = w.ops.get('bol')!
    await until('bol.com shows 20', () => bol.shown(p) === 20, 10_000)
    await until('Amazon shows 20', () => w.ops.get('amazon')!.shown(p) === 20, 10_000)
    await until('the queue is empty', () => sqs.depth('lastunit-orders') === 0, 10_000)
    const before = queueMessageCounts(w.db, url).recorded

    // Both events lost on the way; only the quantity event is sent again (the ORDER_CHANGE stays lost).
    const publisher = w.demo.sims.amazon.notifications
    publisher.lossRate = 1
    const orderId = w.ops.get('amazon')!.buy(p, 2)
    publisher.lossRate = 0
    const q = quantityEvents(w).at(-1)!
    expect(JSON.parse(q)).toMatchObject({ detail: { Payload: { Sku: p.sku, Quantity: 18 } } })
    sqs.send(url, q)
    await until('the quantity event held 2 units', () => held(w, amazonId, p.sku) === 2, 10_000)
    expect(ordersOf(w.db, amazonId)).toEqual([])
    expect(pendingByProduct(w.db).get(p.id)).toBe(2)
    await until('bol.com lowered to 18 without the order', () => bol.shown(p) === 18, 10_000)
    expect(queueMessageCounts(w.db, url).recorded).toBe(before + 1)

    // The poll finds the order: its units replace the held ones (one pending entry, counted once).
    await w.engine.pollOrders(amazonId)
    expect(ordersOf(w.db, amazonId).map((o) => o.order_id)).toEqual([orderId])
    expect(held(w, amazonId, p.sku)).toBe(0)
    expect(pendingOf(w.db, p.id)).toBe(2)
    expect(pendingByProduct(w.db).get(p.id)).toBe(2)
    await w.engine.idle(10_000)
    expect(bol.shown(p)).toBe(18)
  })

  it("a quantity event caused by LastUnit's own push changes nothing", async () => {
    const { w, sqs, url, amazonId } = await makeWorld()
    const [p] = w.demo.products as [(typeof w.demo.products)[number]]
    w.setStock(p, 20)
    noBuffer(w, p.id)
    await w.engine.start()
    await w.engine.idle(10_000)
    await until('Amazon shows 20', () => w.ops.get('amazon')!.shown(p) === 20, 10_000)
    await until('the queue is empty', () => sqs.depth('lastunit-orders') === 0, 10_000)
    const sent = quantityEvents(w).length
    // Odoo's stock falls to 15: LastUnit pushes 15 to Amazon; Amazon applies it and says so.
    const publisher = w.demo.sims.amazon.notifications
    publisher.lossRate = 1
    w.setStock(p, 15)
    await w.engine.pollOdoo()
    await until('Amazon shows 15', () => w.ops.get('amazon')!.shown(p) === 15, 10_000)
    await w.engine.idle(10_000)
    publisher.lossRate = 0
    const own = quantityEvents(w).slice(sent)
    expect(
      own.map(
        (b) => (JSON.parse(b) as { detail: { Payload: { Quantity: number } } }).detail.Payload.Quantity,
      ),
    ).toEqual([15])
    const recorded = queueMessageCounts(w.db, url).recorded
    sqs.send(url, own[0]!)
    await until('the event handled', () => queueMessageCounts(w.db, url).recorded === recorded + 1, 10_000)
    expect(held(w, amazonId, p.sku)).toBe(0)
    expect(pendingByProduct(w.db).get(p.id) ?? 0).toBe(0)
    expect(w.ops.get('bol')!.shown(p)).toBe(15)
  })

  it('units held without an order are released after the next poll, and the log says why', async () => {
    const { w, sqs, url, amazonId } = await makeWorld()
    const [p] = w.demo.products as [(typeof w.demo.products)[number]]
    w.setStock(p, 20)
    noBuffer(w, p.id)
    await w.engine.start()
    await w.engine.idle(10_000)
    const bol = w.ops.get('bol')!
    await until('bol.com shows 20', () => bol.shown(p) === 20, 10_000)
    await until('the queue is empty', () => sqs.depth('lastunit-orders') === 0, 10_000)
    // The seller lowers the quantity in Seller Central: Amazon's event, no order behind it.
    const edit = JSON.parse(amazonMfnQuantityChange(p.sku, 17)) as {
      detail: { Payload: { SellerId: string } }
    }
    edit.detail.Payload.SellerId = w.demo.sims.amazon.sellerId
    sqs.send(url, JSON.stringify(edit))
    await until('3 units held', () => held(w, amazonId, p.sku) === 3, 10_000)
    await until('bol.com lowered to 17', () => bol.shown(p) === 17, 10_000)
    await w.engine.pollOrders(amazonId)
    expect(ordersOf(w.db, amazonId)).toEqual([])
    expect(held(w, amazonId, p.sku)).toBe(0)
    await until('bol.com back at 20', () => bol.shown(p) === 20, 10_000)
    const log = w.db
      .prepare("SELECT message FROM sync_log WHERE status = 'released' AND message LIKE '%Seller Central%'")
      .all() as { message: string }[]
    expect(log).toHaveLength(1)
    expect(log[0]!.message).toMatch(/^3 units held on .* found no order for them, so the drop was not a sale/)
    // An FBA quantity, an envelope without its notification, a quantity that is no number: each said plainly.
    const a = w.adapters.get(amazonId)!.notifications!
    const fba = JSON.parse(JSON.stringify(edit)) as { detail: { Payload: Record<string, unknown> } }
    fba.detail.Payload.FulfillmentChannelCode = 'AMAZON_EU'
    expect(await a.read(JSON.stringify(fba))).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/FBA/),
    })
    await expect(a.read(JSON.stringify({ 'detail-type': 'x', detail: 'nope' }))).rejects.toThrow(
      /no notification object/,
    )
    const bad = JSON.parse(JSON.stringify(edit)) as { detail: { Payload: Record<string, unknown> } }
    bad.detail.Payload.Quantity = 'many'
    await expect(a.read(JSON.stringify(bad))).rejects.toThrow(/Quantity .* not a whole number/)
    // Sent to the queue directly (no EventBridge envelope): read the same.
    expect(await a.read(JSON.stringify(edit.detail))).toMatchObject({ kind: 'quantity', quantity: 17 })
  })

  it('every quantity event the simulators send validates against the official schema', async () => {
    const { w, sqs } = await makeWorld()
    const [p] = w.demo.products as [(typeof w.demo.products)[number]]
    w.setStock(p, 20)
    noBuffer(w, p.id)
    await w.engine.start()
    await w.engine.idle(10_000)
    w.ops.get('amazon')!.buy(p, 1)
    await until('the queue is empty', () => sqs.depth('lastunit-orders') === 0, 10_000)
    const schema = JSON.parse(
      readFileSync(
        join(__dirname, '../../../../shared/specs/amazon/ListingsItemMfnQuantityChange.json'),
        'utf8',
      ),
    ) as Record<string, unknown>
    delete schema.$schema
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema)
    const bodies = [...quantityEvents(w), amazonMfnQuantityChange('LU-1', 4)]
    expect(bodies.length).toBeGreaterThanOrEqual(3)
    for (const body of bodies) {
      const e = JSON.parse(body) as { 'detail-type': string; detail: unknown }
      expect(e['detail-type']).toBe('LISTINGS_ITEM_MFN_QUANTITY_CHANGE')
      validate(e.detail)
      expect(validate.errors ?? [], body).toEqual([])
    }
    const broken = JSON.parse(bodies[0]!) as { detail: { Payload: Record<string, unknown> } }
    delete broken.detail.Payload.Sku
    expect(validate(broken.detail)).toBe(false)
  })
})
