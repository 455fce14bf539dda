// What a channel answered to a batch, recorded in one transaction: accepted and confirmed items leave the
// outbox, rejected ones count a failure (and block the listing after `blockAfter` identical ones), the
// rest is retried after a backoff. A channel's own trouble (transient) says nothing about a listing.
import type { PushItemResult } from '../../core/ports/channel-adapter'
import { backoffDelay } from '../../core/sync/backoff'
import {
  completeOutboxBatch,
  completeOutboxRow,
  removeOutboxRow,
  retryOutboxLater,
  type OutboxRow,
} from '../db/repos/outbox'
import {
  blockListing,
  pushStateFailure,
  pushStateSettledBatch,
  type PushStatus,
} from '../db/repos/push-state'
import { DETAILED_BATCH, type PushedEvent, type WorkerContext } from './worker-types'

interface Settled {
  listingId: string
  quantity: number
  action: OutboxRow['action']
  stamp: number
  status: 'accepted' | 'confirmed'
  token: string | null
}

const missingResult = (row: OutboxRow): PushItemResult => ({
  listingId: row.listingId,
  stamp: row.stamp,
  outcome: 'retry',
  code: 'missing_result',
  message: 'the channel answered without a result for this listing',
})

/** Records a batch's answers; returns the events to tell once the transaction committed. */
export function applyResults(w: WorkerContext, rows: OutboxRow[], results: PushItemResult[]): PushedEvent[] {
  // Channels usually answer in the order asked: match by position, and build a lookup only if not.
  const inOrder =
    results.length === rows.length &&
    results.every((r, i) => r.listingId === rows[i]!.listingId && r.stamp === rows[i]!.stamp)
  const byKey = inOrder ? null : new Map(results.map((r) => [`${r.listingId}\u0000${r.stamp}`, r]))
  const now = w.clock.now()
  const events: PushedEvent[] = []
  const ok: Settled[] = []
  w.db.transaction(() => {
    for (const [index, row] of rows.entries()) {
      const r =
        (byKey ? byKey.get(`${row.listingId}\u0000${row.stamp}`) : results[index]) ?? missingResult(row)
      if (r.outcome === 'confirmed' || r.outcome === 'accepted') {
        ok.push({
          listingId: row.listingId,
          quantity: row.quantity,
          action: row.action,
          stamp: row.stamp,
          status: r.outcome,
          token: r.confirmationToken ?? null,
        })
        events.push(accepted(w, row, r.outcome, now, rows.length <= DETAILED_BATCH))
        continue
      }
      const ev = applyOne(w, row, r, now)
      if (ev) events.push(ev)
    }
    completeOutboxBatch(w.db, w.channelId, ok)
    pushStateSettledBatch(w.db, w.channelId, ok, now)
  })()
  if (rows.length > DETAILED_BATCH) {
    const counts = new Map<string, number>()
    for (const e of events) counts.set(e.status, (counts.get(e.status) ?? 0) + 1)
    w.hooks.log({
      at: now,
      level: 'info',
      kind: 'push',
      channelId: w.channelId,
      status: 'batch',
      message: `batch of ${rows.length}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'no answers yet'}`,
    })
  }
  return events
}

/** An item the channel took: latency and counters, and its log line in a small batch. */
function accepted(
  w: WorkerContext,
  row: OutboxRow,
  outcome: 'accepted' | 'confirmed',
  now: number,
  detailed: boolean,
): PushedEvent {
  const latencyMs = now - row.enqueuedAt
  w.latency.add(latencyMs)
  w.pushes++
  if (outcome === 'confirmed') w.lastConfirmedAt = now
  if (detailed)
    w.hooks.log({
      at: now,
      channelId: row.channelId,
      listingId: row.listingId,
      level: 'info',
      kind: 'push',
      status: outcome,
      message: `${row.action} ${row.quantity} ${outcome} in ${latencyMs} ms (stamp ${row.stamp})`,
    })
  return { listingId: row.listingId, status: outcome, quantity: row.quantity, stamp: row.stamp, latencyMs }
}

/** A rejected item, or one to retry. */
function applyOne(w: WorkerContext, row: OutboxRow, r: PushItemResult, now: number): PushedEvent | null {
  const { channelId, listingId, stamp, quantity } = row
  if (r.outcome === 'rejected') {
    completeOutboxRow(w.db, channelId, listingId, stamp)
    const status = countFailure(w, row, r, true, now)
    return { listingId, status, quantity, stamp }
  }
  // The channel's own trouble (throttling, an outage) says nothing about this listing.
  const status = r.transient ? 'queued' : countFailure(w, row, r, false, now)
  if (status !== 'blocked')
    retryOutboxLater(
      w.db,
      channelId,
      listingId,
      stamp,
      now + backoffDelay(row.attempts + 1, w.opts.random, w.opts.backoff),
      r.message ?? r.code ?? 'retry',
    )
  return null
}

/** One more failure of a listing; after `blockAfter` identical ones in a row it is blocked. */
export function countFailure(
  w: WorkerContext,
  row: OutboxRow,
  r: PushItemResult,
  reject: boolean,
  now: number,
): PushStatus {
  const { channelId, listingId, stamp, quantity } = row
  const code = r.code ?? (reject ? 'rejected' : 'retry')
  const message = r.message ?? code
  const n = pushStateFailure(w.db, { channelId, listingId, stamp, code, message, reject })
  if (n >= w.opts.blockAfter) {
    const reason = `${n} identical failures in a row (${code}): ${message}`
    blockListing(w.db, channelId, listingId, reason)
    removeOutboxRow(w.db, channelId, listingId)
    w.hooks.log({
      at: now,
      level: 'warn',
      kind: 'push',
      channelId,
      listingId,
      status: 'blocked',
      message: `blocked: ${reason}`,
      data: { stamp, code },
    })
    w.hooks.alert({
      kind: 'listing_blocked',
      severity: 'warning',
      subject: `${channelId}/${listingId}`,
      message: `Listing ${listingId} on ${channelId} is blocked: ${reason}`,
    })
    return 'blocked'
  }
  w.hooks.log({
    at: now,
    level: 'warn',
    kind: 'push',
    channelId,
    listingId,
    status: reject ? 'rejected' : 'queued',
    message: `${reject ? 'rejected' : 'will retry'} ${quantity}: ${code}: ${message}`,
    data: { stamp, code, failures: n },
  })
  return reject ? 'rejected' : 'queued'
}
