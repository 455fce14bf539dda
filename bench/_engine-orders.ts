// Orders on every channel, with what ships: each channel polled at its shipped default order interval (read
// from its capabilities, which order-detection.ts derives from its limits file), burst polls on, the shipped
// engine options except the two cron jobs (full recompute, reconciliation: not part of seeing an order) and
// the first-push guard (no seller here to confirm it). Runs on the warped clock of
// bench/_engine-orders-process.ts, so every figure is in simulated ms.
//
// N orders per channel, each on its own product, at moments drawn uniformly over two of the slowest
// intervals (so at a random point of every channel's poll cycle, never just after a poll). Measured per
// channel where the order was placed: from the order being placed on that simulator until every OTHER
// channel's simulator applied the lowered figure. Every orders call the engine makes is recorded and
// replayed through the channel's published orders limit (the simulators' TokenBucket / WindowLimit).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { ChannelType } from '../main/core/channel-types'
import { defaultCapabilities } from '../main/core/channels/channel-capabilities'
import { ordersLimitOf } from '../main/core/channels/order-poll-budget'
import { orderDetectionOf } from '../main/core/channels/order-detection'
import { TokenBucket } from '../main/core/rate-limit/token-bucket'
import { WindowLimit } from '../main/core/rate-limit/window-limit'
import { openDatabase } from '../main/node/db/database'
import { createEngine } from '../main/node/engine'
import { createGenericAdapter } from '../main/sandbox/channels/generic/generic-adapter'
import { CHANNEL_PROFILES } from '../main/sandbox/stand-ins/channel-profiles'
import { measureNotified } from './_engine-notified'
import { odooGatewayOf, pct, Simulators } from './_sim-host-client'
import type { TimeWarp } from './_time-warp'
import { seededRandom } from '../main/sandbox/odoo/demo-catalogue'

const SKUS = Number(process.env.BENCH_SKUS ?? 10_000)
const PER_CHANNEL = Number(process.env.BENCH_ORDERS_PER_CHANNEL ?? 30)
const SEED = 20
/** Orders on each of Amazon and bol.com with notifications on, and how many a minute. */
const NOTIFIED_PER_CHANNEL = Number(process.env.BENCH_NOTIFIED_ORDERS ?? 200)
const NOTIFIED_PER_MINUTE = Number(process.env.BENCH_NOTIFIED_PER_MINUTE ?? 4)

/** How many of `calls` (simulated ms) the published limit would have refused. */
function overLimit(type: ChannelType, calls: readonly number[]): number {
  const spec = ordersLimitOf(defaultCapabilities(type))
  if (!spec || calls.length === 0) return 0
  let at = calls[0]!
  const clock = { now: () => at }
  const limit = spec.windowMs
    ? new WindowLimit(spec.burst, spec.windowMs, clock)
    : new TokenBucket(spec.ratePerSecond, spec.burst, clock)
  let over = 0
  for (const t of calls) {
    at = t
    if (limit.take() > 0) over++
  }
  return over
}

export async function measureOrders(warp: TimeWarp): Promise<void> {
  if (!(Number.isSafeInteger(PER_CHANNEL) && PER_CHANNEL >= 1))
    throw new RangeError(`BENCH_ORDERS_PER_CHANNEL must be a whole number >= 1, got ${PER_CHANNEL}`)
  // Odoo and the channels in processes of their own (bench/_sim-host-client.ts), on this clock.
  const host = new Simulators(SKUS, warp)
  const dir = mkdtempSync(join(tmpdir(), 'lastunit-bench-orders-'))
  const realStart = performance.now()
  try {
    const ready = await host.ready
    const seededAt = warp.now()
    const db = openDatabase(join(dir, 'bench.db'))
    const odoo = await odooGatewayOf(ready)
    // The late-commit sweep's grouped read of all counted stock (every 75 s): when it ran, in simulated ms.
    // With one scope counted (as here) it reads by product alone; with several, by product and location.
    // Either way it is a read of ALL stock (no product ids), which only a sweep or a full recompute makes.
    const sweeps: Array<{ from: number; to: number; realMs: number }> = []
    const timed = async <T>(read: () => Promise<T>): Promise<T> => {
      const from = Date.now()
      const r0 = performance.now()
      try {
        return await read()
      } finally {
        sweeps.push({ from, to: Date.now(), realMs: performance.now() - r0 })
      }
    }
    const byLocation = odoo.stockByProductLocation.bind(odoo)
    odoo.stockByProductLocation = (...args) => timed(() => byLocation(...args))
    const byProduct = odoo.stockByProduct.bind(odoo)
    odoo.stockByProduct = (locations, productIds) =>
      productIds === undefined ? timed(() => byProduct(locations)) : byProduct(locations, productIds)
    const types = ready.channels.map((c) => c.type as ChannelType)
    const adapters = new Map<string, ReturnType<typeof createGenericAdapter>>()
    const orderCalls = new Map<string, number[]>(types.map((t) => [t, []]))
    db.transaction(() => {
      for (const c of ready.channels) {
        const type = c.type as ChannelType
        const adapter = createGenericAdapter({
          type,
          baseUrl: c.url,
          token: c.token,
          // What ships: the channel's own capabilities, its limits and its order interval.
          capabilities: defaultCapabilities(type),
        })
        const fetchOrders = adapter.fetchOrders.bind(adapter)
        adapter.fetchOrders = (since, cursor) => {
          orderCalls.get(type)!.push(Date.now())
          return fetchOrders(since, cursor)
        }
        adapters.set(type, adapter)
        db.prepare(
          `INSERT INTO channels (id, type, name, base_url, state, zero_stock_action) VALUES (?, ?, ?, ?, 'live', ?)`,
        ).run(type, type, type, c.url, CHANNEL_PROFILES[type].zeroAction)
        const map = db.prepare(
          "INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES (?, ?, ?, 'sku')",
        )
        for (const id of ready.productIds) map.run(type, `${type}-${id}`, id)
      }
    })()
    const engine = createEngine({
      db,
      odoo,
      adapters,
      options: { firstPushGuard: false, fullRecomputeSchedule: null, reconcileSchedule: null },
    })
    const bursts = new Map<string, number>(types.map((t) => [t, 0]))
    /** When the engine first saw an order of each product (simulated ms). */
    const seenAt = new Map<number, number>()
    engine.subscribe((e) => {
      if (e.type === 'order' && e.isNew)
        for (const p of e.productIds) if (!seenAt.has(p)) seenAt.set(p, Date.now())
      if (e.type === 'log' && e.entry.kind === 'order' && e.entry.status === 'burst' && e.entry.channelId)
        bursts.set(e.entry.channelId, (bursts.get(e.entry.channelId) ?? 0) + 1)
    })
    const t0 = warp.now()
    await engine.start()
    // At the channels' real push limits: Zalando's 2,000 items a minute alone needs 5 simulated minutes.
    if (!(await engine.idle(3_600_000)))
      throw new Error('initial sync did not finish within 1 simulated hour')
    const initialMs = warp.now() - t0
    await warp.sleep(Math.max(0, seededAt + 65_000 - warp.now()))

    // The interval each channel runs at, as the engine reports it, against what order-detection.ts derives.
    const detection: Record<string, number> = {}
    for (const s of engine.status().channels) {
      const shipped = orderDetectionOf(s.type as ChannelType, defaultCapabilities(s.type as ChannelType))
      if (s.orderPollIntervalMs !== shipped.defaultMs)
        throw new Error(
          `${s.channelId} polls orders every ${s.orderPollIntervalMs} ms, not its shipped ${shipped.defaultMs} ms`,
        )
      detection[s.type] = s.orderPollIntervalMs
    }
    const slowest = Math.max(...Object.values(detection))

    const active = (await odoo.listProducts()).filter((p) => p.active).map((p) => p.id)
    const mapped = new Set(ready.productIds)
    const rnd = seededRandom(SEED)
    const pool = active.filter((id) => mapped.has(id))
    const take = () => pool.splice(Math.floor(rnd() * pool.length), 1)[0]!
    const spanMs = 2 * slowest
    const plan = types.flatMap((channel) =>
      Array.from({ length: PER_CHANNEL }, () => ({
        channel,
        atMs: Math.floor(rnd() * spanMs),
        productId: take(),
      })),
    )
    for (const t of types) orderCalls.get(t)!.length = 0
    for (const t of types) bursts.set(t, 0)
    const stats0 = await host.request({ cmd: 'stats' })
    const latency = new Map<string, number[]>(types.map((t) => [t, []]))
    const seen = new Map<string, number[]>(types.map((t) => [t, []]))
    const windows: Array<{ channel: string; from: number; to: number; ms: number }> = []
    sweeps.length = 0
    const loop = monitorEventLoopDelay({ resolution: 10 })
    loop.enable()
    await Promise.all(
      plan.map(async (o) => {
        await warp.sleep(o.atMs)
        const placedAt = warp.now()
        const m = await host.request(
          { cmd: 'order', channel: o.channel, productId: o.productId },
          slowest * 2 + 120_000,
        )
        if (m.type !== 'done') throw new Error(`order on ${o.channel}: ${JSON.stringify(m)}`)
        latency.get(o.channel)!.push(m.latencyMs)
        const at = seenAt.get(o.productId)
        if (at !== undefined) seen.get(o.channel)!.push(Math.max(0, at - placedAt))
        windows.push({ channel: o.channel, from: placedAt, to: placedAt + m.latencyMs, ms: m.latencyMs })
      }),
    )
    loop.disable()
    const stats1 = await host.request({ cmd: 'stats' })
    await engine.stop()
    if (stats0.type !== 'stats' || stats1.type !== 'stats')
      throw new Error('no stats from the simulator host')
    const polledRealS = ((performance.now() - realStart) / 1000).toFixed(0)

    const byChannel: Record<string, number> = {}
    for (const t of types) byChannel[t] = pct(latency.get(t)!, 0.99)
    const result = {
      order_poll_interval_ms: null,
      order_detection_ms: detection,
      order_to_channels_p99_ms: Math.max(...Object.values(byChannel)),
      order_to_channels_p99_by_channel_ms: byChannel,
      order_to_channels_p99_notified_ms: {} as Record<string, number>,
    }
    const realS = polledRealS
    // What the warp does to the engine's own work: a stall of the event loop counts `factor` times.
    const during = (w: { from: number; to: number }) => sweeps.some((x) => x.from < w.to && x.to > w.from)
    console.log(
      `\norders: ${PER_CHANNEL} per channel (n below), ${types.length} channels, each channel at its shipped order interval; ` +
        `clock x${warp.factor} (bench/_time-warp.ts): figures in simulated ms, where the engine's own CPU and I/O ` +
        `count ${warp.factor} times their real duration. Placed at seeded random moments over ${spanMs / 1000} s; ` +
        `initial sync ${Math.round(initialMs / 1000)} s simulated; ${realS} s real for this part.`,
    )
    console.log(
      'placed on     interval ms    n     p50 ms     p99 ms     max ms   target (interval+1000)   seen p99 ms   no-sweep n/p99 ms   orders calls  bursts  over limit',
    )
    // Diagnostic only (not in the JSON): the orders whose window did not overlap a late-commit sweep.
    const clear = (t: string) => windows.filter((w) => w.channel === t && !during(w)).map((w) => w.ms)
    let misses = 0
    for (const t of types) {
      const xs = latency.get(t)!
      const target = detection[t]! + 1000
      const ok = byChannel[t]! <= target
      if (!ok) misses++
      const calls = orderCalls.get(t)!
      console.log(
        `${t.padEnd(12)} ${String(detection[t]).padStart(12)} ${String(xs.length).padStart(4)} ${String(pct(xs, 0.5)).padStart(10)} ${String(byChannel[t]).padStart(10)} ${String(Math.max(...xs)).padStart(10)}   ${`<= ${target} ${ok ? 'met' : 'NOT met'}`.padEnd(22)} ${String(pct(seen.get(t)!, 0.99)).padStart(11)} ${`${clear(t).length}/${pct(clear(t), 0.99)}`.padStart(19)} ${String(calls.length).padStart(14)} ${String(bursts.get(t)).padStart(7)} ${String(overLimit(t, calls)).padStart(11)}`,
      )
    }
    console.log(
      `order -> other channels p99 (max) ${result.order_to_channels_p99_ms} ms; ${misses} channel(s) over target; ` +
        `push 429 answers / older-after-newer during the orders: ${stats1.throttled - stats0.throttled} / ${stats1.violations - stats0.violations}`,
    )
    const hit = windows.filter(during)
    const realSweep = sweeps.map((x) => x.realMs)
    console.log(
      `seen p99: from the order being placed until the engine's poll stored it. ` +
        `Late-commit sweeps during the orders: ${sweeps.length} (the grouped read of all stock every 75 s; ` +
        `${realSweep.length ? `${Math.round(Math.min(...realSweep))}-${Math.round(Math.max(...realSweep))}` : '-'} ms real each, ` +
        `x${warp.factor} in simulated time); orders whose window overlapped one: ${hit.length} of ${windows.length}, ` +
        `slowest of those ${hit.length ? Math.max(...hit.map((w) => w.ms)) : '-'} ms; engine event loop delay max ${Math.round(loop.max / 1e6)} ms real.`,
    )
    // The same orders with Amazon's and bol.com's notifications on (bench/_engine-notified.ts).
    result.order_to_channels_p99_notified_ms = await measureNotified({
      warp,
      host,
      db,
      odoo,
      adapters,
      take,
      rnd,
      perChannel: NOTIFIED_PER_CHANNEL,
      perMinute: NOTIFIED_PER_MINUTE,
    })
    await odoo.close()
    db.close()
    const out = process.env.LASTUNIT_BENCH_RESULT
    if (out) writeFileSync(out, JSON.stringify(result))
    else console.log(JSON.stringify(result))
  } finally {
    await host.request({ cmd: 'stop' }, 5000).catch(() => undefined)
    host.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}
