// Builds a world for engine tests: a real SQLite file, the in-process Odoo model, one generic channel
// simulator per channel over loopback HTTP, the mappings between them, and engines on that file.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChannelAdapter, ChannelCapabilities } from '../../../main/core/ports/channel-adapter'
import type { Clock } from '../../../main/core/ports/clock'
import { openDatabase, type Database } from '../../../main/node/db/database'
import { createGenericAdapter } from '../../../main/sandbox/channels/generic/generic-adapter'
import { createEngine, type Engine, type EngineOptions } from '../../../main/node/engine'
import {
  startGenericSimulator,
  type GenericSimOptions,
  type GenericSimulator,
} from '../../../main/sandbox/channels/generic'
import { MemoryOdoo } from '../../../main/sandbox/stand-ins/memory-odoo'

export interface ChannelSpec {
  id: string
  type?: 'bol' | 'amazon' | 'kaufland' | 'zalando' | 'ebay' | 'shopify' | 'woocommerce'
  zeroAction?: 'push_zero' | 'pause'
  basis?: 'free' | 'on_hand' | 'forecast'
  maxPublished?: number | null
  zeroBelow?: number | null
  orderImport?: boolean
  sim?: GenericSimOptions
  caps?: Partial<ChannelCapabilities>
}

export interface World {
  dir: string
  file: string
  db: Database
  odoo: MemoryOdoo
  sims: Map<string, GenericSimulator>
  adapters: Map<string, ChannelAdapter>
  engine: Engine
  /** A new engine on the same database file (after a crash or a stop). */
  restart(): Engine
  close(): Promise<void>
}

export const FAST: Partial<EngineOptions> = {
  pollIntervalMs: 3_600_000,
  orderPollIntervalMs: 3_600_000,
  fullRecomputeSchedule: null,
  reconcileSchedule: null,
  confirmIntervalMs: 20,
  backoff: { baseMs: 10, maxMs: 60 },
  drainTimeoutMs: 3000,
  firstPushGuard: false,
}

export async function makeWorld(opts: {
  channels: ChannelSpec[]
  /** productId -> initial stock in WH/Stock */
  products: Record<number, number>
  engine?: Partial<EngineOptions>
  /** The engines' clock (default the system's). */
  clock?: Clock
}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'lastunit-engine-'))
  const file = join(dir, 'lastunit.db')
  const db = openDatabase(file)
  const odoo = new MemoryOdoo()
  const sims = new Map<string, GenericSimulator>()
  const adapters = new Map<string, ChannelAdapter>()
  const ids = Object.keys(opts.products).map(Number)
  for (const id of ids) {
    odoo.addProduct(id, `SKU-${id}`, `EAN-${id}`)
    const qty = opts.products[id]!
    if (qty > 0) odoo.receive(id, qty)
  }
  for (const c of opts.channels) {
    const sim = await startGenericSimulator({
      ...c.sim,
      listings: ids.map((id) => ({ listingId: `${c.id}-${id}`, sku: `SKU-${id}`, quantity: 0 })),
    })
    sims.set(c.id, sim)
    adapters.set(
      c.id,
      createGenericAdapter({
        type: c.type ?? 'bol',
        baseUrl: sim.url,
        token: sim.token,
        timeoutMs: 5000,
        capabilities: { orderPollIntervalMs: 3_600_000, ...c.caps },
      }),
    )
    db.prepare(
      `INSERT INTO channels (id, type, name, base_url, state, zero_stock_action, stock_basis, max_published, zero_below, order_import)
       VALUES (?, ?, ?, ?, 'live', ?, ?, ?, ?, ?)`,
    ).run(
      c.id,
      c.type ?? 'bol',
      c.id,
      sim.url,
      c.zeroAction ?? 'push_zero',
      c.basis ?? 'free',
      c.maxPublished ?? null,
      c.zeroBelow ?? null,
      c.orderImport === false ? 0 : 1,
    )
    for (const id of ids)
      db.prepare(
        'INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES (?, ?, ?, ?)',
      ).run(c.id, `${c.id}-${id}`, id, 'sku')
  }
  const options = { ...FAST, ...opts.engine }
  const world: World = {
    dir,
    file,
    db,
    odoo,
    sims,
    adapters,
    engine: createEngine({ db, odoo, adapters, options, ...(opts.clock ? { clock: opts.clock } : {}) }),
    restart() {
      world.engine = createEngine({
        db: world.db,
        odoo,
        adapters,
        options,
        ...(opts.clock ? { clock: opts.clock } : {}),
      })
      return world.engine
    },
    async close() {
      await world.engine.stop({ drain: false })
      for (const s of sims.values()) await s.stop()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return world
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function until(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}
