// One worker per channel: takes due rows from the outbox in batches of the channel's bulk size, holds
// its rate limits, sends, and records every item's outcome in one transaction per batch. Only one batch
// per channel is in flight at a time, so a listing's values reach the channel in stamp order.
import type { Database } from 'better-sqlite3'
import { ClassifiedError, errorMessage, isClassifiedError } from '../../core/errors'
import type {
  ChannelAdapter,
  PushBatchResult,
  PushItem,
  RateLimitObservation,
} from '../../core/ports/channel-adapter'
import type { Clock } from '../../core/ports/clock'
import { TokenBucket } from '../../core/rate-limit/token-bucket'
import { backoffDelay } from '../../core/sync/backoff'
import {
  completeOutboxRow,
  deferOutboxRow,
  dueOutboxRows,
  outboxNextDueAt,
  releaseOutboxRow,
  retryOutboxLater,
  type OutboxRow,
  type PushAction,
} from '../db/repos/outbox'
import { loadLateWrites, saveLateWrites } from '../db/repos/late-writes'
import { pushStateSentBatch } from '../db/repos/push-state'
import { sqliteBucketMemory } from '../db/repos/rate-memory'
import { confirmRound } from './confirm-round'
import { LatencyWindow } from './latency-window'
import { applyResults, countFailure } from './push-results'
import { Sleeper } from './sleeper'
import {
  type PushedEvent,
  type WorkerContext,
  type WorkerHooks,
  type WorkerOptions,
  type WorkerState,
} from './worker-types'

export type { PushedEvent, WorkerHooks, WorkerOptions, WorkerState } from './worker-types'

/** A write that left and whose fate is unknown: the channel may still apply it until `until`. */
interface LateWrite {
  quantity: number
  action: PushAction
  until: number
  logged: boolean
}

export class ChannelWorker implements WorkerContext {
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
  /**
   * Per listing, a write that may still land: a request is answered by the channel when it is processed,
   * which can be after a newer value sent by the next process (or after a retry). Only the same value may go
   * until then; any other waits, so it is applied after the older write and not overwritten by it.
   */
  private readonly late = new Map<string, LateWrite>()
  readonly latency = new LatencyWindow()
  lastConfirmedAt: number | null = null
  lastError: string | null = null
  pushes = 0
  apiCalls = 0

  constructor(
    readonly channelId: string,
    private readonly adapter: ChannelAdapter,
    readonly db: Database,
    readonly clock: Clock,
    readonly hooks: WorkerHooks,
    readonly opts: WorkerOptions,
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
    // Writes an earlier process held back for (and was killed inside the window of): still held.
    const now = clock.now()
    for (const l of loadLateWrites(db, channelId))
      if (l.until > now)
        this.late.set(l.listingId, { quantity: l.quantity, action: l.action, until: l.until, logged: false })
  }

  get runState(): WorkerState {
    return this.state
  }

  get inFlightCount(): number {
    return this.inFlight
  }

  /**
   * Writes the last process sent and never saw answered (push state 'sent' at start-up), before anything is
   * planned: until each can no longer land, no other value of its listing goes.
   */
  expectLateWrites(
    sends: ReadonlyArray<{ listingId: string; quantity: number; action: PushAction; sentAt: number }>,
  ): void {
    for (const s of sends)
      this.mayLand(s.listingId, s.quantity, s.action, s.sentAt + this.opts.lateWriteWindowMs)
    this.saveLate()
  }

  /** Kept in SQLite: a process killed inside a hold leaves it to the next one. */
  private saveLate(): void {
    saveLateWrites(
      this.db,
      this.channelId,
      [...this.late].map(([listingId, l]) => ({
        listingId,
        quantity: l.quantity,
        action: l.action,
        until: l.until,
      })),
    )
  }

  private mayLand(listingId: string, quantity: number, action: PushAction, until: number): void {
    if (until <= this.clock.now()) return
    const known = this.late.get(listingId)
    // Two unknown writes of different values: hold until the later one can no longer land, send neither.
    if (known && (known.quantity !== quantity || known.action !== action))
      this.late.set(listingId, { quantity: -1, action, until: Math.max(until, known.until), logged: false })
    else
      this.late.set(listingId, { quantity, action, until: Math.max(until, known?.until ?? 0), logged: false })
  }

  /** The rows that may go now; the others wait in the outbox until the older write can no longer land. */
  private holdBackLate(rows: OutboxRow[], now: number): OutboxRow[] {
    let ended = false
    for (const [id, l] of this.late)
      if (l.until <= now) {
        this.late.delete(id)
        ended = true
      }
    if (ended) this.saveLate()
    if (this.late.size === 0) return rows
    const go: OutboxRow[] = []
    const held: Array<{ row: OutboxRow; late: LateWrite }> = []
    for (const row of rows) {
      const late = this.late.get(row.listingId)
      if (late && (late.quantity !== row.quantity || late.action !== row.action)) held.push({ row, late })
      else go.push(row)
    }
    if (held.length > 0)
      this.db.transaction(() => {
        for (const { row, late } of held) {
          deferOutboxRow(this.db, row.channelId, row.listingId, row.stamp, late.until)
          if (late.logged) continue
          late.logged = true
          this.hooks.log({
            at: now,
            level: 'info',
            kind: 'push',
            channelId: this.channelId,
            listingId: row.listingId,
            status: 'queued',
            message: `${row.action} ${row.quantity} waits ${late.until - now} ms: an older write of this listing whose answer never came may still be applied, and must not land after it`,
            data: { stamp: row.stamp, until: late.until },
          })
        }
      })()
    return go
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
      const due = dueOutboxRows(this.db, this.channelId, now, batchSize)
      const rows = this.late.size > 0 ? this.holdBackLate(due, now) : due
      // Everything due waits for an older write: the rows are deferred, ask again.
      if (rows.length === 0 && due.length > 0) continue
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
    // Every batch is marked sent before it goes, large ones (a resync) included: a process killed before
    // the answer leaves the next one the writes that may still land (held back until they cannot), and
    // everything still in the outbox is sent again (absolute quantities make that safe).
    pushStateSentBatch(this.db, this.channelId, rows, now)
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
      for (const e of applyResults(this, rows, result.results)) this.hooks.pushed(e)
      if (this.state === 'running') this.lastError = null
    } else this.batchFailed(rows, failure)
    this.hooks.batchDone()
  }

  private observe(o: RateLimitObservation | undefined): void {
    if (!o) return
    if (o.retryAfterMs !== undefined) this.bucket?.pauseFor(o.retryAfterMs)
    else if (o.remaining === 0 && o.resetInMs !== undefined) this.bucket?.pauseFor(o.resetInMs)
  }

  private batchFailed(rows: OutboxRow[], e: unknown): void {
    const err = isClassifiedError(e)
      ? e
      : new ClassifiedError('retryable', 'unexpected', errorMessage(e), { cause: e })
    const now = this.clock.now()
    this.lastError = err.message
    if (err.kind === 'permanent') {
      // The channel refused the whole call: each item counts a failure, so a bad listing ends up blocked.
      const events: PushedEvent[] = []
      this.db.transaction(() => {
        for (const row of rows) {
          completeOutboxRow(this.db, row.channelId, row.listingId, row.stamp)
          const status = countFailure(
            this,
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
    // No answer in time: the channel may still be applying the request, and a newer value sent now could be
    // overwritten by it. Other values of these listings wait until it can no longer land.
    if (err.code === 'http.timeout') {
      for (const row of rows)
        this.mayLand(row.listingId, row.quantity, row.action, now + this.opts.lateWriteWindowMs)
      this.saveLate()
    }
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
    const round = await confirmRound(
      this,
      this.adapter,
      () => this.halted,
      () => this.apiCalls++,
    )
    if (!round) return 0
    for (const e of round.events) this.hooks.pushed(e)
    if (round.resend > 0) this.kick()
    this.hooks.batchDone()
    return round.events.length + round.resend
  }
}
