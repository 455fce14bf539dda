// A seller's setup through the real configuration path: a data folder with a database, the Odoo
// connection and one WooCommerce channel (the simulator over loopback) stored as the app stores them, and
// the Runtime every host starts. The Odoo side is any Odoo: the simulator in CI, a real server where one
// runs (test/real-odoo).
import { join } from 'node:path'
import { openDatabase, type Database } from '../../main/node/db/database'
import { setChannelState, upsertChannel } from '../../main/node/db/repos/channels'
import { storeCredential } from '../../main/node/db/repos/credentials'
import { saveOdooConnection } from '../../main/node/db/repos/odoo-connection'
import type { EngineOptions } from '../../main/node/engine'
import { Runtime } from '../../main/node/runtime/runtime'
import { createKeyVault } from '../../main/node/secrets/key-vault'
import { vaultSalt } from '../../main/node/secrets/vault-salt'
import { startWooCommerceSimulator, type WooSimulator } from '../../main/sandbox/channels/woocommerce'
import { tempDir, TEST_PASSPHRASE } from './app'

export interface OdooAccess {
  url: string
  database: string
  login: string
  apiKey: string
}

export interface ShopProduct {
  sku: string
  /** What the shop shows before LastUnit pushes (the first-push guard compares with it). */
  stock: number
}

export interface ShopWorld {
  dir: string
  db: Database
  runtime: Runtime
  shop: WooSimulator
  channelId: string
  /** The shop's listing id per SKU. */
  listingOf: Map<string, string>
  /** What the shop shows for a SKU now. */
  shown(sku: string): number | null
  close(): Promise<void>
}

export async function makeShopWorld(opts: {
  odoo: OdooAccess
  products: ShopProduct[]
  pollIntervalMs?: number
  /** Locations whose stock counts (default: the warehouses' stock locations). */
  locationIds?: number[]
  orderImport?: boolean
  odooPartnerId?: number | null
  engineOptions?: Partial<EngineOptions>
  /** Unique per run where the Odoo database outlives the test (client_order_ref carries it). */
  channelId?: string
}): Promise<ShopWorld> {
  const { dir, cleanup } = tempDir()
  const db = openDatabase(join(dir, 'lastunit.db'))
  const vault = createKeyVault(TEST_PASSPHRASE, vaultSalt(db))
  const shop = await startWooCommerceSimulator({})
  const ids = shop.setProducts(
    opts.products.map((p) => ({ name: p.sku, sku: p.sku, stock: p.stock, manageStock: true })),
  )
  const listingOf = new Map(opts.products.map((p, i) => [p.sku, ids[i]!]))
  const channelId = opts.channelId ?? 'shop'
  db.transaction(() => {
    saveOdooConnection(db, {
      url: opts.odoo.url,
      database: opts.odoo.database,
      username: opts.odoo.login,
      transport: 'auto',
      allowInsecureHttp: false,
      timeoutMs: 30_000,
      pollIntervalMs: opts.pollIntervalMs ?? 5000,
    })
    storeCredential(db, vault, 'odoo', 'apiKey', opts.odoo.apiKey)
    upsertChannel(db, {
      id: channelId,
      type: 'woocommerce',
      name: 'Shop',
      baseUrl: shop.url,
      environment: 'custom',
      settings: {},
      stockBasis: 'free',
      zeroStockAction: 'push_zero',
      orderImport: opts.orderImport ?? false,
      odooPartnerId: opts.odooPartnerId ?? null,
      odooWarehouseId: null,
      maxPublished: null,
      zeroBelow: null,
      state: 'setup',
    })
    storeCredential(db, vault, `channel:${channelId}`, 'consumerKey', shop.consumerKey)
    storeCredential(db, vault, `channel:${channelId}`, 'consumerSecret', shop.consumerSecret)
    if (opts.locationIds)
      for (const l of opts.locationIds)
        db.prepare('INSERT INTO location_rules (channel_id, location_id) VALUES (?, ?)').run(channelId, l)
  })()
  const runtime = new Runtime({
    db,
    vault,
    dataDir: dir,
    host: 'cli',
    version: 'test',
    ...(opts.engineOptions ? { engineOptions: opts.engineOptions } : {}),
  })
  await runtime.start()
  // Fetch and auto-map the shop's listings as the seller does, then go live.
  await runtime.refreshListings(channelId)
  setChannelState(db, channelId, 'live')
  await runtime.checkConfigNow()
  const world: ShopWorld = {
    dir,
    db,
    runtime,
    shop,
    channelId,
    listingOf,
    shown: (sku) => shop.stock(listingOf.get(sku)!)?.stock_quantity ?? null,
    async close() {
      await world.runtime.stop()
      await shop.stop()
      db.close()
      cleanup()
    },
  }
  return world
}

/** Waits for a condition, checking every 50 ms; the timeout is generous: only a failure takes that long. */
export async function eventually(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs
  for (;;) {
    if (await ok()) return
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
