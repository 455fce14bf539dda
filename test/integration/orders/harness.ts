// A world for order tests: a real SQLite file configured by the demo environment against the Odoo
// simulator and the real simulator of every channel type over loopback, listings mapped by SKU/EAN,
// an engine and an order importer on that file, and per-type helpers to buy, cancel and read what each
// channel shows.
import { settleInDoubtOrders } from '../../../main/node/orders/settle-in-doubt'
import { join } from 'node:path'
import { openDatabase, type Database } from '../../../main/node/db/database'
import { upsertProducts } from '../../../main/node/db/repos/products'
import { listChannels } from '../../../main/node/db/repos/channels'
import { readCredentials } from '../../../main/node/db/repos/credentials'
import { createEngine, type Engine, type EngineOptions } from '../../../main/node/engine'
import { createOrderImporter, type OrderImporter } from '../../../main/node/orders'
import { createChannelAdapter } from '../../../main/node/runtime/channel-registry'
import { autoMapBySkuAndEan, fetchListings } from '../../../main/node/runtime/listings-sync'
import { odooGatewayFromStore } from '../../../main/node/runtime/odoo-from-store'
import { createKeyVault } from '../../../main/node/secrets/key-vault'
import { vaultSalt } from '../../../main/node/secrets/vault-salt'
import type { ChannelAdapter } from '../../../main/core/ports/channel-adapter'
import type { Clock } from '../../../main/core/ports/clock'
import type { OdooGateway } from '../../../main/core/ports/odoo-gateway'
import type { SecretVault } from '../../../main/core/ports/secret-vault'
import {
  startDemoEnvironment,
  type DemoEnvironment,
  type DemoProduct,
} from '../../../main/sandbox/demo-env/demo-environment'
import type { ChannelType } from '../../../shared/channel-types'
import { tempDir, TEST_PASSPHRASE } from '../../helpers/app'

export const ENGINE_FAST: Partial<EngineOptions> = {
  pollIntervalMs: 3_600_000,
  orderPollIntervalMs: 3_600_000,
  fullRecomputeSchedule: null,
  reconcileSchedule: null,
  confirmIntervalMs: 20,
  backoff: { baseMs: 10, maxMs: 60 },
  drainTimeoutMs: 3000,
  firstPushGuard: false,
}

export interface ChannelOps {
  id: string
  type: ChannelType
  /** What the channel shows buyers for the product right now, read from its simulator. */
  shown(p: DemoProduct): number
  /** Places an order in the simulator; returns the simulator's order handle. */
  buy(p: DemoProduct, qty: number): string
  /** Cancels the whole order. */
  cancel(handle: string): void
  /** Cancels `count` units of the order's only line, where the channel allows it. */
  cancelUnits(handle: string, count: number): void
}

export interface OrdersWorld {
  file: string
  db: Database
  vault: SecretVault
  demo: DemoEnvironment
  odoo: OdooGateway
  adapters: Map<string, ChannelAdapter>
  engine: Engine
  importer: OrderImporter
  ops: Map<ChannelType, ChannelOps>
  /** Odoo's stock in the demo's locations. */
  odooStock(p: DemoProduct): { onHand: number; reserved: number; free: number }
  /** Sets a product's stock: `qty` in the first demo location, none in the second. */
  setStock(p: DemoProduct, qty: number): void
  /** Sale orders in the Odoo simulator whose client_order_ref starts with the channel order's ref. */
  saleOrders(
    channelId: string,
    orderId: string,
  ): Array<{ id: number; state: string; lines: Array<[number, number]> }>
  /** A crash: engine and importer halted, the file reopened by a fresh engine and importer. */
  crashAndRestart(gateway?: OdooGateway): Promise<void>
  newImporter(gateway?: OdooGateway, clock?: Clock): OrderImporter
  close(): Promise<void>
}

export async function makeOrdersWorld(
  opts: { products?: number; odooVersion?: 17 | 18 | 19; clock?: Clock } = {},
): Promise<OrdersWorld> {
  const { dir, cleanup } = tempDir('lastunit-orders-')
  const file = join(dir, 'lastunit.db')
  let db = openDatabase(file)
  const vault = createKeyVault(TEST_PASSPHRASE, vaultSalt(db))
  const demo = await startDemoEnvironment({
    db,
    vault,
    products: opts.products ?? 3,
    timeScale: 200,
    ...(opts.odooVersion === undefined ? {} : { odooVersion: opts.odooVersion }),
  })
  const odoo = await odooGatewayFromStore(db, vault)
  upsertProducts(db, await odoo.listProducts())
  const adapters = new Map<string, ChannelAdapter>()
  for (const c of listChannels(db)) {
    const a = createChannelAdapter(c, readCredentials(db, vault, `channel:${c.id}`), {
      timeoutMs: 10_000,
      rateScale: 200,
    })
    adapters.set(c.id, a)
    await fetchListings(db, c.id, a)
    autoMapBySkuAndEan(db, c.id)
  }
  const store = demo.sims.odoo.store
  const locs = demo.locationIds
  const listingOf = (channelId: string, p: DemoProduct): string => {
    const r = db
      .prepare('SELECT listing_id FROM sku_mappings WHERE channel_id = ? AND product_id = ?')
      .get(channelId, p.id) as { listing_id: string } | undefined
    if (!r) throw new Error(`${channelId}: product ${p.id} is not mapped`)
    return r.listing_id
  }
  const s = demo.sims
  const ids = demo.channelIds
  const kauflandUnits = new Map<string, number[]>()
  const ops = new Map<ChannelType, ChannelOps>([
    [
      'amazon',
      {
        id: ids.amazon,
        type: 'amazon',
        shown: (p) => s.amazon.quantityOf(p.sku) ?? 0,
        buy: (p, q) => s.amazon.placeOrder({ items: [{ sku: p.sku, quantity: q, unitPrice: 10 }] }),
        cancel: (h) => s.amazon.cancelOrder(h),
        cancelUnits: () => {
          throw new Error('amazon cancels whole items only')
        },
      },
    ],
    [
      'bol',
      {
        id: ids.bol,
        type: 'bol',
        shown: (p) => {
          const o = s.bol.offer(listingOf(ids.bol, p))
          return !o || o.onHold ? 0 : o.amount
        },
        buy: (p, q) => s.bol.placeOrder([{ offerId: listingOf(ids.bol, p), quantity: q, unitPrice: 10 }]),
        cancel: (h) => s.bol.cancelItem(h, 0),
        cancelUnits: (h, n) => s.bol.cancelItem(h, 0, n),
      },
    ],
    [
      'ebay',
      {
        id: ids.ebay,
        type: 'ebay',
        shown: (p) => {
          const l = s.ebay.listing(p.sku)
          return !l || !l.published ? 0 : l.available
        },
        buy: (p, q) => s.ebay.placeOrder([{ sku: p.sku, quantity: q, price: 10 }]),
        cancel: (h) => s.ebay.cancelOrder(h),
        cancelUnits: () => {
          throw new Error('ebay cancels whole orders only')
        },
      },
    ],
    [
      'kaufland',
      {
        id: ids.kaufland,
        type: 'kaufland',
        shown: (p) => {
          const u = s.kaufland.unit(Number(listingOf(ids.kaufland, p)))
          return !u || u.status !== 'AVAILABLE' ? 0 : u.amount
        },
        buy: (p, q) => {
          const r = s.kaufland.placeOrder([{ id_unit: Number(listingOf(ids.kaufland, p)), quantity: q }])
          kauflandUnits.set(r.id_order, r.id_order_units)
          return r.id_order
        },
        cancel: (h) => {
          for (const u of kauflandUnits.get(h) ?? []) s.kaufland.cancelOrderUnit(u)
        },
        cancelUnits: (h, n) => {
          for (const u of (kauflandUnits.get(h) ?? []).slice(0, n)) s.kaufland.cancelOrderUnit(u)
        },
      },
    ],
    [
      'zalando',
      {
        id: ids.zalando,
        type: 'zalando',
        shown: (p) => {
          const o = s.zalando.offer(p.ean, s.zalando.salesChannelIds[0]!)
          return o.blocked ? 0 : (o.quantity ?? 0)
        },
        buy: (p, q) => s.zalando.placeOrder({ lines: [{ ean: p.ean, quantity: q, price: 10 }] }),
        cancel: (h) => {
          const o = zalandoLines.get(h)
          if (o) s.zalando.cancelLines(h, o.ean, o.qty)
        },
        cancelUnits: (h, n) => {
          const o = zalandoLines.get(h)
          if (o) s.zalando.cancelLines(h, o.ean, n)
        },
      },
    ],
    [
      'shopify',
      {
        id: ids.shopify,
        type: 'shopify',
        shown: (p) => s.shopify.available(listingOf(ids.shopify, p)) ?? 0,
        buy: (p, q) => s.shopify.placeOrder([{ variantId: listingOf(ids.shopify, p), quantity: q }]),
        cancel: (h) => s.shopify.cancelOrder(h),
        cancelUnits: (h, n) => s.shopify.removeUnits(h, 0, n),
      },
    ],
    [
      'woocommerce',
      {
        id: ids.woocommerce,
        type: 'woocommerce',
        shown: (p) => {
          const st = s.woocommerce.stock(listingOf(ids.woocommerce, p))
          return !st || st.status !== 'publish' ? 0 : (st.stock_quantity ?? 0)
        },
        buy: (p, q) =>
          String(s.woocommerce.placeOrder([{ listingId: listingOf(ids.woocommerce, p), quantity: q }])),
        cancel: (h) => s.woocommerce.setOrderStatus(Number(h), 'cancelled'),
        cancelUnits: (h, n) => s.woocommerce.refundUnits(Number(h), 0, n),
      },
    ],
  ])
  const zalandoLines = new Map<string, { ean: string; qty: number }>()
  const zBuy = ops.get('zalando')!.buy
  ops.get('zalando')!.buy = (p, q) => {
    const h = zBuy(p, q)
    zalandoLines.set(h, { ean: p.ean, qty: q })
    return h
  }

  let gateway: OdooGateway = odoo
  const newImporter = (gw?: OdooGateway, clock?: Clock): OrderImporter => {
    const c = clock ?? opts.clock
    return createOrderImporter({
      db: world.db,
      odoo: gw ?? gateway,
      engine: world.engine,
      options: { retryIntervalMs: 3_600_000, callTimeoutMs: 5000 },
      ...(c ? { clock: c } : {}),
    })
  }
  const world: OrdersWorld = {
    file,
    db,
    vault,
    demo,
    odoo,
    adapters,
    engine: createEngine({ db, odoo, adapters, options: ENGINE_FAST }),
    importer: null as unknown as OrderImporter,
    ops,
    odooStock: (p) => store.stockOf(p.id, locs),
    setStock(p, qty) {
      // The demo catalogue has stock in sub-locations and open sale orders reserving it: clear both.
      for (const so of store.saleOrders.values())
        if (
          (so.state === 'sale' || so.state === 'draft') &&
          so.lineIds.some((l) => store.saleLines.get(l)?.productId === p.id)
        )
          store.cancelSaleOrder(so.id)
      const inside = store.internalUnder(locs)
      const at = new Set(
        [...store.quants.values()]
          .filter((q) => q.productId === p.id && inside.has(q.locationId))
          .map((q) => q.locationId),
      )
      for (const l of at) store.applyInventory(p.id, l, 0)
      store.applyInventory(p.id, locs[0]!, qty)
      const now = store.stockOf(p.id, locs)
      if (now.free !== qty || now.onHand !== qty) throw new Error(`setStock: ${JSON.stringify(now)}`)
    },
    saleOrders(channelId, orderId) {
      const ref = `${channelId}:${orderId}`
      return [...store.saleOrders.values()]
        .filter((o) => o.clientOrderRef === ref || String(o.clientOrderRef).startsWith(`${ref}#`))
        .map((o) => ({
          id: o.id,
          state: o.state,
          lines: o.lineIds.map((lid) => {
            const l = store.saleLines.get(lid)!
            return [l.productId, l.productUomQty] as [number, number]
          }),
        }))
    },
    async crashAndRestart(gw) {
      world.importer.halt()
      world.engine.halt()
      db.close()
      db = openDatabase(file)
      world.db = db
      if (gw) gateway = gw
      // As the runtime does: orders confirmed in Odoo but not recorded are settled before the first read.
      await settleInDoubtOrders(db, gateway)
      world.engine = createEngine({ db, odoo: gateway, adapters, options: ENGINE_FAST })
      world.importer = newImporter()
      await world.engine.start()
    },
    newImporter,
    async close() {
      world.importer.halt()
      await world.engine.stop({ drain: false }).catch(() => undefined)
      await demo.stop()
      await odoo.close().catch(() => undefined)
      db.close()
      cleanup()
    },
  }
  world.importer = newImporter()
  return world
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function until(what: string, cond: () => boolean, timeoutMs = 5000): Promise<number> {
  const start = Date.now()
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
  return Date.now() - start
}

/** The engine's record of a channel's orders, newest last. */
export const ordersOf = (db: Database, channelId: string) =>
  db
    .prepare(
      'SELECT order_id, status, import_state, odoo_order_id, reserved_in_odoo_at FROM orders WHERE channel_id = ? ORDER BY seen_at, order_id',
    )
    .all(channelId) as Array<{
    order_id: string
    status: string
    import_state: string
    odoo_order_id: number | null
    reserved_in_odoo_at: number | null
  }>

export const pendingOf = (db: Database, productId: number): number =>
  (
    db
      .prepare('SELECT coalesce(sum(pending_quantity), 0) AS n FROM order_lines WHERE product_id = ?')
      .get(productId) as { n: number }
  ).n
