// Kits end to end: a real SQLite file, the Odoo simulator with mrp over loopback (XML-RPC on 18, JSON-2 on
// 19), two channel simulators, the engine and the order import. A kit publishes Odoo's own kit figure, a
// component's change recomputes the kit and the component, a marketplace order for a kit lowers its
// components' other listings before Odoo sees it, and everything agrees once Odoo imported and reserved
// it; a kit inside a kit likewise.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelAdapter } from '../../../main/core/ports/channel-adapter'
import { createGenericAdapter } from '../../../main/sandbox/channels/generic/generic-adapter'
import { openDatabase, type Database } from '../../../main/node/db/database'
import { createEngine, type Engine } from '../../../main/node/engine'
import { createOdooGateway } from '../../../main/node/odoo/create-odoo-gateway'
import type { RpcOdooGateway } from '../../../main/node/odoo/rpc-gateway'
import { createOrderImporter, type OrderImporter } from '../../../main/node/orders'
import { startGenericSimulator, type GenericSimulator } from '../../../main/sandbox/channels/generic'
import { startOdooSim, type OdooSim } from '../../../main/sandbox/odoo/odoo-sim'
import type { SimVersion } from '../../../main/sandbox/odoo/sim-models'
import type { SimWarehouse } from '../../../main/sandbox/odoo/sim-store'
import { FAST } from './harness'

const CODES = ['SKU-A', 'SKU-B', 'SKU-C', 'SKU-KIT', 'SKU-NEST'] as const
type Code = (typeof CODES)[number]

interface KitWorld {
  sim: OdooSim
  gw: RpcOdooGateway
  db: Database
  wh: SimWarehouse
  id: Record<Code, number>
  sims: Map<string, GenericSimulator>
  engine: Engine
  importer: OrderImporter
  /** What a channel shows for a product. */
  shown(channel: string, code: Code): number
  /** Odoo's own free_qty of a product in the warehouse (kits included). */
  odooFree(code: Code): Promise<number>
  close(): Promise<void>
}

let world: KitWorld | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

/**
 * Components A (9), B (7), C (20) in WH/Stock; kit KIT = 2 A + 1 B; kit NEST = 1 KIT + 1 C (so 2 A + 1 B
 * + 1 C once exploded). Every product is listed on bol and amz.
 */
async function makeKitWorld(version: SimVersion): Promise<KitWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'lastunit-kits-'))
  const sim = await startOdooSim({ version, mrp: true, catalogue: false })
  const s = sim.store
  const { wh, partner, id } = s.transaction(() => {
    const wh = s.addWarehouse('Main Warehouse', 'WH')
    const partner = s.addPartner('Marketplace customers')
    const id = {} as Record<Code, number>
    for (const code of CODES)
      id[code] = s.addProduct({
        name: code,
        defaultCode: code,
        barcode: null,
        active: true,
        kind: 'goods',
        storable: true,
        companyId: null,
        listPrice: 10,
      }).id
    s.applyInventory(id['SKU-A'], wh.lotStockId, 9)
    s.applyInventory(id['SKU-B'], wh.lotStockId, 7)
    s.applyInventory(id['SKU-C'], wh.lotStockId, 20)
    s.mrp.addBom({
      templateId: id['SKU-KIT'],
      type: 'phantom',
      lines: [
        { productId: id['SKU-A'], productQty: 2 },
        { productId: id['SKU-B'], productQty: 1 },
      ],
    })
    s.mrp.addBom({
      templateId: id['SKU-NEST'],
      type: 'phantom',
      lines: [
        { productId: id['SKU-KIT'], productQty: 1 },
        { productId: id['SKU-C'], productQty: 1 },
      ],
    })
    return { wh, partner, id }
  }, Date.now() - 3_600_000)
  const gw = await createOdooGateway({
    url: sim.url,
    database: sim.database,
    login: sim.login,
    secret: sim.apiKey,
    timeoutMs: 5000,
  })
  await gw.login()
  const db = openDatabase(join(dir, 'lastunit.db'))
  const sims = new Map<string, GenericSimulator>()
  const adapters = new Map<string, ChannelAdapter>()
  for (const ch of ['bol', 'amz']) {
    const sim = await startGenericSimulator({
      listings: CODES.map((code) => ({ listingId: `${ch}-${code}`, sku: code, quantity: 0 })),
    })
    sims.set(ch, sim)
    adapters.set(
      ch,
      createGenericAdapter({
        type: 'bol',
        baseUrl: sim.url,
        token: sim.token,
        timeoutMs: 5000,
        capabilities: { orderPollIntervalMs: 3_600_000 },
      }),
    )
    db.prepare(
      `INSERT INTO channels (id, type, name, base_url, state, odoo_partner_id, odoo_warehouse_id)
       VALUES (?, 'bol', ?, ?, 'live', ?, ?)`,
    ).run(ch, ch, sim.url, partner.id, wh.id)
    for (const code of CODES)
      db.prepare(
        'INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES (?, ?, ?, ?)',
      ).run(ch, `${ch}-${code}`, id[code], 'sku')
  }
  const engine = createEngine({ db, odoo: gw, adapters, options: FAST })
  const importer = createOrderImporter({ db, odoo: gw, engine })
  return {
    sim,
    gw,
    db,
    wh,
    id,
    sims,
    engine,
    importer,
    shown: (ch, code) => sims.get(ch)!.listing(`${ch}-${code}`)!.quantity,
    odooFree: async (code) =>
      (await gw.productQuantities([id[code]], { locationIds: [wh.lotStockId] }))[0]!.freeQty,
    async close() {
      await importer.stop()
      await engine.stop({ drain: false })
      for (const x of sims.values()) await x.stop()
      await gw.close()
      await sim.stop()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const shownAll = (w: KitWorld, ch: string) => Object.fromEntries(CODES.map((c) => [c, w.shown(ch, c)]))

describe.each([18, 19] as const)('kits through the engine (Odoo %s)', (version) => {
  it('publishes kits, follows their components, and lowers components on a kit order before Odoo sees it', async () => {
    world = await makeKitWorld(version)
    const w = world
    await w.engine.start()
    expect(await w.engine.idle()).toBe(true)
    // KIT: min(9 / 2, 7 / 1) = 4; NEST: min(9 / 2, 7, 20) = 4, as Odoo says.
    const start = { 'SKU-A': 9, 'SKU-B': 7, 'SKU-C': 20, 'SKU-KIT': 4, 'SKU-NEST': 4 }
    expect(shownAll(w, 'bol')).toEqual(start)
    expect(shownAll(w, 'amz')).toEqual(start)
    expect(await w.odooFree('SKU-KIT')).toBe(4)
    expect(await w.odooFree('SKU-NEST')).toBe(4)
    expect(w.engine.explain('bol', 'bol-SKU-KIT')!.explanation).toMatch(
      /^published 4 = kit free 4 \(limited by SKU-A: free 9 \/ 2 per kit\) - pending 0 - buffer 0; /,
    )

    // A receipt of a component, seen by the Odoo poll: the component and both kits are recomputed.
    w.sim.store.transaction(() => w.sim.store.receive(w.id['SKU-A'], w.wh.lotStockId, 5))
    await w.engine.pollOdoo()
    expect(await w.engine.idle()).toBe(true)
    // KIT: min(14 / 2, 7) = 7; NEST: min(7, 7, 20) = 7.
    expect(shownAll(w, 'bol')).toEqual({ 'SKU-A': 14, 'SKU-B': 7, 'SKU-C': 20, 'SKU-KIT': 7, 'SKU-NEST': 7 })
    expect(w.engine.explain('bol', 'bol-SKU-KIT')!.explanation).toMatch(
      /^published 7 = kit free 7 \(limited by SKU-A: free 14 \/ 2 per kit\) - pending 0 - buffer 0; /,
    )

    // A kit order of 3 on amz: 6 A and 3 B are pending at once, on every listing made of them.
    w.sims.get('amz')!.createOrder({ listingId: 'amz-SKU-KIT', quantity: 3, orderId: 'K1' })
    await w.engine.pollOrders('amz')
    expect(await w.engine.idle()).toBe(true)
    // A 14 - 6 = 8, B 7 - 3 = 4; KIT min(8 / 2, 4) = 4; NEST min(4, 4, 20) = 4. Odoo still says 7.
    const pendingKit = { 'SKU-A': 8, 'SKU-B': 4, 'SKU-C': 20, 'SKU-KIT': 4, 'SKU-NEST': 4 }
    expect(shownAll(w, 'bol')).toEqual(pendingKit)
    expect(shownAll(w, 'amz')).toEqual(pendingKit)
    expect(await w.odooFree('SKU-KIT')).toBe(7)
    expect(w.engine.explain('bol', 'bol-SKU-KIT')!.explanation).toMatch(
      /^published 4 = kit free 7 \(limited by SKU-A: free 14 \/ 2 per kit\) - pending 3 \(components pending: SKU-A 6, SKU-B 3\) - buffer 0; /,
    )
    expect(w.engine.explain('bol', 'bol-SKU-A')!.explanation).toMatch(
      /^published 8 = free 14 - pending 6 \(6 for kit orders: 3 x SKU-KIT\) - buffer 0; /,
    )

    // The order reaches Odoo as a sale of the kit itself; Odoo delivers it as component moves and reserves
    // 6 A and 3 B. The pending units are released on the read that holds the reservation: same figures.
    const pass = await w.importer.runOnce()
    expect(pass).toMatchObject({ confirmed: 1, odooDown: null })
    const so = [...w.sim.store.saleOrders.values()].find((o) => o.clientOrderRef === 'amz:K1')!
    expect(so.lineIds.map((l) => w.sim.store.saleLines.get(l)!.productId)).toEqual([w.id['SKU-KIT']])
    expect(w.db.prepare("SELECT pending_quantity FROM order_lines WHERE order_id = 'K1'").pluck().get()).toBe(
      0,
    )
    await w.engine.pollOdoo()
    expect(await w.engine.idle()).toBe(true)
    expect(shownAll(w, 'bol')).toEqual(pendingKit)
    expect(shownAll(w, 'amz')).toEqual(pendingKit)
    expect(await w.odooFree('SKU-KIT')).toBe(4)
    expect(await w.odooFree('SKU-NEST')).toBe(4)
    expect(w.engine.explain('bol', 'bol-SKU-KIT')!.explanation).toMatch(
      /^published 4 = kit free 4 \(limited by SKU-A: free 8 \/ 2 per kit\) - pending 0 - buffer 0; /,
    )
    // The engine stores the kit's stock as Odoo's qty_available and free_qty for it.
    const stored = w.db
      .prepare('SELECT on_hand, reserved FROM product_stock WHERE product_id = ? AND scope = ?')
      .get(w.id['SKU-KIT'], String(w.wh.lotStockId)) as { on_hand: number; reserved: number }
    expect(stored).toEqual({ on_hand: 7, reserved: 3 })
  })

  it('spreads an order of a kit inside a kit over all its components, and names kit orders in an oversell', async () => {
    world = await makeKitWorld(version)
    const w = world
    await w.engine.start()
    expect(await w.engine.idle()).toBe(true)
    // NEST x 2 on bol: 4 A, 2 B and 2 C pending.
    w.sims.get('bol')!.createOrder({ listingId: 'bol-SKU-NEST', quantity: 2, orderId: 'N1' })
    await w.engine.pollOrders('bol')
    expect(await w.engine.idle()).toBe(true)
    // A 9 - 4 = 5, B 5, C 18; KIT min(5 / 2, 5) = 2; NEST min(2, 5, 18) = 2.
    expect(shownAll(w, 'amz')).toEqual({ 'SKU-A': 5, 'SKU-B': 5, 'SKU-C': 18, 'SKU-KIT': 2, 'SKU-NEST': 2 })
    expect(w.engine.explain('amz', 'amz-SKU-NEST')!.explanation).toMatch(
      /^published 2 = kit free 4 \(limited by SKU-A: free 9 \/ 2 per kit\) - pending 2 \(components pending: SKU-A 4, SKU-B 2, SKU-C 2\) - buffer 0; /,
    )
    expect(w.engine.explain('amz', 'amz-SKU-C')!.explanation).toMatch(
      /^published 18 = free 20 - pending 2 \(2 for kit orders: 2 x SKU-NEST\) - buffer 0; /,
    )
    // Odoo imports and reserves it: components reserved, figures unchanged.
    expect(await w.importer.runOnce()).toMatchObject({ confirmed: 1 })
    await w.engine.pollOdoo()
    expect(await w.engine.idle()).toBe(true)
    expect(shownAll(w, 'amz')).toEqual({ 'SKU-A': 5, 'SKU-B': 5, 'SKU-C': 18, 'SKU-KIT': 2, 'SKU-NEST': 2 })
    expect(await w.odooFree('SKU-NEST')).toBe(2)
    // More kits than there are components: the oversell names the component and the kit orders behind it.
    w.sims.get('amz')!.createOrder({ listingId: 'amz-SKU-KIT', quantity: 3, orderId: 'K9' })
    await w.engine.pollOrders('amz')
    const alert = w.db
      .prepare("SELECT subject, message FROM alerts WHERE kind = 'oversell' AND cleared_at IS NULL")
      .all() as Array<{ subject: string; message: string }>
    expect(alert).toEqual([
      {
        subject: `product:${w.id['SKU-A']}`,
        message:
          '[SKU-A] SKU-A: 10 units promised but only 9 on hand in Odoo (5 free); short by 1. ' +
          'Orders: amz K9 (3 x kit SKU-KIT), bol N1 (2 x kit SKU-NEST). Channels: amz, bol. ' +
          'Cancel one before the marketplace penalises the late shipment.',
      },
    ])
  })
})

describe.each([18, 19] as const)('kits and late commits (Odoo %s)', (version) => {
  it('a component changed by a transaction that committed after the poll window: the sweep republishes the kits made with it', async () => {
    world = await makeKitWorld(version)
    const w = world
    await w.engine.start()
    expect(await w.engine.idle()).toBe(true)
    await w.engine.pollOdoo()
    // B goes from 7 to 2 in a transaction that started 75 s ago: older than the poll's 60 s overlap.
    w.sim.store.transaction(
      () => w.sim.store.applyInventory(w.id['SKU-B'], w.wh.lotStockId, 2),
      Date.now() - 75_000,
    )
    await w.engine.pollOdoo()
    expect(await w.engine.idle()).toBe(true)
    expect(w.shown('bol', 'SKU-B')).toBe(7)
    // Kits are compared through their components, never on their own (they have no quants).
    expect(await w.engine.sweepLateCommits()).toBe(1)
    expect(await w.engine.idle()).toBe(true)
    // KIT: min(9 / 2, 2) = 2; NEST: min(2, 2, 20) = 2.
    expect(shownAll(w, 'bol')).toEqual({ 'SKU-A': 9, 'SKU-B': 2, 'SKU-C': 20, 'SKU-KIT': 2, 'SKU-NEST': 2 })
    expect(await w.odooFree('SKU-KIT')).toBe(2)
    expect(await w.engine.sweepLateCommits()).toBe(0)
  })
})
