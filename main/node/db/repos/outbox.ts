// The durable outbox: one row per (channel, listing) with the LATEST desired state. A row is only ever
// replaced by a newer stamp; a send that completes for an older stamp than the row now holds leaves the
// newer value queued. Rows marked in flight are not handed out again until their send completes.
import type { Database } from 'better-sqlite3'
import { rawStatement, statement } from '../statement'

export type PushAction = 'set' | 'pause' | 'resume'

export interface OutboxRow {
  channelId: string
  listingId: string
  quantity: number
  action: PushAction
  stamp: number
  enqueuedAt: number
  attempts: number
  nextAttemptAt: number
  lastError: string | null
  explanation: string | null
  inflightStamp: number | null
}

interface RawRow {
  channel_id: string
  listing_id: string
  quantity: number
  action: PushAction
  stamp: number
  enqueued_at: number
  attempts: number
  next_attempt_at: number
  last_error: string | null
  explanation: string | null
  inflight_stamp: number | null
}

const toRow = (r: RawRow): OutboxRow => ({
  channelId: r.channel_id,
  listingId: r.listing_id,
  quantity: r.quantity,
  action: r.action,
  stamp: r.stamp,
  enqueuedAt: r.enqueued_at,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  explanation: r.explanation,
  inflightStamp: r.inflight_stamp,
})

export interface EnqueueInput {
  channelId: string
  listingId: string
  quantity: number
  action: PushAction
  stamp: number
  enqueuedAt: number
  explanation: string | null
}

const GET = 'SELECT * FROM outbox WHERE channel_id = ? AND listing_id = ?'
const INSERT = `INSERT INTO outbox (channel_id, listing_id, quantity, action, stamp, enqueued_at, explanation)
  VALUES (?, ?, ?, ?, ?, ?, ?)`
// A newer value starts fresh: attempts and backoff belonged to the old value.
const REPLACE = `UPDATE outbox SET quantity = ?, action = ?, stamp = ?, enqueued_at = ?,
    explanation = ?, attempts = 0, next_attempt_at = 0, last_error = NULL
  WHERE channel_id = ? AND listing_id = ? AND stamp < ?`
const DUE = `SELECT listing_id, quantity, action, stamp, enqueued_at, attempts, next_attempt_at
  FROM outbox WHERE channel_id = ? AND next_attempt_at <= ? AND inflight_stamp IS NULL
  ORDER BY next_attempt_at LIMIT ?`
const INFLIGHT =
  'UPDATE outbox SET inflight_stamp = stamp WHERE channel_id = ? AND listing_id = ? AND stamp = ?'
const DELETE_IF_STAMP = 'DELETE FROM outbox WHERE channel_id = ? AND listing_id = ? AND stamp = ?'
const CLEAR_INFLIGHT = 'UPDATE outbox SET inflight_stamp = NULL WHERE channel_id = ? AND listing_id = ?'
const RETRY = `UPDATE outbox SET inflight_stamp = NULL, attempts = attempts + 1, next_attempt_at = ?, last_error = ?
  WHERE channel_id = ? AND listing_id = ? AND stamp = ?`
const DEPTH = 'SELECT count(*) AS n FROM outbox WHERE channel_id = ?'
const NEXT_DUE =
  'SELECT min(next_attempt_at) AS t FROM outbox WHERE channel_id = ? AND inflight_stamp IS NULL'
const RECOVER = 'UPDATE outbox SET inflight_stamp = NULL WHERE inflight_stamp IS NOT NULL'
const DELETE = 'DELETE FROM outbox WHERE channel_id = ? AND listing_id = ?'
const COMPLETE_BATCH = `DELETE FROM outbox WHERE channel_id = @channelId AND (listing_id, stamp) IN
  (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(@items))`
const OLDEST = 'SELECT min(enqueued_at) AS t FROM outbox WHERE channel_id = ?'

export function getOutboxRow(db: Database, channelId: string, listingId: string): OutboxRow | null {
  const r = statement(db, GET).get(channelId, listingId) as RawRow | undefined
  return r ? toRow(r) : null
}

/**
 * Queues a desired state. Returns 'inserted', 'replaced' (an older queued value was superseded) or
 * 'stale' (the row already holds this or a newer stamp: nothing changed). `known`: the row as the caller
 * read it in the same transaction (null: there is none), saving the look-up.
 */
export function enqueueOutbox(
  db: Database,
  input: EnqueueInput,
  known?: OutboxRow | null,
): { result: 'inserted' | 'replaced' | 'stale'; previous: OutboxRow | null } {
  const previous = known === undefined ? getOutboxRow(db, input.channelId, input.listingId) : known
  const i = input
  if (!previous) {
    // Positional binding: this runs for every listing of a full resync.
    statement(db, INSERT).run(
      i.channelId,
      i.listingId,
      i.quantity,
      i.action,
      i.stamp,
      i.enqueuedAt,
      i.explanation,
    )
    return { result: 'inserted', previous }
  }
  const changed =
    statement(db, REPLACE).run(
      i.quantity,
      i.action,
      i.stamp,
      i.enqueuedAt,
      i.explanation,
      i.channelId,
      i.listingId,
      i.stamp,
    ).changes > 0
  return { result: changed ? 'replaced' : 'stale', previous }
}

/** Rows due now, oldest first; the fields a send does not need (errors, explanation) are blank. */
export function dueOutboxRows(db: Database, channelId: string, now: number, limit: number): OutboxRow[] {
  const rows = rawStatement(db, DUE).all(channelId, now, limit) as Array<
    [string, number, PushAction, number, number, number, number]
  >
  const out: OutboxRow[] = new Array<OutboxRow>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const [listingId, quantity, action, stamp, enqueuedAt, attempts, nextAttemptAt] = rows[i]!
    out[i] = {
      channelId,
      listingId,
      quantity,
      action,
      stamp,
      enqueuedAt,
      attempts,
      nextAttemptAt,
      lastError: null,
      explanation: null,
      inflightStamp: null,
    }
  }
  return out
}

export function markOutboxInflight(db: Database, rows: readonly OutboxRow[]): void {
  const s = statement(db, INFLIGHT)
  for (const r of rows) s.run(r.channelId, r.listingId, r.stamp)
}

/** completeOutboxRow() for a whole batch in one statement; rows replaced by a newer stamp stay queued. */
export function completeOutboxBatch(
  db: Database,
  channelId: string,
  items: ReadonlyArray<{ listingId: string; stamp: number }>,
): void {
  if (items.length === 0) return
  statement(db, COMPLETE_BATCH).run({
    channelId,
    items: JSON.stringify(items.map((i) => [i.listingId, i.stamp])),
  })
}

/** The send of `stamp` is finished for good: drop the row unless a newer value replaced it meanwhile. */
export function completeOutboxRow(
  db: Database,
  channelId: string,
  listingId: string,
  stamp: number,
): 'done' | 'newer_queued' {
  if (statement(db, DELETE_IF_STAMP).run(channelId, listingId, stamp).changes > 0) return 'done'
  statement(db, CLEAR_INFLIGHT).run(channelId, listingId)
  return 'newer_queued'
}

/** Try `stamp` again at `nextAt`; when a newer value replaced it meanwhile, that one goes instead. */
export function retryOutboxLater(
  db: Database,
  channelId: string,
  listingId: string,
  stamp: number,
  nextAt: number,
  error: string,
): void {
  if (statement(db, RETRY).run(nextAt, error, channelId, listingId, stamp).changes === 0)
    statement(db, CLEAR_INFLIGHT).run(channelId, listingId)
}

/**
 * Not before `at`: the row waits (attempts and error untouched) while an older write of its listing may
 * still land. A newer value replacing it starts due at once, so the worker defers that one again.
 */
export function deferOutboxRow(
  db: Database,
  channelId: string,
  listingId: string,
  stamp: number,
  at: number,
): void {
  statement(
    db,
    'UPDATE outbox SET next_attempt_at = max(next_attempt_at, ?) WHERE channel_id = ? AND listing_id = ? AND stamp = ?',
  ).run(at, channelId, listingId, stamp)
}

/** Not sent after all (the channel stopped): hand the row out again later, unchanged. */
export function releaseOutboxRow(db: Database, channelId: string, listingId: string): void {
  statement(db, CLEAR_INFLIGHT).run(channelId, listingId)
}

export function removeOutboxRow(db: Database, channelId: string, listingId: string): void {
  statement(db, DELETE).run(channelId, listingId)
}

export function outboxDepth(db: Database, channelId: string): number {
  return (statement(db, DEPTH).get(channelId) as { n: number }).n
}

export function outboxNextDueAt(db: Database, channelId: string): number | null {
  return (statement(db, NEXT_DUE).get(channelId) as { t: number | null }).t
}

export function outboxOldestEnqueuedAt(db: Database, channelId: string): number | null {
  return (statement(db, OLDEST).get(channelId) as { t: number | null }).t
}

/** After a crash, whatever was in flight is sent again (absolute quantities make that safe). */
export function recoverOutboxInflight(db: Database): number {
  return statement(db, RECOVER).run().changes
}

const COMPACT_OF_CHANNEL =
  'SELECT listing_id, quantity, action, stamp, inflight_stamp FROM outbox WHERE channel_id = ?'

/**
 * What bulk planning needs of one channel's queued rows, by listing; other fields are blank. One channel
 * at a time, so a full resync holds one channel's rows, not every channel's.
 */
export function outboxCompactOfChannel(db: Database, channelId: string): Map<string, OutboxRow> {
  const out = new Map<string, OutboxRow>()
  const rows = rawStatement(db, COMPACT_OF_CHANNEL).all(channelId) as Array<
    [string, number, PushAction, number, number | null]
  >
  for (const [listingId, quantity, action, stamp, inflightStamp] of rows)
    out.set(listingId, {
      channelId,
      listingId,
      quantity,
      action,
      stamp,
      inflightStamp,
      enqueuedAt: 0,
      attempts: 0,
      nextAttemptAt: 0,
      lastError: null,
      explanation: null,
    })
  return out
}

/** Every queued row of a channel, by listing. */
export function outboxRowsOf(db: Database, channelId: string): OutboxRow[] {
  return (
    statement(db, 'SELECT * FROM outbox WHERE channel_id = ? ORDER BY listing_id').all(channelId) as RawRow[]
  ).map(toRow)
}

/** Per channel: rows queued, how many of them are retrying, and the oldest one's enqueue time. */
export const outboxSummaryByChannel = (
  db: Database,
): Array<{ channelId: string; queued: number; retrying: number | null; oldest: number | null }> =>
  statement(
    db,
    `SELECT channel_id AS channelId, COUNT(*) AS queued, SUM(attempts > 0) AS retrying,
            MIN(enqueued_at) AS oldest FROM outbox GROUP BY channel_id ORDER BY channel_id`,
  ).all() as Array<{ channelId: string; queued: number; retrying: number | null; oldest: number | null }>

const DROP_UNCHANGED = `DELETE FROM outbox WHERE channel_id = ? AND inflight_stamp IS NULL AND stamp >= ?
  AND EXISTS (SELECT 1 FROM push_state p WHERE p.channel_id = outbox.channel_id AND p.listing_id = outbox.listing_id
    AND p.applied_stamp IS NOT NULL AND p.applied_quantity = outbox.quantity AND p.applied_action IS outbox.action)
  RETURNING listing_id, stamp`
const BACK_TO_CONFIRMED = `UPDATE push_state SET status = 'confirmed'
  WHERE channel_id = ? AND listing_id = ? AND stamp = ? AND status = 'queued'`

/**
 * A cancelled resync: drops the rows of the channel queued at or after `fromStamp` that are not in flight
 * and carry exactly what the channel last applied (only the resync's force queued them: they would change
 * nothing). A row whose figure differs stays, since normal sync would send it too. Their push state goes
 * back to confirmed. Returns how many rows were dropped.
 */
export function dropUnchangedQueued(db: Database, channelId: string, fromStamp: number): number {
  return db.transaction(() => {
    const dropped = statement(db, DROP_UNCHANGED).all(channelId, fromStamp) as {
      listing_id: string
      stamp: number
    }[]
    for (const r of dropped) statement(db, BACK_TO_CONFIRMED).run(channelId, r.listing_id, r.stamp)
    return dropped.length
  })()
}
