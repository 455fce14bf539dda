// The first-push guard: its durable parts and its gate in the running engine. The dry-run diff: for each
// listing, what the channel shows now (as last fetched, or as last applied by LastUnit) against what the
// push would set; the engine builds it from its queue when a push is about to go out, the sync preview
// before a channel goes live. And the seller's confirmation, kept in engine_state so that it holds for
// every process on the data folder.
import type { Database } from 'better-sqlite3'
import { evaluateFirstPush, type DiffRow } from '../../core/sync/first-push-guard'
import { clearAlert } from '../db/repos/alerts'
import { getEngineValue, setEngineValue } from '../db/repos/engine-state'
import { fetchedListingQuantities } from '../db/repos/listings'
import { outboxRowsOf } from '../db/repos/outbox'
import { getPushState } from '../db/repos/push-state'
import type { SyncLogEntry } from '../db/repos/sync-log'
import type { EngineCore } from './engine-core'
import type { FirstPushReview } from './engine-types'

/** engine_state key of a channel's guard: 'held' (waits for the seller) or 'done' (confirmed or passed). */
export const firstPushKey = (channelId: string): string => `first_push:${channelId}`

export function firstPushState(db: Database, channelId: string): 'held' | 'done' | null {
  const v = getEngineValue(db, firstPushKey(channelId))
  return v === 'held' || v === 'done' ? v : null
}

/**
 * Records the seller's confirmation of a channel's first push: the guard lets it go, its alert clears, and
 * the log says who confirmed. The engine then sends (a running engine in another process on its next look).
 */
export function recordFirstPushConfirmation(
  db: Database,
  channelId: string,
  at: number,
  log: (e: SyncLogEntry) => void,
  by = 'the seller',
): void {
  setEngineValue(db, firstPushKey(channelId), 'done')
  clearAlert(db, 'first_push_held', channelId, at)
  log({
    at,
    level: 'info',
    kind: 'guard',
    channelId,
    status: 'confirmed',
    message: `first push confirmed by ${by}`,
  })
}

/**
 * `next(listingId, current)` is the figure the push would set; `current` is null when the channel's figure
 * is unknown (never fetched, never pushed).
 */
export function firstPushDiff(
  db: Database,
  channelId: string,
  listingIds: Iterable<string>,
  next: (listingId: string, current: number | null) => number,
): DiffRow[] {
  const fetched = fetchedListingQuantities(db, channelId)
  const diff: DiffRow[] = []
  for (const listingId of listingIds) {
    const current = fetched.get(listingId) ?? getPushState(db, channelId, listingId)?.appliedQuantity ?? null
    diff.push({ listingId, current, next: next(listingId, current) })
  }
  diff.sort((a, b) => (a.listingId < b.listingId ? -1 : 1))
  return diff
}

/**
 * The guard in the running engine: before a channel's first send it reviews what the push would change
 * and holds it (with an alert) when the verdict asks for the seller's confirmation.
 */
export class FirstPushGate {
  constructor(private readonly core: EngineCore) {}

  /** Whether a channel's worker may send; the first call decides (and records) whether it is held. */
  mayPush(channelId: string): boolean {
    const { core } = this
    if (!core.opts.firstPushGuard) return true
    const key = firstPushKey(channelId)
    const v = core.state.get(key)
    if (v === 'done') return true
    if (v === 'held') return false
    const review = this.review(channelId)
    if (!review.verdict.needsConfirmation) {
      core.state.set(key, 'done')
      return true
    }
    core.state.set(key, 'held')
    core.raiseAlert({
      kind: 'first_push_held',
      severity: 'warning',
      subject: channelId,
      channelId,
      message: `The first push to ${channelId} waits for your confirmation: ${review.verdict.reason}.`,
    })
    core.log({
      at: core.now(),
      level: 'warn',
      kind: 'guard',
      channelId,
      status: 'held',
      message: `first push held: ${review.verdict.reason}`,
      data: { toZero: review.verdict.toZero, drastic: review.verdict.drastic, total: review.verdict.total },
    })
    core.emit({ type: 'guard', review })
    return false
  }

  /** The dry-run diff of what is queued for the channel against what it shows, with the verdict. */
  review(channelId: string): FirstPushReview {
    const { core } = this
    core.worker(channelId)
    const queued = new Map(outboxRowsOf(core.db, channelId).map((r) => [r.listingId, r]))
    const ids: string[] = []
    for (const refs of core.catalog.listingsByProduct.values())
      for (const ref of refs) if (ref.channelId === channelId) ids.push(ref.listingId)
    const diff = firstPushDiff(core.db, channelId, ids, (listingId, now) => {
      const q = queued.get(listingId)
      return q ? (q.action === 'pause' ? 0 : q.quantity) : (now ?? 0)
    })
    return { channelId, verdict: evaluateFirstPush(diff, core.opts.guard), diff }
  }

  confirm(channelId: string): void {
    const { core } = this
    const w = core.worker(channelId)
    recordFirstPushConfirmation(core.db, channelId, core.now(), (e) => core.log(e))
    w.retry()
  }
}
