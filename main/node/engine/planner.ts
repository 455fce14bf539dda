// Turns stored stock, pending reservations and buffers into each listing's desired state and queues
// what changed. Synchronous on purpose: it runs inside one SQLite transaction, so a crash leaves either
// all of a recompute or none of it.
import { resolveBuffer } from '../../core/buffers/buffer-rules'
import { publishedQuantity } from '../../core/stock/published-quantity'
import { planListingCommand, type ListingCommand } from '../../core/stock/zero-stock'
import type { OutboxRepo } from '../db/repos/outbox'
import type { PushStateRepo } from '../db/repos/push-state'
import type { StockRepo } from '../db/repos/stock'
import type { SyncLogEntry } from '../db/repos/sync-log'
import type { Catalog, ChannelConfig } from './catalog'
import type { EngineState } from './engine-state'

export interface PlanOptions {
  /** Queue even when the value equals what was last queued (full resync, drift repair). */
  force?: boolean | ((channelId: string, listingId: string) => boolean)
  channels?: ReadonlySet<string> | null
}

export interface DesiredState {
  productId: number
  command: ListingCommand
  explanation: string
}

export interface PlannerDeps {
  catalog: Catalog
  stock: StockRepo
  outbox: OutboxRepo
  pushState: PushStateRepo
  state: EngineState
  salesPerDay: () => ReadonlyMap<number, number>
  pending: () => ReadonlyMap<number, number>
  today: () => string
  now: () => number
  log: (e: SyncLogEntry) => void
}

export class Planner {
  constructor(private readonly d: PlannerDeps) {}

  /** The desired state of one listing from stored figures; null while its stock was never read. */
  desired(
    channel: ChannelConfig,
    listingId: string,
    productId: number,
    pending: number,
  ): DesiredState | null {
    const stock = this.d.stock.get(productId, channel.scope)
    if (!stock) return null
    const buffer = resolveBuffer(
      {
        productId,
        channelId: channel.id,
        salesPerDay: this.d.salesPerDay().get(productId) ?? 0,
        channelCount: this.d.catalog.channelCount(productId),
        today: this.d.today(),
      },
      this.d.catalog.rules,
    )
    const pub = publishedQuantity({
      stock,
      basis: channel.basis,
      pending,
      buffer: buffer.buffer,
      maxPublished: channel.maxPublished,
      zeroBelow: channel.zeroBelow,
    })
    const queued = this.d.outbox.get(channel.id, listingId)
    const last = queued ? queued.action : (this.d.pushState.get(channel.id, listingId)?.action ?? null)
    return {
      productId,
      command: planListingCommand(pub.quantity, channel.zeroAction, last),
      explanation: `${pub.explanation}; ${buffer.explanation}`,
    }
  }

  /** Plans the listings of `productIds`; returns how many were queued per channel. Call in a transaction. */
  plan(productIds: Iterable<number>, opts: PlanOptions = {}): Map<string, number> {
    const queued = new Map<string, number>()
    const pendingAll = this.d.pending()
    const now = this.d.now()
    for (const productId of productIds) {
      const listings = this.d.catalog.listingsByProduct.get(productId)
      if (!listings) continue
      const pending = pendingAll.get(productId) ?? 0
      for (const { channelId, listingId } of listings) {
        if (opts.channels && !opts.channels.has(channelId)) continue
        const channel = this.d.catalog.channels.get(channelId)
        if (!channel) continue
        const want = this.desired(channel, listingId, productId, pending)
        if (!want) continue
        const force = typeof opts.force === 'function' ? opts.force(channelId, listingId) : !!opts.force
        if (this.enqueue(channelId, listingId, want, force, now))
          queued.set(channelId, (queued.get(channelId) ?? 0) + 1)
      }
    }
    return queued
  }

  private enqueue(
    channelId: string,
    listingId: string,
    want: DesiredState,
    force: boolean,
    now: number,
  ): boolean {
    const { outbox, pushState } = this.d
    const inOutbox = outbox.get(channelId, listingId)
    const ps = pushState.get(channelId, listingId)
    if (ps?.status === 'blocked') return false
    const latest =
      inOutbox ??
      (ps && ps.quantity !== null && ps.action !== null ? { quantity: ps.quantity, action: ps.action } : null)
    if (
      !force &&
      latest &&
      latest.quantity === want.command.quantity &&
      latest.action === want.command.action
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
      explanation: want.explanation,
    }
    const { previous } = outbox.enqueue(input)
    pushState.queued(input)
    if (previous && previous.inflightStamp === null)
      this.d.log({
        at: now,
        level: 'debug',
        kind: 'push',
        channelId,
        listingId,
        productId: want.productId,
        status: 'superseded',
        message: `queued ${previous.quantity} superseded by ${want.command.quantity} before it was sent`,
        data: { stamp: previous.stamp, by: stamp },
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
