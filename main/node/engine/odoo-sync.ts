// Odoo to the outbox: the incremental poll, the late-commit sweep (see late-commit-sweep.ts), and the one
// place a stock read is stored and planned. A read is stored, the pending units its reservations include
// are released, and the listings are planned in ONE transaction, so a crash leaves all of it or none.
import { errorMessage, isClassifiedError } from '../../core/errors'
import type { OdooLocation, OdooPollCursor, ProductStock } from '../../core/ports/odoo-gateway'
import { noteOdooConfirmations } from '../db/repos/orders'
import { stockByScope, storeStock } from '../db/repos/stock'
import type { CatalogueSync } from './catalogue-sync'
import type { EngineCore } from './engine-core'
import { storeKitStock } from './kit-stock'
import { changedProducts, scopesByLocation, sumByScope, unknownLocations } from './late-commit-sweep'
import type { PlanOptions, Planner } from './planner'
import { readStock } from './stock-reader'

export interface OdooSyncDeps {
  catalogue: CatalogueSync
  planner: Planner
  /**
   * Inside the store's transaction: releases the pending units whose Odoo reservation a read started at
   * `readStartedAt` includes (the order room's rule).
   */
  releasePending(productIds: readonly number[], readStartedAt: number): void
  /** After a store committed: the products whose stock or pending units changed (oversell check). */
  stored(productIds: ReadonlySet<number>): Promise<void>
}

export class OdooSync {
  lastPollAt: number | null = null
  lastPollError: string | null = null
  changesSeen = 0
  /** When the last late-commit sweep started (the timer, the safety net or a test). */
  lastSweepAt = 0
  /** Odoo's location tree, for the late-commit sweep (read at its first run, again when it grows). */
  private locationTree: OdooLocation[] | null = null

  constructor(
    private readonly core: EngineCore,
    private readonly d: OdooSyncDeps,
  ) {}

  odooFailed(what: string, e: unknown): void {
    const { core } = this
    const msg = errorMessage(e)
    this.lastPollError = msg
    core.log({
      at: core.now(),
      level: 'error',
      kind: 'odoo',
      status: isClassifiedError(e) ? e.kind : 'error',
      message: `Odoo ${what} failed: ${msg}`,
    })
    if (isClassifiedError(e) && e.kind === 'needs_seller')
      core.raiseAlert({
        kind: 'odoo_unreachable',
        severity: 'critical',
        subject: 'odoo',
        message: `${msg}${e.hint ? `. ${e.hint}` : ''}`,
      })
  }

  /** The first full read after start-up, from a cursor taken before it. */
  async initialRead(): Promise<void> {
    const { core } = this
    await core.odooMutex.run(async () => {
      await this.d.catalogue.loadKits()
      let cursor = core.state.getJson<OdooPollCursor>('odoo_cursor')
      // A fresh cursor taken BEFORE the full read: changes during the read are seen by the next poll.
      if (cursor === null) cursor = (await core.odoo.pollChanges(null)).cursor
      await this.readAndPlanLocked('all', {})
      if (!core.halted) core.state.setJson('odoo_cursor', cursor)
    })
    if (core.halted) return
    this.lastPollError = null
    core.clearAlert('odoo_unreachable', 'odoo')
  }

  /** One incremental poll: the products Odoo reports changed, and those of orders Odoo just confirmed. */
  async poll(): Promise<void> {
    const { core } = this
    try {
      await core.odooMutex.run(async () => {
        if (core.halted) return
        const confirmed = noteOdooConfirmations(core.db, core.now())
        const cursor = core.state.getJson<OdooPollCursor>('odoo_cursor')
        const r = await core.odoo.pollChanges(cursor)
        if (core.halted) return
        const kits = this.d.catalogue.kits
        const mapped = r.changedProductIds.filter((id) => core.catalog.relevant(id, kits))
        const ids = [...new Set([...mapped, ...confirmed])]
        if (ids.length > 0) await this.readAndPlanLocked(ids, {})
        if (core.halted) return
        // Saved only after the recompute committed: a crash in between polls the same changes again.
        core.state.setJson('odoo_cursor', r.cursor)
        this.lastPollAt = core.now()
        this.lastPollError = null
        this.changesSeen += ids.length
        core.emit({ type: 'poll', changedProducts: ids.length, calls: r.calls, at: this.lastPollAt })
      })
    } catch (e) {
      this.odooFailed('poll', e)
    }
  }

  /** Reads stock of `ids` and plans their listings. Only inside odooMutex. */
  async readAndPlanLocked(ids: number[] | 'all', plan: PlanOptions): Promise<void> {
    const { core } = this
    // Before the catalogue is loaded (Odoo failed at start-up) there is no location scope to read. Pending
    // units released then would leave the stored stock, still without their reservation, to publish them
    // again: the first full read after start-up releases them instead.
    if (!this.d.catalogue.loaded || core.catalog.channels.size === 0) return
    const kits = this.d.catalogue.kits
    // Kits are read through their components, and a product's change recomputes the kits made with it.
    const touched = kits.withKits(ids === 'all' ? core.catalog.mappedProductIds() : ids)
    const asked = kits.toRead(touched)
    if (asked.length === 0 && touched.size === 0) return
    const readStartedAt = core.now()
    const read = await readStock(core.odoo, core.catalog.scopes(), ids === 'all' ? 'all' : asked, kits)
    if (core.halted) return
    await this.storeAndPlan(read, asked, touched, readStartedAt, plan)
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
  ): Promise<void> {
    const { core } = this
    const kits = this.d.catalogue.kits
    const products = new Set([...touched, ...asked])
    const queued = core.db.transaction(() => {
      for (const [scope, rows] of read) storeStock(core.db, scope, asked, rows, readStartedAt)
      storeKitStock(core.db, kits, read.keys(), touched, readStartedAt)
      // A kit order's units are released once all the kit's components were read after Odoo reserved them.
      this.d.releasePending([...asked, ...touched], readStartedAt)
      return this.d.planner.plan(products, plan)
    })()
    core.kick(queued)
    return this.d.stored(products).catch((e: unknown) =>
      core.log({
        at: core.now(),
        level: 'warn',
        kind: 'order',
        status: 'oversell_check',
        message: `checking for oversells failed: ${errorMessage(e)}`,
      }),
    )
  }

  /** The sweep runs `lateCommitSweepMs` after the last one, whoever ran it (the timer, the safety net). */
  armSweep(): void {
    const { core } = this
    const wait = Math.max(0, this.lastSweepAt + core.opts.lateCommitSweepMs - core.now())
    core.later(wait, () => {
      const due = core.now() >= this.lastSweepAt + core.opts.lateCommitSweepMs
      const run = due
        ? core.safe('sweeping Odoo for late commits', () => this.sweepLateCommits().then(() => undefined))
        : Promise.resolve()
      void run.finally(() => this.armSweep())
    })
  }

  /**
   * Every counted scope's stock by product, in one grouped read. With one scope (the usual set-up: one
   * warehouse or one set of locations) Odoo sums by product alone: half the rows of a read by product and
   * location, and no location tree to read. Null when the engine halted meanwhile.
   */
  private async sweptStock(
    scopes: ReadonlyMap<string, readonly number[]>,
    roots: number[],
  ): Promise<Map<string, Map<number, ProductStock>> | null> {
    const { core } = this
    const only = scopes.size === 1 ? [...scopes][0]! : null
    if (only) {
      const rows = await core.odoo.stockByProduct([...only[1]])
      return core.halted ? null : new Map([[only[0], new Map(rows.map((r) => [r.productId, r]))]])
    }
    const rows = await core.odoo.stockByProductLocation(roots)
    if (core.halted) return null
    if (this.locationTree === null || unknownLocations(rows, this.locationTree).length > 0)
      this.locationTree = await core.odoo.listLocations()
    if (core.halted) return null
    return sumByScope(rows, scopesByLocation(this.locationTree, scopes))
  }

  /**
   * One grouped read of every counted location, compared with the stored stock: products that differ were
   * changed by a transaction that committed after the poll's overlap window (see late-commit-sweep.ts).
   * Returns how many products it found changed.
   */
  async sweepLateCommits(): Promise<number> {
    const { core } = this
    const { catalog } = core
    if (core.halted || !this.d.catalogue.loaded) return 0
    return core.odooMutex.run(async () => {
      if (core.halted || catalog.channels.size === 0) return 0
      const scopes = catalog.scopes()
      const roots = [...new Set([...scopes.values()].flat())].sort((a, b) => a - b)
      const startedAt = core.now()
      this.lastSweepAt = startedAt
      const swept = await this.sweptStock(scopes, roots)
      if (swept === null) return 0
      // Kits have no quants: their components (and the plain products) are compared, and a changed
      // component recomputes the kits made with it.
      const kits = this.d.catalogue.kits
      const real = kits.toRead(kits.withKits(catalog.mappedProductIds()))
      const changed = changedProducts(real, scopes.keys(), swept, stockByScope(core.db))
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
      await this.storeAndPlan(read, changed, kits.withKits(changed), startedAt, {})
      core.log({
        at: core.now(),
        level: 'info',
        kind: 'recompute',
        message: `${changed.length} product(s) changed in Odoo without the poll seeing it (a transaction that committed late, or a change the poll missed): published again`,
        data: { products: changed.slice(0, 50) },
      })
      return changed.length
    })
  }
}
