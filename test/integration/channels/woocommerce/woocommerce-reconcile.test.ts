// WooCommerce's batch answer is the push's confirmation. A shop hit by woocommerce#36595 answers a variation
// write with the new value and keeps the old one: the answer cannot tell, so the engine's reconciliation must.
// The engine here runs the real WooCommerce adapter against the simulator, which drops one variation's writes.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../../../main/core/ports/clock'
import { createWooCommerceAdapter } from '../../../../main/node/channels/woocommerce'
import { openDatabase } from '../../../../main/node/db/database'
import { createEngine, type Engine } from '../../../../main/node/engine'
import { startWooCommerceSimulator, type WooSimulator } from '../../../../main/sandbox/channels/woocommerce'
import { MemoryOdoo } from '../../../../main/sandbox/stand-ins/memory-odoo'
import { FAST } from '../../engine/harness'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

async function shopWithTee(): Promise<{ sim: WooSimulator; engine: Engine; s: string; m: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lastunit-woo-'))
  const db = openDatabase(join(dir, 'lastunit.db'))
  const sim = await startWooCommerceSimulator()
  const [s, m] = sim.setProducts([
    {
      name: 'Tee',
      sku: 'TEE',
      variations: [
        { sku: 'TEE-S', option: 'S', stock: 0 },
        { sku: 'TEE-M', option: 'M', stock: 0 },
      ],
    },
  ]) as [string, string]
  const odoo = new MemoryOdoo()
  odoo.addProduct(1, 'TEE-S', 'EAN-1')
  odoo.addProduct(2, 'TEE-M', 'EAN-2')
  odoo.receive(1, 5)
  odoo.receive(2, 7)
  db.prepare(
    `INSERT INTO channels (id, type, name, base_url, state, zero_stock_action, stock_basis, max_published, zero_below, order_import)
     VALUES ('shop', 'woocommerce', 'Shop', ?, 'live', 'push_zero', 'free', NULL, NULL, 0)`,
  ).run(sim.url)
  const map = db.prepare(
    "INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES ('shop', ?, ?, 'sku')",
  )
  map.run(s, 1)
  map.run(m, 2)
  const adapter = createWooCommerceAdapter(
    { baseUrl: sim.url, credentials: { consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret } },
    { timeoutMs: 5000, clock: systemClock },
  )
  const engine = createEngine({ db, odoo, adapters: new Map([['shop', adapter]]), options: FAST })
  cleanup = async () => {
    await engine.stop({ drain: false })
    await sim.stop()
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return { sim, engine, s, m }
}

const variationWrites = (sim: WooSimulator, listingId: string) => {
  const id = Number(listingId.split('/')[1])
  return sim.received.filter(
    (r) =>
      r.path.endsWith('/variations/batch') &&
      (r.body as { update: { id: number }[] }).update.some((u) => u.id === id),
  ).length
}

describe('WooCommerce: a write the shop answers but drops (woocommerce#36595)', () => {
  it('is confirmed by the batch answer, then found by reconciliation and sent again', async () => {
    const { sim, engine, s, m } = await shopWithTee()
    sim.ignoreWrites([s])
    await engine.start()
    await engine.idle()
    // One batch call for both variations, no read-back: the answer said 5 and 7.
    expect(variationWrites(sim, s)).toBe(1)
    expect(sim.received.filter((r) => r.method === 'GET' && r.path.includes('/products'))).toEqual([])
    expect(sim.stock(s)?.stock_quantity).toBe(0)
    expect(sim.stock(m)?.stock_quantity).toBe(7)

    // The hourly reconciliation reads both back (a listing still unconfirmed would be left out), sees the
    // dropped write, and pushes the figure again.
    expect(await engine.reconcile('shop')).toEqual({ checked: 2, drifted: 1 })
    await engine.idle()
    expect(variationWrites(sim, s)).toBe(2)
    expect(variationWrites(sim, m)).toBe(1)
  })
})
