// What each listing was last asked to show and what the channel said, plus what it last accepted
// ("applied"). Results are only recorded for the stamp they belong to, and `applied` only ever moves to
// a newer stamp, so a late answer for an old value can never overwrite a newer one.
import type { Database } from 'better-sqlite3'
import { pluckStatement, rawStatement, statement } from '../statement'
import type { PushAction } from './outbox'

export type PushStatus =
  'queued' | 'sent' | 'accepted' | 'confirmed' | 'rejected' | 'superseded' | 'skipped' | 'blocked'

export interface PushStateRow {
  channelId: string
  listingId: string
  status: PushStatus
  quantity: number | null
  action: PushAction | null
  stamp: number
  confirmationToken: string | null
  sentAt: number | null
  confirmedAt: number | null
  failureCode: string | null
  failureCount: number
  blockedReason: string | null
  appliedQuantity: number | null
  appliedAction: PushAction | null
  appliedStamp: number | null
  enqueuedAt: number | null
  explanation: string | null
  lastError: string | null
}

/** The part of a row that planning reads. */
export type PushStateBrief = Pick<PushStateRow, 'status' | 'quantity' | 'action' | 'stamp' | 'appliedAction'>

interface RawRow {
  channel_id: string
  listing_id: string
  status: PushStatus
  quantity: number | null
  action: PushAction | null
  stamp: number
  confirmation_token: string | null
  sent_at: number | null
  confirmed_at: number | null
  failure_code: string | null
  failure_count: number
  blocked_reason: string | null
  applied_quantity: number | null
  applied_action: PushAction | null
  applied_stamp: number | null
  enqueued_at: number | null
  explanation: string | null
  last_error: string | null
}

const toRow = (r: RawRow): PushStateRow => ({
  channelId: r.channel_id,
  listingId: r.listing_id,
  status: r.status,
  quantity: r.quantity,
  action: r.action,
  stamp: r.stamp,
  confirmationToken: r.confirmation_token,
  sentAt: r.sent_at,
  confirmedAt: r.confirmed_at,
  failureCode: r.failure_code,
  failureCount: r.failure_count,
  blockedReason: r.blocked_reason,
  appliedQuantity: r.applied_quantity,
  appliedAction: r.applied_action,
  appliedStamp: r.applied_stamp,
  enqueuedAt: r.enqueued_at,
  explanation: r.explanation,
  lastError: r.last_error,
})

const GET = 'SELECT * FROM push_state WHERE channel_id = ? AND listing_id = ?'
const QUEUE = `INSERT INTO push_state (channel_id, listing_id, status, quantity, action, stamp, enqueued_at, explanation)
  VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)
  ON CONFLICT (channel_id, listing_id) DO UPDATE SET status = 'queued', quantity = excluded.quantity,
    action = excluded.action, stamp = excluded.stamp, enqueued_at = excluded.enqueued_at,
    explanation = excluded.explanation, confirmation_token = NULL
  WHERE push_state.stamp < excluded.stamp AND push_state.status <> 'blocked'`
// QUEUE for a row known to exist: a plain update, without the insert attempt and its conflict.
const REQUEUE = `UPDATE push_state SET status = 'queued', quantity = ?, action = ?, stamp = ?, enqueued_at = ?,
    explanation = ?, confirmation_token = NULL
  WHERE channel_id = ? AND listing_id = ? AND stamp < ? AND status <> 'blocked'`
const SENT = `UPDATE push_state SET status = 'sent', sent_at = ? WHERE channel_id = ? AND listing_id = ? AND stamp = ?`
const APPLIED = `UPDATE push_state SET applied_quantity = @quantity, applied_action = @action, applied_stamp = @stamp,
    failure_count = 0, failure_code = NULL, last_error = NULL
  WHERE channel_id = @channelId AND listing_id = @listingId
    AND (applied_stamp IS NULL OR applied_stamp < @stamp)`
const STATUS_IF_STAMP = `UPDATE push_state SET status = @status, confirmation_token = @token,
    confirmed_at = CASE WHEN @status = 'confirmed' THEN @at ELSE confirmed_at END
  WHERE channel_id = @channelId AND listing_id = @listingId AND stamp = @stamp AND status <> 'blocked'`
const FAILURE = `UPDATE push_state SET
    failure_count = CASE WHEN failure_code IS @code THEN failure_count + 1 ELSE 1 END,
    failure_code = @code, last_error = @message,
    status = CASE WHEN stamp = @stamp AND @reject = 1 AND status <> 'blocked' THEN 'rejected' ELSE status END
  WHERE channel_id = @channelId AND listing_id = @listingId
  RETURNING failure_count`
const BLOCK = `UPDATE push_state SET status = 'blocked', blocked_reason = ? WHERE channel_id = ? AND listing_id = ?`
const UNBLOCK = `UPDATE push_state SET status = 'skipped', blocked_reason = NULL, failure_count = 0, failure_code = NULL
  WHERE channel_id = ? AND listing_id = ? AND status = 'blocked'`
const ACCEPTED = `SELECT * FROM push_state WHERE channel_id = ? AND status = 'accepted' AND confirmation_token IS NOT NULL
  ORDER BY sent_at LIMIT ?`
const SETTLED = `UPDATE push_state SET
    applied_quantity = CASE WHEN applied_stamp IS NULL OR applied_stamp < @stamp THEN @quantity ELSE applied_quantity END,
    applied_action = CASE WHEN applied_stamp IS NULL OR applied_stamp < @stamp THEN @action ELSE applied_action END,
    applied_stamp = max(coalesce(applied_stamp, 0), @stamp),
    failure_count = 0, failure_code = NULL, last_error = NULL,
    status = CASE WHEN stamp = @stamp AND status <> 'blocked' THEN @status ELSE status END,
    confirmation_token = CASE WHEN stamp = @stamp AND status <> 'blocked' THEN @token ELSE confirmation_token END,
    confirmed_at = CASE WHEN stamp = @stamp AND @status = 'confirmed' THEN @at ELSE confirmed_at END
  WHERE channel_id = @channelId AND listing_id = @listingId`
// An IN list drives the primary key (a FROM join over json_each would scan the channel per item).
const SENT_BATCH = `UPDATE push_state SET status = 'sent', sent_at = @at
  WHERE channel_id = @channelId AND status <> 'blocked'
    AND listing_id IN (SELECT json_extract(value, '$[0]') FROM json_each(@items))`
// The common case of a whole batch: each item settles the value the row itself holds (same stamp), so
// one statement sets them all; RETURNING names them, and the rest (superseded meanwhile, blocked) go
// through SETTLED item by item.
const SETTLED_SET = `UPDATE push_state SET
    applied_quantity = CASE WHEN applied_stamp IS NULL OR applied_stamp < stamp THEN quantity ELSE applied_quantity END,
    applied_action = CASE WHEN applied_stamp IS NULL OR applied_stamp < stamp THEN action ELSE applied_action END,
    applied_stamp = max(coalesce(applied_stamp, 0), stamp),
    failure_count = 0, failure_code = NULL, last_error = NULL,
    status = @status, confirmation_token = @token,
    confirmed_at = CASE WHEN @status = 'confirmed' THEN @at ELSE confirmed_at END
  WHERE channel_id = @channelId AND status <> 'blocked'
    AND (listing_id, stamp) IN (SELECT value ->> 0, value ->> 1 FROM json_each(@items))
  RETURNING listing_id`
const AWAITING_TOKENS = `SELECT confirmation_token FROM push_state
  WHERE channel_id = ? AND status = 'accepted' AND confirmation_token IS NOT NULL
  ORDER BY sent_at LIMIT ?`
const ACCEPTED_BY_TOKEN = `SELECT listing_id, quantity, action, stamp, enqueued_at FROM push_state
  WHERE channel_id = ? AND confirmation_token = ? AND status = 'accepted'`
const TOKEN_COUNT =
  "SELECT count(*) AS n FROM push_state WHERE channel_id = ? AND confirmation_token = ? AND status = 'accepted'"
// Accepted already recorded the applied value; confirmation only moves the status.
const CONFIRM_TOKEN = `UPDATE push_state SET status = 'confirmed', confirmed_at = ?
  WHERE channel_id = ? AND confirmation_token = ? AND status = 'accepted'`
const ACCEPTED_COUNT = "SELECT count(*) AS n FROM push_state WHERE channel_id = ? AND status = 'accepted'"
const HAS_ACCEPTED = "SELECT 1 FROM push_state WHERE channel_id = ? AND status = 'accepted' LIMIT 1"
const COUNTS = 'SELECT status, count(*) AS n FROM push_state WHERE channel_id = ? GROUP BY status'

/** A write whose fate nobody knows: sent by a process that stopped before the channel answered. */
export interface UnsettledSend {
  channelId: string
  listingId: string
  quantity: number
  action: PushAction
  sentAt: number
}

/**
 * Every write still marked sent: at start-up these were in flight in a process that died, and the channel
 * may still apply them. Read before anything is planned (a newer value would overwrite the sent one here).
 */
export const unsettledSends = (db: Database): UnsettledSend[] =>
  statement(
    db,
    `SELECT channel_id AS channelId, listing_id AS listingId, quantity, action, sent_at AS sentAt
     FROM push_state WHERE status = 'sent' AND sent_at IS NOT NULL AND quantity IS NOT NULL AND action IS NOT NULL`,
  ).all() as UnsettledSend[]

/** A batch went out: one statement for all its items. */
export function pushStateSentBatch(
  db: Database,
  channelId: string,
  items: ReadonlyArray<{ listingId: string; stamp: number }>,
  at: number,
): void {
  statement(db, SENT_BATCH).run({
    channelId,
    at,
    items: JSON.stringify(items.map((i) => [i.listingId, i.stamp])),
  })
}

export interface SettledItem {
  listingId: string
  quantity: number
  action: PushAction
  stamp: number
  status: 'accepted' | 'confirmed'
  token: string | null
}

/** pushStateSettled() for every item of a batch. */
export function pushStateSettledBatch(
  db: Database,
  channelId: string,
  items: ReadonlyArray<SettledItem>,
  at: number,
): void {
  if (items.length === 0) return
  const settled = statement(db, SETTLED)
  if (items.length === 1) {
    settled.run({ ...items[0]!, channelId, at })
    return
  }
  // Grouped by status and token (a batch usually has one of each), each group in one statement.
  const groups = new Map<string, SettledItem[]>()
  for (const i of items) {
    const key = `${i.status}\u0000${i.token ?? ''}\u0000${i.token === null ? 0 : 1}`
    const g = groups.get(key)
    if (g) g.push(i)
    else groups.set(key, [i])
  }
  const settledSet = pluckStatement(db, SETTLED_SET)
  for (const group of groups.values()) {
    const { status, token } = group[0]!
    const done = new Set(
      settledSet.all({
        channelId,
        status,
        token,
        at,
        items: JSON.stringify(group.map((i) => [i.listingId, i.stamp])),
      }) as string[],
    )
    for (const i of group) if (!done.has(i.listingId)) settled.run({ ...i, channelId, at })
  }
}

/** Tokens of the oldest `limit` items awaiting confirmation, each once. */
export function pushStateAwaitingTokens(db: Database, channelId: string, limit: number): string[] {
  return [...new Set(pluckStatement(db, AWAITING_TOKENS).all(channelId, limit) as string[])]
}

export interface AcceptedItem {
  listingId: string
  quantity: number | null
  action: PushAction | null
  stamp: number
  enqueuedAt: number | null
}

/** The items still accepted (not yet confirmed) under `token`. */
export function pushStateAcceptedByToken(db: Database, channelId: string, token: string): AcceptedItem[] {
  return (
    rawStatement(db, ACCEPTED_BY_TOKEN).all(channelId, token) as Array<
      [string, number | null, PushAction | null, number, number | null]
    >
  ).map(([listingId, quantity, action, stamp, enqueuedAt]) => ({
    listingId,
    quantity,
    action,
    stamp,
    enqueuedAt,
  }))
}

const COMPACT_OF_CHANNEL =
  'SELECT listing_id, status, quantity, action, stamp, applied_action FROM push_state WHERE channel_id = ?'

/**
 * What bulk planning needs of one channel's rows (status, stamp, latest value), by listing. One channel at
 * a time: all() (a call into the driver per row costs more than arrays held at once) holds one channel's
 * rows, and no row carries its channel id.
 */
export function pushStateCompactOfChannel(db: Database, channelId: string): Map<string, PushStateBrief> {
  const out = new Map<string, PushStateBrief>()
  const rows = rawStatement(db, COMPACT_OF_CHANNEL).all(channelId) as Array<
    [string, PushStatus, number | null, PushAction | null, number, PushAction | null]
  >
  for (const [listingId, status, quantity, action, stamp, appliedAction] of rows)
    out.set(listingId, { status, quantity, action, stamp, appliedAction })
  return out
}

/**
 * The channel took the value (accepted or confirmed): records what it now shows and, when it is still
 * the newest value, the status. One statement, as this runs for every item of every batch.
 */
export function pushStateSettled(
  db: Database,
  p: {
    channelId: string
    listingId: string
    quantity: number
    action: PushAction
    stamp: number
    status: 'accepted' | 'confirmed'
    token: string | null
    at: number
  },
): void {
  statement(db, SETTLED).run(p)
}

export function getPushState(db: Database, channelId: string, listingId: string): PushStateRow | null {
  const r = statement(db, GET).get(channelId, listingId) as RawRow | undefined
  return r ? toRow(r) : null
}

export interface QueuedPush {
  channelId: string
  listingId: string
  quantity: number
  action: PushAction
  stamp: number
  enqueuedAt: number
  explanation: string | null
}

export function pushStateQueued(db: Database, p: QueuedPush): void {
  // Positional binding: this runs for every listing of a full resync.
  statement(db, QUEUE).run(
    p.channelId,
    p.listingId,
    p.quantity,
    p.action,
    p.stamp,
    p.enqueuedAt,
    p.explanation,
  )
}

/** pushStateQueued() when the caller knows the row exists (read in the same transaction). */
export function pushStateRequeued(db: Database, p: QueuedPush): void {
  statement(db, REQUEUE).run(
    p.quantity,
    p.action,
    p.stamp,
    p.enqueuedAt,
    p.explanation,
    p.channelId,
    p.listingId,
    p.stamp,
  )
}

export function pushStateSent(
  db: Database,
  channelId: string,
  listingId: string,
  stamp: number,
  at: number,
): void {
  statement(db, SENT).run(at, channelId, listingId, stamp)
}

/** The channel took the value (accepted or confirmed). */
export function pushStateApplied(
  db: Database,
  p: { channelId: string; listingId: string; quantity: number; action: PushAction; stamp: number },
): void {
  statement(db, APPLIED).run(p)
}

export function setPushStatus(
  db: Database,
  p: {
    channelId: string
    listingId: string
    stamp: number
    status: PushStatus
    token?: string | null
    at: number
  },
): void {
  statement(db, STATUS_IF_STAMP).run({ ...p, token: p.token ?? null })
}

/** Counts a failure; identical consecutive failures add up. Returns how many in a row. */
export function pushStateFailure(
  db: Database,
  p: {
    channelId: string
    listingId: string
    stamp: number
    code: string
    message: string
    reject: boolean
  },
): number {
  const r = statement(db, FAILURE).get({ ...p, reject: p.reject ? 1 : 0 }) as
    { failure_count: number } | undefined
  return r?.failure_count ?? 0
}

export function blockListing(db: Database, channelId: string, listingId: string, reason: string): void {
  statement(db, BLOCK).run(reason, channelId, listingId)
}

export function unblockListing(db: Database, channelId: string, listingId: string): boolean {
  return statement(db, UNBLOCK).run(channelId, listingId).changes > 0
}

/**
 * Confirms every item still accepted under `token` when there are exactly `expected` of them (all of
 * them confirmed by the channel). Returns false, changing nothing, otherwise.
 */
export function confirmPushTokenIfComplete(
  db: Database,
  channelId: string,
  token: string,
  expected: number,
  at: number,
): boolean {
  const n = (statement(db, TOKEN_COUNT).get(channelId, token) as { n: number }).n
  if (n !== expected) return false
  statement(db, CONFIRM_TOKEN).run(at, channelId, token)
  return true
}

export function acceptedPushCount(db: Database, channelId: string): number {
  return (statement(db, ACCEPTED_COUNT).get(channelId) as { n: number }).n
}

export function hasAcceptedPushes(db: Database, channelId: string): boolean {
  return statement(db, HAS_ACCEPTED).get(channelId) !== undefined
}

export function pushesAwaitingConfirmation(db: Database, channelId: string, limit: number): PushStateRow[] {
  return (statement(db, ACCEPTED).all(channelId, limit) as RawRow[]).map(toRow)
}

export function pushStatesByToken(db: Database, channelId: string, token: string): PushStateRow[] {
  return (
    statement(db, 'SELECT * FROM push_state WHERE channel_id = ? AND confirmation_token = ?').all(
      channelId,
      token,
    ) as RawRow[]
  ).map(toRow)
}

export function pushStatusCounts(db: Database, channelId: string): Partial<Record<PushStatus, number>> {
  const out: Partial<Record<PushStatus, number>> = {}
  for (const r of statement(db, COUNTS).all(channelId) as Array<{ status: PushStatus; n: number }>)
    out[r.status] = r.n
  return out
}

export function blockedListings(db: Database, channelId: string): PushStateRow[] {
  return (
    statement(
      db,
      "SELECT * FROM push_state WHERE channel_id = ? AND status = 'blocked' ORDER BY listing_id",
    ).all(channelId) as RawRow[]
  ).map(toRow)
}

/** How many listings are in each status, per channel. */
export const pushStatusCountsByChannel = (
  db: Database,
): Array<{ channelId: string; status: string; count: number }> =>
  statement(
    db,
    `SELECT channel_id AS channelId, status, COUNT(*) AS count FROM push_state
     GROUP BY channel_id, status ORDER BY channel_id, status`,
  ).all() as Array<{ channelId: string; status: string; count: number }>
