// A dry run of the engine: what it would publish on each listing, computed by the engine's own catalogue
// and planner from a fresh read of Odoo's stock, without queueing, storing or pushing anything. Channels in
// setup can be computed as if they were live, so a seller sees the first push before going live and the
// headless return test can follow a channel that is not live yet. Reads only: the engine's poll cursor,
// stored stock, queue and push states are never written.
import type { Database } from 'better-sqlite3'
import { systemClock, type Clock } from '../../core/ports/clock'
import type { OdooGateway, OdooPollCursor, ProductStock } from '../../core/ports/odoo-gateway'
import { KitBook } from '../../core/stock/kit-book'
import { evaluateFirstPush } from '../../core/sync/first-push-guard'
import { enabledChannelIds } from '../db/repos/channels'
import { pendingByProduct } from '../db/repos/orders'
import { outboxRowsOf } from '../db/repos/outbox'
import { salesPerDay as storedSalesPerDay } from '../db/repos/products'
import type { StoredStock } from '../db/repos/stock'
import { Catalog, type ChannelConfig } from './catalog'
import { resolveEngineOptions } from './defaults'
import { EngineState } from './engine-state'
import type { EngineOptions, FirstPushReview } from './engine-types'
import { firstPushDiff } from './first-push'
import { Planner, type DesiredState } from './planner'
import { readStock } from './stock-reader'

export interface SyncPreviewDeps {
  db: Database
  odoo: OdooGateway
  /** Channels in setup to compute as if they were live. Live channels are always computed. */
  asLive?: readonly string[]
  /** The engine options the running engine uses (guard thresholds, today). */
  options?: Partial<EngineOptions>
  clock?: Clock
}

/** Stock read for the dry run, held in memory with the engine's rule: asked and absent means no quants. */
class ReadStock {
  private readonly byScope = new Map<string, Map<number, StoredStock>>()

  store(scope: string, asked: readonly number[], rows: readonly ProductStock[], at: number): void {
    let m = this.byScope.get(scope)
    if (!m) this.byScope.set(scope, (m = new Map()))
    for (const id of asked) m.set(id, { onHand: 0, reserved: 0, forecast: null, computedAt: at })
    for (const r of rows)
      m.set(r.productId, { onHand: r.onHand, reserved: r.reserved, forecast: r.forecast, computedAt: at })
  }

  get(productId: number, scope: string): StoredStock | null {
    return this.byScope.get(scope)?.get(productId) ?? null
  }

  allByScope(): Map<string, Map<number, StoredStock>> {
    return this.byScope
  }
}

export class SyncPreview {
  private readonly db: Database
  private readonly odoo: OdooGateway
  private readonly clock: Clock
  private readonly opts: EngineOptions
  private readonly catalog: Catalog
  private readonly planner: Planner
  private readonly stock = new ReadStock()
  private cursor: OdooPollCursor | null = null
  private loaded = false
  private kits: KitBook = KitBook.empty

  constructor(deps: SyncPreviewDeps) {
    this.db = deps.db
    this.odoo = deps.odoo
    this.clock = deps.clock ?? systemClock
    this.opts = resolveEngineOptions(deps.options)
    const ids = enabledChannelIds(deps.db)
    this.catalog = new Catalog(deps.db, new Set(ids), new Set(deps.asLive ?? []))
    const salesPerDay = storedSalesPerDay(deps.db)
    this.planner = new Planner({
      catalog: this.catalog,
      stock: this.stock,
      db: deps.db,
      state: new EngineState(deps.db),
      salesPerDay: () => salesPerDay,
      pending: () => this.kits.spread(pendingByProduct(deps.db)),
      kits: () => this.kits,
      today: () =>
        this.opts.today ? this.opts.today() : new Date(this.clock.now()).toISOString().slice(0, 10),
      now: () => this.clock.now(),
      log: () => undefined,
    })
  }

  /** Loads the configuration the way the engine does (warehouses' stock locations for channels without rules). */
  async load(): Promise<void> {
    const warehouses = await this.odoo.listWarehouses()
    // Kits publish from their components, as in the engine (none where mrp is not installed).
    if (this.odoo.listKits) this.kits = new KitBook(await this.odoo.listKits())
    this.catalog.load(warehouses.map((w) => w.lotStockId))
    this.loaded = true
  }

  private mustLoad(): void {
    if (!this.loaded) throw new Error('SyncPreview: load() first')
  }

  /** The channels computed (live ones, and those passed as `asLive`). */
  channels(): ChannelConfig[] {
    this.mustLoad()
    return [...this.catalog.channels.values()]
  }

  /** The mapped listings of a computed channel with their products. */
  listingsOf(channelId: string): Array<{ listingId: string; productId: number }> {
    this.mustLoad()
    const out: Array<{ listingId: string; productId: number }> = []
    for (const [productId, refs] of this.catalog.listingsByProduct)
      for (const r of refs) if (r.channelId === channelId) out.push({ listingId: r.listingId, productId })
    return out.sort((a, b) => (a.listingId < b.listingId ? -1 : 1))
  }

  /** Reads Odoo's stock of these products (default: every product mapped on a computed channel), all scopes. */
  async read(productIds?: readonly number[]): Promise<void> {
    this.mustLoad()
    const touched = this.kits.withKits(
      productIds ? [...new Set(productIds)] : this.catalog.mappedProductIds(),
    )
    const asked = this.kits.toRead(touched)
    if (asked.length === 0 && touched.size === 0) return
    const at = this.clock.now()
    const read = await readStock(this.odoo, this.catalog.scopes(), asked, this.kits)
    for (const [scope, rows] of read) {
      this.stock.store(scope, asked, rows, at)
      // A kit's stock is derived from its components' as Odoo computes it, as the engine stores it.
      for (const kitId of touched) {
        if (!this.kits.isKit(kitId)) continue
        const k = this.kits.stock(kitId, (id) => this.stock.get(id, scope))
        if (k)
          this.stock.store(
            scope,
            [],
            [{ productId: kitId, onHand: k.onHand, reserved: k.onHand - k.free, forecast: null }],
            at,
          )
      }
    }
  }

  /**
   * One incremental poll of Odoo with a cursor of its own (the engine's stored cursor is never touched).
   * The first call only takes the cursor; later calls answer the products changed since the previous one.
   */
  async poll(): Promise<number[]> {
    const r = await this.odoo.pollChanges(this.cursor)
    const first = this.cursor === null
    this.cursor = r.cursor
    return first ? [] : r.changedProductIds
  }

  /** What the engine would publish on a listing now, from the last read; null when it was not read. */
  desired(channelId: string, listingId: string): DesiredState | null {
    this.mustLoad()
    const channel = this.catalog.channels.get(channelId)
    const productId = this.catalog.productOf(channelId, listingId)
    if (!channel || productId === null) return null
    return this.planner.desired(channel, listingId, productId)
  }

  /**
   * The first-push guard's dry-run diff and verdict for a channel: a value already queued for a listing (a
   * live channel held by the guard) is what would go out; otherwise the figure computed now.
   */
  review(channelId: string): FirstPushReview {
    this.mustLoad()
    const queued = new Map(outboxRowsOf(this.db, channelId).map((r) => [r.listingId, r]))
    const ids = this.listingsOf(channelId).map((l) => l.listingId)
    const diff = firstPushDiff(this.db, channelId, ids, (listingId, now) => {
      const q = queued.get(listingId)
      if (q) return q.action === 'pause' ? 0 : q.quantity
      const want = this.desired(channelId, listingId)
      if (!want) return now ?? 0
      return want.command.action === 'pause' ? 0 : want.command.quantity
    })
    return { channelId, verdict: evaluateFirstPush(diff, this.opts.guard), diff }
  }
}
