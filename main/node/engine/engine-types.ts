// The engine's public types: what a host passes in, what it can call, and what it hears.
import type { Database } from 'better-sqlite3'
import type { BufferPart } from '../../core/buffers/buffer-rules'
import type { ChannelAdapter } from '../../core/ports/channel-adapter'
import type { Clock } from '../../core/ports/clock'
import type { OdooGateway } from '../../core/ports/odoo-gateway'
import type { SecretVault } from '../../core/ports/secret-vault'
import type { BackoffOptions } from '../../core/sync/backoff'
import type { DiffRow, GuardOptions, GuardVerdict } from '../../core/sync/first-push-guard'
import type { PushStatus } from '../db/repos/push-state'
import type { ChannelQueueStatus, OrderQueueSource } from '../queue/order-queues'
import type { ResyncRun } from '../db/repos/resync'
import type { SyncLogEntry } from '../db/repos/sync-log'

export interface EngineLogger {
  debug(message: string, data?: Record<string, unknown>): void
  info(message: string, data?: Record<string, unknown>): void
  warn(message: string, data?: Record<string, unknown>): void
  error(message: string, data?: Record<string, unknown>): void
}

export interface EngineOptions {
  /** Odoo incremental poll interval (default 5000 ms). */
  pollIntervalMs: number
  /**
   * How often one grouped read of all counted stock is compared with the stored figures (default 75 s):
   * it catches transactions that commit after the poll's overlap window (see late-commit-sweep.ts). A
   * published figure is never wrong for longer than this plus the push after any commit.
   */
  lateCommitSweepMs: number
  /** How often the safety net reads Odoo's products and kits (mrp bills of materials) again (default 1 hour). */
  catalogueRefreshMs: number
  /** node-schedule spec of the safety-net full recompute (default every 10 minutes); null: off. */
  fullRecomputeSchedule: string | null
  /** node-schedule spec of the channel reconciliation (default every 60 minutes); null: off. */
  reconcileSchedule: string | null
  /** Override of every channel's order poll interval (tests, demo); default: the adapter's. */
  orderPollIntervalMs: number | null
  /** Overlap re-read on every order poll, for orders updated while the last poll ran. */
  orderOverlapMs: number
  /** How far back the first order poll of a channel looks. */
  orderLookbackMs: number
  /** Identical failures in a row before a listing is blocked. */
  blockAfter: number
  backoff: BackoffOptions
  /** How often accepted items are checked for confirmation. */
  confirmIntervalMs: number
  /** How often listings whose older write may have landed late are read back (channels with an apply window). */
  recheckIntervalMs: number
  /**
   * How long after it was sent a write of unknown fate (sent by a process that died before the answer, or
   * whose answer timed out) may still be applied by a channel; until then no other value of that listing is
   * sent, so the older one cannot land after it. The channels' request timeout by default.
   */
  lateWriteWindowMs: number
  /** Longest a graceful shutdown waits for the outbox to drain. */
  drainTimeoutMs: number
  logRetentionDays: number
  logMaxRows: number
  /** Sales history window for velocity classes. */
  salesHistoryDays: number
  /** Hold a channel's first push for confirmation when the guard says so. */
  firstPushGuard: boolean
  guard: GuardOptions
  /** Random source for jitter (tests pass a seeded one). */
  random: () => number
  /** Today (YYYY-MM-DD) for peak-mode rules; default from the clock in UTC. */
  today: (() => string) | null
}

export interface EngineDeps {
  db: Database
  odoo: OdooGateway
  /** Adapters by channel id (the channels table's id). Channels without an adapter are not synced. */
  adapters: ReadonlyMap<string, ChannelAdapter> | Record<string, ChannelAdapter>
  clock?: Clock
  logger?: EngineLogger
  /** Not used by the engine itself: adapters receive their secrets from the host. */
  vault?: SecretVault
  options?: Partial<EngineOptions>
  /** The seller's order queues (Amazon SQS) and the channels each carries; order polling runs regardless. */
  orderQueues?: readonly OrderQueueSource[]
}

export type ChannelRunState = 'running' | 'paused' | 'needs_seller' | 'awaiting_confirmation' | 'stopped'

export interface ChannelStatus {
  channelId: string
  type: string
  name: string
  state: ChannelRunState
  /** Listings waiting in the outbox (including those in flight). */
  queueDepth: number
  inFlight: number
  awaitingConfirmation: number
  blocked: number
  lastConfirmedAt: number | null
  lastError: string | null
  /** Enqueue to accepted/confirmed, over the recent pushes. */
  latencyP50Ms: number | null
  latencyP99Ms: number | null
  pushes: number
  apiCalls: number
  nextOrderPollAt: number | null
  /** How often the channel's orders are read: an order placed there is seen at most this long after. */
  orderPollIntervalMs: number | null
  /** The seller's queue bringing this channel's orders within seconds (null: none, orders are polled only). */
  orderQueue: ChannelQueueStatus | null
}

/** A resync run with what it still needs, overall and per channel. */
export type ResyncProgress = ResyncRun & {
  /** Milliseconds the run still needs: measured per channel once it moves, else from the declared limits. */
  estimatedMs: number
  /** True once the estimate comes from each channel's measured pace. */
  estimateMeasured?: boolean
  /** Per channel: listings done of its total (never backwards), and the time it still needs (null: unknown). */
  channels?: Array<{ channelId: string; total: number; done: number; estimatedMs: number | null }>
}

export interface EngineStatus {
  running: boolean
  paused: boolean
  odoo: { lastPollAt: number | null; lastError: string | null; pollIntervalMs: number; changesSeen: number }
  channels: ChannelStatus[]
  resync: ResyncProgress | null
}

export interface ListingExplanation {
  channelId: string
  listingId: string
  productId: number
  quantity: number
  action: 'set' | 'pause' | 'resume'
  /** e.g. "published 4 = free 7 - pending 1 - buffer 2; buffer 2 = channel rule 1 + 1 (on 5 channels)" */
  explanation: string
  status: PushStatus | null
  blockedReason: string | null
  /** The figure's terms (free, pending, buffer) and every part of the buffer, for explaining each unit. */
  figures?: {
    basis: 'free' | 'on_hand' | 'forecast'
    basisValue: number
    pending: number
    buffer: number
    capped: boolean
    zeroedBelow: boolean
    kit: boolean
    bufferParts: readonly BufferPart[]
  }
}

export interface FirstPushReview {
  channelId: string
  verdict: GuardVerdict
  diff: DiffRow[]
}

export type EngineEvent =
  | { type: 'log'; entry: SyncLogEntry }
  | {
      type: 'push'
      channelId: string
      listingId: string
      status: PushStatus
      quantity: number
      stamp: number
      latencyMs?: number
    }
  | { type: 'channel'; channelId: string; state: ChannelRunState; message?: string }
  | { type: 'poll'; changedProducts: number; calls: number; at: number }
  | { type: 'order'; channelId: string; orderId: string; productIds: number[]; isNew: boolean }
  | { type: 'resync'; run: ResyncProgress }
  | { type: 'guard'; review: FirstPushReview }
  | {
      type: 'alert'
      kind: string
      severity: 'info' | 'warning' | 'critical'
      subject: string
      message: string
      /** The channel it concerns, so a notification can name it (null: Odoo or the whole app). */
      channelId?: string | null
    }
  | { type: 'stopped' }

export interface Engine {
  start(): Promise<void>
  /** Graceful: stops polling, lets the workers drain the outbox (up to drainTimeoutMs), then stops. */
  stop(opts?: { drain?: boolean }): Promise<void>
  /** Stops at once, as a crash would: nothing in flight is recorded. For tests and fatal errors. */
  halt(): void
  subscribe(listener: (event: EngineEvent) => void): () => void
  status(): EngineStatus
  pause(channelId?: string): void
  resume(channelId?: string): void
  /** Polls Odoo once now (also runs on the poll interval). */
  pollOdoo(): Promise<void>
  /** Polls one channel's orders now (also runs on the channel's order poll interval). */
  pollOrders(channelId: string): Promise<void>
  /** Reloads the configuration, sweeps Odoo's stock and recomputes every listing (the safety net). */
  fullRecompute(opts?: { sweep?: 'always' | 'when_due' }): Promise<void>
  /**
   * One grouped read of all counted stock compared with the stored figures: publishes what a transaction
   * that committed after the poll's window changed. Returns how many products differed.
   */
  sweepLateCommits(): Promise<number>
  /** Reads back what channels show and repairs drift, where the channel allows read-back. */
  reconcile(channelId?: string): Promise<{ checked: number; drifted: number }>
  /** Full resync: recompute and push every listing (of the channels named), with progress events. */
  resync(opts?: { channels?: string[] }): Promise<ResyncRun & { estimatedMs: number }>
  /** Resolves when the run finishes (done, cancelled or failed). */
  waitForResync(id: number): Promise<ResyncRun>
  cancelResync(id: number): void
  /** Estimated duration per channel and overall, from the channels' rate limits. */
  estimateResync(opts?: { channels?: string[] }): {
    estimatedMs: number
    channels: Array<{ channelId: string; listings: number; calls: number; estimatedMs: number }>
  }
  /** Dry-run diff of what a push would change on a channel now, with the guard's verdict. */
  reviewFirstPush(channelId: string): FirstPushReview
  confirmFirstPush(channelId: string): void
  /** The seller fixed credentials or plan: let a channel stopped on 'needs_seller' try again. */
  retryChannel(channelId: string): void
  unblock(channelId: string, listingId: string): Promise<void>
  explain(channelId: string, listingId: string): ListingExplanation | null
  /** Order import calls this once the channel's order is confirmed in Odoo (its reservation exists). */
  orderReservedInOdoo(channelId: string, orderId: string): Promise<void>
  /** The same for several orders at once: one stock read of all their products. */
  ordersReservedInOdoo(orders: ReadonlyArray<{ channelId: string; orderId: string }>): Promise<void>
  /** Reads Odoo's products and kits again (before listings are matched to products). */
  refreshCatalogue(): Promise<void>
  /** Config (channels, mappings, rules) changed: reload, read what is new to its scope, plan everything. */
  reloadConfig(): Promise<void>
  /** Resolves once nothing is queued, in flight or awaiting confirmation (or the timeout passes). */
  idle(timeoutMs?: number): Promise<boolean>
}

/** The event for a raised alert (engine and order importer alike). */
export const alertEvent = (a: {
  kind: string
  severity: 'info' | 'warning' | 'critical'
  subject: string
  message: string
  channelId?: string | null
}): EngineEvent => ({
  type: 'alert',
  kind: a.kind,
  severity: a.severity,
  subject: a.subject,
  message: a.message,
  channelId: a.channelId ?? null,
})
