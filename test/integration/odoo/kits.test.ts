// Kits on the simulated Odoo with mrp: the connector reads the BoMs in a few calls, and its own kit
// figure (core/stock/kits.ts, from the components' stock read like any product's) equals the free_qty and
// qty_available the simulator answers for the kit (a separate port of Odoo's Python), in every location
// scope, on 17, 18 and 19. Without mrp the connector reads nothing more and sees no kit. A sale of a kit
// reserves its components.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KitBook } from '../../../main/core/stock/kit-book'
import type { RpcOdooGateway } from '../../../main/node/odoo/rpc-gateway'
import type { OdooSim } from '../../../main/sandbox/odoo/odoo-sim'
import type { SimProduct } from '../../../main/sandbox/odoo/sim-store'
import { gatewayFor, startSim, VERSIONS } from './odoo-test-kit'

const addProduct = (sim: OdooSim, code: string, extra: Partial<SimProduct> = {}): SimProduct =>
  sim.store.transaction(() =>
    sim.store.addProduct({
      name: `Kit test ${code}`,
      defaultCode: code,
      barcode: null,
      active: true,
      kind: 'goods',
      storable: true,
      companyId: null,
      listPrice: 10,
      ...extra,
    }),
  )

/** LastUnit's figure for every kit: components' stock read through the gateway, then the kit book. */
async function connectorFigures(gw: RpcOdooGateway, locs: number[]) {
  const book = new KitBook(await gw.listKits())
  const leaves = [...new Set([...book.defs.keys()].flatMap((k) => book.leaves(k)))]
  const rows = new Map((await gw.stockByProduct(locs, leaves)).map((r) => [r.productId, r]))
  const out = new Map<number, { free: number; onHand: number }>()
  for (const kitId of book.defs.keys()) {
    const s = book.stock(kitId, (id) => rows.get(id) ?? { onHand: 0, reserved: 0 })!
    out.set(kitId, { free: s.free, onHand: s.onHand })
  }
  return { book, figures: out }
}

/** What the simulated Odoo answers for the kits' quantity fields in a location context. */
async function odooFigures(gw: RpcOdooGateway, kitIds: number[], locs: number[]) {
  const rows = await gw.productQuantities(kitIds, { locationIds: locs })
  return new Map(rows.map((r) => [r.productId, { free: r.freeQty, onHand: r.qtyAvailable }]))
}

describe.each(VERSIONS)('kits on the simulated Odoo %s with mrp', (version) => {
  let sim: OdooSim
  let gw: RpcOdooGateway
  let scopes: number[][]
  beforeAll(async () => {
    sim = await startSim(version, { mrp: true, catalogue: { products: 6, historyDays: 0, seed: 5 } })
    gw = await gatewayFor(sim)
    const [wh1, wh2] = sim.catalogue!.warehouses
    scopes = [
      [wh1!.lotStockId],
      [wh2!.lotStockId],
      [wh1!.lotStockId, wh2!.lotStockId],
      [sim.catalogue!.shelfId],
    ]
  })
  afterAll(async () => {
    await gw?.close()
    await sim?.stop()
  })

  it('reads the kits in five calls, and computes what Odoo answers for them', async () => {
    const s = sim.store
    const [a, b, c] = sim.catalogue!.productIds as [number, number, number]
    const consumable = addProduct(sim, 'CONSU', { storable: false })
    const kit = addProduct(sim, 'KIT')
    const consuKit = addProduct(sim, 'KIT-CONSU', { storable: false })
    const nested = addProduct(sim, 'KIT-NESTED')
    const dozens = addProduct(sim, 'KIT-DOZEN')
    const batch = addProduct(sim, 'KIT-BATCH')
    s.mrp.addBom({
      templateId: kit.id,
      type: 'phantom',
      lines: [{ productId: a, productQty: 2 }, { productId: b }, { productId: consumable.id, productQty: 3 }],
    })
    s.mrp.addBom({
      templateId: consuKit.id,
      type: 'phantom',
      lines: [{ productId: c, productQty: 1 }, { productId: a }],
    })
    s.mrp.addBom({
      templateId: nested.id,
      type: 'phantom',
      lines: [{ productId: kit.id, productQty: 2 }, { productId: c }],
    })
    s.mrp.addBom({
      templateId: dozens.id,
      type: 'phantom',
      lines: [{ productId: b, productQty: 1, uomId: 2 }],
    })
    s.mrp.addBom({
      templateId: batch.id,
      type: 'phantom',
      productQty: 3,
      lines: [{ productId: c, productQty: 3 }],
    })
    // A manufacturing BoM and an archived kit BoM change nothing.
    s.mrp.addBom({ templateId: a, type: 'normal', lines: [{ productId: b }] })
    s.mrp.addBom({ templateId: b, type: 'phantom', active: false, lines: [{ productId: c }] })
    const before = gw.stats.calls
    const { book, figures } = await connectorFigures(gw, scopes[0]!)
    expect(gw.stats.calls - before).toBe(6) // five to read the kits, one stock read
    expect([...book.defs.keys()].sort((x, y) => x - y)).toEqual(
      [kit.id, consuKit.id, nested.id, dozens.id, batch.id].sort((x, y) => x - y),
    )
    for (const locs of scopes) {
      const mine = (await connectorFigures(gw, locs)).figures
      const odoo = await odooFigures(gw, [...mine.keys()], locs)
      expect(Object.fromEntries(mine)).toEqual(Object.fromEntries(odoo))
    }
    expect(figures.get(kit.id)!.free).toBeGreaterThanOrEqual(0)
  })

  it('equals what Odoo answers for random kits and stock (property)', async () => {
    const s = sim.store
    const parts = [1, 2, 3, 4].map((i) =>
      addProduct(sim, `P${version}-${i}`, i === 4 ? { storable: false } : i === 3 ? { uomId: 3 } : {}),
    )
    const locs = [sim.catalogue!.warehouses[0]!.lotStockId, sim.catalogue!.shelfId]
    let round = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            p: fc.integer({ min: 0, max: 3 }),
            q: fc.integer({ min: 0, max: 7 }),
            dozen: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: -2, max: 60 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 3 }),
        async (lines, batchQty, stock, reserve) => {
          round++
          const kit = addProduct(sim, `RK${version}-${round}`)
          s.mrp.addBom({
            templateId: kit.id,
            type: 'phantom',
            productQty: batchQty,
            lines: lines.map((l) => ({
              productId: parts[l.p]!.id,
              productQty: l.q,
              // Dozens only for the unit-based parts (kg is another category).
              ...(l.dozen && l.p !== 2 ? { uomId: 2 } : {}),
            })),
          })
          s.transaction(() => {
            parts.slice(0, 3).forEach((p, i) => s.applyInventory(p.id, locs[i % 2]!, stock[i]!))
            // Reserved units lower free stock but not on-hand stock.
            const q = s.quantsAt(parts[0]!.id, locs[0]!)[0]
            if (q) q.reserved = Math.min(Math.max(0, q.quantity), reserve)
          })
          const mine = (await connectorFigures(gw, locs)).figures
          const odoo = await odooFigures(gw, [kit.id], locs)
          expect(mine.get(kit.id)).toEqual(odoo.get(kit.id))
        },
      ),
      { numRuns: 25 },
    )
  })

  it('delivers a kit sale as reserved component moves, which lowers the kit', async () => {
    const s = sim.store
    const [a, b] = sim.catalogue!.productIds as [number, number]
    const kit = addProduct(sim, `SOLD-${version}`)
    s.mrp.addBom({
      templateId: kit.id,
      type: 'phantom',
      lines: [{ productId: a, productQty: 2 }, { productId: b }],
    })
    const wh = sim.catalogue!.warehouses[0]!
    s.transaction(() => {
      for (const p of [a, b]) {
        s.applyInventory(p, wh.lotStockId, 10)
        s.applyInventory(p, sim.catalogue!.shelfId, 0)
      }
    })
    const locs = [wh.lotStockId]
    expect((await odooFigures(gw, [kit.id], locs)).get(kit.id)!.free).toBe(5)
    const so = s.transaction(() =>
      s.createSaleOrder({
        partnerId: sim.catalogue!.customerPartnerId,
        warehouseId: wh.id,
        clientOrderRef: `kit-${version}`,
        lines: [{ productId: kit.id, qty: 2, price: 10 }],
      }),
    )
    s.transaction(() => s.confirmSaleOrder(so.id))
    const moves = [...s.moves.values()].filter((m) => s.pickings.get(m.pickingId ?? -1)?.saleId === so.id)
    expect(moves.map((m) => [m.productId, m.productUomQty, m.state])).toEqual([
      [a, 4, 'assigned'],
      [b, 2, 'assigned'],
    ])
    const odoo = (await odooFigures(gw, [kit.id], locs)).get(kit.id)!
    expect(odoo).toEqual({ free: 3, onHand: 5 })
    expect((await connectorFigures(gw, locs)).figures.get(kit.id)).toEqual(odoo)
  })
})

describe('a database without mrp', () => {
  it('answers no kits after one call, and no error', async () => {
    const sim = await startSim(18, { catalogue: { products: 3, historyDays: 0 } })
    try {
      const gw = await gatewayFor(sim)
      const before = gw.stats.calls
      expect(await gw.listKits()).toBeNull()
      expect(gw.stats.calls - before).toBe(1)
      await expect(gw.execute('mrp.bom', 'search_read', { domain: [] })).rejects.toThrow()
    } finally {
      await sim.stop()
    }
  })
})
