// The first-push guard's durable parts. The dry-run diff: for each listing, what the channel shows now (as
// last fetched, or as last applied by LastUnit) against what the push would set; the engine builds it from
// its queue when a push is about to go out, the sync preview before a channel goes live. And the seller's
// confirmation, kept in engine_state so that it holds for every process on the data folder.
import type { Database } from 'better-sqlite3'
import type { DiffRow } from '../../core/sync/first-push-guard'
import { clearAlert } from '../db/repos/alerts'
import { getEngineValue, setEngineValue } from '../db/repos/engine-state'
import { fetchedListingQuantities } from '../db/repos/listings'
import { getPushState } from '../db/repos/push-state'
import type { SyncLogEntry } from '../db/repos/sync-log'

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
