// What `lastunit demo` reports at the end, measured from both ends: the engine's events (what it sent,
// its own latency per channel) and the simulators' probes (what each channel accepted, in arrival order,
// and when). From those: whether any channel received a figure older than one it already had
// (figure-order.ts), and how long a buyer's order took to lower the same product on the other channels.
import { CHANNEL_TYPES, type ChannelType } from '../../../shared/channel-types'
import type { EngineEvent, EngineStatus } from '../../node/engine'
import type { PushStatus } from '../../node/db/repos/push-state'
import type { DemoEnvironment, MarketEvent } from './demo-environment'
import { judgeFigureOrder, type ReceivedFigure, type SentFigure } from './figure-order'

export interface DemoChannelSummary {
  channelId: string
  type: ChannelType
  /** Listing updates the engine counts as done (accepted or confirmed). */
  pushes: number
  apiCalls: number
  /** The engine's own figure: from queueing an update to the channel accepting or confirming it. */
  latencyP50Ms: number | null
  latencyP99Ms: number | null
  /** Stock writes the channel's simulator accepted. */
  received: number
  olderAfterNewer: number
}

export interface DemoSummary {
  durationMs: number
  products: number
  /** The market's stock moves in Odoo (receipts, scrap, inventory counts). */
  stockMoves: number
  /** Buyers' orders the market placed on the simulated marketplaces. */
  orders: number
  /** Orders that reached Odoo as confirmed sale orders. */
  ordersInOdoo: number
  /** Odoo products whose stock changes the engine picked up. */
  changesSeen: number
  pushes: number
  received: number
  /** Figures a channel received after a newer figure of the same listing. */
  olderAfterNewer: number
  /** Writes a simulator accepted that the engine had not reported when the demo ended. */
  unexplained: number
  /** From a buyer's order to the product's lower figure reaching each other channel. */
  orderLatencyP50Ms: number | null
  orderLatencyP99Ms: number | null
  orderLatencySamples: number
  errors: number
  channels: DemoChannelSummary[]
}

export interface DemoWatch {
  /** Every event the runtime emits while the demo runs. */
  onEngineEvent(e: EngineEvent): void
  /** `status`: the engine's status just before it stopped (null when it never ran). */
  summary(status: EngineStatus | null, durationMs: number): DemoSummary
  /** Lets go of the simulators' probes and the market. */
  close(): void
}

/** Statuses of a push the channel was sent (accepted, confirmed, or refused after it arrived). */
const SENT: ReadonlySet<PushStatus> = new Set(['sent', 'accepted', 'confirmed', 'rejected', 'blocked'])

const key = (channelId: string, listingId: string) => `${channelId}\u0000${listingId}`

const percentile = (sorted: readonly number[], p: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

export function watchDemo(env: DemoEnvironment): DemoWatch {
  const sent = new Map<string, SentFigure[]>()
  const received = new Map<string, ReceivedFigure[]>()
  const lastReceived = new Map<string, number>()
  /** Per other channel's listing: the buyer's order it waits to show, and the figure it had then. */
  const waiting = new Map<string, { at: number; before: number }>()
  const samples: number[] = []
  let stockMoves = 0
  let orders = 0
  let ordersInOdoo = 0
  let errors = 0

  // The listing of each product on each channel, by the id the channel's adapter uses.
  const listingOf = new Map<ChannelType, Map<string, string>>()
  for (const type of CHANNEL_TYPES) {
    const bySku = new Map<string, string>()
    for (const l of env.sims[type].probe.listingIndex()) {
      const p = env.products.find((x) => x.sku === l.sku || x.ean === l.ean)
      if (p) bySku.set(p.sku, l.listingId)
    }
    listingOf.set(type, bySku)
  }

  for (const type of CHANNEL_TYPES) {
    const channelId = env.channelIds[type]
    env.sims[type].probe.onStockWrite = (w) => {
      const k = key(channelId, w.listingId)
      const value = w.paused ? 0 : w.quantity
      const xs = received.get(k) ?? []
      xs.push({ at: w.at, value })
      received.set(k, xs)
      lastReceived.set(k, value)
      const wait = waiting.get(k)
      if (wait && value !== wait.before) {
        // A different figure went out after the order: it holds the order, or something newer.
        waiting.delete(k)
        if (value < wait.before) samples.push(w.at - wait.at)
      }
    }
  }

  const offMarket = env.onMarketEvent((e: MarketEvent) => {
    if (e.kind !== 'order') {
      stockMoves++
      return
    }
    orders++
    for (const type of CHANNEL_TYPES) {
      if (type === e.channel) continue
      const listingId = listingOf.get(type)?.get(e.sku)
      if (!listingId) continue
      const k = key(env.channelIds[type], listingId)
      const shown = env.sims[type].probe.listingState(listingId)
      const before = lastReceived.get(k) ?? (shown ? (shown.buyable ? shown.quantity : 0) : 0)
      // Nothing to lower on a listing at 0; an earlier order still waiting keeps its own time.
      if (before > 0 && !waiting.has(k)) waiting.set(k, { at: e.at, before })
    }
  })

  return {
    onEngineEvent(e) {
      if (e.type === 'push' && SENT.has(e.status)) {
        const k = key(e.channelId, e.listingId)
        const xs = sent.get(k) ?? []
        xs.push({ stamp: e.stamp, value: e.quantity })
        sent.set(k, xs)
      } else if (e.type === 'log') {
        if (e.entry.level === 'error') errors++
        if (e.entry.kind === 'order_import' && e.entry.status === 'confirmed') ordersInOdoo++
      }
    },
    summary(status, durationMs) {
      const byChannel = new Map<string, { received: number; olderAfterNewer: number }>()
      let total = { received: 0, olderAfterNewer: 0, unexplained: 0 }
      for (const [k, xs] of received) {
        const channelId = k.slice(0, k.indexOf('\u0000'))
        const v = judgeFigureOrder(sent.get(k) ?? [], xs)
        const c = byChannel.get(channelId) ?? { received: 0, olderAfterNewer: 0 }
        c.received += v.received
        c.olderAfterNewer += v.olderAfterNewer
        byChannel.set(channelId, c)
        total = {
          received: total.received + v.received,
          olderAfterNewer: total.olderAfterNewer + v.olderAfterNewer,
          unexplained: total.unexplained + v.unexplained,
        }
      }
      const sorted = [...samples].sort((a, b) => a - b)
      const engineChannels = new Map((status?.channels ?? []).map((c) => [c.channelId, c]))
      const channels = CHANNEL_TYPES.map((type): DemoChannelSummary => {
        const channelId = env.channelIds[type]
        const c = engineChannels.get(channelId)
        const seen = byChannel.get(channelId) ?? { received: 0, olderAfterNewer: 0 }
        return {
          channelId,
          type,
          pushes: c?.pushes ?? 0,
          apiCalls: c?.apiCalls ?? 0,
          latencyP50Ms: c?.latencyP50Ms ?? null,
          latencyP99Ms: c?.latencyP99Ms ?? null,
          ...seen,
        }
      })
      return {
        durationMs,
        products: env.products.length,
        stockMoves,
        orders,
        ordersInOdoo,
        changesSeen: status?.odoo.changesSeen ?? 0,
        pushes: channels.reduce((n, c) => n + c.pushes, 0),
        ...total,
        orderLatencyP50Ms: percentile(sorted, 0.5),
        orderLatencyP99Ms: percentile(sorted, 0.99),
        orderLatencySamples: sorted.length,
        errors,
        channels,
      }
    },
    close() {
      offMarket()
      for (const type of CHANNEL_TYPES) env.sims[type].probe.onStockWrite = null
    },
  }
}

/** The summary as `lastunit demo` prints it. */
export function formatDemoSummary(s: DemoSummary): string {
  const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`)
  return [
    `Demo finished after ${(s.durationMs / 1000).toFixed(1)} s: ${s.products} products, simulated Odoo and seven marketplaces, the app's own adapters.`,
    `  market: ${s.stockMoves} stock moves in Odoo, ${s.orders} orders on the marketplaces (${s.ordersInOdoo} in Odoo as sale orders)`,
    `  changes seen in Odoo ${s.changesSeen}, listing updates done ${s.pushes}, stock writes the channels accepted ${s.received}`,
    `  order -> the other channels: p50 ${ms(s.orderLatencyP50Ms)}, p99 ${ms(s.orderLatencyP99Ms)} (${s.orderLatencySamples} listings lowered)`,
    `  older value after a newer one: ${s.olderAfterNewer}${s.unexplained > 0 ? ` (${s.unexplained} writes not reported by the engine yet)` : ''}, errors: ${s.errors}`,
    '  channel                pushes  calls  received  p50      p99',
    ...s.channels.map(
      (c) =>
        `  ${c.channelId.padEnd(20)} ${String(c.pushes).padStart(7)} ${String(c.apiCalls).padStart(6)} ${String(c.received).padStart(9)}  ${ms(c.latencyP50Ms).padEnd(8)} ${ms(c.latencyP99Ms)}${c.olderAfterNewer > 0 ? `  ${c.olderAfterNewer} OLDER AFTER NEWER` : ''}`,
    ),
  ].join('\n')
}
