// The one engine every host starts (Electron, CLI, demo, benchmark). It wires Odoo polling, order
// intake, the planner and the per-channel workers over one SQLite database. Durable work lives in
// SQLite; the timers here only decide when to look again.
import type { Database } from 'better-sqlite3'
import { scheduleJob, type Job } from 'node-schedule'
import { errorMessage, isClassifiedError } from '../../core/errors'
import type { ChannelAdapter, ChannelOrderLine } from '../../core/ports/channel-adapter'
import { systemClock, type Clock } from '../../core/ports/clock'
import type { OdooGateway, OdooLocation, OdooPollCursor, ProductStock } from '../../core/ports/odoo-gateway'
import { KitBook } from '../../core/stock/kit-book'
import { basisValue } from '../../core/stock/published-quantity'
import { evaluateFirstPush } from '../../core/sync/first-push-guard'
import { estimateResync } from '../../core/sync/resync-estimate'
import { ResyncRate } from '../../core/sync/resync-rate'
import { isThrottled, ThrottleEpisodes } from '../../core/sync/throttle-episodes'
import { clearAlert, raiseAlert } from '../db/repos/alerts'
import {
  markOrderReservedInOdoo,
  noteOdooConfirmations,
  pendingByProduct,
  releaseReservedUnits,
  upsertOrder,
} from '../db/repos/orders'
import { getOutboxRow, outboxDepth, outboxRowsOf, recoverOutboxInflight } from '../db/repos/outbox'
import { findProductBySkuOrEan, salesPerDay, setSalesHistory, upsertProducts } from '../db/repos/products'
import {
  dropRechecks,
  dueRechecks,
  recheckUnsettledPushes,
  rechecksDone,
  startRecheckClocks,
} from '../db/repos/push-recheck'
import {
  acceptedPushCount,
  getPushState,
  hasAcceptedPushes,
  pushStatusCounts,
  unblockListing,
} from '../db/repos/push-state'
import {
  createResyncRun,
  finishResyncRun,
  getResyncRun,
  latestResyncRun,
  runningResyncRuns,
  setResyncProgress,
  type ResyncRun,
} from '../db/repos/resync'
import { snapshotResyncBaseline } from '../db/repos/resync-summary'
import { getStock, stockByScope, storeStock } from '../db/repos/stock'
import { appendSyncLog, pruneSyncLog, type SyncLogEntry } from '../db/repos/sync-log'
import { ChannelWorker } from '../jobs/channel-worker'
import { Catalog, type ChannelConfig } from './catalog'
import { resolveEngineOptions } from './defaults'
import { EngineState } from './engine-state'
import type {
  ChannelStatus,
  Engine,
  EngineDeps,
  EngineEvent,
  EngineLogger,
  EngineOptions,
  EngineStatus,
  FirstPushReview,
  ListingExplanation,
  ResyncProgress,
} from './engine-types'
import { alertEvent } from './engine-types'
import { EventBus } from './event-bus'
import { firstPushDiff, firstPushKey, recordFirstPushConfirmation } from './first-push'
import { pendingOrdersOf, storeKitStock } from './kit-stock'
import { changedProducts, scopesByLocation, sumByScope, unknownLocations } from './late-commit-sweep'
import { Mutex } from './mutex'
import { Planner, type PlanOptions } from './planner'
import { readStock } from './stock-reader'

const silentLogger: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} }

type RunWithEstimate = ResyncProgress

export class SyncEngine implements Engine {
  private readonly db: Database
  private readonly odoo: OdooGateway
  private readonly adapters: Map<string, ChannelAdapter>
  private readonly clock: Clock
  private readonly logger: EngineLogger
  private readonly opts: EngineOptions
  private readonly bus: EventBus
  private readonly state: EngineState
  private readonly catalog: Catalog
  private readonly planner: Planner
  private readonly odooMutex = new Mutex()
  private readonly workers = new Map<string, ChannelWorker>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly jobs: Job[] = []
  private readonly orderPolls = new Map<string, Promise<void>>()
  private progressTimer: NodeJS.Timeout | null = null
  private readonly plannedRuns = new Set<number>()
  private readonly nextOrderPollAt = new Map<string, number>()
  private readonly resyncWaiters = new Map<number, Array<(r: ResyncRun) => void>>()
  /** Each resync run's per-channel progress and measured pace (the latest runs only). */
  private readonly resyncRates = new Map<number, ResyncRate>()
  /** Order polls a channel throttles: logged when it starts and when it ends, not at every poll. */
  private readonly orderThrottle = new ThrottleEpisodes()
  private salesPerDay = new Map<number, number>()
  /** The kits (mrp phantom BoMs) as last read from Odoo; none where mrp is not installed. */
  private kits: KitBook = KitBook.empty
  private defaultLocations: number[] | null = null
  /** Odoo's location tree, for the late-commit sweep (read at its first run, again when it grows). */
  private locationTree: OdooLocation[] | null = null
  private lastSweepAt = 0
  private catalogueLoadedAt = 0
  private started = false
  private stopping = false
  private halted = false
  private globallyPaused = false
  private lastPollAt: number | null = null
  private lastPollError: string | null = null
  private changesSeen = 0
  private lastProgressAt = 0

  constructor(deps: EngineDeps) {
    if (!deps.db) throw new TypeError('createEngine: deps.db (an open database) is required')
    if (!deps.odoo) throw new TypeError('createEngine: deps.odoo (an OdooGateway) is required')
    if (!deps.adapters)
      throw new TypeError('createEngine: deps.adapters (adapters by channel id) is required')
    this.db = deps.db
    this.odoo = deps.odoo
    this.adapters =
      deps.adapters instanceof Map ? new Map(deps.adapters) : new Map(Object.entries(deps.adapters))
    this.clock = deps.clock ?? systemClock
    this.logger = deps.logger ?? silentLogger
    this.opts = resolveEngineOptions(deps.options)
    this.bus = new EventBus((e) =>
      this.logger.warn('an engine event listener threw', { error: errorMessage(e) }),
    )
    this.state = new EngineState(this.db)
    this.catalog = new Catalog(this.db, new Set(this.adapters.keys()))
    this.planner = new Planner({
      catalog: this.catalog,
      stock: { get: (id, scope) => getStock(this.db, id, scope), allByScope: () => stockByScope(this.db) },
      db: this.db,
      state: this.state,
      salesPerDay: () => this.salesPerDay,
      pending: () => this.kits.spread(pendingByProduct(this.db)),
      kits: () => this.kits,
      today: () =>
        this.opts.today ? this.opts.today() : new Date(this.clock.now()).toISOString().slice(0, 10),
      now: () => this.clock.now(),
      log: (e) => this.log(e),
    })
  }

  // ---- lifecycle ----------------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.started) return
    this.started = true
    const recovered = recoverOutboxInflight(this.db)
    // A write sent or accepted by a process that stopped before its outcome was known may still land
    // after the value sent next: read those listings back once the channel's apply window has passed.
    recheckUnsettledPushes(this.db)
    this.pruneLog()
    this.log({
      at: this.clock.now(),
      level: 'info',
      kind: 'engine',
      message: `engine starting${recovered ? `; ${recovered} listings that were in flight will be sent again` : ''}`,
    })
    await this.initialize()
    this.armOdooPoll()
    this.lastSweepAt = this.clock.now()
    this.armSweep()
    this.armRecheck()
    if (this.opts.fullRecomputeSchedule)
      this.jobs.push(
        scheduleJob(
          this.opts.fullRecomputeSchedule,
          () => void this.safe('full recompute', () => this.fullRecompute({ sweep: 'when_due' })),
        ),
      )
    if (this.opts.reconcileSchedule)
      this.jobs.push(
        scheduleJob(
          this.opts.reconcileSchedule,
          () => void this.safe('reconciliation', () => this.reconcile().then(() => undefined)),
        ),
      )
    this.jobs.push(scheduleJob('17 3 * * *', () => this.pruneLog()))
  }

  /** Loads warehouses, products and config, reads all stock and resumes resyncs. Retried by the poll. */
  private async initialize(): Promise<boolean> {
    if (this.defaultLocations !== null) return true
    try {
      const warehouses = await this.odoo.listWarehouses()
      const products = await this.odoo.listProducts()
      if (this.halted) return false
      upsertProducts(this.db, products)
      try {
        const sold = await this.odoo.salesHistory(this.opts.salesHistoryDays)
        if (this.halted) return false
        setSalesHistory(this.db, sold, this.opts.salesHistoryDays)
      } catch (e) {
        this.log({
          at: this.clock.now(),
          level: 'warn',
          kind: 'odoo',
          message: `sales history unavailable, velocity classes use the last known figures: ${errorMessage(e)}`,
        })
      }
      this.salesPerDay = salesPerDay(this.db)
      this.catalogueLoadedAt = this.clock.now()
      this.defaultLocations = warehouses.map((w) => w.lotStockId)
      this.catalog.load(this.defaultLocations)
      this.ensureWorkers()
      await this.odooMutex.run(async () => {
        await this.loadKits()
        let cursor = this.state.getJson<OdooPollCursor>('odoo_cursor')
        // A fresh cursor taken BEFORE the full read: changes during the read are seen by the next poll.
        if (cursor === null) cursor = (await this.odoo.pollChanges(null)).cursor
        await this.readAndPlanLocked('all', {})
        if (!this.halted) this.state.setJson('odoo_cursor', cursor)
      })
      if (this.halted) return false
      this.lastPollError = null
      clearAlert(this.db, 'odoo_unreachable', 'odoo', this.clock.now())
      for (const run of runningResyncRuns(this.db))
        void this.safe('resuming the resync', () => this.resumeResync(run))
      return true
    } catch (e) {
      this.defaultLocations = null
      this.odooFailed('starting', e)
      return false
    }
  }

  private ensureWorkers(): void {
    for (const ch of this.catalog.channels.values()) {
      if (this.workers.has(ch.id)) continue
      const adapter = this.adapters.get(ch.id)!
      const worker = new ChannelWorker(
        ch.id,
        adapter,
        this.db,
        this.clock,
        {
          log: (e) => this.log(e),
          pushed: (e) => this.emit({ type: 'push', channelId: ch.id, ...e }),
          stateChanged: (s, message) =>
            this.emit({ type: 'channel', channelId: ch.id, state: s, ...(message ? { message } : {}) }),
          alert: (a) => this.raiseAlert({ ...a, channelId: ch.id }),
          clearAlert: (kind, subject) => clearAlert(this.db, kind, subject, this.clock.now()),
          mayPush: () => this.mayPush(ch.id),
          batchDone: () => this.resyncProgress(false),
        },
        {
          blockAfter: this.opts.blockAfter,
          backoff: this.opts.backoff,
          confirmIntervalMs: this.opts.confirmIntervalMs,
          random: this.opts.random,
        },
      )
      this.workers.set(ch.id, worker)
      if (this.globallyPaused) worker.pause()
      worker.start()
      this.armOrderPoll(ch.id, 0)
    }
  }

  async stop(opts: { drain?: boolean } = {}): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    this.clearTimers()
    const deadline = Date.now() + (opts.drain === false ? 0 : this.opts.drainTimeoutMs)
    // Let a poll in progress finish its transaction, so what it read is queued and then drained.
    await Promise.race([
      this.odooMutex.run(async () => undefined),
      new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref()),
    ])
    await Promise.all([...this.workers.values()].map((w) => w.stop(opts.drain !== false, deadline)))
    this.halted = true
    this.log({ at: this.clock.now(), level: 'info', kind: 'engine', message: 'engine stopped' })
    this.emit({ type: 'stopped' })
  }

  halt(): void {
    this.halted = true
    this.stopping = true
    this.clearTimers()
    for (const w of this.workers.values()) w.halt()
  }

  private clearTimers(): void {
    if (this.progressTimer) clearTimeout(this.progressTimer)
    this.progressTimer = null
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const j of this.jobs) j.cancel()
    this.jobs.length = 0
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopping) return
    const t = setTimeout(() => {
      this.timers.delete(t)
      if (!this.stopping) fn()
    }, ms)
    this.timers.add(t)
  }

  private armOdooPoll(): void {
    this.later(this.opts.pollIntervalMs, () => {
      void this.safe('polling Odoo', () => this.pollOdoo()).finally(() => this.armOdooPoll())
    })
  }

  /** The sweep runs `lateCommitSweepMs` after the last one, whoever ran it (the timer, the safety net). */
  private armSweep(): void {
    const wait = Math.max(0, this.lastSweepAt + this.opts.lateCommitSweepMs - this.clock.now())
    this.later(wait, () => {
      const due = this.clock.now() >= this.lastSweepAt + this.opts.lateCommitSweepMs
      const run = due
        ? this.safe('sweeping Odoo for late commits', () => this.sweepLateCommits().then(() => undefined))
        : Promise.resolve()
      void run.finally(() => this.armSweep())
    })
  }

  private armOrderPoll(channelId: string, delay: number | null = null): void {
    const adapter = this.adapters.get(channelId)
    if (!adapter) return
    const every = this.opts.orderPollIntervalMs ?? adapter.capabilities.orderPollIntervalMs
    const wait = delay ?? every
    this.nextOrderPollAt.set(channelId, this.clock.now() + wait)
    this.later(wait, () => {
      void this.safe(`polling orders of ${channelId}`, () => this.pollOrders(channelId)).finally(() =>
        this.armOrderPoll(channelId),
      )
    })
  }

  private async safe(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn()
    } catch (e) {
      if (this.halted) return
      this.log({
        at: this.clock.now(),
        level: 'error',
        kind: 'engine',
        status: isClassifiedError(e) ? e.kind : 'error',
        message: `${what} failed: ${errorMessage(e)}`,
      })
    }
  }

  // ---- events and log -----------------------------------------------------------------------------

  subscribe(listener: (event: EngineEvent) => void): () => void {
    return this.bus.subscribe(listener)
  }

  private emit(e: EngineEvent): void {
    this.bus.emit(e)
  }

  private log(e: SyncLogEntry): void {
    if (this.halted) return
    appendSyncLog(this.db, e)
    if (e.level !== 'debug')
      this.logger[e.level](e.message, {
        kind: e.kind,
        ...(e.channelId ? { channelId: e.channelId } : {}),
        ...(e.listingId ? { listingId: e.listingId } : {}),
      })
    this.emit({ type: 'log', entry: e })
  }

  private raiseAlert(a: {
    kind: string
    severity: 'info' | 'warning' | 'critical'
    subject: string
    message: string
    channelId?: string | null
    details?: Record<string, unknown>
  }): void {
    if (this.halted) return
    raiseAlert(this.db, { ...a, channelId: a.channelId ?? null, at: this.clock.now() })
    this.emit(alertEvent(a))
  }

  private pruneLog(): void {
    const removed = pruneSyncLog(
      this.db,
      this.clock.now() - this.opts.logRetentionDays * 86_400_000,
      this.opts.logMaxRows,
    )
    if (removed > 0) this.logger.debug(`sync log retention removed ${removed} entries`)
  }

  // ---- Odoo ---------------------------------------------------------------------------------------

  private odooFailed(what: string, e: unknown): void {
    const msg = errorMessage(e)
    this.lastPollError = msg
    this.log({
      at: this.clock.now(),
      level: 'error',
      kind: 'odoo',
      status: isClassifiedError(e) ? e.kind : 'error',
      message: `Odoo ${what} failed: ${msg}`,
    })
    if (isClassifiedError(e) && e.kind === 'needs_seller')
      this.raiseAlert({
        kind: 'odoo_unreachable',
        severity: 'critical',
        subject: 'odoo',
        message: `${msg}${e.hint ? `. ${e.hint}` : ''}`,
      })
  }

  async pollOdoo(): Promise<void> {
    if (this.halted) return
    if (this.defaultLocations === null) {
      await this.initialize()
      return
    }
    try {
      await this.odooMutex.run(async () => {
        if (this.halted) return
        const confirmed = noteOdooConfirmations(this.db, this.clock.now())
        const cursor = this.state.getJson<OdooPollCursor>('odoo_cursor')
        const r = await this.odoo.pollChanges(cursor)
        if (this.halted) return
        const mapped = r.changedProductIds.filter((id) => this.catalog.relevant(id, this.kits))
        const ids = [...new Set([...mapped, ...confirmed])]
        if (ids.length > 0) await this.readAndPlanLocked(ids, {})
        if (this.halted) return
        // Saved only after the recompute committed: a crash in between polls the same changes again.
        this.state.setJson('odoo_cursor', r.cursor)
        this.lastPollAt = this.clock.now()
        this.lastPollError = null
        this.changesSeen += ids.length
        this.emit({ type: 'poll', changedProducts: ids.length, calls: r.calls, at: this.lastPollAt })
      })
    } catch (e) {
      this.odooFailed('poll', e)
    }
  }

  /** Reads stock of `ids` and plans their listings. Only inside odooMutex. */
  private async readAndPlanLocked(ids: number[] | 'all', plan: PlanOptions): Promise<void> {
    // Before the catalogue is loaded (Odoo failed at start-up) there is no location scope to read. Pending
    // units released then would leave the stored stock, still without their reservation, to publish them
    // again: the first full read after start-up releases them instead.
    if (this.defaultLocations === null || this.catalog.channels.size === 0) return
    const kits = this.kits
    // Kits are read through their components, and a product's change recomputes the kits made with it.
    const touched = kits.withKits(ids === 'all' ? this.catalog.mappedProductIds() : ids)
    const asked = kits.toRead(touched)
    if (asked.length === 0 && touched.size === 0) return
    const readStartedAt = this.clock.now()
    const read = await readStock(this.odoo, this.catalog.scopes(), ids === 'all' ? 'all' : asked, kits)
    if (this.halted) return
    this.storeAndPlan(read, asked, touched, readStartedAt, plan)
  }

  /**
   * Stores a stock read of `asked` (real products, per scope) that started at `readStartedAt`, derives the
   * stock of the kits in `touched` from their components, releases the pending units whose reservation the
   * read includes, and plans the listings: one transaction.
   */
  private storeAndPlan(
    read: ReadonlyMap<string, readonly ProductStock[]>,
    asked: readonly number[],
    touched: ReadonlySet<number>,
    readStartedAt: number,
    plan: PlanOptions,
  ): void {
    const kits = this.kits
    const queued = this.db.transaction(() => {
      for (const [scope, rows] of read) storeStock(this.db, scope, asked, rows, readStartedAt)
      storeKitStock(this.db, kits, read.keys(), touched, readStartedAt)
      // A kit order's units are released once all the kit's components were read after Odoo reserved them.
      for (const r of releaseReservedUnits(this.db, [...asked, ...touched], readStartedAt))
        this.log({
          at: this.clock.now(),
          level: 'debug',
          kind: 'order',
          channelId: r.channelId,
          productId: r.productId,
          status: 'released',
          message: `${r.units} pending units of order ${r.orderId} released: Odoo's reservation (confirmed by ${new Date(r.reservedAt).toISOString()}) is in the stock read started ${new Date(readStartedAt).toISOString()}`,
          data: { orderId: r.orderId, units: r.units, reservedAt: r.reservedAt, readStartedAt },
        })
      return this.planner.plan(new Set([...touched, ...asked]), plan)
    })()
    this.kick(queued)
  }

  /**
   * One grouped read of every counted location, compared with the stored stock: products that differ were
   * changed by a transaction that committed after the poll's overlap window (see late-commit-sweep.ts).
   * Returns how many products it found changed.
   */
  async sweepLateCommits(): Promise<number> {
    if (this.halted || this.defaultLocations === null) return 0
    return this.odooMutex.run(async () => {
      if (this.halted || this.catalog.channels.size === 0) return 0
      const scopes = this.catalog.scopes()
      const roots = [...new Set([...scopes.values()].flat())].sort((a, b) => a - b)
      const startedAt = this.clock.now()
      this.lastSweepAt = startedAt
      const rows = await this.odoo.stockByProductLocation(roots)
      if (this.halted) return 0
      if (this.locationTree === null || unknownLocations(rows, this.locationTree).length > 0)
        this.locationTree = await this.odoo.listLocations()
      if (this.halted) return 0
      const swept = sumByScope(rows, scopesByLocation(this.locationTree, scopes))
      // Kits have no quants: their components (and the plain products) are compared, and a changed
      // component recomputes the kits made with it.
      const kits = this.kits
      const real = kits.toRead(kits.withKits(this.catalog.mappedProductIds()))
      const changed = changedProducts(real, scopes.keys(), swept, stockByScope(this.db))
      if (changed.length === 0) return 0
      const read = new Map<string, ProductStock[]>()
      for (const scope of scopes.keys()) {
        const m = swept.get(scope)
        read.set(
          scope,
          changed.flatMap((id) => {
            const r = m?.get(id)
            return r ? [r] : []
          }),
        )
      }
      this.storeAndPlan(read, changed, kits.withKits(changed), startedAt, {})
      this.log({
        at: this.clock.now(),
        level: 'info',
        kind: 'recompute',
        message: `${changed.length} product(s) changed in Odoo without the poll seeing it (a transaction that committed late, or a change the poll missed): published again`,
        data: { products: changed.slice(0, 50) },
      })
      return changed.length
    })
  }

  /**
   * Reads Odoo's product catalogue and kits again: a product created in Odoo after the engine started
   * becomes mappable (auto-match by SKU and EAN), and a changed bill of materials counts.
   */
  async refreshCatalogue(): Promise<void> {
    if (this.halted || this.defaultLocations === null) return
    await this.odooMutex.run(async () => {
      const products = await this.odoo.listProducts()
      if (this.halted) return
      upsertProducts(this.db, products)
      this.catalogueLoadedAt = this.clock.now()
      await this.loadKits()
    })
  }

  /** Reads the kits from Odoo (where mrp is installed). Only inside odooMutex. */
  private async loadKits(): Promise<void> {
    if (!this.odoo.listKits) return
    try {
      const kits = new KitBook(await this.odoo.listKits())
      if (this.halted) return
      this.kits = kits
      if (kits.size > 0) upsertProducts(this.db, kits.kitProducts())
    } catch (e) {
      // Odoo unreachable: the caller retries. Anything else keeps the kits last read, and every other
      // product in sync.
      if (isClassifiedError(e) && e.kind === 'retryable') throw e
      this.log({
        at: this.clock.now(),
        level: 'warn',
        kind: 'odoo',
        message: `reading the kits (mrp bills of materials) failed; kits keep the last known structure: ${errorMessage(e)}`,
      })
    }
  }

  private kick(queued: Map<string, number>): void {
    for (const ch of queued.keys()) this.workers.get(ch)?.kick()
  }

  /**
   * The scheduled safety net: reloads the configuration, sweeps Odoo's stock in one grouped read (storing
   * whatever the polls missed) and plans every listing from the stored stock.
   */
  async fullRecompute(opts: { sweep?: 'always' | 'when_due' } = {}): Promise<void> {
    if (this.halted) return
    if (this.defaultLocations === null) {
      await this.initialize()
      return
    }
    this.reloadCatalog()
    // Products and bills of materials change rarely: read again every catalogueRefreshMs (and when the
    // seller fetches listings), so an idle Odoo is not asked for them every 10 minutes.
    if (this.clock.now() >= this.catalogueLoadedAt + this.opts.catalogueRefreshMs)
      await this.refreshCatalogue()
    // The schedule leaves the stock read to the sweep's own timer when a sweep ran within its interval:
    // an idle Odoo then pays one call per sweep interval, not more.
    if (opts.sweep !== 'when_due' || this.clock.now() >= this.lastSweepAt + this.opts.lateCommitSweepMs)
      await this.sweepLateCommits()
    if (this.halted) return
    this.planAll()
    this.log({
      at: this.clock.now(),
      level: 'info',
      kind: 'recompute',
      message: `full recompute of ${this.catalog.mappedProductIds().length} products done`,
    })
  }

  private reloadCatalog(): void {
    this.catalog.load(this.defaultLocations ?? [])
    this.ensureWorkers()
  }

  private planAll(): void {
    const queued = this.db.transaction(() => this.planner.plan(this.catalog.mappedProductIds()))()
    this.kick(queued)
  }

  /**
   * The configuration changed (from this process or another one): reload the catalogue, read the stock of
   * products never read in their scope (a new mapping, a new location rule), and plan every listing from
   * the stored stock. No Odoo call when nothing new needs reading.
   */
  async reloadConfig(): Promise<void> {
    if (this.halted) return
    if (this.defaultLocations === null) {
      await this.initialize()
      return
    }
    this.reloadCatalog()
    const stored = stockByScope(this.db)
    const missing = new Set<number>()
    for (const [productId, refs] of this.catalog.listingsByProduct)
      for (const r of refs) {
        const scope = this.catalog.channels.get(r.channelId)?.scope
        if (scope !== undefined && !stored.get(scope)?.has(productId)) missing.add(productId)
      }
    await this.odooMutex.run(async () => {
      // A kit just mapped, or a bill of materials the seller just changed, is read with the configuration.
      await this.loadKits()
      if (missing.size > 0) await this.readAndPlanLocked([...missing], {})
      if (!this.halted) this.planAll()
    })
    this.log({
      at: this.clock.now(),
      level: 'info',
      kind: 'engine',
      message: `configuration reloaded: ${this.catalog.channels.size} live channel(s), ${this.catalog.mappedProductIds().length} mapped product(s)${missing.size > 0 ? `, stock read for ${missing.size} product(s) new to their scope` : ''}`,
    })
  }

  // ---- orders -------------------------------------------------------------------------------------

  async pollOrders(channelId: string): Promise<void> {
    const adapter = this.adapters.get(channelId)
    const channel = this.catalog.channels.get(channelId)
    if (!adapter || !channel)
      throw new RangeError(`pollOrders: channel "${channelId}" is not live or has no adapter`)
    // A poll already running may have fetched before the caller's order existed: wait, then poll again.
    while (this.orderPolls.has(channelId)) await this.orderPolls.get(channelId)
    if (this.halted) return
    const run = this.pollOrdersNow(channelId, adapter, channel)
    this.orderPolls.set(channelId, run)
    try {
      await run
    } finally {
      this.orderPolls.delete(channelId)
    }
  }

  private async pollOrdersNow(
    channelId: string,
    adapter: ChannelAdapter,
    channel: ChannelConfig,
  ): Promise<void> {
    const key = `orders_since:${channelId}`
    // A paging run that stopped half way (throttled, an outage, a crash) goes on from its page next time: a
    // channel whose list budget is smaller than the pages it needs would otherwise start over for ever.
    const pageKey = `orders_page:${channelId}`
    try {
      const resumed = this.state.getJson<{ from: string; cursor: string; watermark: string }>(pageKey)
      let from: string
      let watermark: string
      let cursor: string | undefined
      if (resumed) {
        from = resumed.from
        watermark = resumed.watermark
        cursor = resumed.cursor
      } else {
        const since =
          this.state.get(key) ?? new Date(this.clock.now() - this.opts.orderLookbackMs).toISOString()
        from = new Date(Date.parse(since) - this.opts.orderOverlapMs).toISOString()
        watermark = since
      }
      do {
        const page = await adapter.fetchOrders(from, cursor)
        if (this.halted) return
        const now = this.clock.now()
        const events: EngineEvent[] = []
        const affected = new Set<number>()
        this.db.transaction(() => {
          for (const order of page.items) {
            const r = upsertOrder(
              this.db,
              channelId,
              order,
              (line) => this.resolveLine(channelId, line),
              now,
              !channel.orderImport,
            )
            for (const p of r.productIds) affected.add(p)
            if (order.updatedAt > watermark) watermark = order.updatedAt
            if (r.isNew || r.productIds.size > 0) {
              this.log({
                at: now,
                level: 'info',
                kind: 'order',
                channelId,
                status: order.status,
                message: `order ${order.orderId} ${r.isNew ? 'new' : 'changed'} (${order.status})${r.unmappedLines ? `, ${r.unmappedLines} lines not mapped to a product` : ''}`,
                data: { orderId: order.orderId },
              })
              events.push({
                type: 'order',
                channelId,
                orderId: order.orderId,
                productIds: [...r.productIds],
                isNew: r.isNew,
              })
            }
          }
          if (page.next) this.state.setJson(pageKey, { from, cursor: page.next, watermark })
          else {
            this.state.delete(pageKey)
            this.state.set(key, watermark)
          }
        })()
        for (const e of events) this.emit(e)
        if (affected.size > 0) {
          // Lowered at once, page by page, from the stored stock: no need to wait for Odoo to see the sale,
          // nor for the last page (a run that stops half way has still lowered what it read).
          // A kit's order lowers its components' listings and every kit made with them.
          const touched = this.kits.withKits(affected)
          const plan = new Set([...touched, ...this.kits.toRead(touched)])
          const queued = this.db.transaction(() => this.planner.plan(plan))()
          this.kick(queued)
          this.checkOversell(channelId, plan)
        }
        cursor = page.next
      } while (cursor)
      const back = this.orderThrottle.succeeded(channelId, this.clock.now(), 'order checks', channel.name)
      if (back) this.log({ at: this.clock.now(), kind: 'order', channelId, ...back })
    } catch (e) {
      if (this.halted) return
      // A cursor the channel no longer takes (expired, refused): the next poll starts over from the watermark.
      if (!(isClassifiedError(e) && e.kind === 'retryable')) this.state.delete(pageKey)
      const msg = errorMessage(e)
      // Throttling is the channel working as designed: said once when it starts and once when it ends.
      if (isThrottled(e)) {
        const start = this.orderThrottle.throttled(channelId, this.clock.now(), 'order checks', channel.name)
        if (start)
          this.log({ at: this.clock.now(), kind: 'order', channelId, ...start, data: { error: msg } })
        return
      }
      this.log({
        at: this.clock.now(),
        level: isClassifiedError(e) && e.kind === 'retryable' ? 'warn' : 'error',
        kind: 'order',
        channelId,
        status: isClassifiedError(e) ? e.kind : 'error',
        message: `fetching orders failed: ${msg}`,
      })
      if (isClassifiedError(e) && e.kind === 'needs_seller')
        this.raiseAlert({
          kind: 'channel_needs_seller',
          severity: 'critical',
          subject: channelId,
          channelId,
          message: `${msg}${e.hint ? `. ${e.hint}` : ''}`,
        })
    }
  }

  private resolveLine(channelId: string, line: ChannelOrderLine): number | null {
    if (line.listingId) {
      const p = this.catalog.productOf(channelId, line.listingId)
      if (p !== null) return p
    }
    return findProductBySkuOrEan(this.db, line.sku, line.ean)
  }

  private checkOversell(channelId: string, productIds: Iterable<number>): void {
    const channel = this.catalog.channels.get(channelId)
    if (!channel) return
    // Kit orders count on their components; a kit is checked itself only when no component counts.
    const pending = this.kits.spread(pendingByProduct(this.db))
    for (const id of productIds) {
      if (this.kits.defs.get(id)?.components.length) continue
      const stock = getStock(this.db, id, channel.scope)
      if (!stock) continue
      const free = basisValue(stock, 'free')
      const p = pending.get(id) ?? 0
      const subject = `product:${id}`
      if (p > free) {
        const orders = pendingOrdersOf(this.db, this.kits, id)
        this.raiseAlert({
          kind: 'oversell',
          severity: 'critical',
          subject,
          channelId,
          message: `Product ${id}: ${p} units ordered but only ${free} free in Odoo. Orders: ${orders.map((o) => `${o.channelId} ${o.orderId} (${o.kit ? `${o.pending} x kit ${o.kit}` : o.pending})`).join(', ')}`,
          details: { productId: id, pending: p, free, orders },
        })
      } else clearAlert(this.db, 'oversell', subject, this.clock.now())
    }
  }

  async orderReservedInOdoo(channelId: string, orderId: string): Promise<void> {
    const products = markOrderReservedInOdoo(this.db, channelId, orderId, this.clock.now())
    if (products.length > 0) await this.odooMutex.run(() => this.readAndPlanLocked(products, {}))
  }

  // ---- control ------------------------------------------------------------------------------------

  private worker(channelId: string): ChannelWorker {
    const w = this.workers.get(channelId)
    if (!w) {
      const known = [...this.workers.keys()].join(', ') || '(none)'
      throw new RangeError(`channel "${channelId}" is not running in the engine; running: ${known}`)
    }
    return w
  }

  pause(channelId?: string): void {
    if (channelId) return this.worker(channelId).pause()
    this.globallyPaused = true
    for (const w of this.workers.values()) w.pause()
  }

  resume(channelId?: string): void {
    if (channelId) return this.worker(channelId).resume()
    this.globallyPaused = false
    for (const w of this.workers.values()) w.resume()
  }

  retryChannel(channelId: string): void {
    this.worker(channelId).retry()
  }

  async unblock(channelId: string, listingId: string): Promise<void> {
    this.worker(channelId)
    const productId = this.catalog.productOf(channelId, listingId)
    if (!unblockListing(this.db, channelId, listingId)) return
    clearAlert(this.db, 'listing_blocked', `${channelId}/${listingId}`, this.clock.now())
    this.log({
      at: this.clock.now(),
      level: 'info',
      kind: 'push',
      channelId,
      listingId,
      status: 'skipped',
      message: 'unblocked by the seller',
    })
    if (productId !== null) {
      const queued = this.db.transaction(() =>
        this.planner.plan([productId], {
          force: (c, l) => c === channelId && l === listingId,
          channels: new Set([channelId]),
        }),
      )()
      this.kick(queued)
    }
  }

  explain(channelId: string, listingId: string): ListingExplanation | null {
    const channel = this.catalog.channels.get(channelId)
    const productId = this.catalog.productOf(channelId, listingId)
    if (!channel || productId === null) return null
    const want = this.planner.desired(channel, listingId, productId)
    if (!want) return null
    const ps = getPushState(this.db, channelId, listingId)
    const f = want.figures
    return {
      channelId,
      listingId,
      productId,
      quantity: want.command.quantity,
      action: want.command.action,
      explanation: want.explanation,
      status: ps?.status ?? null,
      blockedReason: ps?.blockedReason ?? null,
      ...(f
        ? {
            figures: {
              basis: f.published.basis,
              basisValue: f.published.basisValue,
              pending: f.published.pending,
              buffer: f.published.buffer,
              capped: f.published.capped,
              zeroedBelow: f.published.zeroedBelow,
              kit: this.kits.isKit(productId),
              bufferParts: f.bufferParts,
            },
          }
        : {}),
    }
  }

  // ---- first-push guard ---------------------------------------------------------------------------

  private mayPush(channelId: string): boolean {
    if (!this.opts.firstPushGuard) return true
    const key = firstPushKey(channelId)
    const v = this.state.get(key)
    if (v === 'done') return true
    if (v === 'held') return false
    const review = this.reviewFirstPush(channelId)
    if (!review.verdict.needsConfirmation) {
      this.state.set(key, 'done')
      return true
    }
    this.state.set(key, 'held')
    this.raiseAlert({
      kind: 'first_push_held',
      severity: 'warning',
      subject: channelId,
      channelId,
      message: `The first push to ${channelId} waits for your confirmation: ${review.verdict.reason}.`,
    })
    this.log({
      at: this.clock.now(),
      level: 'warn',
      kind: 'guard',
      channelId,
      status: 'held',
      message: `first push held: ${review.verdict.reason}`,
      data: { toZero: review.verdict.toZero, drastic: review.verdict.drastic, total: review.verdict.total },
    })
    this.emit({ type: 'guard', review })
    return false
  }

  reviewFirstPush(channelId: string): FirstPushReview {
    this.worker(channelId)
    const queued = new Map(outboxRowsOf(this.db, channelId).map((r) => [r.listingId, r]))
    const ids: string[] = []
    for (const refs of this.catalog.listingsByProduct.values())
      for (const ref of refs) if (ref.channelId === channelId) ids.push(ref.listingId)
    const diff = firstPushDiff(this.db, channelId, ids, (listingId, now) => {
      const q = queued.get(listingId)
      return q ? (q.action === 'pause' ? 0 : q.quantity) : (now ?? 0)
    })
    return { channelId, verdict: evaluateFirstPush(diff, this.opts.guard), diff }
  }

  confirmFirstPush(channelId: string): void {
    const w = this.worker(channelId)
    recordFirstPushConfirmation(this.db, channelId, this.clock.now(), (e) => this.log(e))
    w.retry()
  }

  // ---- reconciliation -----------------------------------------------------------------------------

  async reconcile(channelId?: string): Promise<{ checked: number; drifted: number }> {
    let checked = 0
    let drifted = 0
    if (channelId) this.worker(channelId) // throws a clear error for a channel the engine does not run
    const channels = channelId
      ? [this.catalog.channels.get(channelId) ?? null]
      : [...this.catalog.channels.values()]
    for (const channel of channels) {
      if (!channel) continue
      const adapter = this.adapters.get(channel.id)!
      if (!adapter.capabilities.readBack || !adapter.readBack) continue
      const ids: string[] = []
      for (const refs of this.catalog.listingsByProduct.values())
        for (const r of refs) if (r.channelId === channel.id) ids.push(r.listingId)
      const size = Math.max(1, Math.min(adapter.capabilities.bulkBatchSize, 500))
      for (let i = 0; i < ids.length; i += size) {
        const r = await this.reconcileListings(channel, ids.slice(i, i + size))
        if (this.halted) return { checked, drifted }
        checked += r.checked
        drifted += r.drifted
      }
    }
    this.log({
      at: this.clock.now(),
      level: 'info',
      kind: 'reconcile',
      message: `reconciliation checked ${checked} listings, repaired ${drifted}`,
    })
    return { checked, drifted }
  }

  /**
   * Reads `ids` back from the channel and repairs those that show anything but their figure. Listings with
   * a value still on its way (queued, sent, or accepted and not confirmed) are left out: `unsettled`.
   */
  private async reconcileListings(
    channel: ChannelConfig,
    ids: string[],
  ): Promise<{ checked: number; drifted: number; unsettled: string[] }> {
    const adapter = this.adapters.get(channel.id)!
    const states = await adapter.readBack!(ids)
    const out = { checked: 0, drifted: 0, unsettled: [] as string[] }
    if (this.halted) return out
    const pending = this.kits.spread(pendingByProduct(this.db))
    const repair = new Set<string>()
    const products = new Set<number>()
    for (const s of states) {
      out.checked++
      const ps = getPushState(this.db, channel.id, s.listingId)
      if (
        getOutboxRow(this.db, channel.id, s.listingId) ||
        ps?.status === 'accepted' ||
        ps?.status === 'sent'
      ) {
        out.unsettled.push(s.listingId)
        continue
      }
      if (ps?.status === 'blocked') continue
      const productId = this.catalog.productOf(channel.id, s.listingId)
      if (productId === null) continue
      const want = this.planner.desired(channel, s.listingId, productId, pending)
      if (!want) continue
      // A paused listing must not be buyable; one at 0 without a pause (push_zero) may show either way:
      // channels such as Amazon report a listing with nothing to sell as unavailable.
      const shows =
        want.command.action === 'pause' ? !s.available : want.command.quantity === 0 || s.available
      if (s.quantity === want.command.quantity && shows) continue
      out.drifted++
      repair.add(s.listingId)
      products.add(productId)
      this.log({
        at: this.clock.now(),
        level: 'warn',
        kind: 'drift',
        channelId: channel.id,
        listingId: s.listingId,
        productId,
        message: `channel shows ${s.quantity}${s.available ? '' : ' (paused)'}, should show ${want.command.quantity}: repairing`,
      })
    }
    if (repair.size > 0) {
      const queued = this.db.transaction(() =>
        this.planner.plan(products, {
          force: (c, l) => c === channel.id && repair.has(l),
          channels: new Set([channel.id]),
        }),
      )()
      this.kick(queued)
    }
    return out
  }

  /**
   * Listings that got a newer value while an older one was unconfirmed: once the channel's apply window has
   * passed, the older write has landed (or never will), so what the listing shows now is final. Read back
   * and repaired; listings whose newest value is itself still unconfirmed wait for the next round.
   */
  private async recheckSuperseded(): Promise<void> {
    const now = this.clock.now()
    startRecheckClocks(this.db, now)
    for (const channel of this.catalog.channels.values()) {
      const adapter = this.adapters.get(channel.id)
      const window = adapter?.capabilities.applyWindowMs
      if (!adapter || window === undefined || !adapter.capabilities.readBack || !adapter.readBack) {
        dropRechecks(this.db, channel.id)
        continue
      }
      const size = Math.max(1, Math.min(adapter.capabilities.bulkBatchSize, 500))
      const ids = dueRechecks(this.db, channel.id, now - window, size)
      if (ids.length === 0) continue
      const r = await this.reconcileListings(channel, ids)
      if (this.halted) return
      const waiting = new Set(r.unsettled)
      rechecksDone(
        this.db,
        channel.id,
        ids.filter((id) => !waiting.has(id)),
      )
      if (r.drifted > 0)
        this.log({
          at: this.clock.now(),
          level: 'info',
          kind: 'reconcile',
          channelId: channel.id,
          message: `${r.drifted} of ${ids.length} listings read back after an older write landed late were repaired`,
        })
    }
  }

  private armRecheck(): void {
    this.later(this.opts.recheckIntervalMs, () => {
      void this.safe('reading back superseded listings', () => this.recheckSuperseded()).finally(() =>
        this.armRecheck(),
      )
    })
  }

  // ---- full resync --------------------------------------------------------------------------------

  private channelFilter(channels?: string[]): string[] {
    const live = [...this.catalog.channels.keys()]
    if (!channels || channels.length === 0) return live
    for (const c of channels)
      if (!this.catalog.channels.has(c))
        throw new RangeError(
          `resync: channel "${c}" is not live in the engine; live channels: ${live.join(', ') || '(none)'}`,
        )
    return [...new Set(channels)]
  }

  estimateResync(opts: { channels?: string[] } = {}) {
    const per = this.channelFilter(opts.channels).map((c) => {
      const listings = this.catalog.listingsPerChannel.get(c) ?? 0
      const e = estimateResync(listings, this.adapters.get(c)!.capabilities)
      return { channelId: c, listings, calls: e.calls, estimatedMs: e.estimatedMs }
    })
    // Channels push in parallel: the slowest one sets the time.
    return { estimatedMs: Math.max(0, ...per.map((p) => p.estimatedMs)), channels: per }
  }

  async resync(opts: { channels?: string[] } = {}): Promise<RunWithEstimate> {
    if (this.defaultLocations === null && !(await this.initialize()))
      throw new Error(`resync: Odoo is not reachable (${this.lastPollError ?? 'unknown error'})`)
    const filter = this.channelFilter(opts.channels)
    const run = createResyncRun(
      this.db,
      opts.channels && opts.channels.length > 0 ? filter : null,
      this.state.lastStamp() + 1,
      this.clock.now(),
    )
    // What every listing shows before the run, for the summary at its end.
    snapshotResyncBaseline(this.db, run.id, filter)
    this.log({
      at: this.clock.now(),
      level: 'info',
      kind: 'resync',
      status: 'running',
      message: `full resync ${run.id} started for ${filter.join(', ')}`,
      data: { runId: run.id },
    })
    await this.resumeResync(run)
    return this.withEstimate(getResyncRun(this.db, run.id)!)
  }

  private async resumeResync(run: ResyncRun): Promise<void> {
    const filter = new Set(run.channelFilter ?? [...this.catalog.channels.keys()])
    const total = [...filter].reduce((n, c) => n + (this.catalog.listingsPerChannel.get(c) ?? 0), 0)
    setResyncProgress(this.db, run.id, total, run.done)
    // Each channel's pace is measured from here; the declared limits are the guess until it is.
    for (const id of [...this.resyncRates.keys()]) if (id !== run.id) this.resyncRates.delete(id)
    const rate = new ResyncRate()
    const now = this.clock.now()
    for (const c of filter) {
      const listings = this.catalog.listingsPerChannel.get(c) ?? 0
      const adapter = this.adapters.get(c)
      rate.begin(c, listings, adapter ? estimateResync(listings, adapter.capabilities).estimatedMs : 0, now)
    }
    this.resyncRates.set(run.id, rate)
    try {
      await this.odooMutex.run(() =>
        this.readAndPlanLocked('all', {
          channels: filter,
          // After a restart only what this run has not queued yet is queued again.
          force: (_c, _l, ps) => (ps?.stamp ?? 0) < run.startStamp,
        }),
      )
    } catch (e) {
      finishResyncRun(this.db, run.id, 'failed', this.clock.now(), errorMessage(e))
      this.finishedResync(run.id)
      throw e
    }
    this.plannedRuns.add(run.id)
    this.resyncProgress(true)
  }

  private withEstimate(run: ResyncRun): RunWithEstimate {
    const rate = this.resyncRates.get(run.id)
    if (rate) {
      const o = rate.overall(this.clock.now())
      const running = run.state === 'running'
      return {
        ...run,
        // Measured per channel once the run moves; until then, the declared limits' guess.
        estimatedMs: running ? (o.remainingMs ?? this.declaredRemaining(run)) : 0,
        estimateMeasured:
          running && o.remainingMs !== null && o.channels.some((c) => c.ratePerSecond !== null),
        channels: o.channels.map((c) => ({
          channelId: c.channelId,
          total: c.total,
          done: run.state === 'done' ? c.total : c.done,
          estimatedMs: running ? c.remainingMs : 0,
        })),
      }
    }
    return { ...run, estimatedMs: run.state === 'running' ? this.declaredRemaining(run) : 0 }
  }

  /** The declared limits' estimate for what remains of a run (before anything is measured). */
  private declaredRemaining(run: ResyncRun): number {
    const filter = run.channelFilter ?? undefined
    let estimatedMs = 0
    try {
      estimatedMs = this.estimateResync(filter ? { channels: filter } : {}).estimatedMs
    } catch {
      estimatedMs = 0
    }
    const share = run.total > 0 ? 1 - run.done / run.total : 0
    return Math.ceil(estimatedMs * share)
  }

  private resyncProgress(force: boolean): void {
    if (this.halted) return
    const now = Date.now()
    // Counting what remains reads every channel's queue: twice a second is plenty for a progress bar.
    if (!force && now - this.lastProgressAt < 500) {
      // Throttled, but the last batch of a run must still be counted: check again shortly.
      if (!this.progressTimer && !this.stopping)
        this.progressTimer = setTimeout(() => {
          this.progressTimer = null
          this.resyncProgress(true)
        }, 510)
      return
    }
    this.lastProgressAt = now
    for (const run of runningResyncRuns(this.db)) {
      // Until the run's listings are queued, an empty outbox says nothing about its progress.
      if (!this.plannedRuns.has(run.id)) continue
      const channels = run.channelFilter ?? [...this.catalog.channels.keys()]
      if (channels.length === 0) continue
      // Remaining work is what is still queued or awaiting confirmation: cheap to count, unlike the
      // listings already done, and it shrinks as the run goes. Per channel, and never backwards: work
      // queued meanwhile by other changes does not undo what the run has done.
      let rate = this.resyncRates.get(run.id)
      if (!rate) this.resyncRates.set(run.id, (rate = new ResyncRate()))
      const at = this.clock.now()
      let total = 0
      let done = 0
      for (const c of channels) {
        const t = this.catalog.listingsPerChannel.get(c) ?? 0
        const remaining = outboxDepth(this.db, c) + acceptedPushCount(this.db, c)
        done += rate.observe(c, at, Math.max(0, Math.min(t, t - remaining)), t)
        total += t
      }
      const capped = Math.max(0, Math.min(total, Math.max(done, run.total === total ? run.done : 0)))
      setResyncProgress(this.db, run.id, total, capped)
      if (capped >= total) {
        finishResyncRun(this.db, run.id, 'done', this.clock.now())
        this.log({
          at: this.clock.now(),
          level: 'info',
          kind: 'resync',
          status: 'done',
          message: `full resync ${run.id} done: ${total} listings`,
          data: { runId: run.id },
        })
      }
      const updated = getResyncRun(this.db, run.id)!
      this.emit({ type: 'resync', run: this.withEstimate(updated) })
      if (updated.state !== 'running') this.finishedResync(run.id)
    }
  }

  private finishedResync(id: number): void {
    const run = getResyncRun(this.db, id)
    if (!run) return
    for (const w of this.resyncWaiters.get(id) ?? []) w(run)
    this.resyncWaiters.delete(id)
  }

  waitForResync(id: number): Promise<ResyncRun> {
    const run = getResyncRun(this.db, id)
    if (!run) return Promise.reject(new RangeError(`waitForResync: no resync run ${id}`))
    if (run.state !== 'running') return Promise.resolve(run)
    return new Promise((resolve) => {
      const list = this.resyncWaiters.get(id) ?? []
      list.push(resolve)
      this.resyncWaiters.set(id, list)
    })
  }

  cancelResync(id: number): void {
    const run = getResyncRun(this.db, id)
    if (!run) throw new RangeError(`cancelResync: no resync run ${id}`)
    if (run.state !== 'running') return
    finishResyncRun(this.db, id, 'cancelled', this.clock.now())
    this.log({
      at: this.clock.now(),
      level: 'info',
      kind: 'resync',
      status: 'cancelled',
      message: `full resync ${id} cancelled`,
    })
    this.emit({ type: 'resync', run: this.withEstimate(getResyncRun(this.db, id)!) })
    this.finishedResync(id)
  }

  // ---- status -------------------------------------------------------------------------------------

  status(): EngineStatus {
    const channels: ChannelStatus[] = []
    for (const [id, w] of this.workers) {
      const ch = this.catalog.channels.get(id)
      const counts = pushStatusCounts(this.db, id)
      channels.push({
        channelId: id,
        type: ch?.type ?? this.adapters.get(id)?.type ?? 'unknown',
        name: ch?.name ?? id,
        state: w.runState,
        queueDepth: outboxDepth(this.db, id),
        inFlight: w.inFlightCount,
        awaitingConfirmation: counts.accepted ?? 0,
        blocked: counts.blocked ?? 0,
        lastConfirmedAt: w.lastConfirmedAt,
        lastError: w.lastError,
        latencyP50Ms: w.latency.percentile(50),
        latencyP99Ms: w.latency.percentile(99),
        pushes: w.pushes,
        apiCalls: w.apiCalls,
        nextOrderPollAt: this.nextOrderPollAt.get(id) ?? null,
      })
    }
    const latest = latestResyncRun(this.db)
    return {
      running: this.started && !this.stopping,
      paused: this.globallyPaused,
      odoo: {
        lastPollAt: this.lastPollAt,
        lastError: this.lastPollError,
        pollIntervalMs: this.opts.pollIntervalMs,
        changesSeen: this.changesSeen,
      },
      channels,
      resync: latest ? this.withEstimate(latest) : null,
    }
  }

  async idle(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const busy = [...this.workers].some(
        ([id, w]) => w.inFlightCount > 0 || outboxDepth(this.db, id) > 0 || hasAcceptedPushes(this.db, id),
      )
      if (!busy) return true
      if (Date.now() >= deadline) return false
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}
