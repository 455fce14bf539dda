import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { openDatabase } from '../../../main/node/db/database'
import { Runtime } from '../../../main/node/runtime/runtime'
import { createKeyVault } from '../../../main/node/secrets/key-vault'
import { vaultSalt } from '../../../main/node/secrets/vault-salt'
import { createHandlers } from '../../../main/node/api/handlers'
import { CHANNEL_TYPES } from '../../../shared/channel-types'
import { startDemoEnvironment } from '../../../main/sandbox/demo-env'
import { tempDir, TEST_PASSPHRASE } from '../../helpers/app'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const until = async (what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 45_000) => {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (await ok()) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`timed out waiting for ${what}`)
}

function setup(withDemo = true) {
  const { dir, cleanup } = tempDir()
  const db = openDatabase(join(dir, 'lastunit.db'))
  const vault = createKeyVault(TEST_PASSPHRASE, vaultSalt(db))
  // The host hands the demo over, as main/electron.ts, main/preview.ts and `lastunit demo` do.
  const rt = new Runtime({
    db,
    vault,
    dataDir: dir,
    host: 'cli',
    version: 'test',
    ...(withDemo ? { demo: startDemoEnvironment } : {}),
  })
  cleanups.push(
    cleanup,
    () => void db.close(),
    () => rt.stop(),
  )
  return { rt, db, dir }
}

describe('runtime', () => {
  it('with nothing configured, says so and runs no engine', async () => {
    const { rt } = setup()
    await rt.start()
    expect(rt.engine()).toBeNull()
    const h = createHandlers(rt.handlerContext())
    const status = await h.getStatus({})
    expect(status.state).toBe('stopped')
    expect(status.message).toBe('Nothing is configured yet: try the demo or connect Odoo.')
  })

  it('offers no demo when the host hands none over', async () => {
    const { rt } = setup(false)
    await rt.start()
    expect(await rt.startDemo()).toEqual({
      started: false,
      message: 'The demo is not available in this build.',
    })
    const h = createHandlers(rt.handlerContext())
    await expect(h.startDemo({})).rejects.toMatchObject({ code: 'unavailable' })
    expect(rt.demoRunning()).toBe(false)
  })

  it('runs the demo through the real configuration path, every channel type syncing from the Odoo simulator', async () => {
    const { rt, db } = setup()
    await rt.start()
    const r = await rt.startDemo()
    expect(r).toEqual({ started: true, message: expect.stringContaining('demo is running') })
    const demo = rt.demoEnvironment()!
    // The seller's own database is untouched by the demo.
    expect(db.prepare('SELECT COUNT(*) AS n FROM channels').get()).toEqual({ n: 0 })
    const h = createHandlers(rt.handlerContext())
    expect((await h.getAppInfo({})).mode).toBe('demo')
    const channels = await h.listChannels({})
    expect(channels.map((c) => c.type).sort()).toEqual([...CHANNEL_TYPES].sort())
    expect(channels.every((c) => c.credentials.every((x) => x.set))).toBe(true)
    // Map every listing by SKU/EAN as the seller's auto-match would, then let the engine publish.
    const engine = rt.engine()!
    expect(engine).not.toBeNull()
    await until('engine status for 7 channels', () => engine.status().channels.length === 7)
    const status = await h.getStatus({})
    expect(status.engineRunning).toBe(true)
    // Listings were fetched from each simulator and mapped by SKU or EAN.
    const mapped = rt.db
      .prepare('SELECT channel_id AS c, COUNT(*) AS n FROM sku_mappings GROUP BY channel_id')
      .all() as {
      c: string
      n: number
    }[]
    expect(mapped).toHaveLength(7)
    for (const m of mapped) expect(m.n, m.c).toBe(demo.products.length)
    // A stock change in Odoo reaches Amazon, bol.com and Shopify as the formula's figure.
    const p = demo.products[0]!
    demo.sims.odoo.store.applyInventory(p.id, demo.locationIds[0]!, 37)
    const listing = (channel: string) =>
      (
        rt.db
          .prepare('SELECT listing_id AS l FROM sku_mappings WHERE channel_id = ? AND product_id = ?')
          .get(channel, p.id) as { l: string }
      ).l
    await until('Amazon to show the new figure', () => {
      const x = engine.explain('demo-amazon', listing('demo-amazon'))
      return x !== null && demo.sims.amazon.quantityOf(p.sku) === x.quantity && x.explanation.includes('free')
    })
    const free = demo.sims.odoo.store.stockOf(p.id, demo.locationIds).free
    const x = engine.explain('demo-amazon', listing('demo-amazon'))!
    expect(x.explanation).toMatch(new RegExp(`^published ${x.quantity} = free ${free}`))
    await until('Shopify to show the figure', () => {
      const gid = listing('demo-shopify')
      return demo.sims.shopify.available(gid) === engine.explain('demo-shopify', gid)?.quantity
    })
  }, 90_000)
})
