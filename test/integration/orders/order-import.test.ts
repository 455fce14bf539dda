import { afterEach, describe, expect, it } from 'vitest'
import type { OdooGateway } from '../../../main/core/ports/odoo-gateway'
import type { DemoProduct } from '../../../main/sandbox/demo-env/demo-environment'
import { CHANNEL_TYPES } from '../../../shared/channel-types'
import { makeOrdersWorld, ordersOf, pendingOf, type OrdersWorld } from './harness'

let world: OrdersWorld | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

/** The engine's view of a product's units: free in Odoo as last read, minus units still pending. */
function available(w: OrdersWorld, channelId: string, p: DemoProduct): number {
  const listing = w.db
    .prepare('SELECT listing_id FROM sku_mappings WHERE channel_id = ? AND product_id = ?')
    .get(channelId, p.id) as { listing_id: string }
  const e = w.engine.explain(channelId, listing.listing_id)!
  const m = /= free (-?\d+) - pending (\d+)/.exec(e.explanation)
  if (!m) throw new Error(`unexpected explanation: ${e.explanation}`)
  return Number(m[1]) - Number(m[2])
}

/** The real gateway, with a check run before and after every Odoo call the importer makes. */
function checked(gw: OdooGateway, check: (when: string) => void): OdooGateway {
  return new Proxy(gw, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown
      if (typeof v !== 'function') return v
      return async (...args: unknown[]) => {
        check(`before ${String(prop)}`)
        const out = (await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args)) as unknown
        check(`after ${String(prop)}`)
        return out
      }
    },
  })
}

describe('order import into Odoo', () => {
  it('an order on each channel type ends as exactly one confirmed Odoo sale order; the others drop first; the pending units are released without double subtraction', async () => {
    world = await makeOrdersWorld({ products: 3 })
    const w = world
    const p = w.demo.products[0]!
    w.setStock(p, 30)
    await w.engine.start()
    await w.engine.idle(10_000)
    const channels = CHANNEL_TYPES.map((t) => w.ops.get(t)!)

    for (const c of channels) {
      const qty = 2
      const others = channels.filter((o) => o !== c)
      const base = available(w, c.id, p)
      const free = w.odooStock(p).free
      const before = new Map(others.map((o) => [o.type, o.shown(p)]))
      for (const o of others) expect(before.get(o.type), o.type).toBeGreaterThan(qty)
      c.buy(p, qty)
      await w.engine.pollOrders(c.id)
      await w.engine.idle(10_000)
      const [order] = ordersOf(w.db, c.id).slice(-1)
      expect(order, c.type).toBeDefined()
      // The others dropped before Odoo has heard of the sale.
      expect(w.saleOrders(c.id, order!.order_id)).toHaveLength(0)
      expect(w.odooStock(p).free).toBe(free)
      for (const o of others)
        expect(o.shown(p), `${o.type} after a sale on ${c.type}`).toBe(before.get(o.type)! - qty)
      expect(pendingOf(w.db, p.id)).toBe(qty)

      // Every step of the import: the sale is counted once, never twice, on every channel's view.
      const steps: string[] = []
      const check = (when: string) => {
        steps.push(when)
        for (const o of channels) expect(available(w, o.id, p), `${o.type} ${when}`).toBe(base - qty)
      }
      const importer = w.newImporter(checked(w.odoo, check))
      const r = await importer.runOnce()
      expect(r.confirmed, c.type).toBe(1)
      check('after the import')
      expect(steps).toEqual(expect.arrayContaining(['after createSaleOrder', 'after confirmSaleOrder']))
      await w.engine.pollOdoo()
      await w.engine.idle(10_000)
      check('after the next Odoo poll')

      const sos = w.saleOrders(c.id, order!.order_id)
      expect(sos, c.type).toEqual([{ id: expect.any(Number), state: 'sale', lines: [[p.id, qty]] }])
      expect(ordersOf(w.db, c.id).slice(-1)[0]).toMatchObject({
        import_state: 'confirmed',
        odoo_order_id: sos[0]!.id,
      })
      expect(pendingOf(w.db, p.id)).toBe(0)
      expect(w.odooStock(p).free).toBe(free - qty)
      for (const o of others)
        expect(o.shown(p), `${o.type} after Odoo reserved`).toBe(before.get(o.type)! - qty)

      // Polled and imported again: still exactly one sale order.
      await w.engine.pollOrders(c.id)
      await importer.runOnce()
      expect(w.saleOrders(c.id, order!.order_id)).toHaveLength(1)
    }
  }, 60_000)
})
