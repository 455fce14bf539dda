// One worker per channel: takes due rows from the outbox in batches of the channel's bulk size, holds
// its rate limits, sends, and records every item's outcome in one transaction per batch. Only one batch
// per channel is in flight at a time, so a listing's values reach the channel in stamp order.
import type { Database } from 'better-sqlite3'
import { ClassifiedError, errorMessage, isClassifiedError } from '../../core/errors'
import type {
  ChannelAdapter,
  PushBatchResult,
  PushItem,
  PushItemResult,
  RateLimitObservation,
} from '../../core/ports/channel-adapter'
import type { Clock } from '../../core/ports/clock'
import { TokenBucket } from '../../core/rate-limit/token-bucket'
import { backoffDelay, type BackoffOptions } from '../../core/sync/backoff'
import {
  completeOutboxBatch,
  completeOutboxRow,
  dueOutboxRows,
  enqueueOutbox,
  outboxNextDueAt,
  releaseOutboxRow,
  removeOutboxRow,
  retryOutboxLater,
  type OutboxRow,
} from '../db/repos/outbox'
import {
  blockListing,
  confirmPushTokenIfComplete,
  pushStateAcceptedByToken,
  pushStateAwaitingTokens,
  pushStateFailure,
  pushStateSentBatch,
  pushStateSettledBatch,
  type AcceptedItem,
  type PushStatus,
  type SettledItem,
} from '../db/repos/push-state'
import type { SyncLogEntry } from '../db/repos/sync-log'
import { sqliteBucketMemory } from '../db/repos/rate-memory'
import { LatencyWindow } from './latency-window'
import { Sleeper } from './sleeper'

/** Larger batches log one summary line; failures are always logged per listing. */
const DETAILED_BATCH = 50

export type WorkerState = 'running' | 'paused' | 'needs_seller' | 'awaiting_confirmation' | 'stopped'

export interface WorkerHooks {
  log(e: SyncLogEntry): void
  pushed(e: {
    listingId: string
    status: PushStatus
    quantity: number
    stamp: number
    latencyMs?: number
  }): void
  stateChanged(state: WorkerState, message?: string): void
  alert(a: { kind: string; severity: 'warning' | 'critical'; subject: string; message: string }): void
  clearAlert(kind: string, subject: string): void
  /** Called before the first send of a run; false holds the channel until confirmed. */
  mayPush(): boolean
  batchDone(): void
}

export interface WorkerOptions {
  blockAfter: number
  backoff: BackoffOptions
  confirmIntervalMs: number
  random: () => number
}

export class ChannelWorker {
  private state: WorkerState = 'running'
  private userPaused = false
  private readonly sleeper = new Sleeper()
  private readonly confirmSleeper = new Sleeper()
  private readonly bucket: TokenBucket | null
  private readonly itemBucket: TokenBucket | null
  private loopDone: Promise<void> | null = null
  private confirmDone: Promise<void> | null = null
  private stopping = false
  private draining = false
  private halted = false
  private inFlight = 0
  readonly latency = new LatencyWindow()
  lastConfirmedAt: number | null = null
  lastError: string | null = null
  pushes = 0
  apiCalls = 0

  constructor(
    readonly channelId: string,
    private readonly adapter: ChannelAdapter,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly hooks: WorkerHooks,
    private readonly opts: WorkerOptions,
  ) {
    const caps = adapter.capabilities
    if (!Number.isInteger(caps.bulkBatchSize) || caps.bulkBatchSize < 1)
      throw new RangeError(
        `channel ${channelId}: capabilities.bulkBatchSize must be a whole number >= 1, got ${caps.bulkBatchSize}`,
      )
    const push = caps.rateLimits.find((r) => r.scope === 'push')
    // Kept in SQLite, so a process killed and restarted goes on with what the last one left.
    const memory = sqliteBucketMemory(db, channelId)
    this.bucket = push
      ? new TokenBucket(push.ratePerSecond, push.burst, clock, { store: memory, key: 'push' })
      : null
    this.itemBucket =
      push?.itemsPerSecond !== undefined
        ? new TokenBucket(push.itemsPerSecond, Math.max(push.itemsPerSecond, caps.bulkBatchSize), clock, {
            store: memory,
            key: 'push-items',
          })
        : null
  }

  get runState(): WorkerState {
    return this.state
  }

  get inFlightCount(): number {
    return this.inFlight
  }

  start(): void {
    this.loopDone ??= this.loop()
    if (this.adapter.capabilities.asyncConfirmation && this.adapter.confirm)
      this.confirmDone ??= this.confirmLoop()
  }

  kick(): void {
    this.sleeper.wake()
  }

  pause(): void {
    this.userPaused = true
    this.setState('paused')
  }

  resume(): void {
    this.userPaused = false
    if (this.state === 'paused') this.setState('running')
    this.kick()
  }

  /** After the seller fixed what stopped the channel. */
  retry(): void {
    if (this.state === 'needs_seller' || this.state === 'awaiting_confirmation')
      this.setState(this.userPaused ? 'paused' : 'running')
    this.hooks.clearAlert('channel_needs_seller', this.channelId)
    this.kick()
  }

  /** `drain`: keep sending what is due now until the outbox is empty or `deadline` passes. */
  async stop(drain: boolean, deadline: number): Promise<void> {
    this.draining = drain && this.state === 'running'
    this.stopping = true
    this.kick()
    this.confirmSleeper.wake()
    const timeout = new Promise<void>((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref())
    await Promise.race([Promise.all([this.loopDone, this.confirmDone]), timeout])
    this.halted = true
    this.setState('stopped')
  }

  /** Crash semantics: stop now and write nothing more, not even the results of what is in flight. */
  halt(): void {
    this.halted = true
    this.stopping = true
    this.kick()
    this.confirmSleeper.wake()
  }

  private setState(s: WorkerState, message?: string): void {
    if (this.state === s) return
    this.state = s
    this.hooks.stateChanged(s, message)
  }

  private async loop(): Promise<void> {
    const batchSize = this.adapter.capabilities.bulkBatchSize
    while (!this.halted) {
      if (this.stopping && !this.draining) return
      if (this.state !== 'running' && this.state !== 'awaiting_confirmation') {
        if (this.stopping) return
        await this.sleeper.sleep(null)
        continue
      }
      // The rate limit first: asking SQLite for due rows only when a call may go now.
      const wait = Math.max(this.bucket?.take(0) ?? 0, this.itemBucket?.take(0) ?? 0)
      if (wait > 0) {
        await this.sleeper.sleep(wait)
        continue
      }
      const now = this.clock.now()
      const rows = dueOutboxRows(this.db, this.channelId, now, batchSize)
      if (rows.length === 0) {
        if (this.stopping) return
        const next = outboxNextDueAt(this.db, this.channelId)
        await this.sleeper.sleep(next === null ? null : Math.max(1, next - now))
        continue
      }
      if (!this.hooks.mayPush()) {
        this.setState('awaiting_confirmation', 'the first push waits for confirmation')
        if (this.stopping) return
        await this.sleeper.sleep(null)
        continue
      }
      if (this.state === 'awaiting_confirmation') this.setState('running')
      const w1 = this.bucket?.take(1) ?? 0
      const w2 = w1 === 0 ? (this.itemBucket?.take(rows.length) ?? 0) : 0
      if (w1 > 0 || w2 > 0) {
        await this.sleeper.sleep(Math.max(w1, w2))
        continue
      }
      await this.sendBatch(rows)
    }
  }

  private async sendBatch(rows: OutboxRow[]): Promise<void> {
    const now = this.clock.now()
    // No in-flight marker in SQLite: one batch per channel is in flight, and after a crash everything
    // still in the outbox is sent again (absolute quantities make that safe).
    // Large batches (resync) skip the transient 'sent' status: the in-flight count is in status(), and
    // one row write fewer per listing is a third less work for a full resync.
    if (rows.length <= DETAILED_BATCH) pushStateSentBatch(this.db, this.channelId, rows, now)
    const items: PushItem[] = rows.map((r) => ({
      listingId: r.listingId,
      quantity: r.quantity,
      action: r.action,
      stamp: r.stamp,
    }))
    this.inFlight = rows.length
    let result: PushBatchResult | null = null
    let failure: unknown = null
    try {
      result = await this.adapter.push(items)
    } catch (e) {
      failure = e
    }
    this.inFlight = 0
    if (this.halted) return
    this.apiCalls += result?.calls ?? 1
    if (result) {
      this.observe(result.rateLimit)
      this.applyResults(rows, result.results)
    } else this.batchFailed(rows, failure)
    this.hooks.batchDone()
  }

  private observe(o: RateLimitObservation | undefined): void {
    if (!o) return
    if (o.retryAfterMs !== undefined) this.bucket?.pauseFor(o.retryAfterMs)
    else if (o.remaining === 0 && o.resetInMs !== undefined) this.bucket?.pauseFor(o.resetInMs)
  }

  private applyResults(rows: OutboxRow[], results: PushItemResult[]): void {
    // Channels usually answer in the order asked: match by position, and build a lookup only if not.
    const inOrder =
      results.length === rows.length &&
      results.every((r, i) => r.listingId === rows[i]!.listingId && r.stamp === rows[i]!.stamp)
    const byKey = inOrder ? null : new Map(results.map((r) => [`${r.listingId}\u0000${r.stamp}`, r]))
    const now = this.clock.now()
    const events: Array<Parameters<WorkerHooks['pushed']>[0]> = []
    const ok: Array<{
      listingId: string
      quantity: number
      action: OutboxRow['action']
      stamp: number
      status: 'accepted' | 'confirmed'
      token: string | null
    }> = []
    this.db.transaction(() => {
      for (const [index, row] of rows.entries()) {
        const r = (byKey ? byKey.get(`${row.listingId}\u0000${row.stamp}`) : results[index]) ?? {
          listingId: row.listingId,
          stamp: row.stamp,
          outcome: 'retry' as const,
          code: 'missing_result',
          message: 'the channel answered without a result for this listing',
        }
        if (r.outcome === 'confirmed' || r.outcome === 'accepted') {
          ok.push({
            listingId: row.listingId,
            quantity: row.quantity,
            action: row.action,
            stamp: row.stamp,
            status: r.outcome,
            token: r.confirmationToken ?? null,
          })
          const latencyMs = now - row.enqueuedAt
          this.latency.add(latencyMs)
          this.pushes++
          if (r.outcome === 'confirmed') this.lastConfirmedAt = now
          if (rows.length <= DETAILED_BATCH)
            this.hooks.log({
              at: now,
              channelId: row.channelId,
              listingId: row.listingId,
              level: 'info',
              kind: 'push',
              status: r.outcome,
              message: `${row.action} ${row.quantity} ${r.outcome} in ${latencyMs} ms (stamp ${row.stamp})`,
            })
          events.push({
            listingId: row.listingId,
            status: r.outcome,
            quantity: row.quantity,
            stamp: row.stamp,
            latencyMs,
          })
          continue
        }
        const ev = this.applyOne(row, r, now)
        if (ev) events.push(ev)
      }
      completeOutboxBatch(this.db, this.channelId, ok)
      pushStateSettledBatch(this.db, this.channelId, ok, now)
    })()
    if (rows.length > DETAILED_BATCH) {
      const counts = new Map<string, number>()
      for (const e of events) counts.set(e.status, (counts.get(e.status) ?? 0) + 1)
      this.hooks.log({
        at: now,
        level: 'info',
        kind: 'push',
        channelId: this.channelId,
        status: 'batch',
        message: `batch of ${rows.length}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'no answers yet'}`,
      })
    }
    for (const e of events) this.hooks.pushed(e)
    if (this.state === 'running') this.lastError = null
  }

  private applyOne(
    row: OutboxRow,
    r: PushItemResult,
    now: number,
  ): Parameters<WorkerHooks['pushed']>[0] | null {
    const { channelId, listingId, stamp, quantity } = row
    switch (r.outcome) {
      case 'rejected': {
        completeOutboxRow(this.db, channelId, listingId, stamp)
        const status = this.countFailure(row, r, true, now)
        return { listingId, status, quantity, stamp }
      }
      case 'retry':
      default: {
        // The channel's own trouble (throttling, an outage) says nothing about this listing.
        const status = r.transient ? 'queued' : this.countFailure(row, r, false, now)
        if (status !== 'blocked')
          retryOutboxLater(
            this.db,
            channelId,
            listingId,
            stamp,
            now + backoffDelay(row.attempts + 1, this.opts.random, this.opts.backoff),
            r.message ?? r.code ?? 'retry',
          )
        return null
      }
    }
  }

  private countFailure(row: OutboxRow, r: PushItemResult, reject: boolean, now: number): PushStatus {
    const { channelId, listingId, stamp, quantity } = row
    const code = r.code ?? (reject ? 'rejected' : 'retry')
    const message = r.message ?? code
    const n = pushStateFailure(this.db, { channelId, listingId, stamp, code, message, reject })
    if (n >= this.opts.blockAfter) {
      const reason = `${n} identical failures in a row (${code}): ${message}`
      blockListing(this.db, channelId, listingId, reason)
      removeOutboxRow(this.db, channelId, listingId)
      this.hooks.log({
        at: now,
        level: 'warn',
        kind: 'push',
        channelId,
        listingId,
        status: 'blocked',
        message: `blocked: ${reason}`,
        data: { stamp, code },
      })
      this.hooks.alert({
        kind: 'listing_blocked',
        severity: 'warning',
        subject: `${channelId}/${listingId}`,
        message: `Listing ${listingId} on ${channelId} is blocked: ${reason}`,
      })
      return 'blocked'
    }
    this.hooks.log({
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

  private batchFailed(rows: OutboxRow[], e: unknown): void {
    const err = isClassifiedError(e)
      ? e
      : new ClassifiedError('retryable', 'unexpected', errorMessage(e), { cause: e })
    const now = this.clock.now()
    this.lastError = err.message
    if (err.kind === 'permanent') {
      // The channel refused the whole call: each item counts a failure, so a bad listing ends up blocked.
      const events: Array<Parameters<WorkerHooks['pushed']>[0]> = []
      this.db.transaction(() => {
        for (const row of rows) {
          completeOutboxRow(this.db, row.channelId, row.listingId, row.stamp)
          const status = this.countFailure(
            row,
            {
              listingId: row.listingId,
              stamp: row.stamp,
              outcome: 'rejected',
              code: err.code,
              message: err.message,
            },
            true,
            now,
          )
          events.push({ listingId: row.listingId, status, quantity: row.quantity, stamp: row.stamp })
        }
      })()
      for (const ev of events) this.hooks.pushed(ev)
      return
    }
    const attempts = Math.max(...rows.map((r) => r.attempts)) + 1
    const delay =
      err.retryAfterMs !== undefined
        ? err.retryAfterMs
        : err.kind === 'needs_seller'
          ? 0
          : backoffDelay(attempts, this.opts.random, this.opts.backoff)
    if (err.retryAfterMs !== undefined) this.bucket?.pauseFor(err.retryAfterMs)
    this.db.transaction(() => {
      for (const row of rows) {
        if (err.kind === 'needs_seller') releaseOutboxRow(this.db, row.channelId, row.listingId)
        else retryOutboxLater(this.db, row.channelId, row.listingId, row.stamp, now + delay, err.message)
      }
      this.hooks.log({
        at: now,
        level: err.kind === 'needs_seller' ? 'error' : 'warn',
        kind: 'channel',
        channelId: this.channelId,
        status: err.kind,
        message:
          err.kind === 'needs_seller'
            ? `${err.message}. Pushes to this channel are stopped until this is fixed.${err.hint ? ` ${err.hint}` : ''}`
            : `batch of ${rows.length} failed (${err.code}), retrying in ${delay} ms: ${err.message}`,
        data: { code: err.code, items: rows.length },
      })
    })()
    if (err.kind === 'needs_seller') {
      this.hooks.alert({
        kind: 'channel_needs_seller',
        severity: 'critical',
        subject: this.channelId,
        message: `${err.message}${err.hint ? `. ${err.hint}` : ''}`,
      })
      this.setState('needs_seller', err.message)
    }
  }

  private async confirmLoop(): Promise<void> {
    while (!this.halted && !this.stopping) {
      await this.confirmSleeper.sleep(this.opts.confirmIntervalMs)
      if (this.halted || this.stopping) return
      if (this.state === 'needs_seller') continue
      try {
        await this.confirmOnce()
      } catch (e) {
        if (this.halted) return
        const err = isClassifiedError(e) ? e : null
        this.lastError = errorMessage(e)
        this.hooks.log({
          at: this.clock.now(),
          level: 'warn',
          kind: 'confirm',
          channelId: this.channelId,
          status: err?.kind ?? 'retryable',
          message: `checking confirmations failed: ${errorMessage(e)}`,
        })
        if (err?.kind === 'needs_seller') this.batchFailed([], err)
      }
    }
  }

  /** Asks the channel about accepted items; returns how many were settled. */
  async confirmOnce(): Promise<number> {
    if (!this.adapter.confirm) return 0
    // Only the tokens are read before asking: the items themselves are read, by token, for the tokens
    // the channel answered, and only then (fresh, inside the transaction). Reading every waiting item
    // on every round kept thousands of rows alive across the call during a full resync.
    const tokens = pushStateAwaitingTokens(this.db, this.channelId, 1000)
    if (tokens.length === 0) return 0
    const results = await this.adapter.confirm(tokens)
    this.apiCalls++
    if (this.halted) return 0
    const now = this.clock.now()
    const events: Array<Parameters<WorkerHooks['pushed']>[0]> = []
    const detailed = results.length <= DETAILED_BATCH
    let resend = 0
    this.db.transaction(() => {
      const byListing = new Map<string, AcceptedItem & { confirmationToken: string }>()
      if (results.length > 0)
        for (const token of tokens)
          for (const row of pushStateAcceptedByToken(this.db, this.channelId, token))
            byListing.set(row.listingId, { ...row, confirmationToken: token })
      const confirmed: SettledItem[] = []
      for (const r of results) {
        const ps = byListing.get(r.listingId)
        if (!ps || ps.stamp !== r.stamp) continue
        const quantity = ps.quantity ?? 0
        const action = ps.action ?? 'set'
        /** The accepted item as an outbox row, for the failure count. */
        const row = (): OutboxRow => ({
          channelId: this.channelId,
          listingId: r.listingId,
          quantity,
          action,
          stamp: r.stamp,
          enqueuedAt: ps.enqueuedAt ?? now,
          attempts: 0,
          nextAttemptAt: 0,
          lastError: null,
          explanation: null,
          inflightStamp: null,
        })
        if (r.outcome === 'confirmed') {
          confirmed.push({
            listingId: r.listingId,
            quantity,
            action,
            stamp: r.stamp,
            status: 'confirmed',
            token: null,
          })
          if (detailed)
            this.hooks.log({
              at: now,
              level: 'info',
              kind: 'push',
              channelId: this.channelId,
              listingId: r.listingId,
              status: 'confirmed',
              message: `${action} ${quantity} confirmed (stamp ${r.stamp})`,
            })
          events.push({ listingId: r.listingId, status: 'confirmed', quantity, stamp: r.stamp })
        } else if (r.outcome === 'rejected') {
          const status = this.countFailure(row(), r, true, now)
          events.push({ listingId: r.listingId, status, quantity, stamp: r.stamp })
        } else if (r.outcome === 'retry') {
          // Accepted but never applied (Amazon still shows another figure after its processing time, a
          // feed it failed): the same value is sent again. Left 'accepted', it would wait forever.
          const status = r.transient ? 'queued' : this.countFailure(row(), r, false, now)
          const again =
            status !== 'blocked' &&
            enqueueOutbox(this.db, {
              channelId: this.channelId,
              listingId: r.listingId,
              quantity,
              action,
              stamp: r.stamp,
              enqueuedAt: now,
              explanation: null,
            }).result === 'inserted'
          if (again) {
            resend++
            this.hooks.log({
              at: now,
              level: 'warn',
              kind: 'push',
              channelId: this.channelId,
              listingId: r.listingId,
              status: 'retry',
              message: `${action} ${quantity} sent again: ${r.message ?? r.code ?? 'not applied'}`,
            })
          }
        }
      }
      // Only rows still 'accepted' at this stamp change (the statement checks the stamp).
      // A token (feed, batch) whose every accepted item is confirmed is settled in one statement;
      // the rest item by item.
      const perToken = new Map<string, typeof confirmed>()
      for (const c of confirmed) {
        const token = byListing.get(c.listingId)?.confirmationToken ?? ''
        const list = perToken.get(token) ?? []
        list.push(c)
        perToken.set(token, list)
      }
      for (const [token, items] of perToken) {
        if (token && confirmPushTokenIfComplete(this.db, this.channelId, token, items.length, now)) continue
        pushStateSettledBatch(this.db, this.channelId, items, now)
      }
      if (confirmed.length > 0) this.lastConfirmedAt = now
      if (!detailed && confirmed.length > 0)
        this.hooks.log({
          at: now,
          level: 'info',
          kind: 'push',
          channelId: this.channelId,
          status: 'confirmed',
          message: `${confirmed.length} listings confirmed`,
        })
    })()
    for (const e of events) this.hooks.pushed(e)
    if (resend > 0) this.kick()
    this.hooks.batchDone()
    return events.length + resend
  }
}
