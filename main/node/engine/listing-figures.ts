// One listing's desired state from stored figures: its published quantity (stock, pending units, buffer,
// caps) and the command that shows it (set, pause, resume). Memoised within one plan: buffers without a
// product rule per channel and velocity class, a kit's figures per scope, and the figure a product's
// listings share when they publish alike.
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
import type { OutboxRow } from '../db/repos/outbox'
import type { PushStateBrief } from '../db/repos/push-state'
import type { StoredStock } from '../db/repos/stock'
import type { Catalog, ChannelConfig } from './catalog'

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

export interface DesiredState {
  productId: number
  command: ListingCommand
  explanation: string
  /** The figure's terms and every part of its buffer, for the app to explain each unit (read when asked). */
  readonly figures?: { published: PublishedQuantity; bufferParts: readonly BufferPart[] }
}

/** A figure and what it was computed from, shared by a product's listings that publish alike. */
interface SharedFigure {
  stock: StoredStock
  basis: ChannelConfig['basis']
  pending: number
  buffer: number
  maxPublished: number | null
  zeroBelow: number | null
  pub: PublishedQuantity
}

/** One object per listing of a plan (70,000 in a full resync): its words are built only when read. */
class Desired implements DesiredState {
  constructor(
    readonly productId: number,
    readonly command: ListingCommand,
    private readonly pub: PublishedQuantity,
    private readonly resolved: ResolvedBuffer,
  ) {}

  get explanation(): string {
    return `${this.pub.explanation}; ${this.resolved.explanation}`
  }

  get figures(): { published: PublishedQuantity; bufferParts: readonly BufferPart[] } {
    return { published: this.pub, bufferParts: this.resolved.parts }
  }
}

/** Stored stock of one product in one scope (undefined or null: never read). */
export type StockOf = (productId: number, scope: string) => StoredStock | null | undefined

export interface ListingFiguresDeps {
  catalog: Catalog
  salesPerDay: () => ReadonlyMap<number, number>
  kits?: () => KitBook
}

export class ListingFigures {
  private today = ''
  private kitMemo = new Map<string, Map<number, KitListingFigures | null>>()
  private bufferMemo = new Map<string, Map<string, ResolvedBuffer>>()
  private productsWithRules = new Set<number>()
  /**
   * The last figure computed: a product's listings on channels with the same basis, buffer and caps
   * publish the same figure, computed once for them when they are planned one after the other.
   */
  private lastPub: (SharedFigure & { productId: number }) | null = null

  constructor(private readonly d: ListingFiguresDeps) {}

  /** Starts a plan: memos from an earlier one (other rules, other stock) are dropped. */
  begin(today: string): void {
    this.today = today
    this.bufferMemo = new Map()
    this.productsWithRules = new Set(
      this.d.catalog.rules.flatMap((r) =>
        r.productId !== null && r.productId !== undefined ? [r.productId] : [],
      ),
    )
    this.lastPub = null
    this.kitMemo = new Map()
  }

  /** The desired state of one listing; null while its stock (or a kit component's) was never read. */
  of(
    channel: ChannelConfig,
    productId: number,
    stockOf: StockOf,
    pendingAll: ReadonlyMap<number, number>,
    lastAction: ListingCommand['action'] | null,
  ): DesiredState | null {
    const kit = this.kitFigures(productId, channel.scope, stockOf, pendingAll)
    if (kit !== undefined) return this.computeKit(channel, productId, kit, lastAction)
    return this.compute(
      channel,
      productId,
      pendingAll.get(productId) ?? 0,
      stockOf(productId, channel.scope),
      lastAction,
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
    stockOf: StockOf,
    pendingAll: ReadonlyMap<number, number>,
  ): KitListingFigures | null | undefined {
    const kits = this.d.kits?.() ?? KitBook.empty
    if (!kits.isKit(productId)) return undefined
    let perScope = this.kitMemo.get(scope)
    if (!perScope) this.kitMemo.set(scope, (perScope = new Map()))
    if (perScope.has(productId)) return perScope.get(productId)!
    const f = kits.listingFigures(productId, (id) => stockOf(id, scope), pendingAll)
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

  /**
   * Without a rule naming the product, the buffer depends only on channel, velocity class and channel
   * count: resolved once per plan instead of once per listing (memo without a key string per listing).
   */
  private buffer(channel: ChannelConfig, productId: number, salesPerDay: number): ResolvedBuffer {
    const channelCount = this.d.catalog.channelCount(productId)
    const subject = () => ({ productId, channelId: channel.id, salesPerDay, channelCount, today: this.today })
    if (this.productsWithRules.has(productId)) return resolveBuffer(subject(), this.d.catalog.rules)
    let perChannel = this.bufferMemo.get(channel.id)
    if (!perChannel) this.bufferMemo.set(channel.id, (perChannel = new Map()))
    const slot = `${velocityClass(salesPerDay)}${channelCount >= MANY_CHANNELS ? 1 : 0}`
    let buffer = perChannel.get(slot)
    if (!buffer) perChannel.set(slot, (buffer = resolveBuffer(subject(), this.d.catalog.rules)))
    return buffer
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
    const buffer = this.buffer(channel, productId, this.d.salesPerDay().get(productId) ?? 0)
    const last = this.lastPub
    let pub: PublishedQuantity
    if (
      last !== null &&
      last.productId === productId &&
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
        productId,
        stock,
        basis: channel.basis,
        pending,
        buffer: buffer.buffer,
        maxPublished: channel.maxPublished,
        zeroBelow: channel.zeroBelow,
        pub,
      }
    }
    return new Desired(
      productId,
      planListingCommand(pub.quantity, channel.zeroAction, lastAction),
      pub,
      buffer,
    )
  }
}
