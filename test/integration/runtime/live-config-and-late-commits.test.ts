// The configuration a seller stores is the one the engine runs with, a change from any process reaches the
// running engine within one poll, and a transaction that commits after the poll's overlap window is still
// published: against the Odoo simulator over HTTP, a WooCommerce simulator, and the runtime every host runs.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../main/node/db/database'
import { readConfigRevision } from '../../../main/node/db/repos/config-revision'
import { createDispatcher } from '../../../main/node/api/dispatcher'
import { createHandlers } from '../../../main/node/api/handlers'
import { startOdooSim, type OdooSim } from '../../../main/sandbox/odoo/odoo-sim'
import { TEST_PASSPHRASE } from '../../helpers/app'
import { eventually, makeShopWorld, type ShopWorld } from '../../helpers/shop-world'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

interface Setup {
  sim: OdooSim
  world: ShopWorld
  /** The product behind each SKU, and its stock location. */
  products: Array<{ id: number; sku: string }>
  stockLocation: number
  free(productId: number): number
}

async function setup(version: 18 | 19, pollIntervalMs = 5000): Promise<Setup> {
  // No sales history: every product is slow, so the default buffer is 0 and the shop shows Odoo's free stock.
  const sim = await startOdooSim({ version, catalogue: { products: 6, historyDays: 0, seed: 3 } })
  cleanups.push(() => sim.stop())
  const cat = sim.catalogue!
  const roots = cat.warehouses.map((w) => w.lotStockId)
  const free = (id: number) => Math.max(0, Math.floor(sim.store.stockOf(id, roots).free))
  const products = cat.productIds
    .map((id) => sim.store.products.get(id)!)
    .filter((p) => p.active && p.storable && p.defaultCode)
    .slice(0, 4)
    .map((p) => ({ id: p.id, sku: p.defaultCode! }))
  const world = await makeShopWorld({
    odoo: { url: sim.url, database: sim.database, login: sim.login, apiKey: sim.apiKey },
    products: products.map((p) => ({ sku: p.sku, stock: free(p.id) })),
    pollIntervalMs,
  })
  cleanups.push(() => world.close())
  return { sim, world, products, stockLocation: cat.warehouses[0]!.lotStockId, free }
}

describe('stored engine settings and live configuration', () => {
  it('runs the engine with the Odoo poll interval the seller stored, not the default', async () => {
    const { world } = await setup(19, 2500)
    const engine = world.runtime.engine()!
    expect(engine).not.toBeNull()
    // The figure status reports is the engine's own option, the one its poll timer is armed with
    // (test/unit/engine/poll-interval.test.ts shows the timer uses it).
    expect(engine.status().odoo.pollIntervalMs).toBe(2500)
  })

  it('a buffer rule written by another process reaches the running engine at the next check', async () => {
    const { world, products, free } = await setup(19, 1000)
    const p = products[0]!
    await eventually('the shop to show Odoo', () => world.shown(p.sku) === free(p.id))
    expect(free(p.id)).toBeGreaterThan(2)
    // Another process: its own connection to the same database file.
    const other = openDatabase(join(world.dir, 'lastunit.db'))
    const before = readConfigRevision(other)
    other
      .prepare("INSERT INTO buffer_rules (scope, channel_id, buffer) VALUES ('channel', ?, 2)")
      .run(world.channelId)
    expect(readConfigRevision(other).catalog).toBe(before.catalog + 1)
    expect(readConfigRevision(other).connection).toBe(before.connection)
    other.close()
    expect(await world.runtime.checkConfigNow()).toBe('reloaded')
    await eventually('the buffer on the shop', () => world.shown(p.sku) === free(p.id) - 2)
    expect(await world.runtime.checkConfigNow()).toBe('unchanged')
  })

  it('`lastunit config import` in another process is picked up by the watch without a call', async () => {
    const { world, products, free } = await setup(19, 1000)
    const p = products[1]!
    await eventually('the shop to show Odoo', () => world.shown(p.sku) === free(p.id))
    const file = join(world.dir, 'rules.json')
    // Only what a seller would change: a product buffer. The exported file keeps everything else.
    const exported = spawnSync(
      process.execPath,
      ['bin/lastunit.mjs', '--data-dir', world.dir, 'config', 'export'],
      { encoding: 'utf8', env: { ...process.env, LASTUNIT_KEY: TEST_PASSPHRASE } },
    )
    expect(exported.status, exported.stderr).toBe(0)
    const cfg = JSON.parse(exported.stdout) as { bufferRules: unknown[] }
    cfg.bufferRules.push({ scope: 'product', productId: p.id, buffer: 1 })
    writeFileSync(file, JSON.stringify(cfg))
    const imported = spawnSync(
      process.execPath,
      ['bin/lastunit.mjs', '--data-dir', world.dir, 'config', 'import', file],
      { encoding: 'utf8', env: { ...process.env, LASTUNIT_KEY: TEST_PASSPHRASE } },
    )
    expect(imported.status, imported.stderr + imported.stdout).toBe(0)
    // Nobody tells the runtime: its watch (every poll interval) finds the new revision.
    await eventually('the product buffer on the shop', () => world.shown(p.sku) === free(p.id) - 1)
  }, 120_000)

  it('new credentials from another process rebuild the engine', async () => {
    const { world } = await setup(19, 1000)
    const first = world.runtime.engine()
    const other = openDatabase(join(world.dir, 'lastunit.db'))
    other.prepare("UPDATE credentials SET updated_at = 'x' WHERE owner = 'channel:shop'").run()
    other.close()
    expect(await world.runtime.checkConfigNow()).toBe('restarted')
    expect(world.runtime.engine()).not.toBeNull()
    expect(world.runtime.engine()).not.toBe(first)
  })
})

describe('a credential set in the app', () => {
  it('rebuilds the running engine through the revision triggers: setCredential needs no call of its own', async () => {
    const { world } = await setup(19, 1000)
    const first = world.runtime.engine()
    expect(first).not.toBeNull()
    // The IPC path the app takes: the dispatcher over the handlers the runtime's context runs.
    const dispatch = createDispatcher(createHandlers(world.runtime.handlerContext()), {
      isTrustedSender: () => true,
    })
    const before = readConfigRevision(world.db)
    const secret = world.shop.consumerSecret
    const r = await dispatch(
      'setCredential',
      { owner: world.channelId, name: 'consumerSecret', value: secret },
      { url: 'app://lastunit/', isMainFrame: true },
    )
    expect(r).toEqual({ ok: true, value: { owner: world.channelId, name: 'consumerSecret', set: true } })
    // The credentials table's trigger (schema 5) raised the connection revision; the catalogue's is untouched.
    expect(readConfigRevision(world.db)).toEqual({ ...before, connection: before.connection + 1 })
    // Nobody calls configChanged: the runtime's watch (every poll interval) rebuilds the engine with it.
    await eventually(
      'a new engine',
      () => world.runtime.engine() !== null && world.runtime.engine() !== first,
    )
    expect(await world.runtime.checkConfigNow()).toBe('unchanged')
  })
})

describe('a product created in Odoo after sync started', () => {
  it('is matched when the seller fetches listings, and published', async () => {
    const { world, sim, stockLocation } = await setup(19, 1000)
    const p = sim.store.transaction(() => {
      const prod = sim.store.addProduct({
        name: 'New bundle',
        defaultCode: 'NEW-1',
        barcode: null,
        active: true,
        kind: 'goods',
        storable: true,
        companyId: null,
        listPrice: 10,
      })
      sim.store.applyInventory(prod.id, stockLocation, 13)
      return prod
    })
    const [listing] = world.shop.addProducts([
      { name: 'New bundle', sku: 'NEW-1', stock: 0, manageStock: true },
    ])
    world.listingOf.set('NEW-1', listing!)
    const [r] = await world.runtime.refreshListings(world.channelId)
    expect(r!.mapped).toBe(1)
    expect(
      world.db.prepare('SELECT product_id FROM sku_mappings WHERE listing_id = ?').pluck().get(listing),
    ).toBe(p.id)
    await eventually('the new product on the shop', () => world.shown('NEW-1') === 13)
  })
})

describe('late commits', () => {
  for (const version of [18, 19] as const)
    it(`Odoo ${version}: a transaction that commits 75 s after it started is missed by the poll and published by the sweep`, async () => {
      const { world, sim, products, stockLocation, free } = await setup(version)
      const p = products[2]!
      await eventually('the shop to show Odoo', () => world.shown(p.sku) === free(p.id))
      const engine = world.runtime.engine()!
      await engine.pollOdoo() // the cursor is now at the present
      const shownBefore = world.shown(p.sku)
      // An inventory adjustment in a transaction that started 75 s ago and commits now: Odoo stamps
      // write_date with the start, older than the poll's 60 s overlap.
      sim.store.transaction(() => sim.store.applyInventory(p.id, stockLocation, 97), Date.now() - 75_000)
      const truth = free(p.id)
      expect(truth).not.toBe(shownBefore)
      await engine.pollOdoo()
      await engine.idle(10_000)
      expect(world.shown(p.sku), 'the poll cannot see a write_date older than its window').toBe(shownBefore)
      expect(await engine.sweepLateCommits()).toBe(1)
      await eventually('the late commit on the shop', () => world.shown(p.sku) === truth)
      // Nothing changed since: the next sweep finds nothing and costs one call.
      expect(await engine.sweepLateCommits()).toBe(0)
    })
})
