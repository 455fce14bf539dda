// The runtime every host starts (desktop app, browser preview, `lastunit run`, `lastunit demo`): it turns the
// stored configuration into an Odoo gateway, channel adapters and the engine; restarts them when the seller
// changes the configuration; retries when Odoo cannot be reached; and runs the demo the host hands it
// (RuntimeOptions.demo) in a database of its own, so trying the demo never touches the seller's setup.
import type { Database } from 'better-sqlite3'
import { join } from 'node:path'
import { isClassifiedError, errorMessage } from '../../core/errors'
import type { ChannelAdapter } from '../../core/ports/channel-adapter'
import type { SecretVault } from '../../core/ports/secret-vault'
import type { ConnectionTestDto } from '../../../shared/dto'
import { openDatabase } from '../db/database'
import { getChannel, listChannels, type ChannelRow } from '../db/repos/channels'
import { readCredentials } from '../db/repos/credentials'
import { appendSyncLog, type SyncLogEntry } from '../db/repos/sync-log'
import { createEngine, type Engine, type EngineEvent, type EngineOptions } from '../engine'
import { startOrderImporter, type OrderImporter } from '../orders'
import { settleInDoubtOrders } from '../orders/settle-in-doubt'
import type { HandlerContext, OdooTestConfig } from '../api/handler-context'
import type { DemoFactory, RuntimeDemo } from './runtime-demo'
import { orderQueueSources, type QueueChannelInput } from '../queue/queue-sources'
import { checkFasterOrdersWith, type FasterOrdersCheck } from './faster-orders-check'
import { createChannelAdapter, type AdapterFactoryOptions } from './channel-registry'
import { testChannelWith, testOdooWith, testStoredOdoo } from './connection-tests'
import { nextStartRetry, realTimers, type RetryTimers, type StartAttempt, formatWait } from './start-retry'
import { isOdooConfigured, odooGatewayFromStore, storedEngineOptions } from './odoo-from-store'
import { readConfigRevision, type ConfigRevision } from '../db/repos/config-revision'
import { createKeyVault } from '../secrets/key-vault'
import { vaultSalt } from '../secrets/vault-salt'
import { randomBytes } from 'node:crypto'
import { KitBook } from '../../core/stock/kit-book'
import { storedOrderLine } from '../db/repos/orders'
import { upsertProducts } from '../db/repos/products'
import { sqliteBucketMemory } from '../db/repos/rate-memory'
import { autoMapBySkuAndEan, fetchListings, type ListingsRefresh } from './listings-sync'
import { startSaleOrderNameReader, type SaleOrderNameReader } from './sale-order-names'

export interface RuntimeOptions<D extends RuntimeDemo = RuntimeDemo> {
  db: Database
  vault: SecretVault
  dataDir: string
  host: HandlerContext['host']
  version: string
  engineOptions?: Partial<EngineOptions>
  adapterOptions?: AdapterFactoryOptions
  /** Opens another database (the demo's) the same way the host opened the seller's (native binding). */
  openDb?: (file: string) => Database
  /** Wait before retrying when Odoo cannot be reached (default 15 s, doubling up to a minute). */
  retryMs?: number
  /** The timers start retries are scheduled with (tests inject a clock they advance themselves). */
  timers?: RetryTimers
  /** Told of every start attempt that failed and will be retried, and of the start that succeeded after. */
  onStartAttempt?: (attempt: StartAttempt) => void
  /**
   * Starts the demo (the simulators, their configuration written into the demo's database). The host
   * hands it over, loaded only when the seller asks for the demo; without it the demo is not offered.
   */
  demo?: DemoFactory<D>
}

const log = (db: Database, e: Omit<SyncLogEntry, 'at'>) => appendSyncLog(db, { at: Date.now(), ...e })

export type RuntimeListener = (event: EngineEvent) => void

export {
  formatWait,
  MAX_START_RETRY_MS,
  nextStartRetry,
  type RetryTimers,
  type StartAttempt,
} from './start-retry'

export class Runtime<D extends RuntimeDemo = RuntimeDemo> {
  private engineRef: Engine | null = null
  private importer: OrderImporter | null = null
  private adapters = new Map<string, ChannelAdapter>()
  private unsubscribe: (() => void) | null = null
  private readonly listeners = new Set<RuntimeListener>()
  private note: string | null = null
  private demo: D | null = null
  private demoDb: Database | null = null
  private demoVault: SecretVault | null = null
  private restartTimer: ReturnType<typeof setTimeout> | null = null
  private retryTimer: unknown = null
  private retryDelay: number
  /** Start attempts that failed since the last successful start; the pending retry, while one is. */
  private failedAttempts = 0
  private pendingRetry: Extract<StartAttempt, { kind: 'retry' }> | null = null
  private readonly timers: RetryTimers
  private chain: Promise<void> = Promise.resolve()
  private stopped = false
  private watchTimer: ReturnType<typeof setTimeout> | null = null
  /** The configuration revision the running engine (or the last launch attempt) was built from. */
  private seenRev: ConfigRevision | null = null
  /** Reads the names of the sale orders in Odoo for the orders screen, while the engine runs. */
  private orderNames: SaleOrderNameReader | null = null

  constructor(private readonly opts: RuntimeOptions<D>) {
    this.retryDelay = opts.retryMs ?? 15_000
    this.timers = opts.timers ?? realTimers
  }

  /** The retry a failed start scheduled (what failed, when the next attempt is), or null. */
  retrying(): Extract<StartAttempt, { kind: 'retry' }> | null {
    return this.engineRef ? null : this.pendingRetry
  }

  /** The database in use: the demo's while the demo runs, else the seller's. */
  get db(): Database {
    return this.demoDb ?? this.opts.db
  }

  engine(): Engine | null {
    return this.engineRef
  }

  /** Why sync is not running, in plain words (null while it runs). */
  statusNote(): string | null {
    return this.engineRef ? null : this.note
  }

  /** The demo while it runs (its simulators, for tests and the CLI's summary). */
  demoEnvironment(): D | null {
    return this.demo
  }

  demoRunning(): boolean {
    return this.demo !== null
  }

  subscribe(listener: RuntimeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Serialises start, restart and stop so they never overlap. */
  private queue(task: () => Promise<void>): Promise<void> {
    const next = this.chain.then(task, task)
    this.chain = next.catch(() => undefined)
    return next
  }

  start(): Promise<void> {
    const started = this.queue(() => this.launch())
    void started.then(() => this.armWatch())
    return started
  }

  /**
   * Watches the configuration revision (raised by triggers on every configuration table, whoever writes
   * it: this process, `lastunit config import` in another one, a restore) at the engine's poll interval,
   * so any change reaches the running engine within one poll.
   */
  private armWatch(): void {
    if (this.stopped || this.watchTimer) return
    const every = this.engineRef?.status().odoo.pollIntervalMs ?? storedEngineOptions(this.db).pollIntervalMs
    this.watchTimer = setTimeout(() => {
      this.watchTimer = null
      void this.checkConfigNow().finally(() => this.armWatch())
    }, every)
    this.watchTimer.unref?.()
  }

  /**
   * Compares the stored configuration revision with the one the engine was built from: a new connection,
   * channel or credential rebuilds the engine; a new rule, mapping or channel setting reloads its
   * catalogue. Returns what it did.
   */
  checkConfigNow(): Promise<'unchanged' | 'reloaded' | 'restarted'> {
    let outcome: 'unchanged' | 'reloaded' | 'restarted' = 'unchanged'
    return this.queue(async () => {
      if (this.stopped) return
      let rev: ConfigRevision
      try {
        rev = readConfigRevision(this.db)
      } catch {
        return // the database is closing
      }
      const seen = this.seenRev
      if (seen && rev.connection === seen.connection && rev.catalog === seen.catalog) return
      const engine = this.engineRef
      if (!engine || !seen || rev.connection !== seen.connection) {
        outcome = 'restarted'
        log(this.db, {
          level: 'info',
          kind: 'engine',
          message: engine
            ? 'The connection settings changed: sync restarts with them.'
            : 'The configuration changed: trying to start sync.',
        })
        await this.halt()
        await this.launch()
        return
      }
      // Noted before the reload: a change made while it runs is seen at the next check.
      this.seenRev = { ...seen, catalog: rev.catalog }
      outcome = 'reloaded'
      await engine.reloadConfig()
    }).then(() => outcome)
  }

  /** Channels, credentials or the Odoo connection changed: rebuild everything shortly (debounced). */
  configChanged(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer)
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null
      void this.queue(async () => {
        await this.halt()
        await this.launch()
      })
    }, 300)
  }

  stop(): Promise<void> {
    this.stopped = true
    if (this.watchTimer) clearTimeout(this.watchTimer)
    this.watchTimer = null
    if (this.restartTimer) clearTimeout(this.restartTimer)
    if (this.retryTimer) this.timers.clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.pendingRetry = null
    return this.queue(async () => {
      await this.halt()
      await this.closeDemo()
    })
  }

  async startDemo(): Promise<{ started: boolean; message: string }> {
    if (this.demo) return { started: true, message: 'The demo is already running.' }
    const startDemo = this.opts.demo
    if (!startDemo) return { started: false, message: 'The demo is not available in this build.' }
    let result = { started: false, message: '' }
    await this.queue(async () => {
      await this.halt()
      const file = join(this.opts.dataDir, 'demo', 'demo.db')
      const fresh = this.opts.openDb ?? ((f: string) => openDatabase(f))
      const { rmSync } = await import('node:fs')
      rmSync(join(this.opts.dataDir, 'demo'), { recursive: true, force: true })
      const db = fresh(file)
      // The demo's credentials are the simulators' own: a throwaway key protects them.
      const vault = createKeyVault(randomBytes(24).toString('base64url'), vaultSalt(db))
      this.demoVault = vault
      try {
        this.demo = await startDemo({ db, vault })
      } catch (e) {
        db.close()
        result = { started: false, message: `The demo could not start: ${errorMessage(e)}` }
        await this.launch()
        return
      }
      this.demoDb = db
      await this.launch()
      this.demo.startMarket()
      result = {
        started: this.engineRef !== null,
        message: this.engineRef
          ? 'The demo is running: simulated Odoo and seven marketplaces.'
          : (this.note ?? ''),
      }
    })
    return result
  }

  async stopDemo(): Promise<void> {
    await this.queue(async () => {
      await this.halt()
      await this.closeDemo()
      await this.launch()
    })
  }

  private async closeDemo(): Promise<void> {
    if (this.demo) await this.demo.stop()
    this.demo = null
    this.demoDb?.close()
    this.demoDb = null
    this.demoVault = null
  }

  private emit(event: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(event)
      } catch {
        /* a listener's failure is its own */
      }
    }
  }

  private async halt(): Promise<void> {
    if (this.retryTimer) this.timers.clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.pendingRetry = null
    // The importer's step in flight ends first: a new importer must never work on an order beside it.
    const importer = this.importer
    this.importer = null
    await importer?.stop()
    this.orderNames?.stop()
    this.orderNames = null
    const e = this.engineRef
    if (!e) return
    this.engineRef = null
    this.unsubscribe?.()
    this.unsubscribe = null
    await e.stop({ drain: true }).catch(() => undefined)
    this.emit({ type: 'stopped' })
  }

  /** A retried start failed for a reason retrying cannot fix (the configuration, a refused login). */
  private gaveUp(error: string): void {
    if (this.failedAttempts === 0) return
    const attempt = this.failedAttempts + 1
    this.failedAttempts = 0
    this.pendingRetry = null
    try {
      this.opts.onStartAttempt?.({ kind: 'failed', attempt, error })
    } catch {
      /* the listener's failure is its own */
    }
  }

  /** Schedules the next start attempt; returns the note's ending that says when. */
  private scheduleRetry(error: string): string {
    if (this.stopped) return ''
    const wait = this.retryDelay
    this.retryDelay = nextStartRetry(wait)
    this.failedAttempts++
    const nextAt = this.timers.now() + wait
    this.pendingRetry = { kind: 'retry', attempt: this.failedAttempts, error, waitMs: wait, nextAt }
    if (this.retryTimer) this.timers.clearTimeout(this.retryTimer)
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null
      void this.queue(() => this.launch())
    }, wait)
    try {
      this.opts.onStartAttempt?.(this.pendingRetry)
    } catch {
      /* the listener's failure is its own */
    }
    return ` Retrying in ${formatWait(wait)} (attempt ${this.failedAttempts + 1}).`
  }

  /** Launches with the demo's vault and speeds while the demo runs (also after a configuration change). */
  private async launch(): Promise<void> {
    const demo = this.demoDb !== null ? this.demo : null
    const vault = this.demoVault ?? this.opts.vault
    const engineOptions: Partial<EngineOptions> = demo?.engineOptions ?? {}
    const adapterOptions: AdapterFactoryOptions = demo?.adapterOptions ?? {}
    if (this.stopped || this.engineRef) return
    const db = this.db
    // Read before the configuration itself: a change made while this launch runs is seen by the watch.
    this.seenRev = readConfigRevision(db)
    if (!isOdooConfigured(db)) {
      this.note =
        listChannels(db).length === 0
          ? 'Nothing is configured yet: try the demo or connect Odoo.'
          : 'Connect Odoo to start syncing.'
      this.gaveUp(this.note)
      return
    }
    let odoo
    try {
      odoo = await odooGatewayFromStore(db, vault)
      await odoo.login()
    } catch (e) {
      this.note = `Odoo: ${errorMessage(e)}${isClassifiedError(e) && e.hint ? ` ${e.hint}` : ''}`
      log(db, { level: 'error', kind: 'odoo', message: this.note })
      if (!isClassifiedError(e) || e.kind === 'retryable') this.note += this.scheduleRetry(this.note)
      else this.gaveUp(this.note)
      return
    }
    this.retryDelay = this.opts.retryMs ?? 15_000
    const adapters = new Map<string, ChannelAdapter>()
    const problems: string[] = []
    const queueInputs: QueueChannelInput[] = []
    for (const c of listChannels(db)) {
      if (c.state === 'disabled') continue
      try {
        const credentials = readCredentials(db, vault, `channel:${c.id}`)
        const adapter = createChannelAdapter(c, credentials, {
          // A restarted process goes on with the buckets the last one left, not with full ones.
          rateMemory: (id) => sqliteBucketMemory(db, id),
          // Nor does it ask the channel again for order facts the last one stored.
          storedOrderLine: (id) => (orderId, lineId) => storedOrderLine(db, id, orderId, lineId),
          ...this.opts.adapterOptions,
          ...adapterOptions,
        })
        adapters.set(c.id, adapter)
        queueInputs.push({ channelId: c.id, name: c.name, adapter, credentials, settings: c.settings })
      } catch (e) {
        problems.push(errorMessage(e))
        log(db, {
          level: 'warn',
          kind: 'channel',
          channelId: c.id,
          message: `Not syncing: ${errorMessage(e)}`,
        })
      }
    }
    this.adapters = adapters
    if (this.demo) {
      // The demo maps its listings the way a seller's auto-match would, before the first push.
      await this.refreshListings().catch((e: unknown) =>
        log(db, {
          level: 'warn',
          kind: 'mapping',
          message: `Listings could not be fetched: ${errorMessage(e)}`,
        }),
      )
    }
    // Orders a previous process confirmed in Odoo but did not get to record: settled before the first read.
    const settled = await settleInDoubtOrders(db, odoo)
    if (settled.confirmed + settled.reserved > 0)
      log(db, {
        level: 'info',
        kind: 'order_import',
        message: `${settled.confirmed + settled.reserved} order(s) confirmed in Odoo before the last stop were recorded`,
      })
    // "Faster orders": the channels' own queues (docs/faster-orders.md); polling runs regardless.
    const orderQueues = orderQueueSources(queueInputs, (channelId, message) =>
      log(db, { level: 'warn', kind: 'order', channelId, message }),
    )
    const engine = createEngine({
      db,
      odoo,
      adapters,
      orderQueues,
      // What the seller stored (the Odoo poll interval), unless the host or the demo says otherwise.
      options: { ...storedEngineOptions(db), ...this.opts.engineOptions, ...engineOptions },
    })
    this.unsubscribe = engine.subscribe((ev) => this.emit(ev))
    try {
      await engine.start()
    } catch (e) {
      this.unsubscribe()
      this.unsubscribe = null
      await odoo.close().catch(() => undefined)
      this.note = `Sync could not start: ${errorMessage(e)}`
      this.note += this.scheduleRetry(this.note)
      return
    }
    this.engineRef = engine
    this.pendingRetry = null
    if (this.failedAttempts > 0) {
      const attempt = this.failedAttempts + 1
      this.failedAttempts = 0
      try {
        this.opts.onStartAttempt?.({ kind: 'started', attempt })
      } catch {
        /* the listener's failure is its own */
      }
    }
    const names = startSaleOrderNameReader(() => db, odoo)
    this.orderNames = names
    names.kick()
    this.importer = startOrderImporter({
      db,
      odoo,
      engine,
      onEvent: (ev) => {
        // An order just reached Odoo: its sale order's name is read right after.
        if (ev.type === 'log' && ev.entry.kind === 'order_import' && ev.entry.status === 'confirmed')
          names.kick()
        this.emit(ev)
      },
    })
    this.note = problems.length > 0 ? problems.join(' ') : null
  }

  /**
   * Fetches listings from the channels (all, or one) into the listings table and maps the unmapped ones by
   * SKU and EAN; the engine then reloads its catalogue.
   */
  async refreshListings(channelId?: string): Promise<Array<ListingsRefresh & { mapped: number }>> {
    const db = this.db
    // Matching needs Odoo's catalogue as it is now: a product created since the last read must match.
    const engine = this.engineRef
    if (engine) await engine.refreshCatalogue()
    else {
      const gw = await odooGatewayFromStore(db, this.demoVault ?? this.opts.vault)
      try {
        upsertProducts(db, await gw.listProducts())
        // Kits need not be storable in Odoo; they are listed products all the same (mrp only).
        const kits = new KitBook((await gw.listKits?.()) ?? null)
        if (kits.size > 0) upsertProducts(db, kits.kitProducts())
      } finally {
        await gw.close().catch(() => undefined)
      }
    }
    const out: Array<ListingsRefresh & { mapped: number }> = []
    for (const [id, adapter] of this.adapters) {
      if (channelId && id !== channelId) continue
      const r = await fetchListings(db, id, adapter)
      out.push({ ...r, mapped: autoMapBySkuAndEan(db, id) })
    }
    await this.engineRef?.reloadConfig()
    return out
  }

  testOdoo(): Promise<ConnectionTestDto> {
    return testStoredOdoo(this.db, this.demoVault ?? this.opts.vault)
  }

  async testChannel(channelId: string): Promise<ConnectionTestDto> {
    const c = getChannel(this.db, channelId)
    if (!c) return { ok: false, message: `There is no channel "${channelId}".` }
    return this.testChannelConfig(
      c,
      readCredentials(this.db, this.demoVault ?? this.opts.vault, `channel:${c.id}`),
    )
  }

  /** Tests a channel from values in memory (typed in the form, not saved): nothing stored, the engine untouched. */
  testChannelConfig(c: ChannelRow, credentials: Record<string, string>): Promise<ConnectionTestDto> {
    return testChannelWith(
      c,
      credentials,
      this.demoDb && this.demo
        ? { ...this.opts.adapterOptions, ...this.demo.adapterOptions }
        : this.opts.adapterOptions,
    )
  }

  /** Checks "Faster orders" from values in memory (typed, not saved): the queue, the marketplace's subscription. */
  checkFasterOrders(c: ChannelRow, credentials: Record<string, string>): Promise<FasterOrdersCheck> {
    return checkFasterOrdersWith(
      c,
      credentials,
      this.demoDb && this.demo
        ? { ...this.opts.adapterOptions, ...this.demo.adapterOptions }
        : this.opts.adapterOptions,
      {
        engineQueue: (url) =>
          this.engineRef?.status().channels.find((x) => x.orderQueue?.queueUrl === url)?.orderQueue ?? null,
      },
    )
  }

  /** Tests an Odoo connection from values in memory (typed in the form, not saved). Nothing is stored. */
  testOdooConfig(c: OdooTestConfig, apiKey: string): Promise<ConnectionTestDto> {
    return testOdooWith(c, apiKey)
  }

  /** The context the API handlers run in, bound to this runtime (the demo's store and vault while it runs). */
  handlerContext(): HandlerContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const rt = this
    return {
      get db() {
        return rt.db
      },
      get vault() {
        return rt.demoVault ?? rt.opts.vault
      },
      dataDir: this.opts.dataDir,
      host: this.opts.host,
      version: this.opts.version,
      engine: () => rt.engineRef,
      testOdoo: () => rt.testOdoo(),
      testChannel: (id) => rt.testChannel(id),
      testChannelConfig: (c, credentials) => rt.testChannelConfig(c, credentials),
      testOdooConfig: (c, apiKey) => rt.testOdooConfig(c, apiKey),
      checkFasterOrders: (c, credentials) => rt.checkFasterOrders(c, credentials),
      ...(this.opts.demo ? { startDemo: () => rt.startDemo() } : {}),
      demoRunning: () => rt.demo !== null,
      configChanged: () => rt.configChanged(),
      refreshListings: (id) => rt.refreshListings(id),
      statusNote: () => rt.statusNote(),
    }
  }
}
