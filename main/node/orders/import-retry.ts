// Orders Odoo refused for good: set aside as 'failed' with a critical alert and retried at every start
// and after growing waits (5 min, doubling, at most 6 h), each retry resuming from the refused step.
import type { Database } from 'better-sqlite3'
import {
  clearImportRetry,
  getImportOrder,
  makeFailedImportsDue,
  markImportFailed,
  setImportState,
  type ImportOrder,
  type ImportState,
} from '../db/repos/order-import'
import { ORDER_FAILED_ALERT, type OrderImporterOptions } from './import-types'
import type { ImportReporter } from './import-reporter'

/** The wait after the n-th refusal: first, doubling, capped. */
export const failedRetryDelay = (attempts: number, firstMs: number, maxMs: number): number =>
  Math.min(firstMs * 2 ** Math.max(0, attempts - 1), maxMs)

/** "5 min", "2 h 40 min": a wait in words for the seller. */
export function formatWait(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000))
  const h = Math.floor(min / 60)
  const m = min % 60
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`
}

/**
 * Where a retry resumes an order that failed before its step was recorded (older LastUnit): nothing sent
 * yet means planning again; a cancelled order is cancelled in Odoo if it is there; anything else is
 * looked up by its reference before a create.
 */
const legacyResume = (o: ImportOrder): ImportState =>
  o.sent === null ? 'new' : o.status === 'cancelled' ? 'cancelling' : 'creating'

export class ImportRetry {
  constructor(
    private readonly db: Database,
    private readonly opts: OrderImporterOptions,
    private readonly report: ImportReporter,
  ) {}

  /** A new start: every order Odoo refused before is due now. */
  makeAllDue(now: number): void {
    const failed = makeFailedImportsDue(this.db, now)
    if (failed > 0)
      this.report.log({
        level: 'info',
        kind: 'order_import',
        status: 'retrying',
        message: `LastUnit started: ${failed === 1 ? 'the order' : `${failed} orders`} Odoo refused before ${failed === 1 ? 'is' : 'are'} tried again now`,
        data: { failed },
      })
  }

  /** Puts a failed order back at the step it resumes from; returns it as it now stands. */
  resume(first: ImportOrder): ImportOrder | null {
    const { channelId, orderId } = first
    const planned = first.retry?.resumeState ?? legacyResume(first)
    // Cancelled on the channel meanwhile: cancel in Odoo what may be there rather than create it first.
    const resume =
      planned === 'creating' && first.status === 'cancelled' && first.cancelRef === null
        ? 'cancelling'
        : planned
    const attempt = (first.retry?.attempts ?? 1) + 1
    setImportState(this.db, channelId, orderId, resume)
    this.report.log({
      level: 'info',
      kind: 'order_import',
      channelId,
      status: 'retrying',
      message: `order ${orderId}: import attempt ${attempt}, resuming at "${resume}" (Odoo refused it before: ${first.lastError ?? 'unknown error'})`,
      data: { orderId, attempt, resume },
    })
    return getImportOrder(this.db, channelId, orderId)
  }

  /** The cause is gone: the order goes on like any other, and the seller's alert is resolved. */
  recovered(first: ImportOrder): void {
    const { channelId, orderId } = first
    const attempts = first.retry?.attempts ?? 1
    clearImportRetry(this.db, channelId, orderId)
    this.report.log({
      level: 'info',
      kind: 'order_import',
      channelId,
      status: 'recovered',
      message: `order ${orderId}: Odoo accepted the import on attempt ${attempts + 1} (now ${getImportOrder(this.db, channelId, orderId)?.importState ?? 'gone'})`,
      data: { orderId, attempts: attempts + 1 },
    })
    this.report.clear(ORDER_FAILED_ALERT, `${channelId}:${orderId}`)
  }

  /** Odoo refused the order for good at `step`: set aside, alert, next attempt scheduled. */
  refused(channelId: string, orderId: string, step: ImportState, msg: string, now: number): void {
    const retry = markImportFailed(this.db, channelId, orderId, step, msg, now, (n) =>
      failedRetryDelay(n, this.opts.failedRetryFirstMs, this.opts.failedRetryMaxMs),
    )
    const wait = formatWait(retry.nextRetryAt - now)
    this.report.log({
      level: 'warn',
      kind: 'order_import',
      channelId,
      status: 'failed',
      message: `order ${orderId}: Odoo refused the import (attempt ${retry.attempts}) at "${step}": ${msg}. Next attempt in ${wait}, or at the next start`,
      data: { orderId, attempts: retry.attempts, nextRetryAt: retry.nextRetryAt, resume: step },
    })
    this.report.raise({
      kind: ORDER_FAILED_ALERT,
      severity: 'critical',
      channelId,
      subject: `${channelId}:${orderId}`,
      message: `Order ${orderId} of ${channelId} could not be imported into Odoo: ${msg}. LastUnit tries again in ${wait} and at every start; fix the cause in Odoo or update LastUnit if this persists.`,
      details: { orderId, attempts: retry.attempts, nextRetryAt: retry.nextRetryAt },
    })
  }
}
