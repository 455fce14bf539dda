// Marketplace orders into Odoo, exactly once. The engine stores each order it polls (and its pending
// reservation); this importer walks every order through look-up, create, confirm, recording each step in
// SQLite before moving on, so a crash or a lost response at any point resumes without a duplicate or a
// loss (import-steps.ts). It also cancels or revises the Odoo order when the channel cancels
// (import-cancellations.ts), and raises the alerts a seller must act on: a line whose listing is not
// mapped, an order Odoo refuses (import-retry.ts), a channel whose orders cannot go in at all. Oversells
// are the engine's single rule (oversell.ts), judged on every stock read and order change.
//
// An order Odoo refuses for good (a permanent error) is set aside as 'failed' with a critical alert, and
// retried: at every start (a new process may carry a fix) and then after growing waits (5 min, doubling,
// at most 6 h), each retry resuming from the step that was refused, so the look-up by client_order_ref
// before any create still guards against a second sale order. A retry that goes through clears the
// alert; one that is refused again keeps it with the latest error. The sync log records each retry.
import type { Database } from 'better-sqlite3'
import { errorMessage, isClassifiedError } from '../../core/errors'
import type { Clock } from '../../core/ports/clock'
import { systemClock } from '../../core/ports/clock'
import {
  getImportOrder,
  pendingImports,
  setImportLastError,
  type ImportOrder,
  type ImportState,
} from '../db/repos/order-import'
import type { EngineEvent } from '../engine'
import { cancelSaleOrder, followConfirmed } from './import-cancellations'
import { callWithTimeout, type StepContext } from './import-context'
import { ImportReporter } from './import-reporter'
import { ImportRetry } from './import-retry'
import { confirmSaleOrder, createSaleOrder, planImport } from './import-steps'
import {
  DEFAULT_IMPORT_OPTIONS,
  Halted,
  ORDER_BLOCKED_ALERT,
  saleOrderRef,
  type ImportPassResult,
  type OrderImporter,
  type OrderImporterDeps,
  type OrderImporterOptions,
} from './import-types'

export {
  ORDER_BLOCKED_ALERT,
  ORDER_FAILED_ALERT,
  UNMAPPED_ALERT,
  saleOrderRef,
  type ImportPassResult,
  type OrderImporter,
  type OrderImporterDeps,
  type OrderImporterOptions,
} from './import-types'
export { failedRetryDelay, formatWait } from './import-retry'

type Outcome = 'done' | 'stop_pass' | 'skip_channel'

/** Steps per order and pass: each step is recorded before the next one starts. */
const MAX_STEPS = 12

class OrderImporterImpl implements OrderImporter {
  private readonly db: Database
  private readonly clock: Clock
  private readonly opts: OrderImporterOptions
  private readonly report: ImportReporter
  private readonly retry: ImportRetry
  private halted = false
  private stopped = true
  private running: Promise<ImportPassResult> | null = null
  private again = false
  /** A new importer is a new start: its first pass retries every order Odoo refused before. */
  private firstPass = true
  private timer: NodeJS.Timeout | null = null
  private unsubscribe: (() => void) | null = null
  /** The reservation reads under way (see reserve). */
  private flushing: Promise<void> | null = null

  constructor(private readonly deps: OrderImporterDeps) {
    this.db = deps.db
    this.clock = deps.clock ?? systemClock
    this.opts = { ...DEFAULT_IMPORT_OPTIONS, ...deps.options }
    this.report = new ImportReporter(this.db, this.clock, () => this.halted)
    this.retry = new ImportRetry(this.db, this.opts, this.report)
    if (deps.onEvent) this.report.listeners.add(deps.onEvent)
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
    this.report.listeners.add(listener)
    return () => this.report.listeners.delete(listener)
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
    const ctx = this.context(result)
    const skipChannels = new Set<string>()
    const now = this.clock.now()
    if (this.firstPass) {
      this.firstPass = false
      this.retry.makeAllDue(now)
    }
    // Several orders at once (each order's steps stay in sequence, and no two work on the same order),
    // each confirmed order's reservation recorded at once (with the others confirmed meanwhile).
    const orders = pendingImports(this.db, now)
    let stop = false
    for (let i = 0; i < orders.length && !stop; i += this.opts.concurrency) {
      const wave = orders.slice(i, i + this.opts.concurrency)
      // Each order's create waits for the one before it (sale orders numbered in the order of sale).
      let before: Promise<void> = Promise.resolve()
      const outcomes = await Promise.all(
        wave.map((o) => {
          const turn = before
          let done: () => void = () => undefined
          before = new Promise<void>((resolve) => (done = resolve))
          if (this.halted || skipChannels.has(o.channelId)) {
            done()
            return 'done' as const
          }
          const own: StepContext = { ...ctx, createTurn: () => turn, created: done }
          return this.processOrder(own, o).then((outcome) => {
            done()
            if (outcome === 'skip_channel') skipChannels.add(o.channelId)
            return outcome
          })
        }),
      )
      if (this.halted) return result
      await this.flushing
      stop = outcomes.includes('stop_pass')
    }
    if (this.halted) return result
    // Lines mapped after the order arrived now carry pending units: the engine replans with the mapping.
    if (ctx.replan.size > 0) await this.deps.engine.reloadConfig().catch(() => undefined)
    return result
  }

  /** Orders confirmed while a reservation read runs wait for it and go together in the next one. */
  private reserve(ctx: StepContext, channelId: string, orderId: string): void {
    ctx.reserved.set(`${channelId}\u0000${orderId}`, { channelId, orderId })
    this.flushing ??= (async () => {
      while (ctx.reserved.size > 0 && !this.halted) await this.recordReservations(ctx)
    })().finally(() => (this.flushing = null))
  }

  /** Orders Odoo confirmed: their reservation recorded, their products read once. */
  private async recordReservations(ctx: StepContext): Promise<void> {
    if (ctx.reserved.size === 0) return
    const orders = [...ctx.reserved.values()]
    ctx.reserved.clear()
    try {
      await this.deps.engine.ordersReservedInOdoo(orders)
    } catch (e) {
      // Recorded in SQLite before the read: the engine's next poll or full read catches up.
      this.report.log({
        level: 'warn',
        kind: 'order_import',
        status: 'retryable',
        message: `reading the stock of ${orders.length} order(s) just confirmed in Odoo failed: ${errorMessage(e)}`,
      })
    }
  }

  private context(result: ImportPassResult): StepContext {
    const halted = () => this.halted
    const ctx: StepContext = {
      db: this.db,
      odoo: this.deps.odoo,
      engine: this.deps.engine,
      report: this.report,
      halted,
      call: (fn) => callWithTimeout(fn, this.opts.callTimeoutMs, halted),
      result,
      replan: new Set(),
      reserved: new Map(),
      reserve: (channelId, orderId) => this.reserve(ctx, channelId, orderId),
      createTurn: () => Promise.resolve(),
      created: () => undefined,
    }
    return ctx
  }

  private async processOrder(ctx: StepContext, first: ImportOrder): Promise<Outcome> {
    const { channelId, orderId } = first
    // The state of the step under way, which a refused order resumes from when it is retried.
    let current: ImportState = first.importState
    const retried = first.importState === 'failed' || first.retry !== null
    try {
      let o: ImportOrder | null = first.importState === 'failed' ? this.retry.resume(first) : first
      for (let step = 0; step < MAX_STEPS && o; step++) {
        current = o.importState
        const more = await this.step(ctx, o)
        if (!more) break
        o = getImportOrder(this.db, channelId, orderId)
      }
      if (retried && !this.halted) this.retry.recovered(first)
      return 'done'
    } catch (e) {
      if (e instanceof Halted || this.halted) return 'stop_pass'
      return this.failed(ctx, first, current, e)
    }
  }

  /** One recorded step; true when the order may need another step right away. */
  private step(ctx: StepContext, o: ImportOrder): Promise<boolean> | boolean {
    const ref = saleOrderRef(o.channelId, o.orderId, o.revision)
    switch (o.importState) {
      case 'new':
      case 'waiting_mapping':
        return planImport(ctx, o)
      case 'creating':
        return createSaleOrder(ctx, o, ref)
      case 'created':
        return confirmSaleOrder(ctx, o, ref)
      case 'confirmed':
        return followConfirmed(ctx, o, ref)
      case 'cancelling':
        return cancelSaleOrder(ctx, o, ref)
      default:
        return false
    }
  }

  /** A step failed: Odoo down stops the pass, a seller's fix skips the channel, a refusal sets it aside. */
  private failed(ctx: StepContext, o: ImportOrder, current: ImportState, e: unknown): Outcome {
    const { channelId, orderId } = o
    const msg = errorMessage(e)
    const kind = isClassifiedError(e) ? e.kind : 'retryable'
    setImportLastError(this.db, channelId, orderId, msg)
    if (kind === 'retryable') {
      ctx.result.odooDown = msg
      this.report.log({
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
      this.report.raise({
        kind: ORDER_BLOCKED_ALERT,
        severity: 'critical',
        channelId,
        subject: channelId,
        message: `Orders of ${channelId} cannot be imported into Odoo: ${msg}${isClassifiedError(e) && e.hint ? `. ${e.hint}` : ''}`,
        details: { orderId },
      })
      return 'skip_channel'
    }
    // The state recorded last: a step that records one and goes on (create, then confirm) resumes there.
    const recorded = getImportOrder(this.db, channelId, orderId)?.importState
    this.retry.refused(
      channelId,
      orderId,
      recorded && recorded !== 'failed' ? recorded : current,
      msg,
      this.clock.now(),
    )
    return 'done'
  }
}

export function createOrderImporter(deps: OrderImporterDeps): OrderImporter {
  return new OrderImporterImpl(deps)
}

/** Creates and starts the importer beside a running engine; it stops with the engine. */
export function startOrderImporter(deps: OrderImporterDeps): OrderImporter {
  const importer = createOrderImporter(deps)
  importer.start()
  return importer
}
