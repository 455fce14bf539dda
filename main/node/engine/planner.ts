// Turns stored stock, pending reservations and buffers into each listing's desired state and queues
// what changed. Synchronous on purpose: it runs inside one SQLite transaction, so a crash leaves either
// all of a recompute or none of it. The figures themselves come from listing-figures.ts.
import type { KitBook } from '../../core/stock/kit-book'
import type { ListingCommand } from '../../core/stock/zero-stock'
import type { Database } from 'better-sqlite3'
import { enqueueOutbox, getOutboxRow, outboxCompactOfChannel, type OutboxRow } from '../db/repos/outbox'
import {
  getPushState,
  pushStateCompactOfChannel,
  pushStateQueued,
  pushStateRequeued,
  type PushStateBrief,
} from '../db/repos/push-state'
import type { StoredStock } from '../db/repos/stock'
import type { SyncLogEntry } from '../db/repos/sync-log'
import type { Catalog, ChannelConfig } from './catalog'
import type { EngineState } from './engine-state'
import { ListingFigures, pausedHint, type DesiredState, type StockOf } from './listing-figures'

export { pausedHint, type DesiredState } from './listing-figures'

/** Plans with more products than this read the stored state in bulk. */
const BULK_PLAN = 200
/** Channels with more queued listings than this in one plan get a summary line, not one per listing. */
const DETAILED_LOG_LIMIT = 200

/** A resume of an active listing and a set of the same figure have the same effect. */
const sameEffect = (a: ListingCommand['action'], b: ListingCommand['action']): boolean =>
  a === b || (a === 'resume' && b === 'set')

export interface PlanOptions {
  /** Queue even when the value equals what was last queued (full resync, drift repair). */
  force?: boolean | ((channelId: string, listingId: string, state: PushStateBrief | null) => boolean)
  channels?: ReadonlySet<string> | null
}

/** Stock figures by product and location scope. */
export interface StockFigures {
  get(productId: number, scope: string): StoredStock | null
  /** Every figure by scope, then product (bulk planning). */
  allByScope(): Map<string, Map<number, StoredStock>>
}

export interface PlannerDeps {
  catalog: Catalog
  /** Stored stock (the engine's), or figures read for a dry run that stores nothing. */
  stock: StockFigures
  /** The outbox and push states read and queued. */
  db: Database
  state: EngineState
  salesPerDay: () => ReadonlyMap<number, number>
  /** Pending units per product, kit orders spread over their components (KitBook.spread). */
  pending: () => ReadonlyMap<number, number>
  /** The kits: their listings publish from their components' stock (default: none). */
  kits?: () => KitBook
  today: () => string
  now: () => number
  log: (e: SyncLogEntry) => void
}

/** One plan's running figures: what it reads once, and what it queued per channel. */
interface PlanRun {
  opts: PlanOptions
  pendingAll: ReadonlyMap<number, number>
  stockOf: StockOf
  now: number
  queued: Map<string, number>
  /** Every listing queued so far is logged on its own (until a channel passes DETAILED_LOG_LIMIT). */
  detailed: boolean
}

export class Planner {
  private readonly figures: ListingFigures

  constructor(private readonly d: PlannerDeps) {
    this.figures = new ListingFigures(d)
  }

  /**
   * The desired state of one listing from stored figures; null while its stock was never read. `pendingAll`
   * defaults to the current pending units (as plan() uses them).
   */
  desired(
    channel: ChannelConfig,
    listingId: string,
    productId: number,
    pendingAll: ReadonlyMap<number, number> = this.d.pending(),
  ): DesiredState | null {
    const last = pausedHint(
      getOutboxRow(this.d.db, channel.id, listingId),
      getPushState(this.d.db, channel.id, listingId),
    )
    this.figures.begin(this.d.today())
    return this.figures.of(channel, productId, (id, scope) => this.d.stock.get(id, scope), pendingAll, last)
  }

  /**
   * Plans the listings of `productIds`; returns how many were queued per channel. Call in a transaction.
   * Large plans go one channel at a time, each reading its stored state in two queries instead of two per
   * listing, so a full resync holds one channel's rows at a time.
   */
  plan(productIds: Iterable<number>, opts: PlanOptions = {}): Map<string, number> {
    const ids = [...new Set(productIds)]
    const { catalog } = this.d
    this.figures.begin(this.d.today())
    const run: PlanRun = {
      opts,
      pendingAll: this.d.pending(),
      stockOf: (id, scope) => this.d.stock.get(id, scope),
      now: this.d.now(),
      queued: new Map(),
      detailed: true,
    }
    if (ids.length > BULK_PLAN) {
      // Nested maps (scope then product, listing alone per channel): no key string per lookup.
      const stock = this.d.stock.allByScope()
      run.stockOf = (id, scope) => stock.get(scope)?.get(id)
      for (const [channelId, channel] of catalog.channels) {
        if (opts.channels && !opts.channels.has(channelId)) continue
        const outbox = outboxCompactOfChannel(this.d.db, channelId)
        const states = pushStateCompactOfChannel(this.d.db, channelId)
        for (const productId of ids)
          for (const l of catalog.listingsByProduct.get(productId) ?? [])
            if (l.channelId === channelId)
              this.planListing(
                run,
                channel,
                l.listingId,
                productId,
                outbox.get(l.listingId) ?? null,
                states.get(l.listingId) ?? null,
              )
      }
    } else
      for (const productId of ids)
        for (const { channelId, listingId } of catalog.listingsByProduct.get(productId) ?? []) {
          if (opts.channels && !opts.channels.has(channelId)) continue
          const channel = catalog.channels.get(channelId)
          if (!channel) continue
          this.planListing(
            run,
            channel,
            listingId,
            productId,
            getOutboxRow(this.d.db, channelId, listingId),
            getPushState(this.d.db, channelId, listingId),
          )
        }
    if (run.queued.size > 0) this.d.state.flushStamp()
    for (const [channelId, n] of run.queued)
      if (n > DETAILED_LOG_LIMIT)
        this.d.log({
          at: run.now,
          level: 'info',
          kind: 'push',
          channelId,
          status: 'queued',
          message: `${n} listings queued`,
        })
    return run.queued
  }

  private planListing(
    run: PlanRun,
    channel: ChannelConfig,
    listingId: string,
    productId: number,
    inOutbox: OutboxRow | null,
    ps: PushStateBrief | null,
  ): void {
    if (ps?.status === 'blocked') return
    const want = this.figures.of(channel, productId, run.stockOf, run.pendingAll, pausedHint(inOutbox, ps))
    if (!want) return
    const { force } = run.opts
    const forced = typeof force === 'function' ? force(channel.id, listingId, ps) : !!force
    if (!this.enqueue(channel.id, listingId, want, forced, run.now, inOutbox, ps, run.detailed)) return
    const n = (run.queued.get(channel.id) ?? 0) + 1
    run.queued.set(channel.id, n)
    if (n > DETAILED_LOG_LIMIT) run.detailed = false
  }

  private enqueue(
    channelId: string,
    listingId: string,
    want: DesiredState,
    force: boolean,
    now: number,
    inOutbox: OutboxRow | null,
    ps: PushStateBrief | null,
    detailed: boolean,
  ): boolean {
    const { db } = this.d
    const latest =
      inOutbox ??
      (ps && ps.quantity !== null && ps.action !== null ? { quantity: ps.quantity, action: ps.action } : null)
    if (
      !force &&
      latest &&
      latest.quantity === want.command.quantity &&
      sameEffect(latest.action, want.command.action)
    )
      return false
    const stamp = this.d.state.nextStamp()
    const input = {
      channelId,
      listingId,
      quantity: want.command.quantity,
      action: want.command.action,
      stamp,
      enqueuedAt: now,
      explanation: null,
    }
    // Explanations are computed when asked (explain()) and logged for small plans, never stored per row:
    // narrower rows make every later write of a full resync cheaper.
    enqueueOutbox(db, input, inOutbox)
    // The row was read in this transaction: when it exists, a plain update (no insert attempt).
    if (ps) pushStateRequeued(db, input)
    else pushStateQueued(db, input)
    // Bulk plans (resync, full recompute) log one line per channel instead of one per listing.
    if (!detailed) return true
    if (inOutbox && inOutbox.inflightStamp === null)
      this.d.log({
        at: now,
        level: 'debug',
        kind: 'push',
        channelId,
        listingId,
        productId: want.productId,
        status: 'superseded',
        // The worker marks a small batch's values sent in push state (not in the outbox) as they go out.
        message:
          ps?.status === 'sent' && ps.stamp === inOutbox.stamp
            ? `${inOutbox.quantity} superseded by ${want.command.quantity} while it was in flight (sent, no answer yet)`
            : `queued ${inOutbox.quantity} superseded by ${want.command.quantity} before it was sent`,
        data: { stamp: inOutbox.stamp, by: stamp },
      })
    this.d.log({
      at: now,
      level: 'debug',
      kind: 'push',
      channelId,
      listingId,
      productId: want.productId,
      status: 'queued',
      message: `${want.command.action} ${want.command.quantity}: ${want.explanation}`,
      data: { stamp },
    })
    return true
  }
}
