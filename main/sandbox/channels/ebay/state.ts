// What the eBay simulator holds: inventory items (ship-to-home quantity) with one fixed-price offer each,
// each listing's revisions today (eBay blocks the 251st), and buyer orders.
import type { SimTime } from '../../kit'
import type { EbaySimListing } from './types'

export interface Item {
  sku: string
  title: string
  ean: string
  shipTo: number
}

export interface Offer {
  offerId: string
  sku: string
  listingId: string
  available: number
  published: boolean
  revDay: number
  revisions: number
}

export interface Order {
  orderId: string
  created: number
  modified: number
  fulfillment: 'NOT_STARTED' | 'IN_PROGRESS' | 'FULFILLED'
  cancelState: 'NONE_REQUESTED' | 'IN_PROGRESS' | 'CANCELED'
  lines: {
    lineItemId: string
    sku: string
    legacyItemId: string
    title: string
    quantity: number
    price: number
  }[]
}

export class EbayState {
  readonly items = new Map<string, Item>()
  readonly offers = new Map<string, Offer>()
  readonly orders = new Map<string, Order>()
  /** Numbers offers, listings, orders and line items. */
  private seq = 0
  private readonly dayMs: number

  constructor(
    readonly time: SimTime,
    readonly maxRevisions: number,
  ) {
    this.dayMs = time.scaled(86_400_000)
  }

  /** eBay's calendar day on the scaled clock. */
  day(): number {
    return Math.floor(this.time.now() / this.dayMs)
  }

  offerOfSku(sku: string): Offer | undefined {
    return [...this.offers.values()].find((o) => o.sku === sku)
  }

  /** What buyers can buy: the smaller of ship-to-home and the offer's quantity. */
  liveQuantity(sku: string): number | undefined {
    const item = this.items.get(sku)
    const o = this.offerOfSku(sku)
    return item && o ? Math.min(item.shipTo, o.available) : undefined
  }

  /** Counts a revision of a published listing; false when it has used today's. */
  revise(o: Offer): boolean {
    if (!o.published) return true
    this.newDay(o)
    if (o.revisions >= this.maxRevisions) return false
    o.revisions++
    return true
  }

  setListings(list: EbaySimListing[]): string[] {
    return list.map((l) => {
      this.items.set(l.sku, {
        sku: l.sku,
        title: l.title ?? `Product ${l.sku}`,
        ean: l.ean ?? String(4000000000000 + this.items.size),
        shipTo: l.quantity,
      })
      const offerId = String(9_000_000_000 + ++this.seq)
      this.offers.set(offerId, {
        offerId,
        sku: l.sku,
        listingId: String(110_000_000_000 + this.seq),
        available: l.quantity,
        published: l.published ?? true,
        revDay: this.day(),
        revisions: 0,
      })
      return offerId
    })
  }

  listing(sku: string) {
    const item = this.items.get(sku)
    const o = this.offerOfSku(sku)
    if (!item || !o) return undefined
    this.newDay(o)
    return {
      live: Math.min(item.shipTo, o.available),
      shipTo: item.shipTo,
      available: o.available,
      published: o.published,
      revisionsToday: o.revisions,
    }
  }

  placeOrder(lines: { sku: string; quantity: number; price?: number }[]): string {
    const orderId = `${String(10 + (this.seq % 89)).padStart(2, '0')}-${String(10_000 + ++this.seq).padStart(5, '0')}-${String(this.seq * 31).padStart(5, '0')}`
    const now = this.time.now()
    this.orders.set(orderId, {
      orderId,
      created: now,
      modified: now,
      fulfillment: 'NOT_STARTED',
      cancelState: 'NONE_REQUESTED',
      lines: lines.map((l, i) => {
        const item = this.items.get(l.sku)
        const o = this.offerOfSku(l.sku)
        if (item) item.shipTo = Math.max(0, item.shipTo - l.quantity)
        if (o) o.available = Math.max(0, o.available - l.quantity)
        return {
          lineItemId: `${10_000_000_000 + this.seq * 10 + i}`,
          sku: l.sku,
          legacyItemId: o?.listingId ?? '0',
          title: item?.title ?? l.sku,
          quantity: l.quantity,
          price: l.price ?? 24.99,
        }
      }),
    })
    return orderId
  }

  cancelOrder(id: string): void {
    const o = this.orderOf(id)
    o.cancelState = 'CANCELED'
    this.touch(o)
  }

  requestCancel(id: string): void {
    const o = this.orderOf(id)
    o.cancelState = 'IN_PROGRESS'
    this.touch(o)
  }

  shipOrder(id: string): void {
    const o = this.orderOf(id)
    o.fulfillment = 'FULFILLED'
    this.touch(o)
  }

  /** A listing's revision count starts again on a new day. */
  private newDay(o: Offer): void {
    if (o.revDay !== this.day()) {
      o.revDay = this.day()
      o.revisions = 0
    }
  }

  private orderOf(id: string): Order {
    const o = this.orders.get(id)
    if (!o) throw new Error(`eBay simulator: no order ${id}`)
    return o
  }

  private touch(o: Order): void {
    o.modified = this.time.after(o.modified)
  }
}
