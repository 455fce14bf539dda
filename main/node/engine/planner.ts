// Turns stored stock, pending reservations and buffers into each listing's desired state and queues
// what changed. Synchronous on purpose: it runs inside one SQLite transaction, so a crash leaves either
// all of a recompute or none of it.
import {
  MANY_CHANNELS,
  resolveBuffer,
  type BufferPart,
  type ResolvedBuffer,
} from '../../core/buffers/buffer-rules'
import { velocityClass } from '../../core/buffers/velocity-class'
import { KitBook, type KitListingFigures } from '../../core/stock/kit-book'
import {
  publishedQuantity,
  type PublishedQuantity,
  type PublishInput,
} from '../../core/stock/published-quantity'
import { planListingCommand, type ListingCommand } from '../../core/stock/zero-stock'
import type { Database } from 'better-sqlite3'
import { enqueueOutbox, getOutboxRow, outboxCompactByChannel, type OutboxRow } from '../db/repos/outbox'
import {
  getPushState,
  pushStateCompactByChannel,
  pushStateQueued,
  pushStateRequeued,
  type PushStateBrief,
} from '../db/repos/push-state'
import type { StoredStock } from '../db/repos/stock'
import type { SyncLogEntry } from '../db/repos/sync-log'
import type { Catalog, ChannelConfig } from './catalog'
import type { EngineState } from './engine-state'

/** Plans with more products than this read the stored state in bulk. */
const BULK_PLAN = 200
/** Channels with more queued listings than this in one plan get a summary line, not one per listing. */
const DETAILED_LOG_LIMIT = 200

/**
 * Whether the listing may be paused on the channel: a pause or resume still in the pipeline (queued,
 * maybe already in flight) or a pause the channel took. Then a positive figure must go as 'resume':
 * sending 'set' could leave the listing paused for good, while resuming an active listing is harmless.
 */
export function pausedHint(
  inOutbox: OutboxRow | null,
  ps: PushStateBrief | null,
): ListingCommand['action'] | null {
  if (inOutbox && inOutbox.action !== 'set') return 'pause'
  if (ps?.appliedAction === 'pause' || ps?.action === 'pause') return 'pause'
  return inOutbox?.action ?? ps?.action ?? null
}

/** A resume of an active listing and a set of the same figure have the same effect. */
const sameEffect = (a: ListingCommand['action'], b: ListingCommand['action']): boolean =>
  a === b || (a === 'resume' && b === 'set')

export interface PlanOptions {
  /** Queue even when the value equals what was last queued (full resync, drift repair). */
  force?: boolean | ((channelId: string, listingId: string, state: PushStateBrief | null) => boolean)
  channels?: ReadonlySet<string> | null
}

export interface DesiredState {
  productId: number
  command: ListingCommand
  explanation: string
  /** The figure's terms and every part of its buffer, for the app to explain each unit (read when asked). */
  readonly figures?: { published: PublishedQuantity; bufferParts: readonly BufferPart[] }
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

export class Planner {
  constructor(private readonly d: PlannerDeps) {}

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
    this.kitMemo = new Map()
    const kit = this.kitFigures(productId, channel.scope, null, pendingAll)
    if (kit !== undefined) return this.computeKit(channel, productId, kit, last)
    return this.compute(
      channel,
      productId,
      pendingAll.get(productId) ?? 0,
      this.d.stock.get(productId, channel.scope),
      last,
      this.pendingNote(productId, pendingAll),
    )
  }

  /**
   * A kit's figures in a scope, from its components' stored stock (memoised per plan); undefined for a
   * product that is not a kit, null while a component was never read.
   */
  private kitFigures(
    productId: number,
    scope: string,
    cache: Map<string, Map<number, StoredStock>> | null,
    pendingAll: ReadonlyMap<number, number>,
  ): KitListingFigures | null | undefined {
    const kits = this.d.kits?.() ?? KitBook.empty
    if (!kits.isKit(productId)) return undefined
    let perScope = this.kitMemo.get(scope)
    if (!perScope) this.kitMemo.set(scope, (perScope = new Map()))
    if (perScope.has(productId)) return perScope.get(productId)!
    const get = cache
      ? (id: number) => cache.get(scope)?.get(id)
      : (id: number) => this.d.stock.get(id, scope)
    const f = kits.listingFigures(productId, get, pendingAll)
    perScope.set(productId, f)
    return f
  }

  /** A component's pending units from kit orders, said in its explanation. */
  private pendingNote(
    productId: number,
    pendingAll: ReadonlyMap<number, number>,
  ): PublishInput['describe'] | undefined {
    const note = (this.d.kits?.() ?? KitBook.empty).pendingNote(productId, pendingAll)
    return note ? { pending: note } : undefined
  }

  private computeKit(
    channel: ChannelConfig,
    productId: number,
    kit: KitListingFigures | null,
    lastAction: ListingCommand['action'] | null,
  ): DesiredState | null {
    if (!kit) return null
    const onHand = channel.basis === 'on_hand'
    return this.compute(
      channel,
      productId,
      onHand ? kit.pending.onHand : kit.pending.free,
      { ...kit.stock, computedAt: 0 },
      lastAction,
      onHand ? kit.describe.onHand : kit.describe.free,
    )
  }

  private compute(
    channel: ChannelConfig,
    productId: number,
    pending: number,
    stock: StoredStock | null | undefined,
    lastAction: ListingCommand['action'] | null,
    describe?: PublishInput['describe'],
  ): DesiredState | null {
    if (!stock) return null
    const salesPerDay = this.d.salesPerDay().get(productId) ?? 0
    const channelCount = this.d.catalog.channelCount(productId)
    // Without a rule naming the product, the buffer depends only on channel, velocity class and channel
    // count: resolved once per plan instead of once per listing (memo without a key string per listing).
    let buffer: ResolvedBuffer
    const subject = () => ({ productId, channelId: channel.id, salesPerDay, channelCount, today: this.today })
    if (this.productsWithRules.has(productId)) buffer = resolveBuffer(subject(), this.d.catalog.rules)
    else {
      let perChannel = this.bufferMemo.get(channel.id)
      if (!perChannel) this.bufferMemo.set(channel.id, (perChannel = new Map()))
      const slot = `${velocityClass(salesPerDay)}${channelCount >= MANY_CHANNELS ? 1 : 0}`
      const memo = perChannel.get(slot)
      if (memo) buffer = memo
      else {
        buffer = resolveBuffer(subject(), this.d.catalog.rules)
        perChannel.set(slot, buffer)
      }
    }
    // A product's listings on channels with the same basis, buffer and caps publish the same figure:
    // computed once for them (the listings of a product are planned one after the other).
    const last = this.lastPub
    let pub: PublishedQuantity
    if (
      last !== null &&
      describe === undefined &&
      last.stock === stock &&
      last.basis === channel.basis &&
      last.pending === pending &&
      last.buffer === buffer.buffer &&
      last.maxPublished === channel.maxPublished &&
      last.zeroBelow === channel.zeroBelow
    )
      pub = last.pub
    else {
      pub = publishedQuantity({
        stock,
        basis: channel.basis,
        pending,
        buffer: buffer.buffer,
        maxPublished: channel.maxPublished,
        zeroBelow: channel.zeroBelow,
        ...(describe ? { describe } : {}),
      })
      this.lastPub = {
        stock,
        basis: channel.basis,
        pending,
        buffer: buffer.buffer,
        maxPublished: channel.maxPublished,
        zeroBelow: channel.zeroBelow,
        pub,
      }
    }
    return {
      productId,
      command: planListingCommand(pub.quantity, channel.zeroAction, lastAction),
      get explanation(): string {
        return `${pub.explanation}; ${buffer.explanation}`
      },
      get figures() {
        return { published: pub, bufferParts: buffer.parts }
      },
    }
  }

  private today = ''
  private kitMemo = new Map<string, Map<number, KitListingFigures | null>>()
  private bufferMemo = new Map<string, Map<string, ResolvedBuffer>>()
  private productsWithRules = new Set<number>()
  private lastPub: {
    stock: StoredStock
    basis: ChannelConfig['basis']
    pending: number
    buffer: number
    maxPublished: number | null
    zeroBelow: number | null
    pub: PublishedQuantity
  } | null = null

  /**
   * Plans the listings of `productIds`; returns how many were queued per channel. Call in a transaction.
   * Large plans read the stored state in three queries instead of three per listing.
   */
  plan(productIds: Iterable<number>, opts: PlanOptions = {}): Map<string, number> {
    const ids = [...new Set(productIds)]
    const queued = new Map<string, number>()
    const pendingAll = this.d.pending()
    const now = this.d.now()
    this.today = this.d.today()
    this.bufferMemo = new Map()
    this.productsWithRules = new Set(
      this.d.catalog.rules.flatMap((r) =>
        r.productId !== null && r.productId !== undefined ? [r.productId] : [],
      ),
    )
    this.lastPub = null
    this.kitMemo = new Map()
    const bulk = ids.length > BULK_PLAN
    // Nested maps (scope or channel, then product or listing): no key string per lookup.
    const stockCache = bulk ? this.d.stock.allByScope() : null
    const outboxCache = bulk ? outboxCompactByChannel(this.d.db) : null
    const stateCache = bulk
      ? pushStateCompactByChannel(
          this.d.db,
          [...this.d.catalog.channels.keys()].filter((c) => !opts.channels || opts.channels.has(c)),
        )
      : null
    let small = true
    for (const productId of ids) {
      const listings = this.d.catalog.listingsByProduct.get(productId)
      if (!listings) continue
      const pending = pendingAll.get(productId) ?? 0
      for (const { channelId, listingId } of listings) {
        if (opts.channels && !opts.channels.has(channelId)) continue
        const channel = this.d.catalog.channels.get(channelId)
        if (!channel) continue
        const inOutbox = outboxCache
          ? (outboxCache.get(channelId)?.get(listingId) ?? null)
          : getOutboxRow(this.d.db, channelId, listingId)
        const ps = stateCache
          ? (stateCache.get(channelId)?.get(listingId) ?? null)
          : getPushState(this.d.db, channelId, listingId)
        if (ps?.status === 'blocked') continue
        const kit = this.kitFigures(productId, channel.scope, stockCache, pendingAll)
        const want =
          kit !== undefined
            ? this.computeKit(channel, productId, kit, pausedHint(inOutbox, ps))
            : this.compute(
                channel,
                productId,
                pending,
                stockCache
                  ? stockCache.get(channel.scope)?.get(productId)
                  : this.d.stock.get(productId, channel.scope),
                pausedHint(inOutbox, ps),
                this.pendingNote(productId, pendingAll),
              )
        if (!want) continue
        const force = typeof opts.force === 'function' ? opts.force(channelId, listingId, ps) : !!opts.force
        if (this.enqueue(channelId, listingId, want, force, now, inOutbox, ps, small)) {
          const n = (queued.get(channelId) ?? 0) + 1
          queued.set(channelId, n)
          if (n > DETAILED_LOG_LIMIT) small = false
        }
      }
    }
    if (queued.size > 0) this.d.state.flushStamp()
    for (const [channelId, n] of queued)
      if (n > DETAILED_LOG_LIMIT)
        this.d.log({
          at: now,
          level: 'info',
          kind: 'push',
          channelId,
          status: 'queued',
          message: `${n} listings queued`,
        })
    return queued
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
        message: `queued ${inOutbox.quantity} superseded by ${want.command.quantity} before it was sent`,
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
