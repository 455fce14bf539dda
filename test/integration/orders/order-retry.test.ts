// Orders Odoo refused are retried: at the next start (a new process may carry a fix) and after growing
// waits, resuming from the refused step, so each ends as exactly one sale order once the cause is gone.
// The refusal is the real one: the create the old XML-RPC client sent (vals_list as a keyword, no
// positional argument), which the simulated Odoo 18 answers with "IndexError: tuple index out of range".
import { afterEach, describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../main/core/errors'
import type { Clock } from '../../../main/core/ports/clock'
import type { OdooGateway } from '../../../main/core/ports/odoo-gateway'
import { activeAlerts } from '../../../main/node/db/repos/alerts'
import { getImportOrder } from '../../../main/node/db/repos/order-import'
import type { OdooRpc, RpcCallOptions, RpcParams, RpcReply } from '../../../main/node/odoo/odoo-rpc'
import { RpcOdooGateway } from '../../../main/node/odoo/rpc-gateway'
import { decodeMethodResponse, encodeMethodCall } from '../../../main/node/odoo/xmlrpc-codec'
import { XmlRpcOdoo } from '../../../main/node/odoo/xmlrpc-rpc'
import { ORDER_FAILED_ALERT } from '../../../main/node/orders'
import type { OdooSim } from '../../../main/sandbox/odoo/odoo-sim'
import { makeOrdersWorld, ordersOf, type OrdersWorld } from './harness'

let world: OrdersWorld | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

const MIN = 60_000

/** The XML-RPC transport as it was before the fix, for create only, while `broken()` says so. */
class OldCreateXmlRpc implements OdooRpc {
  readonly transport = 'xmlrpc' as const
  constructor(
    private readonly fixed: XmlRpcOdoo,
    private readonly sim: OdooSim,
    private readonly broken: () => boolean,
  ) {}
  get stats() {
    return this.fixed.stats
  }
  authenticate() {
    return this.fixed.authenticate()
  }
  async call<T>(
    model: string,
    method: string,
    params: RpcParams,
    opts?: RpcCallOptions,
  ): Promise<RpcReply<T>> {
    if (method !== 'create' || !this.broken()) return this.fixed.call<T>(model, method, params, opts)
    const { ids, ...kwargs } = params
    const res = await fetch(`${this.sim.url}/xmlrpc/2/object`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: encodeMethodCall('execute_kw', [
        this.sim.database,
        2,
        this.sim.apiKey,
        model,
        method,
        ids ? [ids] : [],
        kwargs,
      ]),
    })
    const r = await decodeMethodResponse(await res.text())
    if (r.ok) return { value: r.value as T, serverDateMs: null }
    // As the old client classified a traceback fault: permanent, its last line the reason.
    const last = r.fault.faultString.trim().split('\n').pop() ?? ''
    throw new ClassifiedError(
      'permanent',
      'odoo.fault',
      `Odoo at ${new URL(this.sim.url).host} refused ${model}.${method}: ${last}`,
    )
  }
}

async function gatewayWithOldCreate(w: OrdersWorld, broken: () => boolean): Promise<OdooGateway> {
  const sim = w.demo.sims.odoo
  const fixed = new XmlRpcOdoo({
    baseUrl: new URL(sim.url),
    database: sim.database,
    login: sim.login,
    secret: sim.apiKey,
    timeoutMs: 5000,
  })
  return new RpcOdooGateway(new OldCreateXmlRpc(fixed, sim, broken), await w.odoo.serverInfo())
}

const logOf = (w: OrdersWorld, orderId: string) =>
  (
    w.db
      .prepare(
        "SELECT status, message FROM sync_log WHERE kind = 'order_import' AND (message LIKE ? OR message LIKE 'LastUnit started:%') ORDER BY id",
      )
      .all(`order ${orderId}%`) as Array<{ status: string; message: string }>
  ).map((r) => r.status)

const failedAlert = (w: OrdersWorld, channelId: string, orderId: string) =>
  activeAlerts(w.db).find((a) => a.kind === ORDER_FAILED_ALERT && a.subject === `${channelId}:${orderId}`)

async function placeOrder(w: OrdersWorld): Promise<{ channelId: string; orderId: string; handle: string }> {
  const p = w.demo.products[0]!
  w.setStock(p, 20)
  await w.engine.start()
  await w.engine.idle(10_000)
  const amazon = w.ops.get('amazon')!
  const handle = amazon.buy(p, 1)
  await w.engine.pollOrders(amazon.id)
  await w.engine.idle(10_000)
  const order = ordersOf(w.db, amazon.id).slice(-1)[0]!
  return { channelId: amazon.id, orderId: order.order_id, handle }
}

describe('orders Odoo refused are retried until the cause is gone, and imported exactly once', () => {
  it('refused by the old XML-RPC create on Odoo 18, then imported once by the next start with the fixed client', async () => {
    world = await makeOrdersWorld({ products: 2, odooVersion: 18 })
    const w = world
    expect(w.odoo.transport).toBe('xmlrpc')
    const { channelId, orderId } = await placeOrder(w)
    // The injected clock starts at the real time only so the engine's log retention keeps its entries.
    let t = Date.now()
    const clock: Clock = { now: () => t }

    const old = w.newImporter(await gatewayWithOldCreate(w, () => true), clock)
    await old.runOnce()
    expect(ordersOf(w.db, channelId).slice(-1)[0]).toMatchObject({
      order_id: orderId,
      import_state: 'failed',
    })
    expect(w.saleOrders(channelId, orderId)).toHaveLength(0)
    const alert = failedAlert(w, channelId, orderId)
    expect(alert?.severity).toBe('critical')
    expect(alert?.message).toMatch(
      /refused sale\.order\.create: IndexError: tuple index out of range\. LastUnit tries again in 5 min and at every start/,
    )
    const retry = getImportOrder(w.db, channelId, orderId)?.retry
    expect(retry).toEqual({
      resumeState: 'creating',
      attempts: 1,
      firstFailedAt: t,
      nextRetryAt: t + 5 * MIN,
    })

    // Before its wait is over the same process leaves it alone.
    t += 4 * MIN
    await old.runOnce()
    expect(logOf(w, orderId)).toEqual(['failed'])

    // A new process with the fixed client: the first pass retries it at once.
    await w.crashAndRestart(w.odoo)
    await w.importer.runOnce()
    const sos = w.saleOrders(channelId, orderId)
    expect(sos).toEqual([{ id: expect.any(Number), state: 'sale', lines: [[w.demo.products[0]!.id, 1]] }])
    expect(ordersOf(w.db, channelId).slice(-1)[0]).toMatchObject({
      import_state: 'confirmed',
      odoo_order_id: sos[0]!.id,
    })
    expect(failedAlert(w, channelId, orderId)).toBeUndefined()
    expect(getImportOrder(w.db, channelId, orderId)?.retry).toBeNull()
    expect(logOf(w, orderId)).toEqual(['failed', 'retrying', 'retrying', 'confirmed', 'recovered'])

    // Polled and passed over again: still exactly one sale order.
    await w.engine.pollOrders(channelId)
    await w.importer.runOnce()
    expect(w.saleOrders(channelId, orderId)).toHaveLength(1)
  }, 60_000)

  it('within one process: waits of 5 min doubling up to 6 h, the alert kept with the latest error, then one sale order', async () => {
    world = await makeOrdersWorld({ products: 2, odooVersion: 18 })
    const w = world
    const { channelId, orderId } = await placeOrder(w)
    // The injected clock starts at the real time only so the engine's log retention keeps its entries.
    let t = Date.now()
    const clock: Clock = { now: () => t }
    let broken = true
    const importer = w.newImporter(await gatewayWithOldCreate(w, () => broken), clock)

    await importer.runOnce()
    const waits: number[] = []
    for (let i = 0; i < 9; i++) {
      const r = getImportOrder(w.db, channelId, orderId)?.retry
      expect(r?.attempts).toBe(i + 1)
      waits.push(((r?.nextRetryAt ?? 0) - t) / MIN)
      // One second early: nothing happens; on time: refused again.
      t = (r?.nextRetryAt ?? 0) - 1000
      await importer.runOnce()
      expect(getImportOrder(w.db, channelId, orderId)?.retry?.attempts).toBe(i + 1)
      t += 1000
      await importer.runOnce()
    }
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 320, 360, 360])
    expect(ordersOf(w.db, channelId).slice(-1)[0]?.import_state).toBe('failed')
    expect(w.saleOrders(channelId, orderId)).toHaveLength(0)
    const alert = failedAlert(w, channelId, orderId)
    expect(alert?.message).toMatch(/tries again in 6 h/)
    expect(alert?.details).toMatchObject({ attempts: 10 })

    broken = false
    t = getImportOrder(w.db, channelId, orderId)?.retry?.nextRetryAt ?? 0
    await importer.runOnce()
    expect(w.saleOrders(channelId, orderId)).toEqual([
      { id: expect.any(Number), state: 'sale', lines: [[w.demo.products[0]!.id, 1]] },
    ])
    expect(failedAlert(w, channelId, orderId)).toBeUndefined()
    expect(logOf(w, orderId).filter((s) => s === 'retrying')).toHaveLength(10)
    expect(logOf(w, orderId).slice(-2)).toEqual(['confirmed', 'recovered'])
  }, 60_000)

  it('a refused confirm resumes at the created order: looked up, confirmed, never created twice', async () => {
    world = await makeOrdersWorld({ products: 2, odooVersion: 18 })
    const w = world
    const { channelId, orderId } = await placeOrder(w)
    // The injected clock starts at the real time only so the engine's log retention keeps its entries.
    let t = Date.now()
    const clock: Clock = { now: () => t }
    let refuse = true
    const gw = new Proxy(w.odoo, {
      get(target, prop, receiver) {
        if (prop === 'confirmSaleOrder' && refuse)
          return async () => {
            throw new ClassifiedError(
              'permanent',
              'odoo.fault',
              'Odoo refused sale.order.action_confirm: ValidationError',
            )
          }
        const v = Reflect.get(target, prop, receiver) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    }) as OdooGateway
    const importer = w.newImporter(gw, clock)
    await importer.runOnce()
    expect(w.saleOrders(channelId, orderId)).toEqual([expect.objectContaining({ state: 'draft' })])
    expect(getImportOrder(w.db, channelId, orderId)?.retry?.resumeState).toBe('created')
    refuse = false
    t += 5 * MIN
    await importer.runOnce()
    expect(w.saleOrders(channelId, orderId)).toEqual([expect.objectContaining({ state: 'sale' })])
    expect(ordersOf(w.db, channelId).slice(-1)[0]?.import_state).toBe('confirmed')
  }, 60_000)

  it('an order cancelled on the channel while it waits for its retry is cancelled, not created, in Odoo', async () => {
    world = await makeOrdersWorld({ products: 2, odooVersion: 18 })
    const w = world
    const { channelId, orderId, handle } = await placeOrder(w)
    await w.newImporter(await gatewayWithOldCreate(w, () => true)).runOnce()
    expect(ordersOf(w.db, channelId).slice(-1)[0]?.import_state).toBe('failed')
    w.ops.get('amazon')!.cancel(handle)
    await w.engine.pollOrders(channelId)
    await w.engine.idle(10_000)
    await w.crashAndRestart(w.odoo)
    await w.importer.runOnce()
    expect(ordersOf(w.db, channelId).slice(-1)[0]).toMatchObject({
      status: 'cancelled',
      import_state: 'cancelled',
    })
    expect(w.saleOrders(channelId, orderId)).toHaveLength(0)
    expect(failedAlert(w, channelId, orderId)).toBeUndefined()
  }, 60_000)

  it('an order failed by an older LastUnit (no retry record) is retried at the next start', async () => {
    world = await makeOrdersWorld({ products: 2, odooVersion: 18 })
    const w = world
    const { channelId, orderId } = await placeOrder(w)
    await w.newImporter(await gatewayWithOldCreate(w, () => true)).runOnce()
    // What the old importer left: 'failed', the lines it was sending, and no retry record.
    w.db.prepare('DELETE FROM order_import_retry').run()
    await w.crashAndRestart(w.odoo)
    await w.importer.runOnce()
    expect(w.saleOrders(channelId, orderId)).toEqual([expect.objectContaining({ state: 'sale' })])
    expect(failedAlert(w, channelId, orderId)).toBeUndefined()
  }, 60_000)
})
