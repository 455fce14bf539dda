// What the engine knows of Odoo's catalogue and of the seller's configuration: the warehouses' stock
// locations (the scope of channels without location rules), the products, their sales velocity, and the
// kits (mrp phantom BoMs). Read at start, again every `catalogueRefreshMs` by the safety net and whenever
// the seller fetches listings; the configuration (channels, mappings, rules) is reloaded when it changes.
import { errorMessage, isClassifiedError } from '../../core/errors'
import { KitBook } from '../../core/stock/kit-book'
import { salesPerDay, setSalesHistory, upsertProducts } from '../db/repos/products'
import { stockByScope } from '../db/repos/stock'
import type { EngineCore } from './engine-core'
import type { PlanOptions, Planner } from './planner'

export interface CatalogueSyncDeps {
  /** Reads the stock of `ids` and plans their listings. Only inside odooMutex. */
  readAndPlanLocked(ids: number[] | 'all', plan: PlanOptions): Promise<void>
  sweepLateCommits(): Promise<number>
  /** When the last late-commit sweep started. */
  lastSweepAt(): number
  /** A worker for every live channel that has none yet. */
  ensureWorkers(): void
  /** Products planned from the stored stock: the order room checks them for oversells. */
  planned(productIds: Iterable<number> | 'all'): void
}

export class CatalogueSync {
  /** The kits as last read from Odoo; none where mrp is not installed. */
  kits: KitBook = KitBook.empty
  salesPerDay = new Map<number, number>()
  /** The warehouses' stock locations; null until Odoo answered at start. */
  defaultLocations: number[] | null = null
  private loadedAt = 0
  private planner: Planner | null = null

  constructor(
    private readonly core: EngineCore,
    private readonly d: CatalogueSyncDeps,
  ) {}

  setPlanner(planner: Planner): void {
    this.planner = planner
  }

  get loaded(): boolean {
    return this.defaultLocations !== null
  }

  /** The first read at start: warehouses, products and sales history, then the configuration. */
  async loadFromOdoo(): Promise<boolean> {
    const { core } = this
    const warehouses = await core.odoo.listWarehouses()
    const products = await core.odoo.listProducts()
    if (core.halted) return false
    upsertProducts(core.db, products)
    try {
      const sold = await core.odoo.salesHistory(core.opts.salesHistoryDays)
      if (core.halted) return false
      setSalesHistory(core.db, sold, core.opts.salesHistoryDays)
    } catch (e) {
      core.log({
        at: core.now(),
        level: 'warn',
        kind: 'odoo',
        message: `sales history unavailable, velocity classes use the last known figures: ${errorMessage(e)}`,
      })
    }
    this.salesPerDay = salesPerDay(core.db)
    this.loadedAt = core.now()
    this.defaultLocations = warehouses.map((w) => w.lotStockId)
    this.reloadCatalog()
    return true
  }

  /** Reads the kits from Odoo (where mrp is installed). Only inside odooMutex. */
  async loadKits(): Promise<void> {
    const { core } = this
    if (!core.odoo.listKits) return
    try {
      const kits = new KitBook(await core.odoo.listKits())
      if (core.halted) return
      this.kits = kits
      if (kits.size > 0) upsertProducts(core.db, kits.kitProducts())
    } catch (e) {
      // Odoo unreachable: the caller retries. Anything else keeps the kits last read, and every other
      // product in sync.
      if (isClassifiedError(e) && e.kind === 'retryable') throw e
      core.log({
        at: core.now(),
        level: 'warn',
        kind: 'odoo',
        message: `reading the kits (mrp bills of materials) failed; kits keep the last known structure: ${errorMessage(e)}`,
      })
    }
  }

  /**
   * Reads Odoo's product catalogue and kits again: a product created in Odoo after the engine started
   * becomes mappable (auto-match by SKU and EAN), and a changed bill of materials counts.
   */
  async refreshCatalogue(): Promise<void> {
    const { core } = this
    if (core.halted || !this.loaded) return
    await core.odooMutex.run(async () => {
      const products = await core.odoo.listProducts()
      if (core.halted) return
      upsertProducts(core.db, products)
      this.loadedAt = core.now()
      await this.loadKits()
    })
  }

  /**
   * The scheduled safety net: reloads the configuration, sweeps Odoo's stock in one grouped read (storing
   * whatever the polls missed) and plans every listing from the stored stock.
   */
  async fullRecompute(opts: { sweep?: 'always' | 'when_due' } = {}): Promise<void> {
    const { core } = this
    this.reloadCatalog()
    // Products and bills of materials change rarely: read again every catalogueRefreshMs (and when the
    // seller fetches listings), so an idle Odoo is not asked for them every 10 minutes.
    if (core.now() >= this.loadedAt + core.opts.catalogueRefreshMs) await this.refreshCatalogue()
    // The schedule leaves the stock read to the sweep's own timer when a sweep ran within its interval:
    // an idle Odoo then pays one call per sweep interval, not more.
    if (opts.sweep !== 'when_due' || core.now() >= this.d.lastSweepAt() + core.opts.lateCommitSweepMs)
      await this.d.sweepLateCommits()
    if (core.halted) return
    this.planAll()
    core.log({
      at: core.now(),
      level: 'info',
      kind: 'recompute',
      message: `full recompute of ${core.catalog.mappedProductIds().length} products done`,
    })
  }

  /**
   * The configuration changed (from this process or another one): reload the catalogue, read the stock of
   * products never read in their scope (a new mapping, a new location rule), and plan every listing from
   * the stored stock. No Odoo call when nothing new needs reading.
   */
  async reloadConfig(): Promise<void> {
    const { core } = this
    const { catalog } = core
    this.reloadCatalog()
    const stored = stockByScope(core.db)
    const missing = new Set<number>()
    for (const [productId, refs] of catalog.listingsByProduct)
      for (const r of refs) {
        const scope = catalog.channels.get(r.channelId)?.scope
        if (scope !== undefined && !stored.get(scope)?.has(productId)) missing.add(productId)
      }
    await core.odooMutex.run(async () => {
      // A kit just mapped, or a bill of materials the seller just changed, is read with the configuration.
      await this.loadKits()
      if (missing.size > 0) await this.d.readAndPlanLocked([...missing], {})
      if (!core.halted) this.planAll()
    })
    core.log({
      at: core.now(),
      level: 'info',
      kind: 'engine',
      message: `configuration reloaded: ${catalog.channels.size} live channel(s), ${catalog.mappedProductIds().length} mapped product(s)${missing.size > 0 ? `, stock read for ${missing.size} product(s) new to their scope` : ''}`,
    })
  }

  reloadCatalog(): void {
    this.core.catalog.load(this.defaultLocations ?? [])
    this.d.ensureWorkers()
  }

  /** Plans every listing from the stored stock. */
  planAll(): void {
    const { core } = this
    const planner = this.planner
    if (!planner) return
    const queued = core.db.transaction(() => planner.plan(core.catalog.mappedProductIds()))()
    core.kick(queued)
    this.d.planned('all')
  }
}
