// One strategy on one seed: buyers arrive, channels accept while they show stock, and the strategy keeps
// the figures in step. Real-time strategies drive LastUnit's own core on the simulated clock: the
// published-quantity formula, the buffer rules, the buffer policy (its recommendations become the rules
// the app's Apply saves), the zero-stock command planning, the outbox's supersede/skip rules and the
// token bucket of each channel worker (SHIPPED_CODE lists them; the bench prints it).
import { publishedQuantity } from '../../core/stock/published-quantity'
import { planListingCommand, type ListingCommand } from '../../core/stock/zero-stock'
import { resolveBuffer, type BufferRule } from '../../core/buffers/buffer-rules'
import { recommendBuffers } from '../../core/buffers/buffer-policy'
import { activeQuantity } from '../../core/orders/order-rules'
import { sameAsSent, supersedes, type StampedState } from '../../core/sync/outbox-rules'
import { TokenBucket } from '../../core/rate-limit/token-bucket'
import { detectionIntervalMs, toPolicyChannel, type MsRange } from './channel-profile'
import { generateDemand, type Arrival } from './demand'
import { EventQueue } from './event-queue'
import { emptyPeriod, type PeriodMetrics, type RunMetrics } from './metrics'
import { createRandom, uniformBetween, type Random } from './prng'
import { DAY_MS, dayOf, isPeakTime, type Scenario } from './scenario'
import { SimClock } from './sim-clock'
import type { Strategy } from './strategy'

interface OrderSeen {
  product: number
  units: number
  ok: boolean
}

/** The shipped functions the real-time strategies run, as `npm run bench -- market` prints them. */
export const SHIPPED_CODE: readonly string[] = [
  "core/buffers/buffer-policy.ts recommendBuffers (lastunit: each listing's recommended buffer)",
  'core/buffers/policy-channels.ts policyChannel, notifiedDetection, applyDelayOf (what the app hands the policy)',
  "core/channels/order-detection.ts orderDetectionFor (each channel's default order interval)",
  'core/buffers/buffer-rules.ts resolveBuffer (product_channel rules as Apply saves them, class defaults, peak)',
  'core/stock/published-quantity.ts publishedQuantity (free - pending - buffer, rounded down, never below 0)',
  "core/orders/order-rules.ts activeQuantity (an order line's units held as pending)",
  'core/stock/zero-stock.ts planListingCommand (0, pause or resume)',
  'core/sync/outbox-rules.ts supersedes, sameAsSent (the outbox: newer figures replace queued ones)',
  "core/rate-limit/token-bucket.ts TokenBucket (each channel worker's push pacing)",
]

/** The first tick at or after `t` of a schedule `phase + k * interval`. */
function nextTick(t: number, interval: number, phase: number): number {
  if (interval <= 0) return t
  return phase + Math.ceil((t - phase) / interval) * interval
}

const draw = (r: Random, range: MsRange): number => uniformBetween(r, range.minMs, range.maxMs)

export function simulate(
  scenario: Scenario,
  strategy: Strategy,
  seed: number,
  demand: readonly Arrival[] = generateDemand(scenario, seed),
): RunMetrics {
  const { channels, products } = scenario
  const P = products.length
  const C = channels.length
  const endMs = (scenario.normalDays + scenario.peakDays) * DAY_MS
  const peakStart = scenario.normalDays * DAY_MS
  const clock = new SimClock(0)
  const queue = new EventQueue()
  const at = (ms: number, run: () => void) => {
    if (ms <= endMs) queue.schedule(ms, run)
  }

  const normal = emptyPeriod()
  const peak = emptyPeriod()
  let pushes = 0
  const oversellsByChannel: Record<string, number> = {}
  const periodAt = (ms: number): PeriodMetrics => (isPeakTime(scenario, ms) ? peak : normal)

  // Independent streams, so one strategy drawing more latencies does not shift another's lead times.
  const rLead = products.map((p) => createRandom(seed, `lead:${p.id}`))
  const rReturn = products.map((p) => createRandom(seed, `return:${p.id}`))
  const rLatency = channels.map((c) => createRandom(seed, `latency:${c.id}`))
  const rImport = createRandom(seed, 'odoo-import')
  const rPhase = createRandom(seed, 'phases')
  const detectPhase = channels.map((c) => rPhase.next() * detectionIntervalMs(c))
  const odooPhase = rPhase.next() * scenario.odooPollMs

  // Physical truth: units not promised to any accepted order. Odoo's view: free stock as Odoo has it
  // (orders not imported yet are still counted as free there).
  const physical = new Int32Array(P)
  const odooFree = new Int32Array(P)
  const poOpen = new Uint8Array(P)
  const shown = new Int32Array(C * P)
  const applied: (StampedState | null)[] = new Array<StampedState | null>(C * P).fill(null)
  let stampSeq = 0

  const rt = strategy.sync.kind === 'realtime'
  const syncInterval = strategy.sync.kind === 'batch' ? strategy.sync.intervalMs : 0
  const syncPhase = strategy.sync.kind === 'batch' ? strategy.sync.phaseMs : 0

  // --- buffers -----------------------------------------------------------------------------------
  const peakDays = {
    first: dayOf(scenario, peakStart),
    last: dayOf(scenario, Math.max(peakStart, endMs - 1)),
  }
  const rules: BufferRule[] =
    scenario.peakDays > 0
      ? [{ scope: 'peak', buffer: 1, startsOn: peakDays.first, endsOn: peakDays.last, note: 'peak day' }]
      : []
  const notified = channels.map((ch) =>
    strategy.notified && rt && strategy.notified.types.includes(ch.type) ? strategy.notified : null,
  )
  const rNotify = channels.map((c) => createRandom(seed, `notify:${c.id}`))
  const policyChannels = channels.map((ch, c) => toPolicyChannel(ch, notified[c]?.delay ?? null))
  /**
   * The rules the app holds for a product: for `recommended`, the product_channel rules Apply saves from
   * the policy's recommendation at the velocity Odoo's sales history shows; for `fixed_table`, none (the
   * velocity class defaults apply). The seller's peak rule on top of both.
   */
  const rulesOf = (p: number): BufferRule[] => {
    const spec = products[p]
    if (!spec || strategy.buffers !== 'recommended') return rules
    const rec = recommendBuffers({
      salesPerDay: spec.salesPerDay,
      channels: policyChannels,
      targetRisk: strategy.targetRisk,
      pendingReservations: strategy.pending,
      odooRoundTrip: {
        minMs: scenario.odooImport.minMs,
        maxMs: scenario.odooImport.maxMs + scenario.odooPollMs,
      },
    })
    const applied: BufferRule[] = channels.map((ch) => ({
      scope: 'product_channel',
      productId: spec.id,
      channelId: ch.id,
      buffer: rec.listings[ch.id]?.buffer ?? 0,
      note: 'Recommended buffer',
    }))
    return [...applied, ...rules]
  }
  const bufferCache = new Map<number, number>()
  const bufferOf = (p: number, c: number, ms: number): number => {
    if (strategy.buffers === 'none') return 0
    const isPeak = isPeakTime(scenario, ms)
    const key = (p * C + c) * 2 + (isPeak ? 1 : 0)
    const hit = bufferCache.get(key)
    if (hit !== undefined) return hit
    const spec = products[p]
    if (!spec) return 0
    const productRules = rulesOf(p)
    channels.forEach((ch, ci) => {
      const b = resolveBuffer(
        {
          productId: spec.id,
          channelId: ch.id,
          salesPerDay: spec.salesPerDay,
          channelCount: C,
          today: dayOf(scenario, ms),
        },
        productRules,
      ).buffer
      bufferCache.set((p * C + ci) * 2 + (isPeak ? 1 : 0), b)
    })
    return bufferCache.get(key) ?? 0
  }

  // --- Odoo: replenishment and returns ------------------------------------------------------------
  let odooChanged: (p: number) => void = () => undefined

  const checkReorder = (p: number): void => {
    const spec = products[p]
    if (!spec || poOpen[p] || (odooFree[p] ?? 0) > spec.reorderPoint) return
    poOpen[p] = 1
    at(clock.now() + draw(rLead[p] as Random, spec.leadTime), () => {
      physical[p] = (physical[p] ?? 0) + spec.reorderQuantity
      odooFree[p] = (odooFree[p] ?? 0) + spec.reorderQuantity
      poOpen[p] = 0
      odooChanged(p)
      checkReorder(p)
    })
  }

  const maybeReturn = (p: number): void => {
    const r = rReturn[p] as Random
    if (r.next() >= scenario.returnRate) return
    at(clock.now() + draw(r, scenario.returnDelay), () => {
      physical[p] = (physical[p] ?? 0) + 1
      odooFree[p] = (odooFree[p] ?? 0) + 1
      odooChanged(p)
    })
  }

  // --- real-time: LastUnit's engine on the simulated clock ------------------------------------------
  const odooSeen = new Int32Array(P)
  const pending = new Int32Array(P)
  const importedUnseen = new Int32Array(P)
  const seenScheduled = new Uint8Array(P)
  const queued: (StampedState | null)[] = new Array<StampedState | null>(C * P).fill(null)
  const sent: (StampedState | null)[] = new Array<StampedState | null>(C * P).fill(null)
  const lastAction: (ListingCommand['action'] | null)[] = new Array<ListingCommand['action'] | null>(
    C * P,
  ).fill(null)
  const outbox = channels.map(() => new Set<number>())
  const busy = new Uint8Array(C)
  const wakeScheduled = new Uint8Array(C)
  const buckets = channels.map((ch) => new TokenBucket(ch.pushRatePerSecond, ch.pushBurst, clock))
  const undetected: OrderSeen[][] = channels.map(() => [])
  const detectScheduled = new Uint8Array(C)

  const applyAt = (idx: number, state: StampedState): void => {
    if (!supersedes(state, applied[idx] ?? null)) return
    shown[idx] = state.action === 'pause' ? 0 : state.quantity
    applied[idx] = state
  }

  const desiredState = (p: number, c: number, onHand: number, pendingUnits: number): StampedState => {
    const ch = channels[c]
    const q = publishedQuantity({
      stock: { onHand, reserved: 0, forecast: null },
      basis: 'free',
      pending: pendingUnits,
      buffer: bufferOf(p, c, clock.now()),
    }).quantity
    const cmd = planListingCommand(q, ch?.zeroStockAction ?? 'push_zero', lastAction[c * P + p] ?? null)
    return { quantity: cmd.quantity, action: cmd.action, stamp: ++stampSeq }
  }

  const runWorker = (c: number): void => {
    wakeScheduled[c] = 0
    const box = outbox[c] as Set<number>
    const ch = channels[c]
    if (!ch || busy[c] || box.size === 0) return
    const wait = (buckets[c] as TokenBucket).take()
    if (wait > 0) {
      wakeScheduled[c] = 1
      at(clock.now() + wait, () => runWorker(c))
      return
    }
    // Accepted after the round trip, shown to buyers after the marketplace's own apply delay.
    const latency = draw(rLatency[c] as Random, ch.pushLatency) + draw(rLatency[c] as Random, ch.applyDelay)
    let n = 0
    for (const idx of box) {
      if (n++ >= ch.bulkBatchSize) break
      box.delete(idx)
      const state = queued[idx]
      queued[idx] = null
      if (!state) continue
      sent[idx] = state
      pushes++
      at(clock.now() + latency, () => applyAt(idx, state))
    }
    busy[c] = 1
    at(clock.now() + ch.pushCallMs, () => {
      busy[c] = 0
      runWorker(c)
    })
  }

  const wakeWorker = (c: number): void => {
    if (busy[c] || wakeScheduled[c]) return
    wakeScheduled[c] = 1
    // Same instant, later in the queue: changes planned together go out in one call.
    at(clock.now(), () => runWorker(c))
  }

  const recompute = (p: number): void => {
    const pend = strategy.pending ? (pending[p] ?? 0) : 0
    for (let c = 0; c < C; c++) {
      const idx = c * P + p
      const desired = desiredState(p, c, odooSeen[p] ?? 0, pend)
      const latest = queued[idx] ?? sent[idx] ?? null
      if (sameAsSent(desired, latest) || !supersedes(desired, latest)) continue
      queued[idx] = desired
      lastAction[idx] = desired.action
      ;(outbox[c] as Set<number>).add(idx)
      wakeWorker(c)
    }
  }

  const onSeen = (p: number): void => {
    seenScheduled[p] = 0
    odooSeen[p] = odooFree[p] ?? 0
    // Odoo's reservation now shows, so the pending reservation is released (never counted twice).
    pending[p] = Math.max(0, (pending[p] ?? 0) - (importedUnseen[p] ?? 0))
    importedUnseen[p] = 0
    recompute(p)
  }

  const onImport = (p: number, units: number, ok: boolean): void => {
    // An oversold order cannot be reserved in Odoo: the seller cancels it, Odoo's stock is unchanged.
    if (ok) {
      odooFree[p] = (odooFree[p] ?? 0) - units
      checkReorder(p)
    }
    importedUnseen[p] = (importedUnseen[p] ?? 0) + units
    odooChanged(p)
  }

  /** Orders seen: their units held as pending, each imported into Odoo, every channel replanned. */
  const intake = (orders: readonly OrderSeen[]): void => {
    const touched = new Set<number>()
    for (const o of orders) {
      // The engine holds each order line's active units as pending (order intake).
      const units = activeQuantity({ quantity: o.units, cancelledQuantity: 0 })
      pending[o.product] = (pending[o.product] ?? 0) + units
      touched.add(o.product)
      const ok = o.ok
      at(clock.now() + draw(rImport, scenario.odooImport), () => onImport(o.product, units, ok))
    }
    if (strategy.pending) for (const p of touched) recompute(p)
  }

  const onDetect = (c: number): void => {
    detectScheduled[c] = 0
    const orders = undetected[c] as OrderSeen[]
    undetected[c] = []
    intake(orders)
  }

  /** An order announced through the queue (the order poll that reads it later finds it known). */
  const onNotified = (o: OrderSeen): void => intake([o])

  // --- batch: import everything, then push Odoo's free stock ---------------------------------------
  const unimported = new Int32Array(P)
  const unimportedOk = new Int32Array(P)
  const dirty = new Uint8Array(P)
  let tickScheduled = false

  const batchTick = (): void => {
    tickScheduled = false
    for (let p = 0; p < P; p++) {
      if (!unimported[p]) continue
      odooFree[p] = (odooFree[p] ?? 0) - (unimportedOk[p] ?? 0)
      unimported[p] = 0
      unimportedOk[p] = 0
      dirty[p] = 1
      checkReorder(p)
    }
    const latency = channels.map(
      (ch, c) => draw(rLatency[c] as Random, ch.pushLatency) + draw(rLatency[c] as Random, ch.applyDelay),
    )
    for (let p = 0; p < P; p++) {
      if (!dirty[p]) continue
      dirty[p] = 0
      for (let c = 0; c < C; c++) {
        const idx = c * P + p
        const desired = desiredState(p, c, odooFree[p] ?? 0, 0)
        if (sameAsSent(desired, sent[idx] ?? null)) continue
        sent[idx] = desired
        lastAction[idx] = desired.action
        pushes++
        at(clock.now() + (latency[c] ?? 0), () => applyAt(idx, desired))
      }
    }
    if (syncInterval > 0) at(clock.now() + syncInterval, batchTick)
  }

  const batchNudge = (): void => {
    // With no interval the batch tool syncs on every change (the zero-delay limit).
    if (syncInterval > 0 || tickScheduled) return
    tickScheduled = true
    at(clock.now(), batchTick)
  }

  odooChanged = (p: number): void => {
    if (rt) {
      if (seenScheduled[p]) return
      seenScheduled[p] = 1
      at(nextTick(clock.now(), scenario.odooPollMs, odooPhase), () => onSeen(p))
    } else {
      dirty[p] = 1
      batchNudge()
    }
  }

  // --- buyers ---------------------------------------------------------------------------------------
  const onArrival = (a: Arrival): void => {
    const m = periodAt(a.atMs)
    m.demand++
    m.demandUnits += a.units
    const idx = a.channel * P + a.product
    const free = physical[a.product] ?? 0
    // A marketplace sells no more units than the listing shows: the buyer of more goes elsewhere.
    if ((shown[idx] ?? 0) < a.units) {
      m.refused++
      m.refusedUnits += a.units
      m.lostSales += Math.min(a.units, free)
      return
    }
    // The marketplace lowers its own figure at once; other channels learn of it only through sync.
    shown[idx] = (shown[idx] ?? 0) - a.units
    m.accepted++
    // An order that cannot ship whole is an oversell: the seller cancels it (one cancellation).
    const ok = free >= a.units
    if (ok) {
      physical[a.product] = free - a.units
      if (physical[a.product] === 0) m.sellOuts++
      for (let u = 0; u < a.units; u++) maybeReturn(a.product)
    } else {
      m.oversells++
      const id = channels[a.channel]?.id ?? String(a.channel)
      oversellsByChannel[id] = (oversellsByChannel[id] ?? 0) + 1
    }
    if (rt) {
      const c = a.channel
      const n = notified[c]
      const r = rNotify[c] as Random
      // The order's event reaches the queue (all but the lost share) and the engine holds its units as
      // pending after the delivery delay; a lost event leaves the order to the channel's next order poll.
      if (n && r.next() >= n.lossRate) {
        const order: OrderSeen = { product: a.product, units: a.units, ok }
        at(clock.now() + draw(r, n.delay), () => onNotified(order))
        return
      }
      ;(undetected[c] as OrderSeen[]).push({ product: a.product, units: a.units, ok })
      if (!detectScheduled[c]) {
        detectScheduled[c] = 1
        const ch = channels[c]
        const interval = ch ? detectionIntervalMs(ch) : 0
        at(nextTick(clock.now(), interval, detectPhase[c] ?? 0), () => onDetect(c))
      }
    } else {
      unimported[a.product] = (unimported[a.product] ?? 0) + a.units
      if (ok) unimportedOk[a.product] = (unimportedOk[a.product] ?? 0) + a.units
      batchNudge()
    }
  }

  // --- start: every channel in step with Odoo -------------------------------------------------------
  products.forEach((spec, p) => {
    physical[p] = spec.initialStock
    odooFree[p] = spec.initialStock
    odooSeen[p] = spec.initialStock
    for (let c = 0; c < C; c++) {
      const idx = c * P + p
      const s = desiredState(p, c, spec.initialStock, 0)
      sent[idx] = s
      lastAction[idx] = s.action
      applyAt(idx, s)
    }
    checkReorder(p)
  })
  if (rt && scenario.peakDays > 0 && strategy.buffers !== 'none')
    // Peak mode switches on at midnight: every figure is replanned with the peak buffers.
    at(peakStart, () => {
      for (let p = 0; p < P; p++) recompute(p)
    })
  if (!rt && syncInterval > 0) at(nextTick(0, syncInterval, syncPhase), batchTick)

  let di = 0
  for (;;) {
    const a = demand[di]
    const nextDemand = a ? a.atMs : Infinity
    const nextEvent = queue.peekTime()
    // Buyers at the same instant arrive before any reaction to them: simultaneous means simultaneous.
    if (a && nextDemand <= nextEvent) {
      if (nextDemand > endMs) break
      clock.advanceTo(nextDemand)
      di++
      onArrival(a)
      continue
    }
    const e = queue.pop()
    if (!e) break
    clock.advanceTo(e.at)
    e.run()
  }
  return { strategy: strategy.name, seed, normal, peak, pushes, oversellsByChannel }
}
