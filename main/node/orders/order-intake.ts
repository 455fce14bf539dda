// Orders in from the channels. Each channel's orders are polled page by page since a watermark (with an
// overlap, for orders updated while the last poll ran); every order is stored with its pending units
// (units sold on a channel but not yet reserved in Odoo) in one transaction per page, and the other
// channels are lowered at once from the stored stock, page by page: no need to wait for Odoo to see the
// sale, nor for the last page. A paging run that stops half way goes on from its page next time. An order
// that takes a product's last units polls the other channels listing it once more (burst-polls.ts).
import type { Database } from 'better-sqlite3'
import { errorMessage, isClassifiedError } from '../../core/errors'
import type { ChannelAdapter, ChannelOrderLine } from '../../core/ports/channel-adapter'
import type { Clock } from '../../core/ports/clock'
import type { KitBook } from '../../core/stock/kit-book'
import { isThrottled, ThrottleEpisodes } from '../../core/sync/throttle-episodes'
import { upsertOrder } from '../db/repos/orders'
import { findProductBySkuOrEan } from '../db/repos/products'
import { listingIdByEan } from '../db/repos/listings'
import type { SyncLogEntry } from '../db/repos/sync-log'
import type { EngineAlert } from '../engine/engine-core'
import type { EngineState } from '../engine/engine-state'
import type { EngineEvent, EngineOptions } from '../engine/engine-types'
import { BurstPolls } from './burst-polls'
import { recordMfnQuantity, releaseMfnHolds } from './mfn-holds'
import type { QuantityEvent } from '../queue/queue-reader'
import { recordNotifiedOrder, type NotifiedIntake, type NotifiedResult } from './notified-orders'

export interface OrderIntakeDeps {
  db: Database
  clock: Clock
  adapters: ReadonlyMap<string, ChannelAdapter>
  /** The engine's durable state: watermarks and paging runs. */
  state: EngineState
  options: Pick<EngineOptions, 'orderPollIntervalMs' | 'orderOverlapMs' | 'orderLookbackMs'>
  /** Whether the channel's order queue is up (its events come within seconds; polling is the safety net). */
  queueUp?(channelId: string): boolean
  /** A live channel's name and whether its orders are imported into Odoo. */
  channel(channelId: string): { name: string; orderImport: boolean } | undefined
  /** The product a channel's listing is mapped to. */
  productOf(channelId: string, listingId: string): number | null
  kits(): KitBook
  /**
   * Plans the listings of `productIds` from the stored stock, and sends what changed. Returns the products
   * this took to 0 on a listing that showed more (sold out: the other channels listing them burst-poll).
   */
  lower(productIds: ReadonlySet<number>): ReadonlySet<number>
  /** The channels (ids) that list the product. */
  listedOn(productId: number): readonly string[]
  /** Orders of these products changed: check them for oversells. */
  changed(channelId: string, productIds: ReadonlySet<number>): void
  log(e: SyncLogEntry): void
  emit(e: EngineEvent): void
  raiseAlert(a: EngineAlert): void
  halted(): boolean
  /** Runs `fn` after `ms` unless the engine stops first. */
  later(ms: number, fn: () => void): void
  safe(what: string, fn: () => Promise<void>): Promise<void>
}

export class OrderIntake {
  private readonly polls = new Map<string, Promise<void>>()
  private readonly nextPollAt = new Map<string, number>()
  /** Order polls a channel throttles: logged when it starts and when it ends, not at every poll. */
  private readonly throttle = new ThrottleEpisodes()
  /** Extra polls after a sell-out, and the orders budget every call of a channel counts against. */
  private readonly bursts: BurstPolls

  constructor(private readonly d: OrderIntakeDeps) {
    this.bursts = new BurstPolls({
      clock: d.clock,
      state: d.state,
      adapters: d.adapters,
      listedOn: (p) => d.listedOn(p),
      untilRegularPoll: (id) => this.untilRegularPoll(id),
      intervalOf: (id) => this.intervalOf(id),
      poll: (id) => this.poll(id),
      log: (e) => d.log(e),
      safe: (what, fn) => d.safe(what, fn),
    })
  }

  /** Milliseconds until the channel's next regular poll starts; a whole interval while one runs now. */
  private untilRegularPoll(channelId: string): number | null {
    const at = this.nextPollAt.get(channelId)
    if (at === undefined) return null
    const left = at - this.d.clock.now()
    return left > 0 ? left : this.intervalOf(channelId)
  }

  /** When the channel's orders are polled next (null: never armed). */
  nextPollOf(channelId: string): number | null {
    return this.nextPollAt.get(channelId) ?? null
  }

  /**
   * How often the channel's orders are read: the engine's override, else the channel's own, and while its
   * order queue is up at least the channel's interval with a queue (null: no adapter).
   */
  intervalOf(channelId: string): number | null {
    const adapter = this.d.adapters.get(channelId)
    return adapter ? this.everyOf(channelId, adapter) : null
  }

  private everyOf(channelId: string, adapter: ChannelAdapter): number {
    const forced = this.d.options.orderPollIntervalMs
    if (forced !== undefined && forced !== null) return forced
    const own = adapter.capabilities.orderPollIntervalMs
    const withQueue = adapter.capabilities.orderPollWithQueueMs
    return withQueue !== undefined && this.d.queueUp?.(channelId) ? Math.max(own, withQueue) : own
  }

  /**
   * Polls the channel's orders after `delay` (default: its interval), then every interval from one poll's
   * START to the next (a poll that takes 2 s does not stretch a 5 s cycle to 7 s: "orders seen within N s"
   * stays true, and the rate stays the one the interval was chosen for).
   */
  arm(channelId: string, delay: number | null = null): void {
    const { d } = this
    const adapter = d.adapters.get(channelId)
    if (!adapter) return
    const wait = delay ?? this.everyOf(channelId, adapter)
    this.nextPollAt.set(channelId, d.clock.now() + wait)
    d.later(wait, () => {
      const startedAt = d.clock.now()
      void d
        .safe(`polling orders of ${channelId}`, () => this.poll(channelId))
        .finally(() => {
          // The interval as it is now: a channel's setting may have changed during the poll.
          const every = this.intervalOf(channelId)
          this.arm(channelId, every === null ? null : Math.max(0, startedAt + every - d.clock.now()))
        })
    })
  }

  async poll(channelId: string): Promise<void> {
    const adapter = this.d.adapters.get(channelId)
    const channel = this.d.channel(channelId)
    if (!adapter || !channel)
      throw new RangeError(`pollOrders: channel "${channelId}" is not live or has no adapter`)
    // A poll already running may have fetched before the caller's order existed: wait, then poll again.
    while (this.polls.has(channelId)) await this.polls.get(channelId)
    if (this.d.halted()) return
    const run = this.pollNow(channelId, adapter, channel)
    this.polls.set(channelId, run)
    try {
      await run
    } finally {
      this.polls.delete(channelId)
    }
  }

  private async pollNow(
    channelId: string,
    adapter: ChannelAdapter,
    channel: { name: string; orderImport: boolean },
  ): Promise<void> {
    const { d } = this
    const key = `orders_since:${channelId}`
    // A paging run that stopped half way (throttled, an outage, a crash) goes on from its page next time: a
    // channel whose list budget is smaller than the pages it needs would otherwise start over for ever.
    const pageKey = `orders_page:${channelId}`
    const startedAt = d.clock.now()
    try {
      const resumed = d.state.getJson<{ from: string; cursor: string; watermark: string }>(pageKey)
      let from: string
      let watermark: string
      let cursor: string | undefined
      if (resumed) {
        from = resumed.from
        watermark = resumed.watermark
        cursor = resumed.cursor
      } else {
        const since = d.state.get(key) ?? new Date(d.clock.now() - d.options.orderLookbackMs).toISOString()
        from = new Date(Date.parse(since) - d.options.orderOverlapMs).toISOString()
        watermark = since
      }
      do {
        this.bursts.spent(channelId)
        const page = await adapter.fetchOrders(from, cursor)
        if (d.halted()) return
        const now = d.clock.now()
        const events: EngineEvent[] = []
        const affected = new Set<number>()
        const demand = new Set<number>()
        d.db.transaction(() => {
          for (const order of page.items) {
            const r = upsertOrder(
              d.db,
              channelId,
              order,
              (line) => this.resolveLine(channelId, line),
              now,
              !channel.orderImport,
            )
            for (const p of r.productIds) affected.add(p)
            for (const p of r.demandIds) demand.add(p)
            if (order.updatedAt > watermark) watermark = order.updatedAt
            if (r.isNew || r.productIds.size > 0) {
              d.log({
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
          if (page.next) d.state.setJson(pageKey, { from, cursor: page.next, watermark })
          else {
            d.state.delete(pageKey)
            d.state.set(key, watermark)
          }
        })()
        for (const e of events) d.emit(e)
        const kits = d.kits()
        let plan = new Set<number>()
        if (affected.size > 0) {
          // A kit's order lowers its components' listings and every kit made with them.
          const touched = kits.withKits(affected)
          plan = new Set([...touched, ...kits.toRead(touched)])
          const soldOut = d.lower(plan)
          if (soldOut.size > 0) this.bursts.soldOut(channelId, soldOut)
        }
        for (const p of kits.toRead(demand)) plan.add(p)
        if (plan.size > 0) d.changed(channelId, plan)
        cursor = page.next
      } while (cursor)
      // Every order placed before this poll started is stored now: a quantity drop none explained was no sale.
      releaseMfnHolds(d, channelId, startedAt)
      const back = this.throttle.succeeded(channelId, d.clock.now(), 'order checks', channel.name)
      if (back) d.log({ at: d.clock.now(), kind: 'order', channelId, ...back })
    } catch (e) {
      if (d.halted()) return
      // A cursor the channel no longer takes (expired, refused): the next poll starts over from the watermark.
      if (!(isClassifiedError(e) && e.kind === 'retryable')) d.state.delete(pageKey)
      const msg = errorMessage(e)
      // Throttling is the channel working as designed: said once when it starts and once when it ends.
      if (isThrottled(e)) {
        const start = this.throttle.throttled(channelId, d.clock.now(), 'order checks', channel.name)
        if (start) d.log({ at: d.clock.now(), kind: 'order', channelId, ...start, data: { error: msg } })
        return
      }
      d.log({
        at: d.clock.now(),
        level: isClassifiedError(e) && e.kind === 'retryable' ? 'warn' : 'error',
        kind: 'order',
        channelId,
        status: isClassifiedError(e) ? e.kind : 'error',
        message: `fetching orders failed: ${msg}`,
      })
      if (isClassifiedError(e) && e.kind === 'needs_seller')
        d.raiseAlert({
          kind: 'channel_needs_seller',
          severity: 'critical',
          subject: channelId,
          channelId,
          message: `${msg}${e.hint ? `. ${e.hint}` : ''}`,
        })
    }
  }

  /** An order announced by the seller's queue: stored only when new (notified-orders.ts). */
  recordNotified(channelId: string, n: NotifiedIntake): NotifiedResult {
    return recordNotifiedOrder(this.d, channelId, n, (line) => this.resolveLine(channelId, line))
  }

  /** An Amazon MFN quantity event (mfn-holds.ts); returns what it did in plain words. */
  recordQuantity(channelId: string, q: QuantityEvent): string {
    return recordMfnQuantity(this.d, channelId, q, (listingId) => this.d.productOf(channelId, listingId))
  }

  private resolveLine(channelId: string, line: ChannelOrderLine): number | null {
    return resolveOrderLine(this.d.db, (l) => this.d.productOf(channelId, l), channelId, line)
  }
}

/**
 * The product an order line is for: its listing's mapping; else, for a line known by its EAN alone (a bol.com
 * order read from the orders list: no offer id), the channel's own listing with that EAN as the seller mapped
 * it; else the Odoo product with that SKU or EAN.
 */
export function resolveOrderLine(
  db: Database,
  productOf: (listingId: string) => number | null,
  channelId: string,
  line: ChannelOrderLine,
): number | null {
  if (line.listingId) {
    const p = productOf(line.listingId)
    if (p !== null) return p
  }
  const byEan = line.ean ? listingIdByEan(db, channelId, line.ean) : null
  if (byEan !== null) {
    const p = productOf(byEan)
    if (p !== null) return p
  }
  return findProductBySkuOrEan(db, line.sku, line.ean)
}
