// The engine benchmark's first process (npm run bench -- engine, bench/engine.ts): run from its esbuild
// bundle on plain node, as the engine ships. 10,000 SKUs on 7 simulated channels: initial sync, Odoo change
// propagation, full resync and peak RSS, on real time. The simulators run in child processes (Odoo in one,
// the channels in another: bench/_sim-host-client.ts), so CPU time and RSS measured here are the engine's own. Orders are measured by the second process
// (bench/_engine-orders-process.ts, on a warped clock). Prints a table, then one JSON line (or writes it to
// the file LASTUNIT_BENCH_RESULT names, for the launcher to merge).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import type { ChannelType } from '../main/core/channel-types'
import { defaultCapabilities } from '../main/core/channels/channel-capabilities'
import { orderDetectionOf } from '../main/core/channels/order-detection'
import type { ChannelAdapter } from '../main/core/ports/channel-adapter'
import { createGenericAdapter } from '../main/sandbox/channels/generic/generic-adapter'
import { openDatabase } from '../main/node/db/database'
import { createEngine } from '../main/node/engine'
import { CHANNEL_PROFILES } from '../main/sandbox/stand-ins/channel-profiles'
import { odooGatewayOf, pct, Simulators } from './_sim-host-client'

const SKUS = Number(process.env.BENCH_SKUS ?? 10_000)
const POLL_INTERVAL_MS = 1000
const CHANGES = 40

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The engine modules this process runs, as the esbuild metafile-backed manifest of the bundle lists them
 * (bin/cli-cache.mjs): proof that the bundle is the engine of main/, not a copy.
 */
function engineModules(): string {
  const bundle = process.argv[1] ?? ''
  const manifest = join(dirname(dirname(bundle)), 'current.json')
  if (!existsSync(manifest)) return `${bundle} (no manifest: not run from bench/engine.ts?)`
  const m = JSON.parse(readFileSync(manifest, 'utf8')) as { id: string; inputs: object }
  if (m.id !== basename(dirname(bundle))) return `${bundle} (its manifest names another build)`
  const inputs = Object.keys(m.inputs)
  const engine = inputs.filter((f) => f.startsWith('main/node/engine/'))
  const main = inputs.filter((f) => f.startsWith('main/'))
  return `${main.length} files of main/ (${engine.length} of main/node/engine/, e.g. ${engine.slice(0, 3).join(', ')})`
}

async function main(): Promise<void> {
  const host = new Simulators(SKUS)
  const dir = mkdtempSync(join(tmpdir(), 'lastunit-bench-'))
  let peakRss = 0
  // Where the peak was reached: the phase running when the sampler saw it.
  let phase = 'start'
  let peakPhase = phase
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss
    if (rss > peakRss) [peakRss, peakPhase] = [rss, phase]
  }, 50)
  try {
    const ready = await host.ready
    const seededAt = Date.now()
    const db = openDatabase(join(dir, 'bench.db'))
    const odoo = await odooGatewayOf(ready)
    const adapters = new Map<string, ChannelAdapter>()
    const minCalls: Record<string, number> = {}
    db.transaction(() => {
      for (const c of ready.channels) {
        const profile = CHANNEL_PROFILES[c.type as ChannelType]
        adapters.set(
          c.type,
          createGenericAdapter({
            type: c.type as ChannelType,
            baseUrl: c.url,
            token: c.token,
            // The stand-in's faster rates, with the shipped order interval (order-detection.ts).
            capabilities: {
              ...profile.capabilities,
              orderPollIntervalMs: orderDetectionOf(
                c.type as ChannelType,
                defaultCapabilities(c.type as ChannelType),
              ).defaultMs,
            },
          }),
        )
        db.prepare(
          `INSERT INTO channels (id, type, name, base_url, state, zero_stock_action) VALUES (?, ?, ?, ?, 'live', ?)`,
        ).run(c.type, c.type, c.type, c.url, profile.zeroAction)
        const map = db.prepare(
          "INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES (?, ?, ?, 'sku')",
        )
        for (const id of ready.productIds) map.run(c.type, `${c.type}-${id}`, id)
        minCalls[c.type] = Math.ceil(ready.productIds.length / profile.capabilities.bulkBatchSize)
      }
    })()
    const engine = createEngine({
      db,
      odoo,
      adapters,
      options: {
        pollIntervalMs: POLL_INTERVAL_MS,
        firstPushGuard: false,
        fullRecomputeSchedule: null,
        reconcileSchedule: null,
        confirmIntervalMs: 250,
      },
    })
    const t0 = Date.now()
    await engine.start()
    if (!(await engine.idle(180_000))) throw new Error('initial sync did not finish within 180 s')
    const initialMs = Date.now() - t0
    // Odoo polls re-read everything written within their overlap window (60 s). The simulator has just
    // written the whole 10,000-product catalogue; measure the steady state once that window has passed,
    // as a seller's Odoo is not re-seeded every minute. Peak RSS is measured from here on, too.
    phase = 'initial sync, then idle'
    await sleep(Math.max(0, seededAt + 65_000 - Date.now()))
    const initialRss = peakRss
    peakRss = 0
    phase = 'idle'
    const active = (await odoo.listProducts()).filter((p) => p.active).map((p) => p.id)
    const mapped = new Set(ready.productIds)
    const candidates = active.filter((id) => mapped.has(id))
    let pick = 0
    const nextProduct = () => candidates[(pick++ * 7919) % candidates.length]!

    // 1. Odoo change -> every channel.
    phase = 'changes'
    const propagation = await Promise.all(
      Array.from({ length: CHANGES }, async (_, i) => {
        await sleep(i * 137)
        const m = await host.request({ cmd: 'change', productId: nextProduct() }, 60_000)
        if (m.type !== 'done') throw new Error(`change: ${JSON.stringify(m)}`)
        return m.latencyMs
      }),
    )
    await engine.idle(60_000)
    // 2. Full resync: engine CPU and API calls against the bulk-size minimum.
    const before = await host.request({ cmd: 'stats' })
    const cpu0 = process.cpuUsage()
    const w0 = Date.now()
    phase = 'resync: read and plan'
    const run = await engine.resync()
    phase = 'resync: push'
    const done = await engine.waitForResync(run.id)
    phase = 'end'
    const cpu = process.cpuUsage(cpu0)
    const resyncWallMs = Date.now() - w0
    const after = await host.request({ cmd: 'stats' })
    if (before.type !== 'stats' || after.type !== 'stats') throw new Error('no stats from the simulator host')
    const resyncCalls = Object.keys(minCalls).reduce(
      (n, c) => n + (after.pushCalls[c]! - before.pushCalls[c]!),
      0,
    )
    const resyncMin = Object.values(minCalls).reduce((a, b) => a + b, 0)
    await engine.stop()
    await odoo.close()
    db.close()
    const result = {
      poll_interval_ms: POLL_INTERVAL_MS,
      propagation_p50_ms: pct(propagation, 0.5),
      propagation_p99_ms: pct(propagation, 0.99),
      resync_cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
      resync_calls: resyncCalls,
      resync_min_calls: resyncMin,
      peak_rss_mb: Math.round(peakRss / 1024 / 1024),
    }
    const row = (k: string, v: string, target: string) =>
      console.log(`${k.padEnd(34)} ${v.padStart(10)}   ${target}`)
    console.log(
      `engine benchmark: ${ready.productIds.length} SKUs x ${ready.channels.length} channels (${ready.channels.map((c) => c.type).join(', ')})`,
    )
    console.log(
      `engine process: node ${process.env.LASTUNIT_BENCH_BUNDLE ?? process.argv[1]}` +
        `${process.execArgv.length > 0 ? ` ${process.execArgv.join(' ')}` : ''}`,
    )
    console.log(`  bundled from ${engineModules()}`)
    row(
      'initial sync (wall)',
      `${initialMs} ms`,
      `peak RSS during it ${Math.round(initialRss / 1024 / 1024)} MB`,
    )
    row('propagation p50', `${result.propagation_p50_ms} ms`, '')
    row('propagation p99', `${result.propagation_p99_ms} ms`, `<= ${POLL_INTERVAL_MS + 1000} ms`)
    row('full resync (wall)', `${resyncWallMs} ms`, `${done.state}, ${done.done}/${done.total} listings`)
    row('full resync engine CPU', `${result.resync_cpu_ms} ms`, '< 5000 ms')
    row(
      'full resync push calls',
      `${resyncCalls}`,
      `minimum ${resyncMin}, ratio ${(resyncCalls / resyncMin).toFixed(3)} (<= 1.05)`,
    )
    row('429 answers / older-after-newer', `${after.throttled} / ${after.violations}`, '0 violations')
    row('peak RSS (engine process)', `${result.peak_rss_mb} MB`, `< 250 MB (reached during ${peakPhase})`)
    const out = process.env.LASTUNIT_BENCH_RESULT
    if (out) writeFileSync(out, JSON.stringify(result))
    else console.log(JSON.stringify(result))
  } finally {
    clearInterval(sampler)
    await host.request({ cmd: 'stop' }, 5000).catch(() => undefined)
    host.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e))
    process.exit(1)
  },
)
