// What importing an order costs in Odoo calls, measured against the Odoo simulator: the fault campaign
// left 468 of 3,842 orders outside Odoo when its settle window closed, as imports went one at a time.
import { afterEach, describe, expect, it } from 'vitest'
import type { OdooGateway } from '../../../main/core/ports/odoo-gateway'
import { makeOrdersWorld, ordersOf, type OrdersWorld } from './harness'

let world: OrdersWorld | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

/** The real gateway, counting every call the importer (and the engine behind it) makes, by method. */
function counted(
  gw: OdooGateway,
  calls: Map<string, number>,
  inFlight: { now: number; max: number },
): OdooGateway {
  return new Proxy(gw, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown
      if (typeof v !== 'function') return v
      return async (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1)
        inFlight.max = Math.max(inFlight.max, ++inFlight.now)
        try {
          return (await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args)) as unknown
        } finally {
          inFlight.now--
        }
      }
    },
  })
}

describe('order import cost', () => {
  it('imports 24 orders with three Odoo calls each and at most 4.5 requests each with the stock reads, several at once, each exactly once', async () => {
    world = await makeOrdersWorld({ products: 3 })
    const w = world
    for (const p of w.demo.products) w.setStock(p, 100)
    await w.engine.start()
    await w.engine.idle(10_000)
    const woo = w.ops.get('woocommerce')!
    for (let i = 0; i < 24; i++) woo.buy(w.demo.products[i % 3]!, 1)
    await w.engine.pollOrders(woo.id)
    await w.engine.idle(10_000)
    expect(ordersOf(w.db, woo.id)).toHaveLength(24)

    const rpc = (w.odoo as unknown as { stats: { calls: number } }).stats
    const byMethod = new Map<string, number>()
    const inFlight = { now: 0, max: 0 }
    const importer = w.newImporter(counted(w.odoo, byMethod, inFlight))
    const before = rpc.calls
    const result = await importer.runOnce()
    const requests = rpc.calls - before
    importer.halt()
    expect(result.confirmed).toBe(24)
    for (const o of ordersOf(w.db, woo.id)) {
      expect(o.import_state).toBe('confirmed')
      expect(w.saleOrders(woo.id, o.order_id), o.order_id).toMatchObject([{ state: 'sale' }])
    }
    // Requests to Odoo per order: look-up, create, confirm; the stock read after confirmation is shared by
    // the orders confirmed while the one before it ran.
    console.log(`import: ${requests} Odoo requests for 24 orders`, Object.fromEntries(byMethod))
    // Before: 8 (a look-up before the create step, another inside the create, a look-up and a state read
    // before the confirm, and a stock read of the order's products after each order), one order at a time.
    expect(requests / 24).toBeLessThanOrEqual(4.5)
    expect(Object.fromEntries(byMethod)).toEqual({ findSaleOrder: 24, createSaleOrder: 24, confirmSaleOrder: 24 })
    expect(inFlight.max).toBeGreaterThan(1)
  })
})
