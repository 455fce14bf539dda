// Every stock flow against the simulator on 17, 18 and 19: after each operation and ONE poll, the free
// stock LastUnit computes (recomputing only the products the poll reported) equals the simulator's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RpcOdooGateway } from '../../../main/node/odoo/rpc-gateway'
import type { OdooSim } from '../../../main/sandbox/odoo/odoo-sim'
import { CUSTOMERS } from '../../../main/sandbox/odoo/sim-store'
import type { SaleOrderLineInput } from '../../../main/core/ports/odoo-gateway'
import { gatewayFor, StockMirror, startSim, truthFree, VERSIONS } from './odoo-test-kit'

/**
 * A confirmed sale order in Odoo, as the order import leaves one (the import itself, with its look-up
 * before create and its retries, is tested in test/integration/orders/): here only the stock flows count.
 */
async function confirmedSaleOrder(
  gw: RpcOdooGateway,
  customers: Readonly<Record<string, number>>,
  o: { channel: string; orderId: string; warehouseId: number; lines: SaleOrderLineInput[] },
): Promise<{ saleOrderId: number }> {
  const saleOrderId = await gw.createSaleOrder({
    partnerId: customers[o.channel] as number,
    warehouseId: o.warehouseId,
    clientOrderRef: `${o.channel}:${o.orderId}`,
    lines: o.lines,
  })
  await gw.confirmSaleOrder(saleOrderId)
  return { saleOrderId }
}

describe.each(VERSIONS)('Odoo %i: stock flows seen by one poll', (version) => {
  let sim: OdooSim
  let gw: RpcOdooGateway
  let mirror: StockMirror
  let roots: number[]
  let wh1: number
  let stock1: number
  let shelf: number
  let stock2: number
  const customers = { amazon: 0, bol: 0 }

  const storable = () => [...sim.store.products.values()].filter((p) => p.storable && p.active)
  const pick = (i: number) => storable()[i]?.id as number

  /** One poll, then the whole cached picture must equal the truth, and `product` must be reported. */
  const pollAndCheck = async (product?: number) => {
    const r = await mirror.poll()
    if (product !== undefined) expect(r.changed).toContain(product)
    expect(mirror.diff(truthFree(sim, roots))).toEqual([])
    return r
  }

  const odooFree = async (product: number) => {
    const q = await gw.productQuantities([product], { locationIds: roots })
    return q[0]?.freeQty
  }

  beforeAll(async () => {
    sim = await startSim(version)
    gw = await gatewayFor(sim)
    const [w1, w2] = sim.catalogue?.warehouses ?? []
    wh1 = w1?.id as number
    stock1 = w1?.lotStockId as number
    stock2 = w2?.lotStockId as number
    shelf = sim.catalogue?.shelfId as number
    customers.amazon = sim.catalogue?.customerPartnerId as number
    customers.bol = sim.store.addPartner('bol.com customers').id
    // The shelf is chosen together with its parent: it must be counted once.
    roots = [stock1, shelf, stock2]
    mirror = new StockMirror(gw, roots)
    await mirror.fullRecompute()
    await mirror.poll()
  })
  afterAll(async () => {
    await sim.stop()
  })

  it('picks the transport from the version and reads the catalogue', async () => {
    expect(gw.transport).toBe(version >= 19 ? 'json2' : 'xmlrpc')
    const products = await gw.listProducts()
    expect(products).toHaveLength([...sim.store.products.values()].filter((p) => p.storable).length)
    expect(products.some((p) => p.defaultCode === 'LU-SERVICE')).toBe(false)
    expect(products.some((p) => !p.active)).toBe(true)
    expect(products[1]?.barcode).toMatch(/^\d{13}$/)
    const locs = await gw.listLocations()
    const sh = locs.find((l) => l.id === shelf)
    expect(sh).toMatchObject({
      usage: 'internal',
      parentId: stock1,
      completeName: 'WH/Stock/Shelf 1',
      warehouseId: wh1,
    })
    expect(sh?.parentPath.endsWith(`/${stock1}/${shelf}/`)).toBe(true)
    expect(locs.find((l) => l.completeName === 'Virtual Locations/Inventory adjustment')?.usage).toBe(
      'inventory',
    )
    expect((await gw.listWarehouses()).map((w) => w.code)).toEqual(['WH', 'WH2'])
  })

  it('full recompute equals the truth, a child chosen with its parent counted once', async () => {
    expect(mirror.diff(truthFree(sim, roots))).toEqual([])
    const p = pick(2)
    const only = await gw.stockByProduct([stock1], [p])
    const both = await gw.stockByProduct([stock1, shelf], [p])
    expect(both).toEqual(only)
    expect(only[0]?.onHand).toBeCloseTo(sim.store.stockOf(p, [stock1]).onHand)
  })

  it('an idle poll costs at most 2 calls and reports nothing', async () => {
    const before = gw.stats.calls
    const r = await mirror.poll()
    expect(r.changed).toEqual([])
    expect(r.calls).toBeLessThanOrEqual(2)
    expect(gw.stats.calls - before).toBeLessThanOrEqual(2)
  })

  it('inventory adjustment in one call (inventory_mode) leaves a negative virtual quant that is not counted', async () => {
    const p = pick(3)
    await gw.execute('stock.quant', 'create', {
      vals_list: [{ product_id: p, location_id: stock2, inventory_quantity_auto_apply: 25 }],
      context: { inventory_mode: true },
    })
    await pollAndCheck(p)
    expect(sim.store.stockOf(p, [stock2]).onHand).toBe(25)
    const virtual = [...sim.store.quants.values()].filter((q) => q.productId === p && q.locationId === 6)
    expect(virtual.some((q) => q.quantity < 0)).toBe(true)
    expect(await odooFree(p)).toBe(mirror.free.get(p))
  })

  it('two-step inventory adjustment: action_apply_inventory commits despite the None fault', async () => {
    const p = pick(4)
    const quant = sim.store.quantsAt(p, stock1)[0] ?? sim.store.createRawQuant(p, stock1, 0)
    await gw.execute('stock.quant', 'write', { ids: [quant.id], vals: { inventory_quantity: 11 } })
    const r = await gw.execute(
      'stock.quant',
      'action_apply_inventory',
      { ids: [quant.id] },
      { returnsNone: true },
    )
    expect(r).toBeNull()
    expect(sim.store.quantsAt(p, stock1).reduce((s, q) => s + q.quantity, 0)).toBe(11)
    await pollAndCheck(p)
  })

  it('a marketplace order becomes a confirmed sale order: reservation lowers free stock, not on hand', async () => {
    const p = pick(5)
    await gw.execute('stock.quant', 'create', {
      vals_list: [{ product_id: p, location_id: stock1, inventory_quantity_auto_apply: 10 }],
      context: { inventory_mode: true },
    })
    await pollAndCheck(p)
    const onHand = sim.store.stockOf(p, roots).onHand
    const r = await confirmedSaleOrder(gw, customers, {
      channel: 'amazon',
      orderId: '111-0000001',
      warehouseId: wh1,
      lines: [{ productId: p, quantity: 3, priceUnit: 19.9 }],
    })
    const so = sim.store.saleOrders.get(r.saleOrderId)
    expect(so).toMatchObject({
      state: 'sale',
      clientOrderRef: 'amazon:111-0000001',
      partnerId: customers.amazon,
    })
    expect(sim.store.stockOf(p, roots)).toMatchObject({ onHand, reserved: 3 })
    await pollAndCheck(p)
    // Found again by its reference, as the import's look-up before any create finds it.
    expect((await gw.findSaleOrder('amazon:111-0000001'))?.id).toBe(r.saleOrderId)
  })

  it('delivery of the reserved order, leaving a zero quant that is later deleted', async () => {
    const p = pick(5)
    const so = [...sim.store.saleOrders.values()].find((o) => o.clientOrderRef === 'amazon:111-0000001')
    const picking = [...sim.store.pickings.values()].find((x) => x.saleId === so?.id)
    expect(picking?.state).toBe('assigned')
    const r = await gw.execute('stock.picking', 'button_validate', { ids: [picking?.id as number] })
    expect(r).toBe(true)
    await pollAndCheck(p)
    // Sell the rest: the quant stays at 0, then the scheduler deletes it without a trace.
    const left = sim.store.stockOf(p, [stock1]).free
    const r2 = await confirmedSaleOrder(gw, customers, {
      channel: 'bol',
      orderId: 'B-1',
      warehouseId: wh1,
      lines: [{ productId: p, quantity: left, priceUnit: 10 }],
    })
    const pk = [...sim.store.pickings.values()].find((x) => x.saleId === r2.saleOrderId)
    await gw.execute('stock.picking', 'button_validate', { ids: [pk?.id as number] })
    await pollAndCheck(p)
    const zeros = sim.store.quantsAt(p, stock1).filter((q) => q.quantity === 0)
    expect(zeros.length).toBeGreaterThan(0)
    expect(sim.store.unlinkZeroQuants()).toBeGreaterThan(0)
    expect(sim.store.quantsAt(p, stock1)).toHaveLength(0)
    const idle = await pollAndCheck()
    expect(idle.changed).not.toContain(p)
    // A later receipt creates a quant with a NEW id: caught, and counted by product, not by quant.
    sim.store.transaction(() => sim.store.receive(p, stock1, 7))
    const newQuant = sim.store.quantsAt(p, stock1)[0]
    expect(zeros.map((z) => z.id)).not.toContain(newQuant?.id)
    await pollAndCheck(p)
    expect(mirror.free.get(p)).toBe(sim.store.stockOf(p, roots).free)
  })

  it('cancelling a confirmed sale frees its reservation', async () => {
    const p = pick(6)
    await gw.execute('stock.quant', 'create', {
      vals_list: [{ product_id: p, location_id: stock1, inventory_quantity_auto_apply: 5 }],
      context: { inventory_mode: true },
    })
    await confirmedSaleOrder(gw, customers, {
      channel: 'amazon',
      orderId: '111-0000002',
      warehouseId: wh1,
      lines: [{ productId: p, quantity: 2, priceUnit: 5 }],
    })
    await pollAndCheck(p)
    expect(mirror.free.get(p)).toBe(sim.store.stockOf(p, roots).onHand - 2)
    const placed = await gw.findSaleOrder('amazon:111-0000002')
    await gw.cancelSaleOrder(placed?.id as number)
    const so = await gw.findSaleOrder('amazon:111-0000002')
    expect(so?.state).toBe('cancel')
    await pollAndCheck(p)
    expect(sim.store.stockOf(p, roots).reserved).toBe(0)
    // Cancelling again is a no-op, and an unknown order is reported as such.
    await gw.cancelSaleOrder(so?.id as number)
    expect(await gw.findSaleOrder('amazon:nope')).toBeNull()
  })

  it('partial availability: the backorder wizard, then the backorder is reserved on receipt', async () => {
    const p = pick(7)
    await gw.execute('stock.quant', 'create', {
      vals_list: [{ product_id: p, location_id: stock1, inventory_quantity_auto_apply: 2 }],
      context: { inventory_mode: true },
    })
    for (const q of sim.store.quantsAt(p, shelf))
      sim.store.transaction(() => sim.store.writeQuantQuantity(q.id, 0))
    const r = await confirmedSaleOrder(gw, customers, {
      channel: 'bol',
      orderId: 'B-2',
      warehouseId: wh1,
      lines: [{ productId: p, quantity: 5, priceUnit: 5 }],
    })
    await pollAndCheck(p)
    const pk = [...sim.store.pickings.values()].find((x) => x.saleId === r.saleOrderId)
    const action = await gw.execute<{ res_model: string; context: Record<string, unknown> }>(
      'stock.picking',
      'button_validate',
      {
        ids: [pk?.id as number],
      },
    )
    expect(action.res_model).toBe('stock.backorder.confirmation')
    const wiz = await gw.execute<number[] | number>('stock.backorder.confirmation', 'create', {
      vals_list: [{ pick_ids: [[4, pk?.id]] }],
      context: action.context,
    })
    await gw.execute('stock.backorder.confirmation', 'process', {
      ids: [Array.isArray(wiz) ? (wiz[0] as number) : wiz],
    })
    await pollAndCheck(p)
    sim.store.transaction(() => sim.store.receive(p, stock1, 10))
    await pollAndCheck(p)
  })

  it('a return of a delivery restocks into a new quant (wizard with zero default quantities on 18+)', async () => {
    const p = pick(8)
    await gw.execute('stock.quant', 'create', {
      vals_list: [{ product_id: p, location_id: stock1, inventory_quantity_auto_apply: 6 }],
      context: { inventory_mode: true },
    })
    const r = await confirmedSaleOrder(gw, customers, {
      channel: 'amazon',
      orderId: '111-0000003',
      warehouseId: wh1,
      lines: [{ productId: p, quantity: 4, priceUnit: 5 }],
    })
    const pk = [...sim.store.pickings.values()].find((x) => x.saleId === r.saleOrderId)
    await gw.execute('stock.picking', 'button_validate', { ids: [pk?.id as number] })
    await pollAndCheck(p)
    const ctx = { active_id: pk?.id, active_ids: [pk?.id], active_model: 'stock.picking' }
    const wizR = await gw.execute<number[] | number>('stock.return.picking', 'create', {
      vals_list: [{ picking_id: pk?.id }],
      context: ctx,
    })
    const wiz = Array.isArray(wizR) ? (wizR[0] as number) : wizR
    const [w] = await gw.execute<Array<{ product_return_moves: number[] }>>('stock.return.picking', 'read', {
      ids: [wiz],
    })
    const lines = await gw.execute<Array<{ id: number; quantity: number }>>(
      'stock.return.picking.line',
      'read',
      {
        ids: w?.product_return_moves ?? [],
      },
    )
    expect(lines[0]?.quantity).toBe(version >= 18 ? 0 : 4)
    await gw.execute('stock.return.picking.line', 'write', {
      ids: [lines[0]?.id as number],
      vals: { quantity: 3 },
    })
    // 17 calls it create_returns; 18 renamed it action_create_returns.
    const createReturns = version === 17 ? 'create_returns' : 'action_create_returns'
    const act = await gw.execute<{ res_id: number }>('stock.return.picking', createReturns, {
      ids: [wiz],
    })
    const quantsBefore = new Set(sim.store.quantsAt(p, stock1).map((q) => q.id))
    await gw.execute('stock.picking', 'button_validate', { ids: [act.res_id] })
    const fresh = sim.store.quantsAt(p, stock1).filter((q) => !quantsBefore.has(q.id))
    expect(fresh.map((q) => q.quantity)).toEqual([3])
    await pollAndCheck(p)
  })

  it('scrap, a raw quantity write, a receipt into WH2, and a customer quant that never counts', async () => {
    const p = pick(9)
    sim.store.transaction(() => sim.store.scrap(p, stock2, 1))
    await pollAndCheck(p)
    const q = sim.store.quantsAt(p, stock2)[0]
    if (q) await gw.execute('stock.quant', 'write', { ids: [q.id], vals: { quantity: 40 } })
    await pollAndCheck(p)
    sim.store.transaction(() => sim.store.receive(p, stock2, 3))
    await pollAndCheck(p)
    expect([...sim.store.quants.values()].some((x) => x.locationId === CUSTOMERS && x.quantity > 0)).toBe(
      true,
    )
  })

  it('a late commit (write_date = transaction start) is still caught by the overlap window', async () => {
    const p = pick(10)
    sim.setCommitDelay(1500)
    const pending = gw.execute('stock.quant', 'create', {
      vals_list: [{ product_id: p, location_id: stock1, inventory_quantity_auto_apply: 33 }],
      context: { inventory_mode: true },
    })
    await new Promise((r) => setTimeout(r, 1100))
    // A poll while the transaction is open sees nothing yet...
    await mirror.poll()
    await pending
    sim.setCommitDelay(0)
    const start = [...sim.store.quants.values()].find((q) => q.productId === p && q.locationId === stock1)
    expect(start?.writeDate).toBeDefined()
    // ...and the next one catches the change although its write_date is older than that poll.
    await pollAndCheck(p)
  })

  it('sales history per product over the last N days', async () => {
    const hist = await gw.salesHistory(30)
    const expected = new Map<number, number>()
    for (const l of sim.store.saleLines.values()) {
      const o = sim.store.saleOrders.get(l.orderId)
      if (o && (o.state === 'sale' || o.state === 'done'))
        expected.set(l.productId, (expected.get(l.productId) ?? 0) + l.productUomQty)
    }
    expect(hist).toEqual(expected)
    expect(hist.size).toBeGreaterThan(5)
    const recent = await gw.salesHistory(3)
    expect([...recent.values()].reduce((a, b) => a + b, 0)).toBeLessThan(
      [...hist.values()].reduce((a, b) => a + b, 0),
    )
  })

  it("Odoo's own quantity fields agree, with the version's warehouse context key", async () => {
    const ids = storable()
      .slice(0, 12)
      .map((p) => p.id)
    const mine = await gw.stockByProduct([sim.catalogue?.warehouses[0]?.viewLocationId as number], ids)
    const theirs = await gw.productQuantities(ids, { warehouseId: wh1 })
    for (const m of mine) {
      const t = theirs.find((x) => x.productId === m.productId)
      expect(t?.qtyAvailable).toBeCloseTo(m.onHand)
      expect(t?.freeQty).toBeCloseTo(m.onHand - m.reserved)
    }
    // The other version's key is silently ignored: company-wide totals.
    const wrongKey = version >= 18 ? { warehouse: wh1 } : { warehouse_id: wh1 }
    const rows = await gw.execute<Array<{ id: number; qty_available: number }>>('product.product', 'read', {
      ids,
      fields: ['qty_available'],
      context: wrongKey,
    })
    const all = await gw.stockByProduct(sim.catalogue?.warehouses.map((w) => w.viewLocationId) ?? [], ids)
    for (const r of rows)
      expect(r.qty_available).toBeCloseTo(all.find((a) => a.productId === r.id)?.onHand ?? 0)
  })
})
