// What every part of the engine shares: its dependencies, the sync log and the event stream, the timers
// (durable work lives in SQLite; timers here only decide when to look again), and whether it is stopping.
// The parts (Odoo sync, catalogue, reconciliation, resync, first-push gate, order intake) each keep
// their own state and reach the rest through this.
import type { Database } from 'better-sqlite3'
import { scheduleJob, type Job } from 'node-schedule'
import { errorMessage, isClassifiedError } from '../../core/errors'
import type { ChannelAdapter } from '../../core/ports/channel-adapter'
import { systemClock, type Clock } from '../../core/ports/clock'
import type { OdooGateway } from '../../core/ports/odoo-gateway'
import { clearAlert, raiseAlert } from '../db/repos/alerts'
import { appendSyncLog, type SyncLogEntry } from '../db/repos/sync-log'
import type { ChannelWorker } from '../jobs/channel-worker'
import { Catalog } from './catalog'
import { resolveEngineOptions } from './defaults'
import { EngineState } from './engine-state'
import {
  alertEvent,
  type EngineDeps,
  type EngineEvent,
  type EngineLogger,
  type EngineOptions,
} from './engine-types'
import { EventBus } from './event-bus'
import { Mutex } from './mutex'

const silentLogger: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} }

export interface EngineAlert {
  kind: string
  severity: 'info' | 'warning' | 'critical'
  subject: string
  message: string
  channelId?: string | null
  details?: Record<string, unknown>
}

export class EngineCore {
  readonly db: Database
  readonly odoo: OdooGateway
  readonly adapters: ReadonlyMap<string, ChannelAdapter>
  readonly clock: Clock
  readonly logger: EngineLogger
  readonly opts: EngineOptions
  readonly state: EngineState
  readonly catalog: Catalog
  /** Serialises Odoo's read-then-store steps: a slow older read is never stored after a newer one. */
  readonly odooMutex = new Mutex()
  readonly workers = new Map<string, ChannelWorker>()
  started = false
  stopping = false
  /** Stopped or crashed: nothing more is written. */
  halted = false
  private readonly bus: EventBus
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly jobs: Job[] = []

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
  }

  now(): number {
    return this.clock.now()
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    return this.bus.subscribe(listener)
  }

  emit(e: EngineEvent): void {
    this.bus.emit(e)
  }

  log(e: SyncLogEntry): void {
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

  raiseAlert(a: EngineAlert): void {
    if (this.halted) return
    raiseAlert(this.db, { ...a, channelId: a.channelId ?? null, at: this.clock.now() })
    this.emit(alertEvent(a))
  }

  clearAlert(kind: string, subject: string): void {
    clearAlert(this.db, kind, subject, this.clock.now())
  }

  /** Wakes the workers of the channels a plan queued listings for. */
  kick(queued: ReadonlyMap<string, number>): void {
    for (const ch of queued.keys()) this.workers.get(ch)?.kick()
  }

  worker(channelId: string): ChannelWorker {
    const w = this.workers.get(channelId)
    if (!w) {
      const known = [...this.workers.keys()].join(', ') || '(none)'
      throw new RangeError(`channel "${channelId}" is not running in the engine; running: ${known}`)
    }
    return w
  }

  /** Runs `fn` after `ms` unless the engine stops first. */
  later(ms: number, fn: () => void): void {
    if (this.stopping) return
    const t = setTimeout(() => {
      this.timers.delete(t)
      if (!this.stopping) fn()
    }, ms)
    this.timers.add(t)
  }

  /** Runs `fn` after `every` ms, then again after each run ends, until the engine stops. */
  every(every: () => number, what: string, fn: () => Promise<unknown>): void {
    this.later(every(), () => {
      void this.safe(what, () => fn().then(() => undefined)).finally(() => this.every(every, what, fn))
    })
  }

  /** A node-schedule job, cancelled when the engine stops. */
  schedule(spec: string, fn: () => void): void {
    this.jobs.push(scheduleJob(spec, fn))
  }

  clearTimers(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const j of this.jobs) j.cancel()
    this.jobs.length = 0
  }

  /** Runs `fn`, logging a failure instead of throwing it (timers and background work). */
  async safe(what: string, fn: () => Promise<void>): Promise<void> {
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
}
