// The one engine every host starts (Electron, CLI, demo, benchmark): its lifecycle and the wiring of its
// parts over one SQLite database. Each part keeps its own state: the Odoo poll and late-commit sweep
// (odoo-sync.ts), the catalogue and configuration (catalogue-sync.ts), the planner, one worker per
// channel (jobs/), reconciliation (reconciler.ts), the full resync (resync-runner.ts), the first-push
// gate (first-push.ts), and the order room's intake and oversell rule (orders/).
import { recoverOutboxInflight } from '../db/repos/outbox'
import { recheckUnsettledPushes } from '../db/repos/push-recheck'
import { unsettledSends, type UnsettledSend } from '../db/repos/push-state'
import type { ResyncRun } from '../db/repos/resync'
import { getStock, stockByScope } from '../db/repos/stock'
import { pruneSyncLog } from '../db/repos/sync-log'
import { OrderIntake } from '../orders/order-intake'
import { OversellWatch } from '../orders/oversell'
import { pendingUnits, releasePendingUnits } from '../orders/pending-units'
import { markOrderReservedInOdoo } from '../db/repos/orders'
import { OrderQueues } from '../queue/order-queues'
import { createChannelWorker } from './channel-workers'
import { CatalogueSync, type CatalogueSyncDeps } from './catalogue-sync'
import { EngineCore } from './engine-core'
import { engineIdle, engineStatus } from './engine-status'
import type {
  Engine,
  EngineDeps,
  EngineEvent,
  EngineStatus,
  FirstPushReview,
  ListingExplanation,
  ResyncProgress,
} from './engine-types'
import { FirstPushGate } from './first-push'
import { explainListing, unblockListingOf } from './listing-control'
import { OdooSync } from './odoo-sync'
import { Planner } from './planner'
import { Reconciler } from './reconciler'
import { ResyncRunner } from './resync-runner'
import { planLowered } from './sell-outs'

export class SyncEngine implements Engine {
  private readonly core: EngineCore
  private readonly catalogue: CatalogueSync
  private readonly planner: Planner
  private readonly odooSync: OdooSync
  private readonly reconciler: Reconciler
  private readonly resyncs: ResyncRunner
  private readonly gate: FirstPushGate
  private readonly intake: OrderIntake
  private readonly oversell: OversellWatch
  private readonly queues: OrderQueues
  private globallyPaused = false
  /** Per channel, the writes the last process sent and never saw answered (they may still land). */
  private readonly lateWrites = new Map<string, UnsettledSend[]>()

  constructor(deps: EngineDeps) {
    const core = (this.core = new EngineCore(deps))
    const { db, clock, catalog } = core
    const readAndPlanLocked: CatalogueSyncDeps['readAndPlanLocked'] = (ids, plan) =>
      this.odooSync.readAndPlanLocked(ids, plan)
    this.catalogue = new CatalogueSync(core, {
      readAndPlanLocked,
      sweepLateCommits: () => this.odooSync.sweepLateCommits(),
      lastSweepAt: () => this.odooSync.lastSweepAt,
      ensureWorkers: () => this.ensureWorkers(),
      planned: () => undefined,
    })
    const kits = () => this.catalogue.kits
    this.planner = new Planner({
      catalog,
      stock: { get: (id, scope) => getStock(db, id, scope), allByScope: () => stockByScope(db) },
      db,
      state: core.state,
      salesPerDay: () => this.catalogue.salesPerDay,
      pending: () => pendingUnits(db, kits()),
      kits,
      today: () => (core.opts.today ? core.opts.today() : new Date(clock.now()).toISOString().slice(0, 10)),
      now: () => clock.now(),
      log: (e) => core.log(e),
    })
    this.catalogue.setPlanner(this.planner)
    this.oversell = new OversellWatch({
      db,
      clock,
      kits,
      scopeOf: (channelId) => catalog.channels.get(channelId)?.scope ?? null,
      raiseAlert: (a) => core.raiseAlert(a),
      log: (e) => core.log(e),
      outgoing: async (ids, scope) => {
        const locationIds = catalog.scopes().get(scope)
        if (!core.odoo.productQuantities || !locationIds) return new Map()
        const rows = await core.odoo.productQuantities(ids, { locationIds })
        return new Map(rows.map((r) => [r.productId, r.outgoingQty]))
      },
    })
    this.odooSync = new OdooSync(core, {
      catalogue: this.catalogue,
      planner: this.planner,
      releasePending: (ids, readStartedAt) =>
        releasePendingUnits(db, ids, readStartedAt, clock.now(), (e) => core.log(e)),
      stored: (ids) => this.oversell.afterStore(ids),
    })
    this.reconciler = new Reconciler(core, {
      planner: this.planner,
      pending: () => pendingUnits(db, kits()),
      pollOrders: (id) => this.intake.poll(id),
    })
    this.resyncs = new ResyncRunner(core, { readAndPlanLocked })
    this.gate = new FirstPushGate(core)
    this.intake = new OrderIntake({
      db,
      clock,
      adapters: core.adapters,
      state: core.state,
      options: core.opts,
      channel: (id) => catalog.channels.get(id),
      queueUp: (id) => this.queues.statusOf(id)?.state === 'up', // read when a poll is armed (queues: below)
      productOf: (c, l) => catalog.productOf(c, l),
      kits,
      lower: (ids) => {
        const { queued, sold } = planLowered(db, catalog, this.planner, ids)
        core.kick(queued)
        return sold
      },
      listedOn: (p) => (catalog.listingsByProduct.get(p) ?? []).map((l) => l.channelId),
      changed: (channelId, ids) => this.oversell.check(channelId, ids),
      log: (e) => core.log(e),
      emit: (e) => core.emit(e),
      raiseAlert: (a) => core.raiseAlert(a),
      halted: () => core.halted,
      later: (ms, fn) => core.later(ms, fn),
      safe: (what, fn) => core.safe(what, fn),
    })
    this.queues = new OrderQueues(
      {
        db,
        clock,
        adapters: core.adapters,
        channel: (id) => catalog.channels.get(id),
        orderPollIntervalOf: (id) => this.intake.intervalOf(id),
        record: (id, n) => this.intake.recordNotified(id, n),
        quantity: (id, q) => this.intake.recordQuantity(id, q),
        log: (e) => core.log(e),
        raiseAlert: (a) => core.raiseAlert(a),
        clearAlert: (kind, subject) => core.clearAlert(kind, subject),
      },
      deps.orderQueues ?? [],
    )
  }

  // ---- lifecycle ----------------------------------------------------------------------------------

  async start(): Promise<void> {
    const { core } = this
    if (core.started) return
    core.started = true
    // Read before anything is planned: a newer value would overwrite what the last process had sent.
    for (const s of unsettledSends(core.db)) {
      const list = this.lateWrites.get(s.channelId) ?? []
      list.push(s)
      this.lateWrites.set(s.channelId, list)
    }
    const recovered = recoverOutboxInflight(core.db)
    // A write sent or accepted by a process that stopped before its outcome was known may still land
    // after the value sent next: read those listings back once the channel's apply window has passed.
    recheckUnsettledPushes(core.db)
    this.pruneLog()
    core.log({
      at: core.now(),
      level: 'info',
      kind: 'engine',
      message: `engine starting${recovered ? `; ${recovered} listings that were in flight will be sent again` : ''}`,
    })
    await this.initialize()
    const pollEvery = () => core.opts.pollIntervalMs
    core.every(pollEvery, 'polling Odoo', () => this.pollOdoo())
    this.odooSync.lastSweepAt = core.now()
    this.odooSync.armSweep()
    this.reconciler.armRecheck()
    const { fullRecomputeSchedule, reconcileSchedule } = core.opts
    if (fullRecomputeSchedule)
      core.schedule(
        fullRecomputeSchedule,
        () => void core.safe('full recompute', () => this.fullRecompute({ sweep: 'when_due' })),
      )
    if (reconcileSchedule)
      core.schedule(
        reconcileSchedule,
        () => void core.safe('reconciliation', () => this.reconcile().then(() => undefined)),
      )
    core.schedule('17 3 * * *', () => this.pruneLog())
    // Orders pushed to the seller's queue, within seconds; order polling above stays the safety net.
    this.queues.start()
  }

  /** Loads warehouses, products and config, reads all stock and resumes resyncs. Retried by the poll. */
  private async initialize(): Promise<boolean> {
    const { core } = this
    if (this.catalogue.loaded) return true
    try {
      if (!(await this.catalogue.loadFromOdoo())) return false
      await this.odooSync.initialRead()
      if (core.halted) return false
      this.resyncs.resumeAll()
      return true
    } catch (e) {
      this.catalogue.defaultLocations = null
      this.odooSync.odooFailed('starting', e)
      return false
    }
  }

  private ensureWorkers(): void {
    const { core } = this
    for (const ch of core.catalog.channels.values()) {
      if (core.workers.has(ch.id)) continue
      const worker = createChannelWorker(core, ch, {
        mayPush: (id) => this.gate.mayPush(id),
        batchDone: () => this.resyncs.progress(false),
        lateWrites: this.lateWrites.get(ch.id) ?? [],
      })
      this.lateWrites.delete(ch.id)
      core.workers.set(ch.id, worker)
      if (this.globallyPaused) worker.pause()
      worker.start()
      this.intake.arm(ch.id, 0)
    }
  }

  async stop(opts: { drain?: boolean } = {}): Promise<void> {
    const { core } = this
    if (core.stopping) return
    core.stopping = true
    this.clearTimers()
    await this.queues.stop()
    const deadline = Date.now() + (opts.drain === false ? 0 : core.opts.drainTimeoutMs)
    // Let a poll in progress finish its transaction, so what it read is queued and then drained.
    await Promise.race([
      core.odooMutex.run(async () => undefined),
      new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref()),
    ])
    await Promise.all([...core.workers.values()].map((w) => w.stop(opts.drain !== false, deadline)))
    core.halted = true
    core.log({ at: core.now(), level: 'info', kind: 'engine', message: 'engine stopped' })
    core.emit({ type: 'stopped' })
  }

  halt(): void {
    const { core } = this
    core.halted = true
    core.stopping = true
    this.clearTimers()
    void this.queues.stop()
    for (const w of core.workers.values()) w.halt()
  }

  private clearTimers(): void {
    this.resyncs.stopProgress()
    this.core.clearTimers()
  }

  private pruneLog(): void {
    const { core } = this
    const removed = pruneSyncLog(
      core.db,
      core.now() - core.opts.logRetentionDays * 86_400_000,
      core.opts.logMaxRows,
    )
    if (removed > 0) core.logger.debug(`sync log retention removed ${removed} entries`)
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    return this.core.subscribe(listener)
  }

  // ---- Odoo, catalogue and configuration ------------------------------------------------------------

  async pollOdoo(): Promise<void> {
    if (this.core.halted) return
    if (!this.catalogue.loaded) {
      await this.initialize()
      return
    }
    await this.odooSync.poll()
  }

  sweepLateCommits(): Promise<number> {
    return this.odooSync.sweepLateCommits()
  }

  refreshCatalogue(): Promise<void> {
    return this.catalogue.refreshCatalogue()
  }

  async fullRecompute(opts: { sweep?: 'always' | 'when_due' } = {}): Promise<void> {
    if (this.core.halted) return
    if (!this.catalogue.loaded) {
      await this.initialize()
      return
    }
    await this.catalogue.fullRecompute(opts)
  }

  async reloadConfig(): Promise<void> {
    if (this.core.halted) return
    if (!this.catalogue.loaded) {
      await this.initialize()
      return
    }
    await this.catalogue.reloadConfig()
  }

  // ---- orders -------------------------------------------------------------------------------------

  pollOrders = (channelId: string): Promise<void> => this.intake.poll(channelId)

  orderReservedInOdoo = (channelId: string, orderId: string): Promise<void> =>
    this.ordersReservedInOdoo([{ channelId, orderId }])

  async ordersReservedInOdoo(orders: ReadonlyArray<{ channelId: string; orderId: string }>): Promise<void> {
    const { core } = this
    const products = new Set(
      orders.flatMap((o) => markOrderReservedInOdoo(core.db, o.channelId, o.orderId, core.now())),
    )
    if (products.size > 0) await core.odooMutex.run(() => this.odooSync.readAndPlanLocked([...products], {}))
  }

  // ---- control ------------------------------------------------------------------------------------

  pause(channelId?: string): void {
    if (channelId) return this.core.worker(channelId).pause()
    this.globallyPaused = true
    for (const w of this.core.workers.values()) w.pause()
  }

  resume(channelId?: string): void {
    if (channelId) return this.core.worker(channelId).resume()
    this.globallyPaused = false
    for (const w of this.core.workers.values()) w.resume()
  }

  retryChannel(channelId: string): void {
    this.core.worker(channelId).retry()
  }

  async unblock(channelId: string, listingId: string): Promise<void> {
    unblockListingOf(this.core, this.planner, channelId, listingId)
  }

  explain(channelId: string, listingId: string): ListingExplanation | null {
    return explainListing(this.core, this.planner, this.catalogue.kits, channelId, listingId)
  }

  // ---- first push, reconciliation, resync, status --------------------------------------------------

  reviewFirstPush(channelId: string): FirstPushReview {
    return this.gate.review(channelId)
  }

  confirmFirstPush(channelId: string): void {
    this.gate.confirm(channelId)
  }

  reconcile(channelId?: string): Promise<{ checked: number; drifted: number }> {
    return this.reconciler.reconcile(channelId)
  }

  estimateResync(opts: { channels?: string[] } = {}) {
    return this.resyncs.estimate(opts)
  }

  async resync(opts: { channels?: string[] } = {}): Promise<ResyncProgress> {
    if (!this.catalogue.loaded && !(await this.initialize()))
      throw new Error(`resync: Odoo is not reachable (${this.odooSync.lastPollError ?? 'unknown error'})`)
    return this.resyncs.start(opts)
  }

  waitForResync(id: number): Promise<ResyncRun> {
    return this.resyncs.wait(id)
  }

  cancelResync(id: number): void {
    this.resyncs.cancel(id)
  }

  status(): EngineStatus {
    return engineStatus(this.core, {
      odoo: this.odooSync,
      resync: this.resyncs,
      paused: this.globallyPaused,
      nextOrderPollAt: (id) => this.intake.nextPollOf(id),
      orderPollIntervalOf: (id) => this.intake.intervalOf(id),
      orderQueueOf: (id) => this.queues.statusOf(id),
    })
  }

  idle(timeoutMs = 10_000): Promise<boolean> {
    return engineIdle(this.core, timeoutMs)
  }
}
