// What each listing was last asked to show and what the channel said, plus what it last accepted
// ("applied"). Results are only recorded for the stamp they belong to, and `applied` only ever moves to
// a newer stamp, so a late answer for an old value can never overwrite a newer one.
import type { Database, Statement } from 'better-sqlite3'
import { statement } from '../statement'
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

export class PushStateRepo {
  private readonly sGet: Statement
  private readonly sQueue: Statement
  private readonly sSent: Statement
  private readonly sApplied: Statement
  private readonly sStatusIfStamp: Statement
  private readonly sFailure: Statement
  private readonly sBlock: Statement
  private readonly sUnblock: Statement
  private readonly sAccepted: Statement
  private readonly sCounts: Statement
  private readonly sSettled: Statement
  private readonly sHasAccepted: Statement
  private readonly sAcceptedCount: Statement
  private readonly sTokenCount: Statement
  private readonly sConfirmToken: Statement
  private readonly sSentBatch: Statement
  private readonly sSettledSet: Statement
  private readonly sRequeue: Statement
  private readonly sAwaitingTokens: Statement
  private readonly sAcceptedByToken: Statement

  constructor(private readonly db: Database) {
    this.sGet = db.prepare('SELECT * FROM push_state WHERE channel_id = ? AND listing_id = ?')
    this.sQueue = db.prepare(
      `INSERT INTO push_state (channel_id, listing_id, status, quantity, action, stamp, enqueued_at, explanation)
       VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)
       ON CONFLICT (channel_id, listing_id) DO UPDATE SET status = 'queued', quantity = excluded.quantity,
         action = excluded.action, stamp = excluded.stamp, enqueued_at = excluded.enqueued_at,
         explanation = excluded.explanation, confirmation_token = NULL
       WHERE push_state.stamp < excluded.stamp AND push_state.status <> 'blocked'`,
    )
    // sQueue for a row known to exist: a plain update, without the insert attempt and its conflict.
    this.sRequeue = db.prepare(
      `UPDATE push_state SET status = 'queued', quantity = ?, action = ?, stamp = ?, enqueued_at = ?,
         explanation = ?, confirmation_token = NULL
       WHERE channel_id = ? AND listing_id = ? AND stamp < ? AND status <> 'blocked'`,
    )
    this.sSent = db.prepare(
      `UPDATE push_state SET status = 'sent', sent_at = ? WHERE channel_id = ? AND listing_id = ? AND stamp = ?`,
    )
    this.sApplied = db.prepare(
      `UPDATE push_state SET applied_quantity = @quantity, applied_action = @action, applied_stamp = @stamp,
         failure_count = 0, failure_code = NULL, last_error = NULL
       WHERE channel_id = @channelId AND listing_id = @listingId
         AND (applied_stamp IS NULL OR applied_stamp < @stamp)`,
    )
    this.sStatusIfStamp = db.prepare(
      `UPDATE push_state SET status = @status, confirmation_token = @token,
         confirmed_at = CASE WHEN @status = 'confirmed' THEN @at ELSE confirmed_at END
       WHERE channel_id = @channelId AND listing_id = @listingId AND stamp = @stamp AND status <> 'blocked'`,
    )
    this.sFailure = db.prepare(
      `UPDATE push_state SET
         failure_count = CASE WHEN failure_code IS @code THEN failure_count + 1 ELSE 1 END,
         failure_code = @code, last_error = @message,
         status = CASE WHEN stamp = @stamp AND @reject = 1 AND status <> 'blocked' THEN 'rejected' ELSE status END
       WHERE channel_id = @channelId AND listing_id = @listingId
       RETURNING failure_count`,
    )
    this.sBlock = db.prepare(
      `UPDATE push_state SET status = 'blocked', blocked_reason = ? WHERE channel_id = ? AND listing_id = ?`,
    )
    this.sUnblock = db.prepare(
      `UPDATE push_state SET status = 'skipped', blocked_reason = NULL, failure_count = 0, failure_code = NULL
       WHERE channel_id = ? AND listing_id = ? AND status = 'blocked'`,
    )
    this.sAccepted = db.prepare(
      `SELECT * FROM push_state WHERE channel_id = ? AND status = 'accepted' AND confirmation_token IS NOT NULL
       ORDER BY sent_at LIMIT ?`,
    )
    this.sSettled = db.prepare(
      `UPDATE push_state SET
         applied_quantity = CASE WHEN applied_stamp IS NULL OR applied_stamp < @stamp THEN @quantity ELSE applied_quantity END,
         applied_action = CASE WHEN applied_stamp IS NULL OR applied_stamp < @stamp THEN @action ELSE applied_action END,
         applied_stamp = max(coalesce(applied_stamp, 0), @stamp),
         failure_count = 0, failure_code = NULL, last_error = NULL,
         status = CASE WHEN stamp = @stamp AND status <> 'blocked' THEN @status ELSE status END,
         confirmation_token = CASE WHEN stamp = @stamp AND status <> 'blocked' THEN @token ELSE confirmation_token END,
         confirmed_at = CASE WHEN stamp = @stamp AND @status = 'confirmed' THEN @at ELSE confirmed_at END
       WHERE channel_id = @channelId AND listing_id = @listingId`,
    )
    // An IN list drives the primary key (a FROM join over json_each would scan the channel per item).
    this.sSentBatch = db.prepare(
      `UPDATE push_state SET status = 'sent', sent_at = @at
       WHERE channel_id = @channelId AND status <> 'blocked'
         AND listing_id IN (SELECT json_extract(value, '$[0]') FROM json_each(@items))`,
    )
    // The common case of a whole batch: each item settles the value the row itself holds (same stamp),
    // so one statement sets them all; RETURNING names them, and the rest (superseded meanwhile,
    // blocked) go through sSettled item by item.
    this.sSettledSet = db.prepare(
      `UPDATE push_state SET
         applied_quantity = CASE WHEN applied_stamp IS NULL OR applied_stamp < stamp THEN quantity ELSE applied_quantity END,
         applied_action = CASE WHEN applied_stamp IS NULL OR applied_stamp < stamp THEN action ELSE applied_action END,
         applied_stamp = max(coalesce(applied_stamp, 0), stamp),
         failure_count = 0, failure_code = NULL, last_error = NULL,
         status = @status, confirmation_token = @token,
         confirmed_at = CASE WHEN @status = 'confirmed' THEN @at ELSE confirmed_at END
       WHERE channel_id = @channelId AND status <> 'blocked'
         AND (listing_id, stamp) IN (SELECT value ->> 0, value ->> 1 FROM json_each(@items))
       RETURNING listing_id`,
    )
    this.sAwaitingTokens = db
      .prepare(
        `SELECT confirmation_token FROM push_state
         WHERE channel_id = ? AND status = 'accepted' AND confirmation_token IS NOT NULL
         ORDER BY sent_at LIMIT ?`,
      )
      .pluck()
    this.sAcceptedByToken = db
      .prepare(
        `SELECT listing_id, quantity, action, stamp, enqueued_at FROM push_state
         WHERE channel_id = ? AND confirmation_token = ? AND status = 'accepted'`,
      )
      .raw()
    this.sTokenCount = db.prepare(
      "SELECT count(*) AS n FROM push_state WHERE channel_id = ? AND confirmation_token = ? AND status = 'accepted'",
    )
    // Accepted already recorded the applied value; confirmation only moves the status.
    this.sConfirmToken = db.prepare(
      `UPDATE push_state SET status = 'confirmed', confirmed_at = ?
       WHERE channel_id = ? AND confirmation_token = ? AND status = 'accepted'`,
    )
    this.sAcceptedCount = db.prepare(
      "SELECT count(*) AS n FROM push_state WHERE channel_id = ? AND status = 'accepted'",
    )
    this.sHasAccepted = db.prepare(
      "SELECT 1 FROM push_state WHERE channel_id = ? AND status = 'accepted' LIMIT 1",
    )
    this.sCounts = db.prepare(
      'SELECT status, count(*) AS n FROM push_state WHERE channel_id = ? GROUP BY status',
    )
  }

  /** A batch went out: one statement for all its items. */
  sentBatch(channelId: string, items: ReadonlyArray<{ listingId: string; stamp: number }>, at: number): void {
    this.sSentBatch.run({ channelId, at, items: JSON.stringify(items.map((i) => [i.listingId, i.stamp])) })
  }

  /** settled() for every item of a batch. */
  settledBatch(
    channelId: string,
    items: ReadonlyArray<{
      listingId: string
      quantity: number
      action: PushAction
      stamp: number
      status: 'accepted' | 'confirmed'
      token: string | null
    }>,
    at: number,
  ): void {
    if (items.length === 0) return
    if (items.length === 1) {
      this.sSettled.run({ ...items[0]!, channelId, at })
      return
    }
    // Grouped by status and token (a batch usually has one of each), each group in one statement.
    const groups = new Map<string, Array<(typeof items)[number]>>()
    for (const i of items) {
      const key = `${i.status}\u0000${i.token ?? ''}\u0000${i.token === null ? 0 : 1}`
      const g = groups.get(key)
      if (g) g.push(i)
      else groups.set(key, [i])
    }
    for (const group of groups.values()) {
      const { status, token } = group[0]!
      const done = new Set(
        this.sSettledSet.pluck().all({
          channelId,
          status,
          token,
          at,
          items: JSON.stringify(group.map((i) => [i.listingId, i.stamp])),
        }) as string[],
      )
      for (const i of group) if (!done.has(i.listingId)) this.sSettled.run({ ...i, channelId, at })
    }
  }

  /** Tokens of the oldest `limit` items awaiting confirmation, each once. */
  awaitingTokens(channelId: string, limit: number): string[] {
    return [...new Set(this.sAwaitingTokens.all(channelId, limit) as string[])]
  }

  /** The items still accepted (not yet confirmed) under `token`. */
  acceptedByToken(
    channelId: string,
    token: string,
  ): Array<{
    listingId: string
    quantity: number | null
    action: PushAction | null
    stamp: number
    enqueuedAt: number | null
  }> {
    return (
      this.sAcceptedByToken.all(channelId, token) as Array<
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

  /** What bulk planning needs of every row (status, stamp, latest value), keyed channel NUL listing. */
  compactByKey(): Map<string, PushStateBrief> {
    const out = new Map<string, PushStateBrief>()
    const rows = this.db
      .prepare(
        'SELECT channel_id, listing_id, status, quantity, action, stamp, applied_action FROM push_state',
      )
      .raw()
      .iterate() as IterableIterator<
      [string, string, PushStatus, number | null, PushAction | null, number, PushAction | null]
    >
    for (const [channelId, listingId, status, quantity, action, stamp, appliedAction] of rows)
      out.set(`${channelId}\u0000${listingId}`, { status, quantity, action, stamp, appliedAction })
    return out
  }

  /** compactByKey() by channel, then listing: no key string built per row or per lookup. */
  compactByChannel(): Map<string, Map<string, PushStateBrief>> {
    const out = new Map<string, Map<string, PushStateBrief>>()
    const rows = this.db
      .prepare(
        'SELECT channel_id, listing_id, status, quantity, action, stamp, applied_action FROM push_state',
      )
      .raw()
      // all(), not iterate(): a call into the driver per row costs more than the arrays held at once.
      .all() as Array<
      [string, string, PushStatus, number | null, PushAction | null, number, PushAction | null]
    >
    for (const [channelId, listingId, status, quantity, action, stamp, appliedAction] of rows) {
      let m = out.get(channelId)
      if (!m) out.set(channelId, (m = new Map()))
      m.set(listingId, { status, quantity, action, stamp, appliedAction })
    }
    return out
  }

  /** Every row, keyed channel NUL listing (bulk planning). */
  allByKey(): Map<string, PushStateRow> {
    const rows = this.db.prepare('SELECT * FROM push_state').all() as RawRow[]
    return new Map(rows.map((r) => [`${r.channel_id}\u0000${r.listing_id}`, toRow(r)]))
  }

  /**
   * The channel took the value (accepted or confirmed): records what it now shows and, when it is still
   * the newest value, the status. One statement, as this runs for every item of every batch.
   */
  settled(p: {
    channelId: string
    listingId: string
    quantity: number
    action: PushAction
    stamp: number
    status: 'accepted' | 'confirmed'
    token: string | null
    at: number
  }): void {
    this.sSettled.run(p)
  }

  get(channelId: string, listingId: string): PushStateRow | null {
    const r = this.sGet.get(channelId, listingId) as RawRow | undefined
    return r ? toRow(r) : null
  }

  queued(p: {
    channelId: string
    listingId: string
    quantity: number
    action: PushAction
    stamp: number
    enqueuedAt: number
    explanation: string | null
  }): void {
    // Positional binding: this runs for every listing of a full resync.
    this.sQueue.run(p.channelId, p.listingId, p.quantity, p.action, p.stamp, p.enqueuedAt, p.explanation)
  }

  /** queued() when the caller knows the row exists (read in the same transaction). */
  requeued(p: {
    channelId: string
    listingId: string
    quantity: number
    action: PushAction
    stamp: number
    enqueuedAt: number
    explanation: string | null
  }): void {
    this.sRequeue.run(
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

  sent(channelId: string, listingId: string, stamp: number, at: number): void {
    this.sSent.run(at, channelId, listingId, stamp)
  }

  /** The channel took the value (accepted or confirmed). */
  applied(p: {
    channelId: string
    listingId: string
    quantity: number
    action: PushAction
    stamp: number
  }): void {
    this.sApplied.run(p)
  }

  setStatus(p: {
    channelId: string
    listingId: string
    stamp: number
    status: PushStatus
    token?: string | null
    at: number
  }): void {
    this.sStatusIfStamp.run({ ...p, token: p.token ?? null })
  }

  /** Counts a failure; identical consecutive failures add up. Returns how many in a row. */
  failure(p: {
    channelId: string
    listingId: string
    stamp: number
    code: string
    message: string
    reject: boolean
  }): number {
    const r = this.sFailure.get({ ...p, reject: p.reject ? 1 : 0 }) as { failure_count: number } | undefined
    return r?.failure_count ?? 0
  }

  block(channelId: string, listingId: string, reason: string): void {
    this.sBlock.run(reason, channelId, listingId)
  }

  unblock(channelId: string, listingId: string): boolean {
    return this.sUnblock.run(channelId, listingId).changes > 0
  }

  /**
   * Confirms every item still accepted under `token` when there are exactly `expected` of them (all of
   * them confirmed by the channel). Returns false, changing nothing, otherwise.
   */
  confirmTokenIfComplete(channelId: string, token: string, expected: number, at: number): boolean {
    const n = (this.sTokenCount.get(channelId, token) as { n: number }).n
    if (n !== expected) return false
    this.sConfirmToken.run(at, channelId, token)
    return true
  }

  acceptedCount(channelId: string): number {
    return (this.sAcceptedCount.get(channelId) as { n: number }).n
  }

  hasAccepted(channelId: string): boolean {
    return this.sHasAccepted.get(channelId) !== undefined
  }

  awaitingConfirmation(channelId: string, limit: number): PushStateRow[] {
    return (this.sAccepted.all(channelId, limit) as RawRow[]).map(toRow)
  }

  byToken(channelId: string, token: string): PushStateRow[] {
    return (
      this.db
        .prepare('SELECT * FROM push_state WHERE channel_id = ? AND confirmation_token = ?')
        .all(channelId, token) as RawRow[]
    ).map(toRow)
  }

  counts(channelId: string): Partial<Record<PushStatus, number>> {
    const out: Partial<Record<PushStatus, number>> = {}
    for (const r of this.sCounts.all(channelId) as Array<{ status: PushStatus; n: number }>)
      out[r.status] = r.n
    return out
  }

  blocked(channelId: string): PushStateRow[] {
    return (
      this.db
        .prepare("SELECT * FROM push_state WHERE channel_id = ? AND status = 'blocked' ORDER BY listing_id")
        .all(channelId) as RawRow[]
    ).map(toRow)
  }
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
