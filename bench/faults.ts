// npm run bench -- faults
// The fault campaign: the headless engine (`lastunit run`, a real child process) against the Odoo simulator
// and the seven channel simulators, for a compressed day of traffic on 10,000 SKUs, while faults of every
// kind are injected and the engine is killed with SIGKILL at random moments and restarted. At the end every
// listing must show the formula's figure, every order must be in Odoo exactly once, no figure may have
// reached a channel after a newer one, and no call may have broken a channel's limits.
//
// Environment: FAULTS_SKUS (10000), FAULTS_KILLS (60), FAULTS_SEED (7), FAULTS_ODOO (19: JSON-2; 17 or 18:
// XML-RPC), FAULTS_KEEP=1 keeps the data directory.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHANNEL_TYPES, type ChannelType } from '../shared/channel-types'
import { clientOrderRefFor } from '../main/core/odoo/client-order-ref'
import { publishedQuantity } from '../main/core/stock/published-quantity'
import { openDatabase } from '../main/node/db/database'
import { insertBufferRule } from '../main/node/db/repos/buffer-rules'
import { databaseFile } from '../main/node/app-info/paths'
import { createKeyVault } from '../main/node/secrets/key-vault'
import { vaultSalt, verifyVault } from '../main/node/secrets/vault-salt'
import { startDemoEnvironment, type DemoEnvironment } from '../main/sandbox/demo-env'
import { seededRandom } from '../main/sandbox/odoo/demo-catalogue'
import type { ChannelSimProbe } from '../main/sandbox/channels/sim-probe'
import type { FaultConfig, SimServer } from '../main/sandbox/http/sim-server'
import { judgeSendOrder, type ReceivedSend, type TruthStep } from '../main/sandbox/fault-campaign/send-order'
import { postMortem } from './faults-post-mortem'

const SKUS = Number(process.env.FAULTS_SKUS ?? 10_000)
const KILLS = Number(process.env.FAULTS_KILLS ?? 60)
const SEED = Number(process.env.FAULTS_SEED ?? 7)
const ODOO_VERSION = Number(process.env.FAULTS_ODOO ?? 19) as 17 | 18 | 19
/** The simulators' clock runs this much faster, and `lastunit run --rate-scale` paces the adapters to it. */
const SCALE = 20
const BUFFER = 1
/** Traffic of the compressed day: Odoo receipts and marketplace orders per second. */
const RECEIPTS_PER_S = 4
const ORDERS_PER_S = 4
const SETTLE_TIMEOUT_MS = Number(process.env.FAULTS_SETTLE_S ?? 900) * 1000

const rnd = seededRandom(SEED)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
const now = () => Date.now()

type Kind =
  | 'latency_spike'
  | 'throttle_storm'
  | 'server_error'
  | 'timeout'
  | 'malformed'
  | 'truncated'
  | 'response_lost'
  | 'token_expired'
  | 'odoo_down'
  | 'odoo_error'
  | 'odoo_timeout'
  | 'odoo_response_lost'

interface PlacedOrder {
  channelId: string
  orderId: string
  productId: number
  quantity: number
  at: number
}

/** One run of `lastunit run`. */
class EngineProcess {
  readonly child: ChildProcess
  readonly syncing: Promise<boolean>
  readonly exited: Promise<number | null>
  constructor(cli: string, dataDir: string, key: string, log: NodeJS.WritableStream, label: string) {
    this.child = spawn(process.execPath, [cli, '--data-dir', dataDir, 'run', '--rate-scale', String(SCALE)], {
      env: { ...process.env, LASTUNIT_KEY: key },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    log.write(`\n===== ${label} (pid ${this.child.pid}) =====\n`)
    this.child.stdout!.pipe(log, { end: false })
    this.child.stderr!.pipe(log, { end: false })
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)))
    this.syncing = new Promise((resolve) => {
      let buf = ''
      this.child.stdout!.on('data', (d: Buffer) => {
        buf = (buf + d.toString('utf8')).slice(-4000)
        if (buf.includes('LastUnit is syncing')) resolve(true)
      })
      void this.exited.then(() => resolve(false))
    })
  }
}

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
  console.log(`fault campaign: ${SKUS} SKUs x 7 channels, ${KILLS} kills, seed ${SEED}, Odoo ${ODOO_VERSION}`)
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
    db.transaction(() => {
      const map = db.prepare(
        "INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES (?, ?, ?, 'sku')",
      )
      for (const type of CHANNEL_TYPES) {
        const channelId = env.channelIds[type]
        const fwd = new Map<string, number>()
        const back = new Map<number, string>()
        for (const l of probe[type].listingIndex()) {
          const p = (l.sku ? bySku.get(l.sku) : undefined) ?? (l.ean ? byEan.get(l.ean) : undefined)
          if (p === undefined || back.has(p)) continue
          fwd.set(l.listingId, p)
          back.set(p, l.listingId)
          map.run(channelId, l.listingId, p)
        }
        productOf.set(channelId, fwd)
        listingOf.set(channelId, back)
        // The seller reviewed and confirmed the first push.
        db.prepare(
          "INSERT INTO engine_state (key, value) VALUES (?, 'done') ON CONFLICT (key) DO UPDATE SET value = 'done'",
        ).run(`first_push:${channelId}`)
      }
      insertBufferRule(db, {
        scope: 'global',
        velocityClass: null,
        channelId: null,
        productId: null,
        buffer: BUFFER,
        startsOn: null,
        endsOn: null,
        note: 'fault campaign',
      })
    })()
    db.close()
    const channelIds = CHANNEL_TYPES.map((t) => env.channelIds[t])
    const mapped = env.products.filter((p) => channelIds.every((c) => listingOf.get(c)!.has(p.id)))
    // Half the products only receive goods (their figure can only rise), half only sell (only fall).
    const rising = mapped.filter((_, i) => i % 2 === 0).map((p) => p.id)
    const falling = mapped.filter((_, i) => i % 2 === 1).map((p) => p.id)
    for (const p of falling) store.receive(p, loc0, 20 + Math.floor(rnd() * 40))

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
    const formula = (
      p: number,
      known?: { stock: Map<number, { onHand: number; reserved: number }>; pending: Map<number, number> },
    ) => {
      const s = known ? (known.stock.get(p) ?? { onHand: 0, reserved: 0 }) : store.stockOf(p, [loc0, loc1])
      return publishedQuantity({
        stock: { onHand: s.onHand, reserved: s.reserved, forecast: null },
        basis: 'free',
        pending: known ? (known.pending.get(p) ?? 0) : pendingOf(p),
        buffer: BUFFER,
      }).quantity
    }
    const truth = new Map<number, TruthStep[]>()
    const note = (p: number) => {
      confirmed = confirmedRefs()
      const steps = truth.get(p)!
      const value = formula(p)
      if (steps[steps.length - 1]!.value !== value) steps.push({ at: now(), value })
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
          // Only what Odoo can reserve in the orders' warehouse: every order is then fully reserved.
          if (formula(p) < q || store.stockOf(p, [loc0]).free - pendingOf(p) < q + BUFFER) continue
          const type = pick(CHANNEL_TYPES)
          const channelId = env.channelIds[type]
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
    const episodes = new Map<Kind, number>()
    const tokenExpiries = { n: 0 }
    let faultsOn = false
    const faultFor = (kind: Kind): FaultConfig | null => {
      switch (kind) {
        case 'latency_spike':
          return { latencyMs: [500, 4000] }
        case 'throttle_storm':
          return { throttleStorm: { retryAfterMs: 1000 + Math.floor(rnd() * 4000) } }
        case 'server_error':
        case 'odoo_error':
          return { errorRate: 0.3 }
        case 'timeout':
        case 'odoo_timeout':
          return { hangRate: 0.15 }
        case 'malformed':
          return { malformedRate: 0.3 }
        case 'truncated':
          return { truncateRate: 0.3 }
        case 'response_lost':
        case 'odoo_response_lost':
          return { dropAfterRate: 0.2 }
        case 'odoo_down':
          return { down: true, downMode: rnd() < 0.5 ? '503' : 'reset' }
        case 'token_expired':
          return null
      }
    }
    const CHANNEL_KINDS: Kind[] = [
      'latency_spike',
      'throttle_storm',
      'server_error',
      'timeout',
      'malformed',
      'truncated',
      'response_lost',
      'token_expired',
    ]
    const ODOO_KINDS: Kind[] = [
      'odoo_down',
      'odoo_error',
      'odoo_timeout',
      'odoo_response_lost',
      'latency_spike',
    ]
    const busy = new Set<string>()
    const injectOne = async () => {
      const odoo = rnd() < 0.3
      const target = odoo ? 'odoo' : pick(CHANNEL_TYPES)
      if (busy.has(target)) return
      const kind = pick(odoo ? ODOO_KINDS : CHANNEL_KINDS)
      episodes.set(kind, (episodes.get(kind) ?? 0) + 1)
      if (kind === 'token_expired') {
        if (probe[target as ChannelType].expireTokens()) tokenExpiries.n++
        return
      }
      busy.add(target)
      srv[target as ChannelType | 'odoo'].faults = faultFor(kind)!
      await sleep(3000 + rnd() * 9000)
      srv[target as ChannelType | 'odoo'].faults = {}
      busy.delete(target)
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
    for (const p of [...rising, ...falling]) truth.set(p, [{ at: now(), value: formula(p) }])
    trafficOn = true
    faultsOn = true
    startInjector()
    let kills = 0
    let earlyKills = 0
    let slowStarts = 0
    const campaignStart = now()
    for (let k = 0; k < KILLS; k++) {
      starts.push(now())
      engine = new EngineProcess(cli, dir, key, log, `run ${k + 1}`)
      if (rnd() < 0.15) {
        // Killed while starting: opening the store, logging in to Odoo, the first read.
        await sleep(300 + rnd() * 2500)
        earlyKills++
      } else {
        const up = await Promise.race([engine.syncing, sleep(120_000).then(() => false)])
        if (!up) slowStarts++
        await sleep(1000 + rnd() * 9000)
      }
      engine.child.kill('SIGKILL')
      await engine.exited
      engine = null
      kills++
      if ((k + 1) % 10 === 0)
        console.log(
          `  ${k + 1} kills, ${orders.length} orders, ${receipts} receipts, ${Math.round((now() - campaignStart) / 1000)} s`,
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
      const known = { stock: stockByProduct(), pending: pendingByProduct() }
      const want = new Map<number, number>()
      let n = 0
      const examples: string[] = []
      for (const type of CHANNEL_TYPES) {
        const channelId = env.channelIds[type]
        for (const [listingId, p] of productOf.get(channelId)!) {
          let w = want.get(p)
          if (w === undefined) want.set(p, (w = formula(p, known)))
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
    engine = new EngineProcess(cli, dir, key, log, 'final run')
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
    const stopCode = await engine.exited
    engine = null
    const final = mismatches()

    // ---- orders: exactly once in Odoo --------------------------------------------------------------------
    const refs = new Map<string, number>()
    for (const so of store.saleOrders.values())
      if (so.clientOrderRef && so.state !== 'cancel')
        refs.set(so.clientOrderRef, (refs.get(so.clientOrderRef) ?? 0) + 1)
    let duplicateOrders = 0
    let missingOrders = 0
    for (const o of orders) {
      const n = refs.get(clientOrderRefFor(o.channelId, o.orderId)) ?? 0
      if (n === 0) missingOrders++
      if (n > 1) duplicateOrders += n - 1
    }

    // ---- sends: never an older figure after a newer one ------------------------------------------------
    let outOfOrder = 0
    let belowTruth = 0
    let aboveTruth = 0
    let sends = 0
    const violations: string[] = []
    const outOfOrderProducts: number[] = []
    const direction = new Map<number, 'rising' | 'falling'>([
      ...rising.map((p) => [p, 'rising'] as const),
      ...falling.map((p) => [p, 'falling'] as const),
    ])
    for (const [channelId, perListing] of received)
      for (const [listingId, xs] of perListing) {
        const p = productOf.get(channelId)!.get(listingId)
        if (p === undefined) continue
        const v = judgeSendOrder(direction.get(p)!, truth.get(p)!, xs)
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

    // ---- limits ------------------------------------------------------------------------------------------
    const faultCounts: Record<string, number> = {}
    let limited = 0
    let earlyRetries = 0
    const perChannelLimits: string[] = []
    for (const [name, s] of Object.entries(srv)) {
      for (const [k, n] of Object.entries(s.faultCounts))
        faultCounts[`${name === 'odoo' ? 'odoo_' : ''}${k}`] =
          (faultCounts[`${name === 'odoo' ? 'odoo_' : ''}${k}`] ?? 0) + n
      const hits = name === 'odoo' ? 0 : probe[name as ChannelType].limitHits
      limited += hits
      earlyRetries += s.earlyRetries
      perChannelLimits.push(`${name} ${hits}/${s.earlyRetries}`)
    }
    if (tokenExpiries.n > 0) faultCounts.token_expired = tokenExpiries.n

    const result = {
      kills,
      faults_injected: faultCounts,
      final_mismatches: final.n,
      duplicate_orders: duplicateOrders,
      out_of_order_sends: outOfOrder,
      rate_limit_violations: limited + earlyRetries,
    }
    const row = (k: string, v: string | number, note = '') =>
      console.log(`${k.padEnd(38)} ${String(v).padStart(12)}   ${note}`)
    console.log('')
    row(
      'SKUs mapped on all 7 channels',
      mapped.length,
      `${rising.length} restocked, ${falling.length} selling`,
    )
    row(
      'chaos phase',
      `${Math.round(chaosMs / 1000)} s`,
      `x${SCALE} clock, then ${Math.round(settleMs / 1000)} s to settle`,
    )
    row('engine kills (SIGKILL)', kills, `${earlyKills} while starting; ${slowStarts} starts over 120 s`)
    row('marketplace orders placed', orders.length, `${refusedOrders} refused by a channel showing less`)
    row('Odoo receipts', receipts)
    for (const [k, n] of [...episodes].sort()) row(`  fault episodes: ${k}`, n)
    for (const [k, n] of Object.entries(faultCounts).sort()) row(`  requests hit: ${k}`, n)
    row('sends received by the channels', sends)
    row('final mismatches', final.n, final.examples.join('; '))
    row(
      'orders missing in Odoo',
      missingOrders,
      `units not yet reserved at the end: ${final.unimportedUnits}`,
    )
    row('duplicate orders in Odoo', duplicateOrders)
    row('out-of-order sends', outOfOrder, violations.join('; '))
    row('sends below the truth (safe double count)', belowTruth)
    row('sends above the truth', aboveTruth)
    row(
      'rate-limit violations',
      result.rate_limit_violations,
      `limiter 429s ${limited}, early retries ${earlyRetries}`,
    )
    row('  per channel (limiter / early retries)', '', perChannelLimits.join(', '))
    row(
      '  already in flight at a storm 429',
      Object.values(srv).reduce((a, s) => a + s.inFlightAtThrottle, 0),
      'sent before the 429 could be read: not violations',
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
      row('  amazon refusals: handled ms after sent', '', fmt(refusals.map((r) => r.handledAfterMs)))
      row('  amazon refusals: sent ms after the previous', '', fmt(refusals.map((r) => r.gapMs)))
      for (const r of refusals.slice(-10)) {
        const start = starts.filter((x) => x <= r.at).pop()
        row(
          `  amazon refusal ${new Date(r.at).toISOString().slice(11, 23)}`,
          '',
          `${r.op}; admitted within 100 ms (ms from it): ${r.around.join(',') || 'none'}; ${start === undefined ? 'no engine start before' : `${r.at - start} ms after the engine process started`}`,
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
      }
      if (s.earlyRetryLog.length === 0) continue
      const byOp = new Map<string, { n: number; same: number; after: number[] }>()
      for (const e of s.earlyRetryLog) {
        const x = byOp.get(e.operation) ?? { n: 0, same: 0, after: [] }
        x.n++
        if (e.sameConnection) x.same++
        x.after.push(e.afterMs)
        byOp.set(e.operation, x)
      }
      for (const [op, x] of [...byOp].sort()) {
        x.after.sort((a, b) => a - b)
        row(
          `  ${name} early retries`,
          x.n,
          `${op}: ${x.same} on the connection that got the 429; ms after it: min ${x.after[0]}, median ${x.after[Math.floor(x.after.length / 2)]}, max ${x.after[x.after.length - 1]}`,
        )
      }
    }
    // The first few listings with a figure out of order, explained from both sides.
    for (const p of outOfOrderProducts.slice(0, 3)) {
      const sends = new Map<string, { listingId: string; received: ReceivedSend[] }>()
      for (const [channelId, perListing] of received) {
        const listingId = listingOf.get(channelId)!.get(p)!
        sends.set(channelId, { listingId, received: perListing.get(listingId) ?? [] })
      }
      const lines = postMortem({
        productId: p,
        direction: direction.get(p)!,
        truth: truth.get(p)!,
        sends,
        orders: orders.filter((o) => o.productId === p),
        confirmedAt: (c, o) => confirmedSeenAt.get(clientOrderRefFor(c, o)),
        dbFile: databaseFile(dir),
      })
      console.log('')
      for (const l of lines) console.log(l)
    }
    row('final run stop (SIGTERM) exit code', String(stopCode))
    row('total wall time', `${Math.round((now() - t0) / 1000)} s`)
    console.log(JSON.stringify(result))
    if (
      final.n + duplicateOrders + missingOrders + outOfOrder + aboveTruth + result.rate_limit_violations >
        0 ||
      kills < 50
    )
      process.exitCode = 1
  } finally {
    if (engine) {
      engine.child.kill('SIGKILL')
      await engine.exited
    }
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
