// npm run bench -- faults
// The fault campaign: the headless engine (`lastunit run`, a real child process) against the Odoo simulator
// and the seven channel simulators, for a compressed day of traffic on 10,000 SKUs, while faults of every
// kind are injected and the engine is killed with SIGKILL at random moments and restarted. At the end every
// listing must show the formula's figure, every order must be in Odoo exactly once, no figure may have
// reached a channel after a newer one, and no call may have broken a channel's limits.
//
// Honest by construction of what it counts: `kills` are SIGKILLs that ended an engine that was running and
// had synced (engine-process.ts says how that is seen); `faults_injected` lists every kind the campaign
// injects with the requests each actually hit (fault-plan.ts), and every kind must have hit at least one;
// every channel is rate limited (WooCommerce by a host limit) and every gateway judges arrival times; the
// expected figure of each listing uses every buffer scope, both stock bases and two kits (_faults-truth.ts);
// `duplicate_orders` also counts sale orders in Odoo that no placed order explains.
//
// Environment: FAULTS_SKUS (10000), FAULTS_KILLS (60: kills of a live, synced engine to reach), FAULTS_SEED
// (7), FAULTS_ODOO (19: JSON-2; 17 or 18: XML-RPC), FAULTS_WOO_HOST_RPS (8) and FAULTS_WOO_HOST_BURST (16):
// the host limit in front of the WooCommerce shop, requests per real second (the simulator's clock runs 20
// times faster, and so does the limit), FAULTS_KEEP=1 keeps the data directory.
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHANNEL_TYPES, type ChannelType } from '../shared/channel-types'
import type { BufferRule } from '../main/core/buffers/buffer-rules'
import { clientOrderRefFor } from '../main/core/odoo/client-order-ref'
import { KitBook } from '../main/core/stock/kit-book'
import type { StockBasis } from '../main/core/stock/published-quantity'
import { openDatabase } from '../main/node/db/database'
import { insertBufferRule } from '../main/node/db/repos/buffer-rules'
import { createOdooGateway } from '../main/node/odoo/create-odoo-gateway'
import { databaseFile } from '../main/node/app-info/paths'
import { createKeyVault } from '../main/node/secrets/key-vault'
import { vaultSalt, verifyVault } from '../main/node/secrets/vault-salt'
import { startDemoEnvironment, type DemoEnvironment } from '../main/sandbox/demo-env'
import { seededRandom } from '../main/sandbox/odoo/demo-catalogue'
import type { ChannelSimProbe } from '../main/sandbox/kit'
import type { SimServer } from '../main/sandbox/http/sim-server'
import { judgeSendOrder, type ReceivedSend, type TruthStep } from '../main/sandbox/fault-campaign/send-order'
import { EngineProcess, KILL_OUTCOMES, type KillOutcome } from '../main/sandbox/fault-campaign/engine-process'
import {
  FAULT_KINDS,
  FaultSchedule,
  faultConfigFor,
  injectedCounts,
  type FaultKind,
} from '../main/sandbox/fault-campaign/fault-plan'
import { auditOrders } from '../main/sandbox/fault-campaign/order-audit'
import { postMortem } from './_faults-post-mortem'
import { CampaignTruth, engineSeenAt, knownTruth } from './_faults-truth'

const SKUS = Number(process.env.FAULTS_SKUS ?? 10_000)
const KILLS = Number(process.env.FAULTS_KILLS ?? 60)
const SEED = Number(process.env.FAULTS_SEED ?? 7)
const ODOO_VERSION = Number(process.env.FAULTS_ODOO ?? 19) as 17 | 18 | 19
/** The simulators' clock runs this much faster, and `lastunit run --rate-scale` paces the adapters to it. */
const SCALE = 20
/** The global buffer rule (other scopes are set up beside it, see the rules below). */
const BUFFER = 1
const WOO_HOST = {
  ratePerSecond: Number(process.env.FAULTS_WOO_HOST_RPS ?? 8),
  burst: Number(process.env.FAULTS_WOO_HOST_BURST ?? 16),
}
/** The channel whose listings publish on-hand stock (every other channel publishes free stock). */
const ON_HAND_CHANNEL: ChannelType = 'shopify'
/** Traffic of the compressed day: Odoo receipts and marketplace orders per second. */
const RECEIPTS_PER_S = 4
const ORDERS_PER_S = 4
const SETTLE_TIMEOUT_MS = Number(process.env.FAULTS_SETTLE_S ?? 900) * 1000

const rnd = seededRandom(SEED)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
const now = () => Date.now()

interface PlacedOrder {
  channelId: string
  orderId: string
  productId: number
  quantity: number
  at: number
}

const listingKey = (channelId: string, productId: number) => `${channelId}|${productId}`
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

function probes(env: DemoEnvironment): Record<ChannelType, ChannelSimProbe> {
  return Object.fromEntries(CHANNEL_TYPES.map((t) => [t, env.sims[t].probe])) as Record<
    ChannelType,
    ChannelSimProbe
  >
}

function servers(env: DemoEnvironment): Record<ChannelType | 'odoo', SimServer> {
  return {
    odoo: env.sims.odoo.server,
    ...(Object.fromEntries(CHANNEL_TYPES.map((t) => [t, env.sims[t].server])) as Record<
      ChannelType,
      SimServer
    >),
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lastunit-faults-'))
  const key = randomBytes(24).toString('base64url')
  const logFile = join(dir, 'engine.log')
  const log = createWriteStream(logFile)
  // `lastunit` itself: the cached bundle of main/cli.ts, running in the spawned process (the kills reach it).
  const cli = fileURLToPath(new URL('../bin/lastunit.mjs', import.meta.url))
  const engineArgv = [process.execPath, cli, '--data-dir', dir, 'run', '--rate-scale', String(SCALE)]
  const engineEnv = { ...process.env, LASTUNIT_KEY: key }
  const t0 = now()
  // This process hosts every simulator: when its event loop stalls, requests queue up and reach a simulated
  // gateway together. The stalls are recorded to line them up with the simulators' 429s.
  const stalls: Array<{ end: number; ms: number }> = []
  let tick = performance.now()
  const stallMonitor = setInterval(() => {
    const t = performance.now()
    const lag = t - tick - 10
    if (lag > 25) stalls.push({ end: now(), ms: Math.round(lag) })
    tick = t
  }, 10)
  stallMonitor.unref()
  console.log(
    `fault campaign: ${SKUS} SKUs x 7 channels, ${KILLS} kills of a synced engine, seed ${SEED}, Odoo ${ODOO_VERSION}`,
  )
  console.log(`data directory ${dir}; engine output in ${logFile}`)

  // ---- the seller's setup, written the way the app writes it --------------------------------------------
  const db = openDatabase(databaseFile(dir))
  const vault = createKeyVault(key, vaultSalt(db))
  verifyVault(db, vault)
  const env = await startDemoEnvironment({
    db,
    vault,
    products: SKUS,
    seed: SEED,
    timeScale: SCALE,
    historyDays: 0,
    odooVersion: ODOO_VERSION,
    mrp: true,
    wooHostLimit: WOO_HOST,
  })
  let engine: EngineProcess | null = null
  /** When each engine process was spawned (to place refusals relative to restarts). */
  const starts: number[] = []
  try {
    const store = env.sims.odoo.store
    const probe = probes(env)
    const [loc0, loc1] = env.locationIds as [number, number]
    const bySku = new Map(env.products.map((p) => [p.sku, p.id]))
    const byEan = new Map(env.products.map((p) => [p.ean, p.id]))
    /** channel id -> listing id -> product, and back. */
    const productOf = new Map<string, Map<string, number>>()
    const listingOf = new Map<string, Map<number, string>>()
    for (const type of CHANNEL_TYPES) {
      const fwd = new Map<string, number>()
      const back = new Map<number, string>()
      for (const l of probe[type].listingIndex()) {
        const p = (l.sku ? bySku.get(l.sku) : undefined) ?? (l.ean ? byEan.get(l.ean) : undefined)
        if (p === undefined || back.has(p)) continue
        fwd.set(l.listingId, p)
        back.set(p, l.listingId)
      }
      productOf.set(env.channelIds[type], fwd)
      listingOf.set(env.channelIds[type], back)
    }
    const channelIds = CHANNEL_TYPES.map((t) => env.channelIds[t])
    const mapped = env.products.filter((p) => channelIds.every((c) => listingOf.get(c)!.has(p.id)))
    const channelCount = new Map<number, number>()
    for (const c of channelIds)
      for (const p of listingOf.get(c)!.keys()) channelCount.set(p, (channelCount.get(p) ?? 0) + 1)

    // Two kits (phantom BoMs), each made of products that only receive goods: KIT1 = 2 x A + 1 x B,
    // KIT2 = 3 x C + 1 x D. The kits are listed like every product; their figure only rises.
    const [kit1, kit2, a, b, c, d] = mapped.slice(0, 6).map((p) => p.id) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ]
    store.transaction(() => {
      const tmpl = (id: number) => store.products.get(id)!.templateId ?? id
      store.mrp.addBom({
        templateId: tmpl(kit1),
        type: 'phantom',
        lines: [
          { productId: a, productQty: 2 },
          { productId: b, productQty: 1 },
        ],
      })
      store.mrp.addBom({
        templateId: tmpl(kit2),
        type: 'phantom',
        lines: [
          { productId: c, productQty: 3 },
          { productId: d, productQty: 1 },
        ],
      })
    })
    // The kits as the engine sees them: read by the shipped gateway from the simulated Odoo.
    const gw = await createOdooGateway({
      url: env.sims.odoo.url,
      database: env.sims.odoo.database,
      login: env.sims.odoo.login,
      secret: env.sims.odoo.apiKey,
      timeoutMs: 30_000,
    })
    await gw.login()
    const kits = new KitBook(await gw.listKits())
    await gw.close()
    if (!kits.isKit(kit1) || !kits.isKit(kit2))
      throw new Error('faults: the kits were not read back from Odoo')
    const kitIds = [kit1, kit2]

    // Buffer rules of every scope the engine has (core/buffers/buffer-rules.ts), as the seller saves them.
    // A velocity-class rule is left out: with no sales history every product is a slow seller, so such a
    // rule would replace the global rule everywhere instead of standing beside it.
    const amazonId = env.channelIds.amazon
    const rules: BufferRule[] = [
      { scope: 'global', buffer: BUFFER },
      // bol: 2, +1 for products on 5 or more channels.
      { scope: 'channel', channelId: env.channelIds.bol, buffer: 2 },
      // Peak days on eBay: +1 from yesterday to tomorrow (UTC, as the engine's today).
      {
        scope: 'peak',
        channelId: env.channelIds.ebay,
        buffer: 1,
        startsOn: isoDay(now() - 86_400_000),
        endsOn: isoDay(now() + 86_400_000),
        note: 'fault campaign',
      },
    ]
    mapped.forEach((p, i) => {
      if (i % 10 === 3) rules.push({ scope: 'product', productId: p.id, buffer: i % 20 === 3 ? 0 : 3 })
      if (i % 7 === 2)
        rules.push({ scope: 'product_channel', productId: p.id, channelId: amazonId, buffer: 4 })
    })
    rules.push({ scope: 'product', productId: kit2, buffer: 2 })
    const basisOf = new Map<string, StockBasis>(
      CHANNEL_TYPES.map((t) => [env.channelIds[t], t === ON_HAND_CHANNEL ? 'on_hand' : 'free']),
    )
    db.transaction(() => {
      const map = db.prepare(
        "INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES (?, ?, ?, 'sku')",
      )
      for (const channelId of channelIds) {
        for (const [listingId, p] of productOf.get(channelId)!) map.run(channelId, listingId, p)
        // The seller reviewed and confirmed the first push.
        db.prepare(
          "INSERT INTO engine_state (key, value) VALUES (?, 'done') ON CONFLICT (key) DO UPDATE SET value = 'done'",
        ).run(`first_push:${channelId}`)
        db.prepare('UPDATE channels SET stock_basis = ? WHERE id = ?').run(basisOf.get(channelId), channelId)
      }
      for (const r of rules)
        insertBufferRule(db, {
          scope: r.scope,
          velocityClass: null,
          channelId: r.channelId ?? null,
          productId: r.productId ?? null,
          buffer: r.buffer,
          startsOn: r.startsOn ?? null,
          endsOn: r.endsOn ?? null,
          note: r.note ?? 'fault campaign',
        })
    })()
    db.close()
    const truthModel = new CampaignTruth(rules, basisOf, kits, channelCount, () => isoDay(now()))
    const components = new Set(kitIds.flatMap((k) => kits.leaves(k)))
    const plain = mapped.filter((p) => !kitIds.includes(p.id))
    // Kit components only receive goods; of the rest, half only receive goods (their figure can only rise),
    // half only sell (only fall).
    const rising = plain.filter((p, i) => components.has(p.id) || i % 2 === 0).map((p) => p.id)
    const falling = plain.filter((p, i) => !components.has(p.id) && i % 2 === 1).map((p) => p.id)
    for (const p of falling) store.receive(p, loc0, 20 + Math.floor(rnd() * 40))
    const saleOrdersBefore = new Set(store.saleOrders.keys())

    // ---- the truth the bench keeps ---------------------------------------------------------------------
    // The formula over Odoo's stock, less the units of orders Odoo has not confirmed yet. An import swaps
    // pending units for an Odoo reservation, so the truth moves only when goods arrive or buyers order.
    const ordersOf = new Map<number, PlacedOrder[]>()
    /** client_order_ref -> when the bench first saw it confirmed (for the post-mortem). */
    const confirmedSeenAt = new Map<string, number>()
    const confirmedRefs = () => {
      const out = new Set<string>()
      for (const so of store.saleOrders.values())
        if (so.clientOrderRef && so.state === 'sale') {
          out.add(so.clientOrderRef)
          if (!confirmedSeenAt.has(so.clientOrderRef)) confirmedSeenAt.set(so.clientOrderRef, now())
        }
      return out
    }
    let confirmed = new Set<string>()
    const pendingOf = (p: number) =>
      (ordersOf.get(p) ?? [])
        .filter((o) => !confirmed.has(clientOrderRefFor(o.channelId, o.orderId)))
        .reduce((n, o) => n + o.quantity, 0)
    const live = {
      stock: (p: number) => store.stockOf(p, [loc0, loc1]),
      pending: pendingOf,
    }
    /** Every product's stock in the channels' locations, in one pass over the quants (for the final checks). */
    const stockByProduct = () => {
      const internal = store.internalUnder([loc0, loc1])
      const out = new Map<number, { onHand: number; reserved: number }>()
      for (const q of store.quants.values()) {
        if (!internal.has(q.locationId)) continue
        const s = out.get(q.productId) ?? { onHand: 0, reserved: 0 }
        s.onHand += q.quantity
        s.reserved += q.reserved
        out.set(q.productId, s)
      }
      return out
    }
    const pendingByProduct = () => {
      const out = new Map<number, number>()
      for (const o of orders)
        if (!confirmed.has(clientOrderRefFor(o.channelId, o.orderId)))
          out.set(o.productId, (out.get(o.productId) ?? 0) + o.quantity)
      return out
    }
    /** Per listing (channel|product): the truth over time. */
    const truth = new Map<string, TruthStep[]>()
    const note = (p: number) => {
      confirmed = confirmedRefs()
      const stock = live.stock(p)
      const once = { stock: (id: number) => (id === p ? stock : live.stock(id)), pending: pendingOf }
      const touched = [p, ...kits.kitsUsing(p)]
      for (const id of touched)
        for (const channelId of channelIds) {
          const steps = truth.get(listingKey(channelId, id))
          if (!steps) continue
          const value = truthModel.figure({ channelId, productId: id }, once)
          if (steps[steps.length - 1]!.value !== value) steps.push({ at: now(), value })
        }
    }

    // ---- what the channels receive ---------------------------------------------------------------------
    const received = new Map<string, Map<string, ReceivedSend[]>>()
    for (const type of CHANNEL_TYPES) {
      const channelId = env.channelIds[type]
      const perListing = new Map<string, ReceivedSend[]>()
      received.set(channelId, perListing)
      probe[type].onStockWrite = (w) => {
        let xs = perListing.get(w.listingId)
        if (!xs) perListing.set(w.listingId, (xs = []))
        xs.push({ at: w.at, value: w.paused ? 0 : w.quantity })
      }
    }

    // ---- traffic -------------------------------------------------------------------------------------
    const orders: PlacedOrder[] = []
    let receipts = 0
    let refusedOrders = 0
    let trafficOn = false
    const trafficTick = () => {
      if (!trafficOn) return
      if (rnd() < RECEIPTS_PER_S / 10) {
        const p = pick(rising)
        store.receive(p, rnd() < 0.5 ? loc0 : loc1, 1 + Math.floor(rnd() * 5))
        receipts++
        note(p)
      }
      if (rnd() < ORDERS_PER_S / 10) {
        confirmed = confirmedRefs()
        for (let attempt = 0; attempt < 5; attempt++) {
          const p = pick(falling)
          const q = 1 + Math.floor(rnd() * 2)
          const type = pick(CHANNEL_TYPES)
          const channelId = env.channelIds[type]
          // Only what the listing should show, and what Odoo can reserve in the orders' warehouse: every
          // order is then fully reserved.
          if (
            truthModel.figure({ channelId, productId: p }, live) < q ||
            store.stockOf(p, [loc0]).free - pendingOf(p) < q + 1
          )
            continue
          try {
            const orderId = probe[type].placeOrder(listingOf.get(channelId)!.get(p)!, q)
            const o = { channelId, orderId, productId: p, quantity: q, at: now() }
            orders.push(o)
            ordersOf.set(p, [...(ordersOf.get(p) ?? []), o])
            note(p)
            break
          } catch {
            refusedOrders++ // the channel shows less than asked (its figure lags): a buyer could not order
          }
        }
      }
    }
    const traffic = setInterval(trafficTick, 100)

    // ---- faults --------------------------------------------------------------------------------------
    const srv = servers(env)
    const tokenChannels = CHANNEL_TYPES.filter((t) => ['amazon', 'bol', 'ebay', 'zalando'].includes(t))
    const schedule = new FaultSchedule(rnd, CHANNEL_TYPES, tokenChannels)
    const episodes = new Map<FaultKind, number>()
    let faultsOn = false
    const busy = new Set<string>()
    const tokenRefusals = () => CHANNEL_TYPES.reduce((n, t) => n + probe[t].endedTokenRefusals, 0)
    const injectOne = async () => {
      const hits = injectedCounts(
        srv.odoo,
        CHANNEL_TYPES.map((t) => srv[t]),
        tokenRefusals(),
      )
      const e = schedule.next(busy, hits)
      if (!e) return
      episodes.set(e.kind, (episodes.get(e.kind) ?? 0) + 1)
      if (e.kind === 'token_expired') {
        probe[e.target as ChannelType].expireTokens()
        return
      }
      busy.add(e.target)
      const server = srv[e.target as ChannelType | 'odoo']
      server.faults = faultConfigFor(e.kind, rnd)!
      await sleep(3000 + rnd() * 9000)
      server.faults = {}
      busy.delete(e.target)
    }
    let injector: Promise<void> = Promise.resolve()
    const startInjector = () =>
      (injector = (async () => {
        while (faultsOn) {
          void injectOne()
          await sleep(1500 + rnd() * 3000)
        }
      })())

    // ---- the campaign: run, kill, restart ----------------------------------------------------------
    for (const channelId of channelIds)
      for (const p of [...rising, ...falling, ...kitIds])
        truth.set(listingKey(channelId, p), [
          { at: now(), value: truthModel.figure({ channelId, productId: p }, live) },
        ])
    // A selling product's stock before any order: where its truth as LastUnit could know it starts.
    const fallingStart = new Map(falling.map((p) => [p, { at: now(), stock: live.stock(p) }]))
    trafficOn = true
    faultsOn = true
    startInjector()
    const killCounts = Object.fromEntries(KILL_OUTCOMES.map((k) => [k, 0])) as Record<KillOutcome, number>
    let runs = 0
    let slowStarts = 0
    const campaignStart = now()
    // Until KILLS kills of a live, synced engine (runs killed while starting come on top), at most 3 x KILLS runs.
    while (killCounts.live_synced < KILLS && runs < 3 * KILLS) {
      runs++
      starts.push(now())
      engine = new EngineProcess(engineArgv, engineEnv, log, `run ${runs}`)
      if (rnd() < 0.15) {
        // Killed while starting: opening the store, logging in to Odoo, the first read or push.
        await sleep(300 + rnd() * 2500)
      } else {
        const up = await Promise.race([engine.synced, sleep(60_000).then(() => false)])
        if (!up) slowStarts++
        await sleep(1000 + rnd() * 9000)
      }
      killCounts[await engine.kill()]++
      engine = null
      if (runs % 10 === 0)
        console.log(
          `  ${runs} runs, ${killCounts.live_synced} synced kills, ${orders.length} orders, ${receipts} receipts, ${Math.round((now() - campaignStart) / 1000)} s`,
        )
    }
    faultsOn = false
    trafficOn = false
    clearInterval(traffic)
    await injector
    while (busy.size > 0) await sleep(200)
    for (const s of Object.values(srv)) s.faults = {}
    const chaosMs = now() - campaignStart

    // ---- settle: one clean run until every listing shows the formula's figure -------------------------
    const mismatches = () => {
      confirmed = confirmedRefs()
      const stock = stockByProduct()
      const pending = pendingByProduct()
      const known = {
        stock: (p: number) => stock.get(p) ?? { onHand: 0, reserved: 0 },
        pending: (p: number) => pending.get(p) ?? 0,
      }
      let n = 0
      const examples: string[] = []
      for (const type of CHANNEL_TYPES) {
        const channelId = env.channelIds[type]
        for (const [listingId, p] of productOf.get(channelId)!) {
          const w = truthModel.figure({ channelId, productId: p }, known)
          const s = probe[type].listingState(listingId)
          const shows = !s ? -1 : s.buyable ? s.quantity : 0
          if (shows !== w) {
            n++
            if (examples.length < 5) examples.push(`${channelId}/${listingId}: shows ${shows}, formula ${w}`)
          }
        }
      }
      return {
        n,
        examples,
        unimportedUnits: orders
          .filter((o) => !confirmed.has(clientOrderRefFor(o.channelId, o.orderId)))
          .reduce((a, o) => a + o.quantity, 0),
      }
    }
    starts.push(now())
    engine = new EngineProcess(engineArgv, engineEnv, log, 'final run')
    const settleStart = now()
    await engine.syncing
    let lastReport = now()
    while (now() - settleStart < SETTLE_TIMEOUT_MS) {
      const m = mismatches()
      if (m.n === 0 && m.unimportedUnits === 0) break
      if (now() - lastReport > 20_000) {
        lastReport = now()
        console.log(
          `  settling: ${m.n} listings off the formula, ${m.unimportedUnits} units not in Odoo yet; ${m.examples.join('; ')}`,
        )
      }
      await sleep(5000)
    }
    const settleMs = now() - settleStart
    engine.child.kill('SIGTERM')
    const stop = await engine.exited
    engine = null
    const final = mismatches()

    // ---- orders: exactly once in Odoo, and no sale order no placed order explains -----------------------
    const audit = auditOrders(
      orders.map((o) => clientOrderRefFor(o.channelId, o.orderId)),
      store.saleOrders.values(),
      saleOrdersBefore,
    )
    const { duplicatesByRef, unexplained, duplicateOrders } = audit
    const missingOrders = audit.missing

    // ---- sends: never an older figure after a newer one ------------------------------------------------
    // Judged per listing against that listing's truth. A selling product's figure on the on-hand channel is
    // not one-way (an order lowers it, Odoo's reservation does not: the import gives the units back), so
    // those listings are not judged for order; their final figure is.
    // Falling listings are judged against the truth as LastUnit could know it: an order counts from when the
    // engine first stored it (send-order.ts). Its last step must be the plain truth's: the check of
    // knownTruth's premise (a selling product's figure follows the units ordered alone).
    const seenAt = engineSeenAt(databaseFile(dir))
    const knownOf = (channelId: string, p: number, steps: readonly TruthStep[]): TruthStep[] => {
      const placed = ordersOf.get(p) ?? []
      const known = knownTruth(
        truthModel,
        { channelId, productId: p },
        fallingStart.get(p)!,
        placed.map((o) => ({
          quantity: o.quantity,
          placedAt: o.at,
          seenAt: seenAt.get(`${o.channelId}|${o.orderId}`),
        })),
      )
      const all = placed.every((o) => seenAt.has(`${o.channelId}|${o.orderId}`))
      if (all && known[known.length - 1]!.value !== steps[steps.length - 1]!.value)
        throw new Error(
          `faults: product ${p} on ${channelId}: the known truth ends at ${known[known.length - 1]!.value}, the truth at ${steps[steps.length - 1]!.value}`,
        )
      return known
    }
    let judgeErrors = 0
    let outOfOrder = 0
    let belowTruth = 0
    let aboveTruth = 0
    let sends = 0
    let notJudged = 0
    const violations: string[] = []
    const outOfOrderProducts: number[] = []
    const direction = new Map<number, 'rising' | 'falling'>([
      ...[...rising, ...kitIds].map((p) => [p, 'rising'] as const),
      ...falling.map((p) => [p, 'falling'] as const),
    ])
    for (const [channelId, perListing] of received)
      for (const [listingId, xs] of perListing) {
        const p = productOf.get(channelId)!.get(listingId)
        const steps = p === undefined ? undefined : truth.get(listingKey(channelId, p))
        if (p === undefined || !steps) continue
        const dir = direction.get(p)!
        if (dir === 'falling' && basisOf.get(channelId) === 'on_hand') {
          notJudged++
          continue
        }
        let v
        try {
          v = judgeSendOrder(dir, steps, xs, dir === 'falling' ? knownOf(channelId, p, steps) : steps)
        } catch (e) {
          judgeErrors++
          if (violations.length < 5) violations.push(`${channelId}/${listingId}: not judged: ${String(e)}`)
          continue
        }
        sends += v.sends
        outOfOrder += v.outOfOrder
        belowTruth += v.belowTruth
        aboveTruth += v.aboveTruth
        if (v.firstViolation && violations.length < 5)
          violations.push(
            `${channelId}/${listingId}: ${v.firstViolation.value} after ${v.firstViolation.after} (sends ${xs.map((x) => x.value).join(',')})`,
          )
        if (v.firstViolation && !outOfOrderProducts.includes(p)) outOfOrderProducts.push(p)
      }

    // ---- limits and faults -------------------------------------------------------------------------------
    let limited = 0
    let earlyRetries = 0
    const perChannelLimits: string[] = []
    for (const [name, s] of Object.entries(srv)) {
      const hits = name === 'odoo' ? s.limited : probe[name as ChannelType].limitHits
      limited += hits
      earlyRetries += s.earlyRetries
      perChannelLimits.push(`${name} ${hits}/${s.earlyRetries}`)
    }
    const injected = injectedCounts(
      srv.odoo,
      CHANNEL_TYPES.map((t) => srv[t]),
      tokenRefusals(),
    )
    const notInjected = FAULT_KINDS.filter((k) => injected[k] === 0)

    const result = {
      kills: killCounts.live_synced,
      faults_injected: injected,
      final_mismatches: final.n,
      duplicate_orders: duplicateOrders,
      // A listing the judge could not judge is not shown to be in order: it counts here.
      out_of_order_sends: outOfOrder + judgeErrors,
      rate_limit_violations: limited + earlyRetries,
    }
    const row = (k: string, v: string | number, note = '') =>
      console.log(`${k.padEnd(42)} ${String(v).padStart(12)}   ${note}`)
    console.log('')
    row(
      'SKUs mapped on all 7 channels',
      mapped.length,
      `${rising.length} restocked, ${falling.length} selling, ${kitIds.length} kits`,
    )
    row(
      'buffer rules',
      rules.length,
      `global ${BUFFER}; channel (bol) 2; peak (ebay) +1; ${rules.filter((r) => r.scope === 'product').length} product; ${rules.filter((r) => r.scope === 'product_channel').length} product on amazon`,
    )
    row('stock basis', '', `${ON_HAND_CHANNEL}: on hand; the other six: free`)
    row(
      'kits',
      kitIds.length,
      `${kit1} = 2 x ${a} + 1 x ${b}; ${kit2} = 3 x ${c} + 1 x ${d} (phantom BoMs read by the shipped gateway)`,
    )
    row(
      'chaos phase',
      `${Math.round(chaosMs / 1000)} s`,
      `x${SCALE} clock, then ${Math.round(settleMs / 1000)} s to settle`,
    )
    row('engine runs killed (SIGKILL)', runs, 'each kill classified below')
    row('  kills: live engine that had synced', killCounts.live_synced, 'counted in `kills`')
    row('  kills: live, syncing, no push completed', killCounts.live_not_synced, 'not counted')
    row('  kills: live, not yet syncing (starting)', killCounts.live_starting, 'not counted')
    row('  kills: engine had already exited', killCounts.already_exited, 'not counted')
    row('  runs not synced within 60 s', slowStarts)
    row('marketplace orders placed', orders.length, `${refusedOrders} refused by a channel showing less`)
    row('Odoo receipts', receipts)
    for (const [k, n] of [...episodes].sort()) row(`  fault episodes: ${k}`, n)
    for (const k of FAULT_KINDS)
      row(`  requests hit: ${k}`, injected[k], injected[k] === 0 ? 'NOT INJECTED' : '')
    row('sends received by the channels', sends, `${notJudged} listings not judged for order (see above)`)
    row('final mismatches', final.n, final.examples.join('; '))
    row(
      'orders missing in Odoo',
      missingOrders,
      `units not yet reserved at the end: ${final.unimportedUnits}`,
    )
    row(
      'duplicate orders in Odoo',
      duplicateOrders,
      `${duplicatesByRef} by reference, ${unexplained.length} no placed order explains${unexplained.length ? `: ${unexplained.slice(0, 5).join(', ')}` : ''}`,
    )
    row('out-of-order sends', outOfOrder, violations.join('; '))
    if (judgeErrors > 0) row('listings the judge refused (counted as out of order)', judgeErrors)
    row('sends below the known truth (double count)', belowTruth)
    row('sends above the truth', aboveTruth)
    row(
      'rate-limit violations',
      result.rate_limit_violations,
      `limiter 429s ${limited}, early retries ${earlyRetries}`,
    )
    row('  per channel (limiter / early retries)', '', perChannelLimits.join(', '))
    row(
      '  woocommerce host limit',
      '',
      `${WOO_HOST.ratePerSecond}/s, burst ${WOO_HOST.burst} (x${SCALE} on the simulator's clock)`,
    )
    row(
      '  already in flight at a storm 429',
      Object.values(srv).reduce((a, s) => a + s.inFlightAtThrottle, 0),
      'sent before the 429 could be read: not violations',
    )
    row(
      '  in flight through a stall here',
      Object.values(srv).reduce((a, s) => a + s.inFlightThroughStall, 0),
      'handled late only because this process stalled right after the 429: may have arrived within the grace',
    )
    const longStalls = stalls.filter((x) => x.ms >= 50)
    row(
      'simulator process stalls of 50 ms or more',
      longStalls.length,
      `longest ${Math.max(0, ...stalls.map((x) => x.ms))} ms`,
    )
    const refusals = env.sims.amazon.limits.refusals
    if (refusals.length > 0) {
      const fmt = (xs: Array<number | null>) =>
        xs.map((x) => (x === null ? '-' : String(Math.round(x)))).join(',')
      row('  amazon refusals: arrived ms after the previous', '', fmt(refusals.map((r) => r.gapMs)))
      for (const r of refusals.slice(-10)) {
        const start = starts.filter((x) => x <= r.at).pop()
        const stall = stalls.find((x) => x.ms >= 25 && r.at >= x.end - 5 && r.at - x.end <= 100)
        row(
          `  amazon refusal ${new Date(r.at).toISOString().slice(11, 23)}`,
          '',
          `${r.op}; admitted within 100 ms (ms from it): ${r.around.join(',') || 'none'}; ${start === undefined ? 'no engine start before' : `${r.at - start} ms after the engine process started`}${stall ? `; right after a ${stall.ms} ms stall here` : ''}`,
        )
      }
    }
    for (const [name, s] of Object.entries(srv)) {
      for (const [op, n] of Object.entries(s.limitedByOperation).sort()) row(`  ${name} limiter 429s`, n, op)
      if (s.limitedLog.length > 0) {
        const afterStall = s.limitedLog.filter((l) =>
          stalls.some((x) => x.ms >= 25 && l.at >= x.end - 5 && l.at - x.end <= 100),
        ).length
        row(`  ${name} 429s right after a stall here`, afterStall, `of the last ${s.limitedLog.length}`)
        // A request held up on its way reaches the gateway together with later ones: the stalls that ended in
        // the 5 s before each 429 (the requests it counted may have waited through them).
        const before = s.limitedLog.map((l) => {
          const xs = stalls.filter((x) => x.end <= l.at && x.end > l.at - 5_000)
          return `${new Date(l.at).toISOString().slice(11, 23)} ${l.operation}: longest stall before ${Math.max(0, ...xs.map((x) => x.ms))} ms`
        })
        row(`  ${name} 429s`, '', before.slice(-5).join('; '))
      }
      if (s.earlyRetryLog.length === 0) continue
      const byOp = new Map<string, { n: number; same: number; restarted: number; after: number[] }>()
      for (const e of s.earlyRetryLog) {
        const x = byOp.get(e.operation) ?? { n: 0, same: 0, restarted: 0, after: [] }
        x.n++
        if (e.sameConnection) x.same++
        // A process started after the 429 cannot have read it: only a hold kept in the database stops it.
        if (starts.some((t) => t > e.at - e.afterMs && t <= e.at)) x.restarted++
        x.after.push(e.afterMs)
        byOp.set(e.operation, x)
      }
      for (const [op, x] of [...byOp].sort()) {
        x.after.sort((p, q) => p - q)
        row(
          `  ${name} early retries`,
          x.n,
          `${op}: ${x.same} on the connection that got the 429, ${x.restarted} from an engine started after it; ms after it: min ${x.after[0]}, median ${x.after[Math.floor(x.after.length / 2)]}, max ${x.after[x.after.length - 1]}`,
        )
      }
    }
    // The first few listings with a figure out of order, explained from both sides.
    for (const p of outOfOrderProducts.slice(0, 3)) {
      const sendsOf = new Map<string, { listingId: string; received: ReceivedSend[] }>()
      for (const [channelId, perListing] of received) {
        const listingId = listingOf.get(channelId)!.get(p)!
        sendsOf.set(channelId, { listingId, received: perListing.get(listingId) ?? [] })
      }
      const lines = postMortem({
        productId: p,
        direction: direction.get(p)!,
        truth: truth.get(listingKey(channelIds[0]!, p))!,
        sends: sendsOf,
        orders: orders.filter((o) => o.productId === p),
        confirmedAt: (ch, o) => confirmedSeenAt.get(clientOrderRefFor(ch, o)),
        dbFile: databaseFile(dir),
      })
      console.log('')
      for (const l of lines) console.log(l)
    }
    row('final run stop (SIGTERM)', `${stop.signal ?? stop.code}`)
    row('total wall time', `${Math.round((now() - t0) / 1000)} s`)
    console.log(JSON.stringify(result))
    if (
      final.n +
        duplicateOrders +
        missingOrders +
        result.out_of_order_sends +
        aboveTruth +
        result.rate_limit_violations >
        0 ||
      notInjected.length > 0 ||
      killCounts.live_synced < 50
    )
      process.exitCode = 1
  } finally {
    if (engine) await engine.kill()
    log.end()
    await env.stop()
    if (process.env.FAULTS_KEEP !== '1') rmSync(dir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e))
    process.exit(1)
  },
)
