// What the engine says about itself: each channel's worker, queue and latency, Odoo's last poll, the
// latest resync; and whether everything queued has been sent and settled.
import { outboxDepth } from '../db/repos/outbox'
import { hasAcceptedPushes, pushStatusCounts } from '../db/repos/push-state'
import { latestResyncRun } from '../db/repos/resync'
import type { EngineCore } from './engine-core'
import type { ChannelStatus, EngineStatus } from './engine-types'
import type { OdooSync } from './odoo-sync'
import type { ResyncRunner } from './resync-runner'

export function engineStatus(
  core: EngineCore,
  parts: {
    odoo: OdooSync
    resync: ResyncRunner
    paused: boolean
    nextOrderPollAt: (channelId: string) => number | null
    orderPollIntervalOf: (channelId: string) => number | null
    orderQueueOf: (channelId: string) => ChannelStatus['orderQueue']
  },
): EngineStatus {
  const channels: ChannelStatus[] = []
  for (const [id, w] of core.workers) {
    const ch = core.catalog.channels.get(id)
    const counts = pushStatusCounts(core.db, id)
    channels.push({
      channelId: id,
      type: ch?.type ?? core.adapters.get(id)?.type ?? 'unknown',
      name: ch?.name ?? id,
      state: w.runState,
      queueDepth: outboxDepth(core.db, id),
      inFlight: w.inFlightCount,
      awaitingConfirmation: counts.accepted ?? 0,
      blocked: counts.blocked ?? 0,
      lastConfirmedAt: w.lastConfirmedAt,
      lastError: w.lastError,
      latencyP50Ms: w.latency.percentile(50),
      latencyP99Ms: w.latency.percentile(99),
      pushes: w.pushes,
      apiCalls: w.apiCalls,
      nextOrderPollAt: parts.nextOrderPollAt(id),
      orderPollIntervalMs: parts.orderPollIntervalOf(id),
      orderQueue: parts.orderQueueOf(id),
    })
  }
  const latest = latestResyncRun(core.db)
  return {
    running: core.started && !core.stopping,
    paused: parts.paused,
    odoo: {
      lastPollAt: parts.odoo.lastPollAt,
      lastError: parts.odoo.lastPollError,
      pollIntervalMs: core.opts.pollIntervalMs,
      changesSeen: parts.odoo.changesSeen,
    },
    channels,
    resync: latest ? parts.resync.withEstimate(latest) : null,
  }
}

/** Resolves once nothing is queued, in flight or awaiting confirmation (or the timeout passes). */
export async function engineIdle(core: EngineCore, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const busy = [...core.workers].some(
      ([id, w]) => w.inFlightCount > 0 || outboxDepth(core.db, id) > 0 || hasAcceptedPushes(core.db, id),
    )
    if (!busy) return true
    if (Date.now() >= deadline) return false
    await new Promise((r) => setTimeout(r, 20))
  }
}
