import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { openDatabase } from '../../../main/node/db/database'
import { Runtime } from '../../../main/node/runtime/runtime'
import { createKeyVault } from '../../../main/node/secrets/key-vault'
import { vaultSalt } from '../../../main/node/secrets/vault-salt'
import { startDemoEnvironment, type DemoEnvironment } from '../../../main/sandbox/demo-env'
import { startShopifySimulator } from '../../../main/sandbox/channels/shopify'
import { getChannel, setChannelState, upsertChannel } from '../../../main/node/db/repos/channels'
import { storeCredential } from '../../../main/node/db/repos/credentials'
import { setChannelLocations } from '../../../main/node/db/repos/location-rules'
import { putMapping } from '../../../main/node/db/repos/mappings'
import { recentSyncLog } from '../../../main/node/db/repos/sync-log'
import {
  formatChecklist,
  goLive,
  runChannelReturnTest,
  runChannelZeroStockTest,
  runChecklist,
  runChecklistCommand,
  type ChecklistDeps,
} from '../../../main/node/checklist'
import { tempDir, TEST_PASSPHRASE } from '../../helpers/app'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const until = async (what: string, ok: () => boolean, timeoutMs = 30_000) => {
  const end = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A delivered sale in Odoo, so that a return of it can be processed later. */
function deliver(demo: DemoEnvironment, productId: number): number {
  const store = demo.sims.odoo.store
  const wh = demo.sims.odoo.catalogue!.warehouses[0]!
  store.applyInventory(productId, wh.lotStockId, 10)
  const so = store.createSaleOrder({
    partnerId: demo.sims.odoo.catalogue!.customerPartnerId,
    warehouseId: wh.id,
    clientOrderRef: false,
    lines: [{ productId, qty: 1, price: 10 }],
  })
  store.confirmSaleOrder(so.id)
  const picking = [...store.pickings.values()].find((p) => p.saleId === so.id && p.kind === 'outgoing')!
  expect(store.validatePicking(picking.id, {})).toBe(true)
  return picking.id
}

describe('pre-launch checklist on the simulators', () => {
  it('a new channel fails on an unmapped SKU and double counting, is fixed, passes the zero-stock test and goes live', async () => {
    const { dir, cleanup } = tempDir()
    const db = openDatabase(join(dir, 'lastunit.db'))
    const vault = createKeyVault(TEST_PASSPHRASE, vaultSalt(db))
    cleanups.push(cleanup, () => void db.close())
    const demo = await startDemoEnvironment({ db, vault, products: 12 })
    cleanups.push(() => demo.stop())
    // Three live channels keep the test quick; the others are switched off.
    for (const t of ['amazon', 'zalando', 'kaufland', 'ebay'] as const)
      setChannelState(db, demo.channelIds[t], 'disabled')

    // The new channel: a second Shopify store with five known products and one SKU Odoo does not have.
    const shop = await startShopifySimulator({})
    cleanups.push(() => shop.stop())
    expect(demo.products.length).toBeGreaterThan(5)
    const known = demo.products.slice(0, 5)
    shop.setProducts([
      ...known.map((p) => ({ title: p.name, variants: [{ sku: p.sku, barcode: p.ean, available: 3 }] })),
      { title: 'Ghost hoodie', variants: [{ sku: 'GHOST-1', barcode: '0000000000017', available: 2 }] },
    ])
    const cat = demo.sims.odoo.catalogue!
    const wh1Stock = cat.warehouses[0]!.lotStockId
    upsertChannel(db, {
      id: 'shop-new',
      type: 'shopify',
      name: 'New shop',
      baseUrl: shop.url,
      environment: 'custom',
      settings: { locationId: shop.locationId },
      stockBasis: 'free',
      zeroStockAction: 'push_zero',
      orderImport: false,
      odooPartnerId: cat.customerPartnerId,
      odooWarehouseId: cat.warehouses[0]!.id,
      maxPublished: null,
      zeroBelow: null,
    })
    storeCredential(db, vault, 'channel:shop-new', 'accessToken', shop.accessToken)
    // WH1/Stock and its own shelf: the shelf's units would be counted twice.
    setChannelLocations(db, 'shop-new', [wh1Stock, cat.shelfId])
    expect(getChannel(db, 'shop-new')!.state).toBe('setup')

    const adapterOptions = { rateScale: 20, timeoutMs: 10_000 }
    const rt = new Runtime({
      db,
      vault,
      dataDir: dir,
      host: 'cli',
      version: 'test',
      adapterOptions,
      engineOptions: {
        pollIntervalMs: 300,
        orderPollIntervalMs: 600_000,
        firstPushGuard: false,
        confirmIntervalMs: 300,
        fullRecomputeSchedule: null,
        reconcileSchedule: null,
      },
    })
    cleanups.push(() => rt.stop())
    await rt.start()
    const engine = rt.engine()!
    expect(engine).not.toBeNull()
    await rt.refreshListings()
    const live = [demo.channelIds.bol, demo.channelIds.shopify, demo.channelIds.woocommerce]
    await until('the live channels to confirm pushes', () =>
      live.every((id) => engine.status().channels.find((c) => c.channelId === id)?.lastConfirmedAt != null),
    )
    await engine.idle(15_000)

    const deps: ChecklistDeps = { db, engine, vault, adapterOptions, readBackGapMs: 300 }
    const first = await runChecklist(deps, 'shop-new')
    const by = (id: string) => first.results.find((r) => r.id === id)!
    expect(by('skus_mapped')).toMatchObject({ status: 'fail', screen: 'mapping' })
    expect(by('skus_mapped').evidence).toBe('1 of 6 listings are not mapped to an Odoo product: GHOST-1.')
    expect(by('skus_mapped').fix).toMatch(/map GHOST-1 to their Odoo products/)
    expect(by('warehouses')).toMatchObject({ status: 'fail', screen: 'warehouses' })
    expect(by('warehouses').evidence).toContain('WH/Stock/Shelf 1 is counted twice')
    expect(by('warehouses').fix).toMatch(/untick WH\/Stock\/Shelf 1 and save/)
    expect(by('single_source').status).toBe('pass')
    expect(by('sync_active').status, by('sync_active').evidence).toBe('pass')
    expect(by('buffers').status, by('buffers').evidence).toBe('pass')
    expect(by('zero_stock').status).toBe('not_run')
    expect(by('return_restock').status).toBe('not_run')
    // Stored with their time.
    const stored = db
      .prepare("SELECT check_id, status, checked_at FROM checklist_results WHERE channel_id = 'shop-new'")
      .all() as Array<{ check_id: string; status: string; checked_at: number }>
    expect(stored).toHaveLength(7)
    expect(stored.find((r) => r.check_id === 'skus_mapped')).toMatchObject({ status: 'fail' })

    // The command prints the same results and exits non-zero.
    const out: string[] = []
    const code = await runChecklistCommand(['shop-new'], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      deps,
    })
    expect(code).toBe(1)
    const heads = (lines: string[]) => lines.filter((l) => /^\d\. \[/.test(l))
    expect(heads(out)).toEqual(heads(formatChecklist(first)))
    expect(out).toContain('   1 of 6 listings are not mapped to an Odoo product: GHOST-1.')

    // Going live is refused while checks fail.
    const refused = await goLive(deps, 'shop-new')
    expect(refused.live).toBe(false)
    expect(refused.blocking.map((r) => r.id)).toEqual(
      expect.arrayContaining(['skus_mapped', 'warehouses', 'zero_stock', 'return_restock']),
    )
    expect(getChannel(db, 'shop-new')!.state).toBe('setup')

    // Fix: map the ghost listing by hand, keep only WH1/Stock.
    const ghost = db
      .prepare("SELECT listing_id AS id FROM listings WHERE channel_id = 'shop-new' AND sku = 'GHOST-1'")
      .get() as {
      id: string
    }
    putMapping(db, {
      channelId: 'shop-new',
      listingId: ghost.id,
      productId: demo.products.at(-1)!.id,
      source: 'manual',
    })
    setChannelLocations(db, 'shop-new', [wh1Stock])

    // A test on a listing the channel does not have fails, and the checklist shows it with the fix.
    const bad = await runChannelZeroStockTest(deps, 'shop-new', {
      listingId: 'gid://shopify/ProductVariant/999999',
      timeoutMs: 2000,
    })
    expect(bad.passed).toBe(false)
    const afterBad = (await runChecklist(deps, 'shop-new')).results.find((r) => r.id === 'zero_stock')!
    expect(afterBad.status).toBe('fail')
    expect(afterBad.evidence).toMatch(
      /^Zero-stock test on listing gid:\/\/shopify\/ProductVariant\/999999 failed/,
    )
    expect(afterBad.fix).toMatch(/Run the zero-stock test/)
    db.prepare("DELETE FROM sync_log WHERE kind = 'checklist' AND status = 'zero_stock'").run()

    // The zero-stock test against the channel simulator: to 0, read back, restored; each step logged.
    const listing = db
      .prepare("SELECT listing_id AS id FROM sku_mappings WHERE channel_id = 'shop-new' AND product_id = ?")
      .get(known[0]!.id) as { id: string }
    const zero = await runChannelZeroStockTest(deps, 'shop-new', { listingId: listing.id, timeoutMs: 10_000 })
    expect(zero.passed, zero.steps.join('\n')).toBe(true)
    expect(shop.available(listing.id)).toBe(3)
    const logged = recentSyncLog(db, { channelId: 'shop-new', kind: 'checklist' })
      .map((e) => e.message)
      .reverse()
    expect(logged).toEqual([
      expect.stringContaining('New shop stays in setup'),
      `zero-stock test: listing ${listing.id} shows 3 before the test`,
      `zero-stock test: pushed 0 to listing ${listing.id}`,
      expect.stringMatching(/^zero-stock test: read back: listing .* shows 0/),
      `zero-stock test: restored listing ${listing.id} to 3 and read it back`,
    ])

    // The return test: a delivered unit comes back in Odoo and reaches every live channel.
    const product = known[1]!.id
    const picking = deliver(demo, product)
    await engine.pollOdoo()
    await engine.idle(15_000)
    const ret = await runChannelReturnTest(deps, 'shop-new', {
      productId: product,
      timeoutMs: 20_000,
      performReturn: () => {
        const store = demo.sims.odoo.store
        store.validateIncoming(store.returnPicking(picking, new Map([[product, 1]])))
      },
    })
    expect(ret.passed, ret.steps.join('\n')).toBe(true)
    expect(ret.result.evidence).toMatch(/seen and pushed to every live channel/)

    const ok = await goLive(deps, 'shop-new')
    expect(ok.message).toBe('New shop is live: every check passes.')
    expect(ok.live).toBe(true)
    expect(ok.run.results.every((r) => r.status === 'pass')).toBe(true)
    expect(getChannel(db, 'shop-new')!.state).toBe('live')
    expect(recentSyncLog(db, { channelId: 'shop-new', kind: 'checklist', limit: 1 })[0]).toMatchObject({
      status: 'go_live',
    })
    // Live now, the engine syncs it.
    await until('the engine to sync the new channel', () =>
      engine.status().channels.some((c) => c.channelId === 'shop-new'),
    )
  }, 120_000)
})
