// Marketplace orders into Odoo, exactly once. The engine stores each order it polls (and its pending
// reservation); this importer walks every order through look-up, create, confirm, recording each step in
// SQLite before moving on, so a crash or a lost response at any point resumes without a duplicate or a
// loss. It also cancels or revises the Odoo order when the channel cancels, and raises the alerts a
// seller must act on: a line whose listing is not mapped, and orders that oversold a product.
//
// An order Odoo refuses for good (a permanent error) is set aside as 'failed' with a critical alert, and
// retried: at every start (a new process may carry a fix) and then after growing waits (5 min, doubling,
// at most 6 h), each retry resuming from the step that was refused, so the look-up by client_order_ref
// before any create still guards against a second sale order. A retry that goes through clears the
// alert; one that is refused again keeps it with the latest error. The sync log records each retry.
import type { Database } from 'better-sqlite3'
import { ClassifiedError, errorMessage, isClassifiedError } from '../../core/errors'
import { clientOrderRefFor } from '../../core/odoo/client-order-ref'
import {
  detectOversell,
  nextAction,
  odooLinesFor,
  oversellMessage,
  unmappedLines,
} from '../../core/orders/order-rules'
import type { Clock } from '../../core/ports/clock'
import { systemClock } from '../../core/ports/clock'
import type { OdooGateway, SaleOrderRef } from '../../core/ports/odoo-gateway'
import {
  clearAlert,
  isAlertOpen,
  openAlertMessage,
  openAlertSubjects,
  raiseAlert,
  type AlertSeverity,
} from '../db/repos/alerts'
import {
  beginImportCreate,
  clearImportCancelRef,
  clearImportRetry,
  getImportOrder,
  importLines,
  makeFailedImportsDue,
  markImportFailed,
  openOrderDemand,
  pendingImports,
  resolveUnmappedLines,
  setImportLastError,
  setImportState,
  storedSupply,
  type ImportOrder,
  type ImportState,
} from '../db/repos/order-import'
import { productLabel } from '../db/repos/products'
import { appendSyncLog, type SyncLogEntry } from '../db/repos/sync-log'
import { alertEvent, type Engine, type EngineEvent } from '../engine'

export interface OrderImporterOptions {
  /** How often orders waiting on Odoo or a mapping are retried (default 5000 ms). */
  retryIntervalMs: number
  /** Longest one Odoo call may take before it counts as lost (default 30000 ms). */
  callTimeoutMs: number
  /** Wait before the first retry of an order Odoo refused; doubles with each refusal (default 5 min). */
  failedRetryFirstMs: number
  /** Longest wait between retries of an order Odoo refused (default 6 h). */
  failedRetryMaxMs: number
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
export const ORDER_OVERSELL_ALERT = 'order_oversell'
export const ORDER_FAILED_ALERT = 'order_import_failed'
export const ORDER_BLOCKED_ALERT = 'order_import_blocked'

const DEFAULTS: OrderImporterOptions = {
  retryIntervalMs: 5000,
  callTimeoutMs: 30_000,
  failedRetryFirstMs: 5 * 60_000,
  failedRetryMaxMs: 6 * 3_600_000,
}

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

/** Sale order reference of each revision: a partial cancellation replaces the order under a new one. */
export const saleOrderRef = (channelId: string, orderId: string, revision: number): string =>
  revision <= 1
    ? clientOrderRefFor(channelId, orderId)
    : `${clientOrderRefFor(channelId, orderId)}#${revision}`

class Halted extends Error {}

type Outcome = 'done' | 'stop_pass' | 'skip_channel'

class OrderImporterImpl implements OrderImporter {
  private readonly db: Database
  private readonly clock: Clock
  private readonly opts: OrderImporterOptions
  private readonly listeners = new Set<(e: EngineEvent) => void>()
  private halted = false
  private stopped = true
  private running: Promise<ImportPassResult> | null = null
  private again = false
  /** A new importer is a new start: its first pass retries every order Odoo refused before. */
  private firstPass = true
  private timer: NodeJS.Timeout | null = null
  private unsubscribe: (() => void) | null = null

  constructor(private readonly deps: OrderImporterDeps) {
    this.db = deps.db
    this.clock = deps.clock ?? systemClock
    this.opts = { ...DEFAULTS, ...deps.options }
    if (deps.onEvent) this.listeners.add(deps.onEvent)
  }

  start(): void {
    if (!this.stopped || this.halted) return
    this.stopped = false
    this.unsubscribe = this.deps.engine.subscribe((e) => {
      if (e.type === 'order') this.kick()
      else if (e.type === 'stopped') void this.stop()
    })
    this.arm(0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.unsubscribe?.()
    this.unsubscribe = null
    await this.running?.catch(() => undefined)
  }

  halt(): void {
    this.halted = true
    void this.stop()
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private arm(delay: number): void {
    if (this.stopped) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      void this.runOnce()
        .catch(() => undefined)
        .finally(() => this.arm(this.opts.retryIntervalMs))
    }, delay)
    this.timer.unref()
  }

  private kick(): void {
    if (this.running) this.again = true
    else this.arm(0)
  }

  async runOnce(): Promise<ImportPassResult> {
    // One pass at a time: two passes could both create the same order before either recorded it.
    while (this.running) await this.running.catch(() => undefined)
    const run = this.pass()
    this.running = run
    try {
      return await run
    } finally {
      this.running = null
      if (this.again && !this.stopped) {
        this.again = false
        this.arm(0)
      }
    }
  }

  private async pass(): Promise<ImportPassResult> {
    const result: ImportPassResult = { confirmed: 0, cancelled: 0, waitingMapping: 0, odooDown: null }
    if (this.halted) return result
    const skipChannels = new Set<string>()
    const touched = new Set<number>()
    const replan = new Set<number>()
    const now = this.clock.now()
    if (this.firstPass) {
      this.firstPass = false
      const failed = makeFailedImportsDue(this.db, now)
      if (failed > 0)
        this.logEntry({
          level: 'info',
          kind: 'order_import',
          status: 'retrying',
          message: `LastUnit started: ${failed === 1 ? 'the order' : `${failed} orders`} Odoo refused before ${failed === 1 ? 'is' : 'are'} tried again now`,
          data: { failed },
        })
    }
    for (const o of pendingImports(this.db, now)) {
      if (this.halted) return result
      if (skipChannels.has(o.channelId)) continue
      const outcome = await this.processOrder(o, result, touched, replan)
      if (outcome === 'stop_pass') break
      if (outcome === 'skip_channel') skipChannels.add(o.channelId)
    }
    if (this.halted) return result
    // Lines mapped after the order arrived now carry pending units: the engine replans with the mapping.
    if (replan.size > 0) await this.deps.engine.reloadConfig().catch(() => undefined)
    this.checkOversell(touched)
    return result
  }

  private async processOrder(
    first: ImportOrder,
    result: ImportPassResult,
    touched: Set<number>,
    replan: Set<number>,
  ): Promise<Outcome> {
    const { channelId, orderId } = first
    // The state of the step under way, which a refused order resumes from when it is retried.
    let current: ImportState = first.importState
    const retried = first.importState === 'failed' || first.retry !== null
    try {
      let o: ImportOrder | null = first
      if (first.importState === 'failed') {
        const planned = first.retry?.resumeState ?? legacyResume(first)
        // Cancelled on the channel meanwhile: cancel in Odoo what may be there rather than create it first.
        const resume =
          planned === 'creating' && first.status === 'cancelled' && first.cancelRef === null
            ? 'cancelling'
            : planned
        const attempt = (first.retry?.attempts ?? 1) + 1
        setImportState(this.db, channelId, orderId, resume)
        this.logEntry({
          level: 'info',
          kind: 'order_import',
          channelId,
          status: 'retrying',
          message: `order ${orderId}: import attempt ${attempt}, resuming at "${resume}" (Odoo refused it before: ${first.lastError ?? 'unknown error'})`,
          data: { orderId, attempt, resume },
        })
        o = getImportOrder(this.db, channelId, orderId)
      }
      // A few steps per order and pass: each step is recorded before the next one starts.
      for (let step = 0; step < 12 && o; step++) {
        current = o.importState
        const more = await this.step(o, result, touched, replan)
        if (!more) break
        o = getImportOrder(this.db, channelId, orderId)
      }
      if (retried && !this.halted) {
        // The cause is gone: the order goes on like any other, and the seller's alert is resolved.
        const attempts = first.retry?.attempts ?? 1
        clearImportRetry(this.db, channelId, orderId)
        this.logEntry({
          level: 'info',
          kind: 'order_import',
          channelId,
          status: 'recovered',
          message: `order ${orderId}: Odoo accepted the import on attempt ${attempts + 1} (now ${getImportOrder(this.db, channelId, orderId)?.importState ?? 'gone'})`,
          data: { orderId, attempts: attempts + 1 },
        })
        this.clear(ORDER_FAILED_ALERT, `${channelId}:${orderId}`)
      }
      return 'done'
    } catch (e) {
      if (e instanceof Halted || this.halted) return 'stop_pass'
      const msg = errorMessage(e)
      const kind = isClassifiedError(e) ? e.kind : 'retryable'
      setImportLastError(this.db, channelId, orderId, msg)
      if (kind === 'retryable') {
        result.odooDown = msg
        this.logEntry({
          level: 'warn',
          kind: 'order_import',
          channelId,
          status: 'retryable',
          message: `order ${orderId} waits for Odoo: ${msg}`,
          data: { orderId },
        })
        return 'stop_pass'
      }
      if (kind === 'needs_seller') {
        this.raise({
          kind: ORDER_BLOCKED_ALERT,
          severity: 'critical',
          channelId,
          subject: channelId,
          message: `Orders of ${channelId} cannot be imported into Odoo: ${msg}${isClassifiedError(e) && e.hint ? `. ${e.hint}` : ''}`,
          details: { orderId },
        })
        return 'skip_channel'
      }
      const now = this.clock.now()
      const retry = markImportFailed(this.db, channelId, orderId, current, msg, now, (n) =>
        failedRetryDelay(n, this.opts.failedRetryFirstMs, this.opts.failedRetryMaxMs),
      )
      const wait = formatWait(retry.nextRetryAt - now)
      this.logEntry({
        level: 'warn',
        kind: 'order_import',
        channelId,
        status: 'failed',
        message: `order ${orderId}: Odoo refused the import (attempt ${retry.attempts}) at "${current}": ${msg}. Next attempt in ${wait}, or at the next start`,
        data: { orderId, attempts: retry.attempts, nextRetryAt: retry.nextRetryAt, resume: current },
      })
      this.raise({
        kind: ORDER_FAILED_ALERT,
        severity: 'critical',
        channelId,
        subject: `${channelId}:${orderId}`,
        message: `Order ${orderId} of ${channelId} could not be imported into Odoo: ${msg}. LastUnit tries again in ${wait} and at every start; fix the cause in Odoo or update LastUnit if this persists.`,
        details: { orderId, attempts: retry.attempts, nextRetryAt: retry.nextRetryAt },
      })
      return 'done'
    }
  }

  /** One recorded step; true when the order may need another step right away. */
  private async step(
    o: ImportOrder,
    result: ImportPassResult,
    touched: Set<number>,
    replan: Set<number>,
  ): Promise<boolean> {
    const { channelId, orderId } = o
    const ref = saleOrderRef(channelId, orderId, o.revision)
    switch (o.importState) {
      case 'new':
      case 'waiting_mapping': {
        for (const p of resolveUnmappedLines(this.db, channelId, orderId)) replan.add(p)
        const lines = importLines(this.db, channelId, orderId)
        for (const l of lines) if (l.productId !== null) touched.add(l.productId)
        const action = nextAction({
          importEnabled: o.orderImport,
          channelCancelled: o.status === 'cancelled',
          lines,
          sent: null,
        })
        if (action === 'skip') {
          setImportState(this.db, channelId, orderId, 'skipped')
          this.clearUnmapped(channelId, orderId)
          return false
        }
        if (action === 'drop') {
          setImportState(this.db, channelId, orderId, 'cancelled')
          this.clearUnmapped(channelId, orderId)
          result.cancelled++
          return false
        }
        if (action === 'wait_mapping') {
          const missing = unmappedLines(lines)
          const listings = missing.map((l) => l.listingId ?? `line ${l.lineId}`)
          setImportState(this.db, channelId, orderId, 'waiting_mapping')
          result.waitingMapping++
          this.raise({
            kind: UNMAPPED_ALERT,
            severity: 'warning',
            channelId,
            subject: `${channelId}:${orderId}`,
            message: `Order ${orderId} on ${channelId} has ${missing.length === 1 ? 'a line' : `${missing.length} lines`} for listing ${listings.join(', ')} not mapped to an Odoo product: it is kept and imported once mapped.`,
            details: { orderId, listings },
          })
          return false
        }
        if (o.partnerId === null)
          throw new ClassifiedError(
            'needs_seller',
            'orders.no_customer',
            `no Odoo customer is set for channel "${channelId}"`,
            { hint: 'Choose the Odoo customer for this channel in its settings.' },
          )
        beginImportCreate(this.db, channelId, orderId, o.revision, odooLinesFor(lines), null)
        this.clearUnmapped(channelId, orderId)
        return true
      }
      case 'creating': {
        // Look up before create: a create whose response was lost must not be repeated.
        const existing = await this.call(() => this.deps.odoo.findSaleOrder(ref))
        if (existing) {
          setImportState(this.db, channelId, orderId, confirmedState(existing) ? 'confirmed' : 'created', {
            odooOrderId: existing.id,
          })
          return true
        }
        if (o.partnerId === null)
          throw new ClassifiedError(
            'needs_seller',
            'orders.no_customer',
            `no Odoo customer is set for channel "${channelId}"`,
          )
        const id = await this.call(() =>
          this.deps.odoo.createSaleOrder({
            partnerId: o.partnerId!,
            warehouseId: o.warehouseId,
            clientOrderRef: ref,
            lines: o.sent ?? [],
          }),
        )
        setImportState(this.db, channelId, orderId, 'created', { odooOrderId: id })
        return true
      }
      case 'created': {
        const existing = await this.call(() => this.deps.odoo.findSaleOrder(ref))
        if (!existing) {
          setImportState(this.db, channelId, orderId, 'creating')
          return true
        }
        // Confirm is not idempotent in Odoo: a confirm whose response was lost shows as state 'sale'.
        if (existing.state === 'draft' || existing.state === 'sent')
          await this.call(() => this.deps.odoo.confirmSaleOrder(existing.id))
        if (existing.state === 'cancel') {
          setImportState(this.db, channelId, orderId, 'cancelling', { odooOrderId: existing.id })
          return true
        }
        setImportState(this.db, channelId, orderId, 'confirmed', {
          odooOrderId: existing.id,
          lastError: null,
        })
        result.confirmed++
        this.clear(ORDER_BLOCKED_ALERT, channelId)
        this.logEntry({
          level: 'info',
          kind: 'order_import',
          channelId,
          status: 'confirmed',
          message: `order ${orderId} confirmed in Odoo as sale order ${existing.id} (${ref})`,
          data: { orderId, saleOrderId: existing.id },
        })
        return true
      }
      case 'confirmed': {
        if (o.reservedInOdooAt === null) {
          await this.deps.engine.orderReservedInOdoo(channelId, orderId)
          if (this.halted) throw new Halted()
        }
        if (o.cancelRef) {
          // The revision replacing this one is confirmed: only now is the older order cancelled, so
          // Odoo never shows the units as free in between.
          const old = await this.call(() => this.deps.odoo.findSaleOrder(o.cancelRef!))
          if (old && old.state !== 'cancel') await this.call(() => this.deps.odoo.cancelSaleOrder(old.id))
          clearImportCancelRef(this.db, channelId, orderId)
          return true
        }
        const lines = importLines(this.db, channelId, orderId)
        const action = nextAction({
          importEnabled: true,
          channelCancelled: o.status === 'cancelled',
          lines,
          sent: o.sent,
        })
        if (action === 'cancel') {
          setImportState(this.db, channelId, orderId, 'cancelling')
          return true
        }
        if (action === 'revise') {
          for (const l of lines) if (l.productId !== null) touched.add(l.productId)
          beginImportCreate(this.db, channelId, orderId, o.revision + 1, odooLinesFor(lines), ref)
          this.logEntry({
            level: 'info',
            kind: 'order_import',
            channelId,
            status: 'revising',
            message: `order ${orderId} partially cancelled: replacing sale order ${ref} with revision ${o.revision + 1}`,
            data: { orderId },
          })
          return true
        }
        return false
      }
      case 'cancelling': {
        const existing = await this.call(() => this.deps.odoo.findSaleOrder(ref))
        if (existing && existing.state !== 'cancel')
          await this.call(() => this.deps.odoo.cancelSaleOrder(existing.id))
        setImportState(this.db, channelId, orderId, 'cancelled', { lastError: null })
        result.cancelled++
        for (const l of importLines(this.db, channelId, orderId))
          if (l.productId !== null) touched.add(l.productId)
        this.logEntry({
          level: 'info',
          kind: 'order_import',
          channelId,
          status: 'cancelled',
          message: `order ${orderId} cancelled on the channel: sale order ${ref} cancelled in Odoo`,
          data: { orderId },
        })
        return false
      }
      default:
        return false
    }
  }

  /** Every Odoo call has a timeout; a timeout is a lost response, retried through the look-up. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.halted) throw new Halted()
    let timer: NodeJS.Timeout | undefined
    try {
      const out = await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new ClassifiedError(
                  'retryable',
                  'odoo.timeout',
                  `Odoo did not answer in ${this.opts.callTimeoutMs} ms`,
                ),
              ),
            this.opts.callTimeoutMs,
          )
        }),
      ])
      if (this.halted) throw new Halted()
      return out
    } finally {
      if (timer) clearTimeout(timer)
    }
  }

  /**
   * Oversold: the open orders for a product ask for more units than Odoo has on hand for them. On hand,
   * not free: once Odoo reserves an order its units leave "free" but the order still needs them.
   */
  private checkOversell(touched: Set<number>): void {
    const products = new Set(touched)
    for (const s of openAlertSubjects(this.db, ORDER_OVERSELL_ALERT)) {
      const id = Number(s.replace('product:', ''))
      if (Number.isInteger(id)) products.add(id)
    }
    for (const id of products) {
      const demand = openOrderDemand(this.db, id)
      const subject = `product:${id}`
      const firstChannel = demand[0]?.channelId
      const supply = firstChannel ? storedSupply(this.db, id, firstChannel) : null
      const over = supply ? detectOversell(id, supply.onHand, demand) : null
      if (over) {
        this.raise({
          kind: ORDER_OVERSELL_ALERT,
          severity: 'critical',
          channelId: over.orders[over.orders.length - 1]?.channelId ?? null,
          subject,
          message: oversellMessage(over, productLabel(this.db, id)),
          details: { ...over },
        })
      } else if (demand.length === 0 || supply) this.clear(ORDER_OVERSELL_ALERT, subject)
    }
  }

  private clearUnmapped(channelId: string, orderId: string): void {
    this.clear(UNMAPPED_ALERT, `${channelId}:${orderId}`)
  }

  private raise(a: {
    kind: string
    severity: AlertSeverity
    channelId: string | null
    subject: string
    message: string
    details?: Record<string, unknown>
  }): void {
    if (this.halted) return
    const openMessage = openAlertMessage(this.db, a.kind, a.subject)
    raiseAlert(this.db, { ...a, at: this.clock.now() })
    // Raised again with the same words on every pass: only a new or changed alert is news.
    if (openMessage === a.message) return
    this.logEntry({
      level: 'warn',
      kind: 'alert',
      channelId: a.channelId,
      status: a.kind,
      message: a.message,
    })
    this.emit(alertEvent(a))
  }

  private clear(kind: string, subject: string): void {
    if (this.halted) return
    if (!isAlertOpen(this.db, kind, subject)) return
    clearAlert(this.db, kind, subject, this.clock.now())
    this.logEntry({
      level: 'info',
      kind: 'alert',
      status: `${kind}_cleared`,
      message: `resolved: ${kind} ${subject}`,
    })
  }

  private logEntry(e: Omit<SyncLogEntry, 'at'>): void {
    if (this.halted) return
    const entry: SyncLogEntry = { ...e, at: this.clock.now() }
    appendSyncLog(this.db, entry)
    this.emit({ type: 'log', entry })
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(e)
      } catch {
        // A listener's failure must not stop the import.
      }
    }
  }
}

const confirmedState = (so: SaleOrderRef): boolean => so.state === 'sale' || so.state === 'done'

export function createOrderImporter(deps: OrderImporterDeps): OrderImporter {
  return new OrderImporterImpl(deps)
}

/** Creates and starts the importer beside a running engine; it stops with the engine. */
export function startOrderImporter(deps: OrderImporterDeps): OrderImporter {
  const importer = createOrderImporter(deps)
  importer.start()
  return importer
}
