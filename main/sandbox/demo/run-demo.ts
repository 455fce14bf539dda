// `lastunit demo`: the engine against the Odoo simulator and a simulator of every channel type, with a
// synthetic stream of stock moves and orders, printing the live log and ending with a summary.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CHANNEL_LABELS, CHANNEL_TYPES } from '../../core/channel-types'
import type { ChannelAdapter } from '../../core/ports/channel-adapter'
import { createGenericAdapter } from '../channels/generic/generic-adapter'
import { openDatabase } from '../../node/db/database'
import { upsertChannel } from '../../node/db/repos/channels'
import { insertMapping } from '../../node/db/repos/mappings'
import { createEngine, type EngineEvent } from '../../node/engine'
import { createOdooGateway } from '../../node/odoo/create-odoo-gateway'
import { startGenericSimulator, type GenericSimulator } from '../channels/generic'
import { seededRandom } from '../odoo/demo-catalogue'
import { startOdooSim } from '../odoo/odoo-sim'
import { CHANNEL_PROFILES } from './channel-profiles'
import { PropagationTracker } from './propagation-tracker'

export interface DemoOptions {
  durationMs: number
  onLog?: (line: string) => void
  /** Products in the Odoo catalogue (default 60). */
  products?: number
  seed?: number
  pollIntervalMs?: number
  /** Synthetic events per second (default 4). */
  eventsPerSecond?: number
}

export interface DemoChannelSummary {
  channelId: string
  type: string
  simulator: 'generic'
  pushes: number
  apiCalls: number
  latencyP50Ms: number | null
  latencyP99Ms: number | null
}

export interface DemoSummary {
  durationMs: number
  /** Odoo products whose stock changes the engine picked up. */
  changesSeen: number
  stockMoves: number
  orders: number
  cancellations: number
  /** Listing updates the channels applied. */
  pushes: number
  /** From a change (stock move or order) to a channel showing it. */
  latencyP50Ms: number | null
  latencyP99Ms: number | null
  olderAfterNewer: number
  errors: number
  channels: DemoChannelSummary[]
}

const time = (at: number) => new Date(at).toISOString().slice(11, 23)

export async function runDemo(opts: DemoOptions): Promise<DemoSummary> {
  if (!(Number.isFinite(opts.durationMs) && opts.durationMs > 0))
    throw new RangeError(`runDemo: durationMs must be a number > 0, got ${String(opts.durationMs)}`)
  const say = opts.onLog ?? (() => undefined)
  const rnd = seededRandom(opts.seed ?? 7)
  const productCount = opts.products ?? 60
  const dir = mkdtempSync(join(tmpdir(), 'lastunit-demo-'))
  const db = openDatabase(join(dir, 'demo.db'))
  const odooSim = await startOdooSim({ version: 18, catalogue: { products: productCount, historyDays: 7 } })
  const sims = new Map<string, GenericSimulator>()
  const tracker = new PropagationTracker()
  let errors = 0
  try {
    const odoo = await createOdooGateway({
      url: odooSim.url,
      database: odooSim.database,
      login: odooSim.login,
      secret: odooSim.apiKey,
      allowInsecureHttp: true,
    })
    const products = (await odoo.listProducts()).filter((p) => p.active && p.defaultCode?.startsWith('LU-0'))
    const adapters = new Map<string, ChannelAdapter>()
    for (const type of CHANNEL_TYPES) {
      const profile = CHANNEL_PROFILES[type]
      const sim = await startGenericSimulator({
        name: `${type} (generic)`,
        listings: products.map((p) => ({ listingId: `${type}-${p.defaultCode}`, sku: p.defaultCode })),
        maxBatch: profile.capabilities.bulkBatchSize,
        asyncAcceptance: profile.capabilities.asyncConfirmation,
        acceptDelayMs: profile.acceptDelayMs,
        rateLimit: {
          ratePerSecond: profile.capabilities.rateLimits[0]!.ratePerSecond,
          burst: profile.capabilities.rateLimits[0]!.burst,
        },
        onApply: (listingId, quantity) =>
          tracker.applied(type, listingId.slice(type.length + 1), Date.now(), quantity),
      })
      sims.set(type, sim)
      adapters.set(
        type,
        createGenericAdapter({
          type,
          baseUrl: sim.url,
          token: sim.token,
          capabilities: profile.capabilities,
        }),
      )
      // The table's defaults for everything the demo does not set.
      upsertChannel(db, {
        id: type,
        type,
        name: `${CHANNEL_LABELS[type]} (demo)`,
        baseUrl: sim.url,
        environment: 'production',
        settings: {},
        stockBasis: 'free',
        zeroStockAction: profile.zeroAction,
        orderImport: true,
        odooPartnerId: null,
        odooWarehouseId: null,
        maxPublished: null,
        zeroBelow: null,
        state: 'live',
      })
      for (const p of products)
        insertMapping(db, {
          channelId: type,
          listingId: `${type}-${p.defaultCode}`,
          productId: p.id,
          source: 'sku',
        })
    }
    say(
      `${time(Date.now())} demo: Odoo 18 simulator with ${products.length} products, ${sims.size} channels: ${[...sims.keys()].join(', ')}`,
    )
    const engine = createEngine({
      db,
      odoo,
      adapters,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      options: {
        pollIntervalMs: opts.pollIntervalMs ?? 1000,
        orderPollIntervalMs: 1000,
        firstPushGuard: false,
        confirmIntervalMs: 250,
      },
    })
    const pushCounts = new Map<string, number>()
    engine.subscribe((e: EngineEvent) => {
      if (e.type === 'push' && (e.status === 'confirmed' || e.status === 'accepted'))
        pushCounts.set(e.channelId, (pushCounts.get(e.channelId) ?? 0) + 1)
      if (e.type === 'log' && e.entry.level !== 'debug' && e.entry.kind !== 'push') {
        if (e.entry.level === 'error') errors++
        say(
          `${time(e.entry.at)} ${e.entry.level.padEnd(5)} ${e.entry.kind.padEnd(8)} ${e.entry.channelId ? `${e.entry.channelId}: ` : ''}${e.entry.message}`,
        )
      }
      if (e.type === 'log' && e.entry.kind === 'push' && e.entry.level === 'warn')
        say(
          `${time(e.entry.at)} warn  push     ${e.entry.channelId}: ${e.entry.listingId} ${e.entry.message}`,
        )
      if (e.type === 'alert') say(`${time(Date.now())} ALERT ${e.kind}: ${e.message}`)
    })
    const tick = setInterval(() => {
      if (pushCounts.size === 0) return
      say(`${time(Date.now())} info  pushes   ${[...pushCounts].map(([c, n]) => `${c} ${n}`).join(', ')}`)
      pushCounts.clear()
    }, 1000)
    const started = Date.now()
    await engine.start()

    // The synthetic market: stock moves in Odoo and orders on the channels.
    const store = odooSim.store
    const locations = [
      odooSim.catalogue!.warehouses[0]!.lotStockId,
      odooSim.catalogue!.shelfId,
      odooSim.catalogue!.warehouses[1]!.lotStockId,
    ]
    const openOrders: Array<{ type: string; orderId: string }> = []
    let stockMoves = 0
    let orders = 0
    let cancellations = 0
    const shows = (sku: string) => (type: string) =>
      sims.get(type)?.listing(`${type}-${sku}`)?.quantity ?? null
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
    const event = () => {
      const r = rnd()
      const p = pick(products)
      try {
        if (r < 0.45) {
          const loc = pick(locations)
          const before = store.stockOf(p.id, locations).free
          if (r < 0.2) store.receive(p.id, loc, 1 + Math.floor(rnd() * 10))
          else if (r < 0.35 && store.stockOf(p.id, [loc]).free > 0) store.scrap(p.id, loc, 1)
          else store.applyInventory(p.id, loc, Math.floor(rnd() * 30))
          stockMoves++
          // Only a change of the figure is something a channel can show.
          if (store.stockOf(p.id, locations).free !== before)
            tracker.changed(p.defaultCode!, Date.now(), CHANNEL_TYPES, shows(p.defaultCode!))
          say(
            `${time(Date.now())} odoo  move     ${p.defaultCode}: stock now ${store.stockOf(p.id, locations).free} free`,
          )
        } else if (r < 0.9) {
          const type = pick(CHANNEL_TYPES)
          const sim = sims.get(type)!
          const listing = sim.listing(`${type}-${p.defaultCode}`)
          if (!listing || listing.quantity < 1 || !listing.available) return
          const o = sim.createOrder({ listingId: listing.listingId, quantity: 1 })
          openOrders.push({ type, orderId: o.orderId })
          orders++
          tracker.changed(
            p.defaultCode!,
            Date.now(),
            CHANNEL_TYPES.filter((t) => t !== type),
          )
          say(`${time(Date.now())} order    ${type}: ${o.orderId} 1 x ${p.defaultCode}`)
        } else if (openOrders.length > 0) {
          const o = openOrders.splice(Math.floor(rnd() * openOrders.length), 1)[0]!
          sims.get(o.type)!.cancelOrder(o.orderId)
          cancellations++
          say(`${time(Date.now())} order    ${o.type}: ${o.orderId} cancelled`)
        }
      } catch (e) {
        errors++
        say(`${time(Date.now())} error    demo event failed: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
    const perSecond = opts.eventsPerSecond ?? 4
    const market = setInterval(event, Math.max(20, Math.round(1000 / perSecond)))
    await new Promise((r) => setTimeout(r, Math.max(0, opts.durationMs - (Date.now() - started))))
    clearInterval(market)
    await engine.stop()
    clearInterval(tick)
    const status = engine.status()
    const lat = tracker.percentiles()
    const summary: DemoSummary = {
      durationMs: Date.now() - started,
      changesSeen: status.odoo.changesSeen,
      stockMoves,
      orders,
      cancellations,
      pushes: [...sims.values()].reduce((n, s) => n + s.listings().reduce((m, l) => m + l.updates, 0), 0),
      latencyP50Ms: lat.p50,
      latencyP99Ms: lat.p99,
      olderAfterNewer: [...sims.values()].reduce((n, s) => n + s.violations.length, 0),
      errors,
      channels: status.channels.map((c) => ({
        channelId: c.channelId,
        type: c.type,
        simulator: 'generic' as const,
        pushes: c.pushes,
        apiCalls: c.apiCalls,
        latencyP50Ms: c.latencyP50Ms,
        latencyP99Ms: c.latencyP99Ms,
      })),
    }
    await odoo.close()
    return summary
  } finally {
    for (const s of sims.values()) await s.stop()
    await odooSim.stop()
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The summary as the CLI prints it. */
export function formatDemoSummary(s: DemoSummary): string {
  const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`)
  const lines = [
    `Demo finished after ${(s.durationMs / 1000).toFixed(1)} s`,
    `  stock moves ${s.stockMoves}, orders ${s.orders}, cancellations ${s.cancellations}`,
    `  changes seen ${s.changesSeen}, listing updates applied ${s.pushes}`,
    `  latency change -> channel: p50 ${ms(s.latencyP50Ms)}, p99 ${ms(s.latencyP99Ms)}`,
    `  older value after newer: ${s.olderAfterNewer}, errors: ${s.errors}`,
    '  channel       pushes  calls  p50      p99',
    ...s.channels.map(
      (c) =>
        `  ${c.channelId.padEnd(12)} ${String(c.pushes).padStart(7)} ${String(c.apiCalls).padStart(6)}  ${ms(c.latencyP50Ms).padEnd(8)} ${ms(c.latencyP99Ms)}`,
    ),
  ]
  return lines.join('\n')
}
