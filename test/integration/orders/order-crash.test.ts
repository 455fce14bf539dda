// The process killed at every step of an import or a cancellation: a fresh engine and importer on the same
// database file must end with exactly one sale order per channel order, never none and never two.
import { afterEach, describe, expect, it } from 'vitest'
import type { OdooGateway } from '../../../main/core/ports/odoo-gateway'
import { settleInDoubtOrders } from '../../../main/node/orders/settle-in-doubt'
import { makeOrdersWorld, ordersOf, pendingOf, type OrdersWorld } from './harness'

let world: OrdersWorld | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

class Killed extends Error {}

/**
 * The real gateway, killing the importer at Odoo call number `at`: before the call reaches Odoo, or after
 * Odoo did the work but before the answer was recorded (a lost response followed by a crash).
 */
function killing(
  gw: OdooGateway,
  at: number,
  when: 'before' | 'after',
  kill: () => void,
  calls: string[],
): OdooGateway {
  return new Proxy(gw, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown
      if (typeof v !== 'function' || prop === 'close') return v
      return async (...args: unknown[]) => {
        calls.push(String(prop))
        const n = calls.length
        if (n === at && when === 'before') {
          kill()
          throw new Killed(`killed before ${String(prop)}`)
        }
        const out = (await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args)) as unknown
        if (n === at && when === 'after') {
          kill()
          throw new Killed(`killed after ${String(prop)}`)
        }
        return out
      }
    },
  })
}

describe('crash safety of the order import', () => {
  it('killed before or after every Odoo call of an import, then restarted: one confirmed sale order, pending released once', async () => {
    world = await makeOrdersWorld({ products: 2 })
    const w = world
    const p = w.demo.products[0]!
    w.setStock(p, 40)
    await w.engine.start()
    await w.engine.idle(10_000)
    const bol = w.ops.get('bol')!
    const amazon = w.ops.get('amazon')!

    // A clean run names the calls an import makes: each one is a place to die.
    const probe: string[] = []
    bol.buy(p, 1)
    await w.engine.pollOrders(bol.id)
    await w.newImporter(killing(w.odoo, 0, 'before', () => undefined, probe)).runOnce()
    expect(probe).toEqual(['findSaleOrder', 'createSaleOrder', 'confirmSaleOrder'])
    await w.engine.idle(10_000)

    const cases = probe.flatMap((_, i) => (['before', 'after'] as const).map((when) => ({ at: i + 1, when })))
    for (const { at, when } of cases) {
      const label = `killed ${when} call ${at} (${probe[at - 1]})`
      const free = w.odooStock(p).free
      const shownBefore = amazon.shown(p)
      bol.buy(p, 2)
      await w.engine.pollOrders(bol.id)
      await w.engine.idle(10_000)
      const order = ordersOf(w.db, bol.id).slice(-1)[0]!
      expect(amazon.shown(p), label).toBe(shownBefore - 2)

      const calls: string[] = []
      const doomed = w.newImporter(killing(w.odoo, at, when, () => doomed.halt(), calls))
      await doomed.runOnce()
      expect(calls.length, label).toBe(at)

      await w.crashAndRestart()
      await w.engine.idle(10_000)
      // Until the fresh importer runs, the sale still protects the other channels, counted exactly once:
      // killed after Odoo confirmed but before that was recorded, the order is settled before the first
      // read, so Odoo's reservation and the pending units are never both counted.
      expect(amazon.shown(p), `${label}, after the restart`).toBe(shownBefore - 2)
      await w.importer.runOnce()
      await w.engine.pollOdoo()
      await w.engine.idle(10_000)

      const sos = w.saleOrders(bol.id, order.order_id)
      expect(sos, label).toEqual([{ id: expect.any(Number), state: 'sale', lines: [[p.id, 2]] }])
      expect(ordersOf(w.db, bol.id).slice(-1)[0], label).toMatchObject({
        order_id: order.order_id,
        import_state: 'confirmed',
        odoo_order_id: sos[0]!.id,
      })
      expect(pendingOf(w.db, p.id), label).toBe(0)
      expect(w.odooStock(p).free, label).toBe(free - 2)
      expect(amazon.shown(p), label).toBe(shownBefore - 2)
    }
    // Every bol order is in Odoo once, none lost.
    for (const o of ordersOf(w.db, bol.id)) expect(w.saleOrders(bol.id, o.order_id)).toHaveLength(1)
  }, 60_000)

  it('killed before or after every Odoo call of a cancellation: the sale order ends cancelled, once', async () => {
    world = await makeOrdersWorld({ products: 2 })
    const w = world
    const p = w.demo.products[0]!
    w.setStock(p, 40)
    await w.engine.start()
    await w.engine.idle(10_000)
    const bol = w.ops.get('bol')!
    for (const [at, when] of [
      [1, 'before'],
      [1, 'after'],
      [2, 'before'],
      [2, 'after'],
    ] as const) {
      const label = `killed ${when} call ${at}`
      const free = w.odooStock(p).free
      const handle = bol.buy(p, 3)
      await w.engine.pollOrders(bol.id)
      await w.importer.runOnce()
      expect(w.odooStock(p).free).toBe(free - 3)
      const order = ordersOf(w.db, bol.id).slice(-1)[0]!
      bol.cancel(handle)
      await w.engine.pollOrders(bol.id)
      const calls: string[] = []
      const doomed = w.newImporter(killing(w.odoo, at, when, () => doomed.halt(), calls))
      await doomed.runOnce()
      expect(calls, label).toEqual(['findSaleOrder', 'cancelSaleOrder'].slice(0, at))
      await w.crashAndRestart()
      await w.importer.runOnce()
      const sos = w.saleOrders(bol.id, order.order_id)
      expect(sos, label).toEqual([{ id: expect.any(Number), state: 'cancel', lines: [[p.id, 3]] }])
      expect(ordersOf(w.db, bol.id).slice(-1)[0]!.import_state, label).toBe('cancelled')
      expect(w.odooStock(p).free, label).toBe(free)
      expect(pendingOf(w.db, p.id), label).toBe(0)
    }
  }, 60_000)
})

describe('settling in-doubt orders at start', () => {
  it('leaves everything as it was when Odoo cannot answer, and says why', async () => {
    world = await makeOrdersWorld({ products: 2 })
    const w = world
    const p = w.demo.products[0]!
    w.setStock(p, 10)
    await w.engine.start()
    const bol = w.ops.get('bol')!
    bol.buy(p, 1)
    await w.engine.pollOrders(bol.id)
    // Killed right after Odoo confirmed: the order is recorded as created, Odoo has it confirmed.
    const calls: string[] = []
    const doomed = w.newImporter(killing(w.odoo, 3, 'after', () => doomed.halt(), calls))
    await doomed.runOnce()
    w.engine.halt()
    const before = ordersOf(w.db, bol.id).slice(-1)[0]!
    expect(before.import_state).toBe('created')
    const down = { findSaleOrder: () => Promise.reject(new Error('Odoo is down (503)')) }
    const r = await settleInDoubtOrders(w.db, down)
    expect(r).toEqual({ confirmed: 0, reserved: 0, error: 'Odoo is down (503)' })
    expect(ordersOf(w.db, bol.id).slice(-1)[0]).toEqual(before)
    expect(pendingOf(w.db, p.id)).toBe(1)
    // Reachable again: recorded as confirmed, its pending units marked reserved for the next read.
    expect(await settleInDoubtOrders(w.db, w.odoo)).toEqual({ confirmed: 1, reserved: 0, error: null })
    expect(ordersOf(w.db, bol.id).slice(-1)[0]!.import_state).toBe('confirmed')
  }, 60_000)
})
