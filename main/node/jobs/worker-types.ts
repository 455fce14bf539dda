// What a channel worker reports to the engine, how it is configured, and what its helpers share.
import type { Database } from 'better-sqlite3'
import type { BackoffOptions } from '../../core/sync/backoff'
import type { Clock } from '../../core/ports/clock'
import type { PushStatus } from '../db/repos/push-state'
import type { SyncLogEntry } from '../db/repos/sync-log'
import type { LatencyWindow } from './latency-window'

/** Larger batches log one summary line; failures are always logged per listing. */
export const DETAILED_BATCH = 50

export type WorkerState = 'running' | 'paused' | 'needs_seller' | 'awaiting_confirmation' | 'stopped'

/** One listing's push outcome, as the engine's status and events see it. */
export interface PushedEvent {
  listingId: string
  status: PushStatus
  quantity: number
  stamp: number
  latencyMs?: number
}

export interface WorkerHooks {
  log(e: SyncLogEntry): void
  pushed(e: PushedEvent): void
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
  /**
   * How long after it was sent a write whose fate is unknown (its process died before the answer, or the
   * answer timed out) may still be applied by the channel. Until then no other value of that listing goes.
   */
  lateWriteWindowMs: number
}

/** The worker as its result and confirmation steps see it: its stores, hooks and running figures. */
export interface WorkerContext {
  readonly channelId: string
  readonly db: Database
  readonly clock: Clock
  readonly hooks: WorkerHooks
  readonly opts: WorkerOptions
  readonly latency: LatencyWindow
  pushes: number
  lastConfirmedAt: number | null
}
