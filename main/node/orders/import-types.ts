// What the order import is configured with, what it tells, and the names of the alerts it raises.
import type { Database } from 'better-sqlite3'
import { clientOrderRefFor } from '../../core/odoo/client-order-ref'
import type { Clock } from '../../core/ports/clock'
import type { OdooGateway } from '../../core/ports/odoo-gateway'
import type { Engine, EngineEvent } from '../engine'

export interface OrderImporterOptions {
  /** How often orders waiting on Odoo or a mapping are retried (default 5000 ms). */
  retryIntervalMs: number
  /** Longest one Odoo call may take before it counts as lost (default 30000 ms). */
  callTimeoutMs: number
  /** Wait before the first retry of an order Odoo refused; doubles with each refusal (default 5 min). */
  failedRetryFirstMs: number
  /** Longest wait between retries of an order Odoo refused (default 6 h). */
  failedRetryMaxMs: number
  /** Orders imported at once (default 6): each order's steps stay in sequence. */
  concurrency: number
}

export interface OrderImporterDeps {
  db: Database
  odoo: OdooGateway
  engine: Engine
  clock?: Clock
  options?: Partial<OrderImporterOptions>
  /** Logs and alerts, shaped like the engine's events so hosts forward both the same way. */
  onEvent?: (event: EngineEvent) => void
}

export interface ImportPassResult {
  /** Orders that reached a confirmed Odoo sale order in this pass. */
  confirmed: number
  cancelled: number
  waitingMapping: number
  /** Set when Odoo could not be reached: the rest waits for the next pass, in order. */
  odooDown: string | null
}

export interface OrderImporter {
  start(): void
  /** Stops scheduling; a pass in progress finishes its current step. */
  stop(): Promise<void>
  /** Stops at once, as a crash would: nothing more is recorded. For tests. */
  halt(): void
  /** Runs one pass over every order that needs a step (also runs on new orders and on a timer). */
  runOnce(): Promise<ImportPassResult>
  subscribe(listener: (event: EngineEvent) => void): () => void
}

export const UNMAPPED_ALERT = 'order_unmapped'
export const ORDER_FAILED_ALERT = 'order_import_failed'
export const ORDER_BLOCKED_ALERT = 'order_import_blocked'

export const DEFAULT_IMPORT_OPTIONS: OrderImporterOptions = {
  retryIntervalMs: 5000,
  callTimeoutMs: 30_000,
  failedRetryFirstMs: 5 * 60_000,
  failedRetryMaxMs: 6 * 3_600_000,
  concurrency: 6,
}

/** Sale order reference of each revision: a partial cancellation replaces the order under a new one. */
export const saleOrderRef = (channelId: string, orderId: string, revision: number): string =>
  revision <= 1
    ? clientOrderRefFor(channelId, orderId)
    : `${clientOrderRefFor(channelId, orderId)}#${revision}`

/** Thrown when the importer was halted under a step: nothing more is recorded. */
export class Halted extends Error {}
