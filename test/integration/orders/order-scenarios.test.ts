// The seed scenario end to end, and the order paths a seller meets: an unmapped line, an oversell, a
// cancellation, a partial cancellation, a return, and Odoo down then back.
import { afterEach, describe, expect, it } from 'vitest'
import type { DemoProduct } from '../../../main/sandbox/demo-env/demo-environment'
import { ORDER_BLOCKED_ALERT, OVERSELL_ALERT, UNMAPPED_ALERT } from '../../../main/node/orders'
import { makeOrdersWorld, ordersOf, pendingOf, until, type ChannelOps, type OrdersWorld } from './harness'

/** Time from the engine seeing the order to the other channels showing the drop (product.md: seconds). */
const LATENCY_TARGET_MS = 5000

let world: OrdersWorld | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

/** No safety buffer on the product, so its last unit is on sale everywhere. */
function noBuffer(w: OrdersWorld, p: DemoProduct): void {
  w.db.prepare("INSERT INTO buffer_rules (scope, product_id, buffer) VALUES ('product', ?, 0)").run(p.id)
}

/** A buyer on a marketplace: the marketplace refuses to sell more than the listing shows. */
function tryBuy(c: ChannelOps, p: DemoProduct, qty: number): string | null {
  if (c.shown(p) < qty) return null
  return c.buy(p, qty)
}

const openAlerts = (w: OrdersWorld, kind: string) =>
  w.db
    .prepare('SELECT subject, message, details FROM alerts WHERE kind = ? AND cleared_at IS NULL')
    .all(kind) as Array<{ subject: string; message: string; details: string }>

async function started(products = 2): Promise<OrdersWorld> {
  world = await makeOrdersWorld({ products })
  return world
}

describe('orders end to end', () => {
  it('seed scenario: 1 unit, sold on A; B shows 0 within the latency target and refuses its buyer; one Odoo order', async () => {
    const w = await started()
    const p = w.demo.products[0]!
    w.setStock(p, 1)
    noBuffer(w, p)
    await w.engine.start()
    await w.engine.idle(10_000)
    w.importer.start()
    const a = w.ops.get('bol')!
    const b = w.ops.get('amazon')!
    expect(a.shown(p)).toBe(1)
    expect(b.shown(p)).toBe(1)

    expect(tryBuy(a, p, 1)).not.toBeNull()
    await w.engine.pollOrders(a.id)
    const latency = await until('B shows 0', () => b.shown(p) === 0, LATENCY_TARGET_MS)
    expect(latency).toBeLessThan(LATENCY_TARGET_MS)
    // B's buyer is turned away: the listing already shows 0.
    expect(tryBuy(b, p, 1)).toBeNull()
    await w.engine.pollOrders(b.id)
    expect(ordersOf(w.db, b.id)).toHaveLength(0)

    // The started importer picks the order up from the engine's order event.
    const order = ordersOf(w.db, a.id)[0]!
    await until('the Odoo sale order', () => w.saleOrders(a.id, order.order_id)[0]?.state === 'sale')
    await until('the order confirmed', () => ordersOf(w.db, a.id)[0]!.import_state === 'confirmed')
    await w.engine.pollOdoo()
    await w.engine.idle(10_000)
    expect(w.saleOrders(a.id, order.order_id)).toEqual([
      { id: expect.any(Number), state: 'sale', lines: [[p.id, 1]] },
    ])
    expect(w.odooStock(p)).toMatchObject({ onHand: 1, reserved: 1, free: 0 })
    expect(pendingOf(w.db, p.id)).toBe(0)
    for (const t of ['amazon', 'ebay', 'kaufland', 'zalando', 'shopify', 'woocommerce'] as const)
      expect(w.ops.get(t)!.shown(p), t).toBe(0)
    expect(openAlerts(w, OVERSELL_ALERT)).toEqual([])
  }, 30_000)

  it('an unmapped line raises an alert naming order and listing, is kept, and is imported once mapped', async () => {
    const w = await started()
    const p = w.demo.products[1]!
    const bol = w.ops.get('bol')!
    const listing = (
      w.db
        .prepare('SELECT listing_id FROM sku_mappings WHERE channel_id = ? AND product_id = ?')
        .get(bol.id, p.id) as {
        listing_id: string
      }
    ).listing_id
    w.setStock(p, 10)
    await w.engine.start()
    await w.engine.idle(10_000)
    // The seller has not mapped this listing, and its SKU and EAN match nothing LastUnit knows.
    w.db.prepare('DELETE FROM sku_mappings WHERE channel_id = ? AND listing_id = ?').run(bol.id, listing)
    w.db.prepare('UPDATE products SET default_code = NULL, barcode = NULL WHERE id = ?').run(p.id)
    await w.engine.reloadConfig()
    w.demo.sims.bol.placeOrder([{ offerId: listing, quantity: 2, unitPrice: 10 }])
    await w.engine.pollOrders(bol.id)
    const r = await w.importer.runOnce()
    expect(r.waitingMapping).toBe(1)
    const order = ordersOf(w.db, bol.id)[0]!
    expect(order.import_state).toBe('waiting_mapping')
    expect(w.saleOrders(bol.id, order.order_id)).toEqual([])
    const [alert] = openAlerts(w, UNMAPPED_ALERT)
    expect(alert!.message).toContain(order.order_id)
    expect(alert!.message).toContain(listing)
    // Retried, still waiting: kept, not dropped, and the alert is not duplicated.
    await w.importer.runOnce()
    expect(ordersOf(w.db, bol.id)[0]!.import_state).toBe('waiting_mapping')
    expect(openAlerts(w, UNMAPPED_ALERT)).toHaveLength(1)

    // The seller maps the listing: the order goes to Odoo and the alert clears.
    w.db
      .prepare(
        "INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES (?, ?, ?, 'manual')",
      )
      .run(bol.id, listing, p.id)
    const r2 = await w.importer.runOnce()
    expect(r2.confirmed).toBe(1)
    expect(w.saleOrders(bol.id, order.order_id)).toEqual([
      { id: expect.any(Number), state: 'sale', lines: [[p.id, 2]] },
    ])
    expect(openAlerts(w, UNMAPPED_ALERT)).toEqual([])
    await w.engine.pollOdoo()
    await w.engine.idle(10_000)
    expect(pendingOf(w.db, p.id)).toBe(0)
    expect(w.odooStock(p).free).toBe(8)
  }, 30_000)

  it('two channels sell the last unit: both imported, an oversell alert lists orders, channels and shortfall; cleared once one is cancelled', async () => {
    const w = await started()
    const p = w.demo.products[0]!
    w.setStock(p, 1)
    noBuffer(w, p)
    await w.engine.start()
    await w.engine.idle(10_000)
    const bol = w.ops.get('bol')!
    const shopify = w.ops.get('shopify')!
    // Both buyers order in the same instant, before LastUnit has seen either order.
    bol.buy(p, 1)
    const second = shopify.buy(p, 1)
    await w.engine.pollOrders(bol.id)
    await w.engine.pollOrders(shopify.id)
    const r = await w.importer.runOnce()
    expect(r.confirmed).toBe(2)
    const bolOrder = ordersOf(w.db, bol.id)[0]!
    const shopOrder = ordersOf(w.db, shopify.id)[0]!
    expect(w.saleOrders(bol.id, bolOrder.order_id)).toHaveLength(1)
    expect(w.saleOrders(shopify.id, shopOrder.order_id)).toHaveLength(1)
    const [alert] = openAlerts(w, OVERSELL_ALERT)
    expect(alert).toBeDefined()
    expect(alert!.subject).toBe(`product:${p.id}`)
    for (const s of [bolOrder.order_id, shopOrder.order_id, bol.id, shopify.id, 'short by 1'])
      expect(alert!.message).toContain(s)
    expect(JSON.parse(alert!.details)).toMatchObject({ shortfall: 1, channels: [bol.id, shopify.id].sort() })
    // Still oversold on the next pass (after Odoo's reservation released the pending units).
    await w.engine.pollOdoo()
    await w.importer.runOnce()
    expect(openAlerts(w, OVERSELL_ALERT)).toHaveLength(1)

    // The seller cancels the second order on the channel: the alert clears.
    shopify.cancel(second)
    await w.engine.pollOrders(shopify.id)
    await w.importer.runOnce()
    expect(w.saleOrders(shopify.id, shopOrder.order_id)[0]!.state).toBe('cancel')
    expect(openAlerts(w, OVERSELL_ALERT)).toEqual([])
    const cleared = w.db
      .prepare('SELECT cleared_at FROM alerts WHERE kind = ? AND subject = ?')
      .get(OVERSELL_ALERT, `product:${p.id}`) as { cleared_at: number | null }
    expect(cleared.cleared_at).not.toBeNull()
  }, 30_000)

  it('an order imported while another Odoo sale holds the units: one oversell alert, kept through the import, cleared when stock arrives', async () => {
    const w = await started()
    const p = w.demo.products[0]!
    w.setStock(p, 5)
    noBuffer(w, p)
    await w.engine.start()
    await w.engine.idle(10_000)
    const bol = w.ops.get('bol')!
    expect(bol.shown(p)).toBe(5)
    // A sale made in Odoo itself reserves 4 of the 5 units; before LastUnit's next poll sees it, a buyer
    // on bol.com takes 3.
    const { partner } = w.db
      .prepare('SELECT odoo_partner_id AS partner FROM channels WHERE id = ?')
      .get(bol.id) as {
      partner: number
    }
    const counter = await w.odoo.createSaleOrder({
      partnerId: partner,
      warehouseId: null,
      clientOrderRef: 'counter-sale-1',
      lines: [{ productId: p.id, quantity: 4, priceUnit: 1 }],
    })
    await w.odoo.confirmSaleOrder(counter)
    bol.buy(p, 3)
    await w.engine.pollOrders(bol.id)
    await w.engine.pollOdoo()
    const raised = openAlerts(w, OVERSELL_ALERT)
    expect(raised).toHaveLength(1)
    expect(raised[0]!.subject).toBe(`product:${p.id}`)
    expect(raised[0]!.message).toContain('short by 2')
    expect(openAlerts(w, 'order_oversell')).toEqual([])

    // Imported: Odoo confirms it on the one unit left. Its 3 units are Odoo's now, 1 reserved, 2 waiting.
    expect((await w.importer.runOnce()).confirmed).toBe(1)
    await w.engine.pollOdoo()
    await w.engine.idle(10_000)
    expect(pendingOf(w.db, p.id)).toBe(0)
    expect(w.odooStock(p)).toMatchObject({ onHand: 5, reserved: 5 })
    const kept = openAlerts(w, OVERSELL_ALERT)
    expect(kept).toHaveLength(1)
    expect(kept[0]!.message).toContain('short by 2')
    expect(w.db.prepare("SELECT count(*) AS n FROM alerts WHERE kind LIKE '%oversell%'").get()).toEqual({
      n: 1,
    })

    // Two units arrive in Odoo: everything promised is covered, the alert clears.
    const store = w.demo.sims.odoo.store
    const at = [...store.quants.values()].find((q) => q.productId === p.id && q.quantity > 0)!.locationId
    store.transaction(() => store.receive(p.id, at, 2))
    await w.engine.pollOdoo()
    expect(openAlerts(w, OVERSELL_ALERT)).toEqual([])
  }, 30_000)

  it('a cancellation on the channel cancels the Odoo order and gives the units back; one cancelled before import never reaches Odoo', async () => {
    const w = await started()
    const p = w.demo.products[0]!
    w.setStock(p, 10)
    noBuffer(w, p)
    await w.engine.start()
    await w.engine.idle(10_000)
    const shopify = w.ops.get('shopify')!
    const amazon = w.ops.get('amazon')!
    const h = shopify.buy(p, 3)
    await w.engine.pollOrders(shopify.id)
    await w.importer.runOnce()
    await w.engine.pollOdoo()
    await w.engine.idle(10_000)
    expect(amazon.shown(p)).toBe(7)
    const order = ordersOf(w.db, shopify.id)[0]!
    shopify.cancel(h)
    await w.engine.pollOrders(shopify.id)
    const r = await w.importer.runOnce()
    expect(r.cancelled).toBe(1)
    expect(w.saleOrders(shopify.id, order.order_id)).toEqual([
      { id: expect.any(Number), state: 'cancel', lines: [[p.id, 3]] },
    ])
    expect(ordersOf(w.db, shopify.id)[0]!.import_state).toBe('cancelled')
    expect(w.odooStock(p).free).toBe(10)
    await w.engine.pollOdoo()
    await w.engine.idle(10_000)
    expect(amazon.shown(p)).toBe(10)

    // Cancelled before the importer ran: the pending units go back and Odoo never hears of it.
    const h2 = shopify.buy(p, 2)
    await w.engine.pollOrders(shopify.id)
    await w.engine.idle(10_000)
    expect(amazon.shown(p)).toBe(8)
    shopify.cancel(h2)
    await w.engine.pollOrders(shopify.id)
    await w.engine.idle(10_000)
    expect(amazon.shown(p)).toBe(10)
    await w.importer.runOnce()
    const second = ordersOf(w.db, shopify.id)[1]!
    expect(second.import_state).toBe('cancelled')
    expect(w.saleOrders(shopify.id, second.order_id)).toEqual([])
  }, 30_000)

  it('a partial cancellation replaces the Odoo order with the remaining lines: one live sale order, units given back', async () => {
    const w = await started()
    const p = w.demo.products[0]!
    w.setStock(p, 10)
    noBuffer(w, p)
    await w.engine.start()
    await w.engine.idle(10_000)
    const bol = w.ops.get('bol')!
    const ebay = w.ops.get('ebay')!
    const h = bol.buy(p, 3)
    await w.engine.pollOrders(bol.id)
    await w.importer.runOnce()
    const order = ordersOf(w.db, bol.id)[0]!
    bol.cancelUnits(h, 1)
    await w.engine.pollOrders(bol.id)
    await w.importer.runOnce()
    const sos = w.saleOrders(bol.id, order.order_id)
    expect(sos.filter((s) => s.state !== 'cancel')).toEqual([
      { id: expect.any(Number), state: 'sale', lines: [[p.id, 2]] },
    ])
    expect(sos.filter((s) => s.state === 'cancel')).toHaveLength(1)
    expect(ordersOf(w.db, bol.id)[0]).toMatchObject({
      import_state: 'confirmed',
      odoo_order_id: sos.find((s) => s.state === 'sale')!.id,
    })
    expect(w.odooStock(p).free).toBe(8)
    await w.engine.pollOdoo()
    await w.engine.idle(10_000)
    expect(pendingOf(w.db, p.id)).toBe(0)
    expect(ebay.shown(p)).toBe(8)
    // Nothing more to do on the next pass.
    await w.importer.runOnce()
    expect(w.saleOrders(bol.id, order.order_id)).toHaveLength(2)
  }, 30_000)

  it('a return processed in Odoo raises stock and is pushed to the channels', async () => {
    const w = await started()
    const p = w.demo.products[0]!
    w.setStock(p, 5)
    noBuffer(w, p)
    await w.engine.start()
    await w.engine.idle(10_000)
    const woo = w.ops.get('woocommerce')!
    const bol = w.ops.get('bol')!
    const h = woo.buy(p, 2)
    await w.engine.pollOrders(woo.id)
    await w.importer.runOnce()
    const order = ordersOf(w.db, woo.id)[0]!
    const so = w.saleOrders(woo.id, order.order_id)[0]!
    // Shipped: delivered in Odoo and completed on the channel.
    const store = w.demo.sims.odoo.store
    const picking = [...store.pickings.values()].find((x) => x.saleId === so.id)!
    expect(store.validatePicking(picking.id, {})).toBe(true)
    w.demo.sims.woocommerce.setOrderStatus(Number(h), 'completed')
    await w.engine.pollOrders(woo.id)
    await w.engine.pollOdoo()
    await w.engine.idle(10_000)
    expect(w.odooStock(p)).toMatchObject({ onHand: 3, free: 3 })
    expect(bol.shown(p)).toBe(3)
    // The buyer sends one back; the return is validated in Odoo.
    const ret = store.returnPicking(picking.id, new Map([[p.id, 1]]))
    store.validateIncoming(ret)
    await w.engine.pollOdoo()
    await w.engine.idle(10_000)
    expect(w.odooStock(p).free).toBe(4)
    expect(bol.shown(p)).toBe(4)
    expect(woo.shown(p)).toBe(4)
    // The order itself is untouched: still one confirmed sale order, no alert.
    await w.importer.runOnce()
    expect(w.saleOrders(woo.id, order.order_id)).toHaveLength(1)
    expect(openAlerts(w, OVERSELL_ALERT)).toEqual([])
  }, 30_000)

  it('Odoo down: orders wait in SQLite, the pending units keep protecting the others, and go in, in order, when it returns', async () => {
    const w = await started()
    const p = w.demo.products[0]!
    w.setStock(p, 10)
    noBuffer(w, p)
    await w.engine.start()
    await w.engine.idle(10_000)
    const bol = w.ops.get('bol')!
    const kaufland = w.ops.get('kaufland')!
    const zalando = w.ops.get('zalando')!
    w.demo.sims.odoo.server.faults.down = true
    bol.buy(p, 1)
    await w.engine.pollOrders(bol.id)
    kaufland.buy(p, 2)
    await w.engine.pollOrders(kaufland.id)
    await w.engine.idle(10_000)
    const r = await w.importer.runOnce()
    expect(r.odooDown).not.toBeNull()
    expect(r.confirmed).toBe(0)
    const first = ordersOf(w.db, bol.id)[0]!
    const second = ordersOf(w.db, kaufland.id)[0]!
    // Both were planned (orders go in side by side); neither reached Odoo.
    expect(first.import_state).toBe('creating')
    expect(second.import_state).toBe('creating')
    expect(w.saleOrders(bol.id, first.order_id)).toEqual([])
    expect(w.saleOrders(kaufland.id, second.order_id)).toEqual([])
    expect(pendingOf(w.db, p.id)).toBe(3)
    expect(zalando.shown(p)).toBe(7)

    w.demo.sims.odoo.server.faults.down = false
    const r2 = await w.importer.runOnce()
    expect(r2).toMatchObject({ confirmed: 2, odooDown: null })
    const a = w.saleOrders(bol.id, first.order_id)
    const b = w.saleOrders(kaufland.id, second.order_id)
    expect(a).toEqual([{ id: expect.any(Number), state: 'sale', lines: [[p.id, 1]] }])
    expect(b).toEqual([{ id: expect.any(Number), state: 'sale', lines: [[p.id, 2]] }])
    // In the order they were sold.
    expect(a[0]!.id).toBeLessThan(b[0]!.id)
    await w.engine.pollOdoo()
    await w.engine.idle(10_000)
    expect(pendingOf(w.db, p.id)).toBe(0)
    expect(w.odooStock(p).free).toBe(7)
    expect(zalando.shown(p)).toBe(7)
  }, 30_000)

  it('order import off for a channel: its orders still protect the others but never reach Odoo; no customer set: orders wait with an alert', async () => {
    const w = await started()
    const p = w.demo.products[0]!
    w.setStock(p, 10)
    noBuffer(w, p)
    const ebay = w.ops.get('ebay')!
    const zalando = w.ops.get('zalando')!
    const amazon = w.ops.get('amazon')!
    w.db.prepare('UPDATE channels SET order_import = 0 WHERE id = ?').run(ebay.id)
    w.db.prepare('UPDATE channels SET odoo_partner_id = NULL WHERE id = ?').run(zalando.id)
    await w.engine.start()
    await w.engine.idle(10_000)
    ebay.buy(p, 2)
    zalando.buy(p, 1)
    await w.engine.pollOrders(ebay.id)
    await w.engine.pollOrders(zalando.id)
    await w.engine.idle(10_000)
    expect(amazon.shown(p)).toBe(7)
    await w.importer.runOnce()
    const e = ordersOf(w.db, ebay.id)[0]!
    const z = ordersOf(w.db, zalando.id)[0]!
    expect(e.import_state).toBe('skipped')
    expect(w.saleOrders(ebay.id, e.order_id)).toEqual([])
    expect(z.import_state).toBe('new')
    expect(w.saleOrders(zalando.id, z.order_id)).toEqual([])
    const [blocked] = openAlerts(w, ORDER_BLOCKED_ALERT)
    expect(blocked!.subject).toBe(zalando.id)
    expect(blocked!.message).toContain('customer')
    await w.engine.idle(10_000)
    expect(amazon.shown(p)).toBe(7)

    // The seller picks the customer: the waiting order goes in.
    w.db
      .prepare('UPDATE channels SET odoo_partner_id = ? WHERE id = ?')
      .run(w.demo.sims.odoo.catalogue!.customerPartnerId, zalando.id)
    const r = await w.importer.runOnce()
    expect(r.confirmed).toBe(1)
    expect(openAlerts(w, ORDER_BLOCKED_ALERT)).toEqual([])
    expect(w.saleOrders(zalando.id, z.order_id)).toEqual([
      { id: expect.any(Number), state: 'sale', lines: [[p.id, 1]] },
    ])
  }, 30_000)
})
