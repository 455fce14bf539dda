// What the Amazon simulator holds: the seller's listings, patches waiting for their apply delay, uploaded
// documents, feeds in their processing order, and buyer orders. Time passes only when someone looks (tick).
import type { SimTime } from '../../kit'
import { processFeed } from './feeds'
import type { AmazonSimListing, AmazonSimOrderInput } from './types'

export interface SimOrder {
  orderId: string
  createdTime: number
  lastUpdatedTime: number
  status: 'UNSHIPPED' | 'SHIPPED' | 'CANCELLED'
  fulfilledBy: 'MERCHANT' | 'AMAZON'
  items: {
    orderItemId: string
    sku: string
    asin: string
    title: string
    quantity: number
    unitPrice: number
    cancelled: boolean
  }[]
}

export interface Listing extends Required<AmazonSimListing> {
  createdAt: number
  updatedAt: number
}

export interface Feed {
  feedId: string
  inputDocumentId: string
  createdAt: number
  doneAt: number
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'FATAL'
  resultDocumentId?: string
}

export class AmazonState {
  readonly listings = new Map<string, Listing>()
  readonly pending = new Map<string, { quantity: number; dueAt: number }>()
  /** Feed documents: an upload URL works until `expiresAt` (the spec: "This URL expires after 5 minutes"). */
  readonly documents = new Map<string, { body?: Buffer; contentType: string; expiresAt?: number }>()
  readonly feeds = new Map<string, Feed>()
  readonly orders = new Map<string, SimOrder>()
  /** Numbers feeds and orders. */
  seq = 0
  /** A seller-fulfilled listing's quantity changed (an order, a quantity applied): Amazon's MFN quantity event. */
  onQuantityChange: ((sku: string, quantity: number) => void) | null = null

  constructor(
    readonly time: SimTime,
    readonly sellerId: string,
    readonly gzipReports: boolean,
  ) {}

  applyQuantity(sku: string, quantity: number): void {
    const l = this.listings.get(sku)
    if (!l) return
    const changed = l.quantity !== quantity
    l.quantity = quantity
    l.updatedAt = this.time.now()
    if (changed && l.fulfillmentChannelCode === 'DEFAULT') this.onQuantityChange?.(sku, quantity)
  }

  /** Time passes only when someone looks: apply what is due, advance feeds. */
  tick(): void {
    const now = this.time.now()
    for (const [sku, p] of this.pending)
      if (p.dueAt <= now) {
        this.applyQuantity(sku, p.quantity)
        this.pending.delete(sku)
      }
    // Feeds of one seller are processed one after another, in order of submission.
    for (const feed of [...this.feeds.values()].sort((a, b) => a.createdAt - b.createdAt)) {
      if (feed.status === 'DONE' || feed.status === 'FATAL') continue
      if (now >= feed.doneAt) processFeed(this, feed)
      else if (now >= feed.createdAt + (feed.doneAt - feed.createdAt) / 3) feed.status = 'IN_PROGRESS'
      else break
    }
  }

  setListings(list: AmazonSimListing[]): void {
    for (const l of list)
      this.listings.set(l.sku, {
        sku: l.sku,
        quantity: l.quantity,
        asin: l.asin ?? `B0${(this.listings.size + 1).toString(36).toUpperCase().padStart(8, '0')}`,
        title: l.title ?? `Product ${l.sku}`,
        productType: l.productType ?? 'PRODUCT',
        fulfillmentChannelCode: l.fulfillmentChannelCode ?? 'DEFAULT',
        createdAt: this.time.now(),
        updatedAt: this.time.now(),
      })
  }

  placeOrder(input: AmazonSimOrderInput): string {
    const orderId =
      input.orderId ??
      `302-${String(1_000_000 + ++this.seq).padStart(7, '0')}-${String(this.seq * 7919).padStart(7, '0')}`
    const now = this.time.now()
    const order: SimOrder = {
      orderId,
      createdTime: now,
      lastUpdatedTime: now,
      status: 'UNSHIPPED',
      fulfilledBy: input.fulfilledBy ?? 'MERCHANT',
      items: input.items.map((it, i) => {
        const l = this.listings.get(it.sku)
        // An FBA order ships from Amazon's stock: the seller's own quantity stays.
        if (l && input.fulfilledBy !== 'AMAZON') {
          const before = l.quantity
          l.quantity = Math.max(0, l.quantity - it.quantity)
          if (l.quantity !== before && l.fulfillmentChannelCode === 'DEFAULT')
            this.onQuantityChange?.(l.sku, l.quantity)
        }
        return {
          orderItemId: `${orderId.replace(/-/g, '')}${i + 1}`,
          sku: it.sku,
          asin: l?.asin ?? 'B000000000',
          title: l?.title ?? it.sku,
          quantity: it.quantity,
          unitPrice: it.unitPrice ?? 19.99,
          cancelled: false,
        }
      }),
    }
    this.orders.set(orderId, order)
    return orderId
  }

  cancelOrder(orderId: string, itemIndex?: number): void {
    const o = this.orderOf(orderId)
    if (itemIndex === undefined) o.status = 'CANCELLED'
    else {
      const it = o.items[itemIndex]
      if (!it) throw new Error(`Amazon simulator: order ${orderId} has no item ${itemIndex}`)
      it.cancelled = true
      if (o.items.every((x) => x.cancelled)) o.status = 'CANCELLED'
    }
    this.touch(o)
  }

  shipOrder(orderId: string): void {
    const o = this.orderOf(orderId)
    o.status = 'SHIPPED'
    this.touch(o)
  }

  private orderOf(orderId: string): SimOrder {
    const o = this.orders.get(orderId)
    if (!o) throw new Error(`Amazon simulator: no order ${orderId}`)
    return o
  }

  /** Order timestamps must move forward even when the clock has not. */
  private touch(o: SimOrder): void {
    o.lastUpdatedTime = this.time.after(o.lastUpdatedTime)
  }
}
