// What the bol.com simulator holds: offers (with the stock bol corrects for open orders), orders and their
// items, and the process statuses of offer updates accepted with 202, done after bol's processing time.
import { randomUUID } from 'node:crypto'
import type { SimTime } from '../../kit'
import type { BolSimOffer } from './types'

export interface Offer {
  offerId: string
  ean: string
  reference: string | undefined
  amount: number
  onHold: boolean
  managedByRetailer: boolean
  fulfilment: 'FBR' | 'FBB'
  /** Units ordered since the last stock update (what bol subtracts when managedByRetailer is true). */
  orderedSinceUpdate: number
  updatedAt: number
}

export interface OrderItem {
  orderItemId: string
  offerId: string
  ean: string
  quantity: number
  quantityShipped: number
  quantityCancelled: number
  unitPrice: number
  changedAt: number
  /** The offer's fulfilment method when the order was placed. */
  fulfilment: 'FBR' | 'FBB'
  /** Answered as null (the spec allows it): the item's latestChangedDateTime. */
  changedHidden?: boolean
}

export interface Order {
  orderId: string
  placedAt: number
  /** Answered as null (the spec allows it): the order's orderPlacedDateTime. */
  placedHidden?: boolean
  items: OrderItem[]
}

export interface ProcessStatus {
  offerId: string
  doneAt: number
  createdAt: number
  apply: () => void
  done: boolean
}

export class BolState {
  readonly offers = new Map<string, Offer>()
  readonly orders = new Map<string, Order>()
  readonly statuses = new Map<string, ProcessStatus>()
  /** Numbers orders and process statuses. */
  seq = 0

  constructor(readonly time: SimTime) {}

  /** Process statuses whose time has come are applied. */
  tick(): void {
    const now = this.time.now()
    for (const s of this.statuses.values())
      if (!s.done && s.doneAt <= now) {
        s.apply()
        s.done = true
      }
  }

  /** The stock buyers can order: the amount less open order units (or units ordered since the last update). */
  correctedStock(o: Offer): number {
    const open = [...this.orders.values()]
      .flatMap((ord) => ord.items)
      .filter((it) => it.offerId === o.offerId)
      .reduce((s, it) => s + Math.max(0, it.quantity - it.quantityShipped - it.quantityCancelled), 0)
    return Math.max(0, o.amount - (o.managedByRetailer ? o.orderedSinceUpdate : open))
  }

  setOffers(list: BolSimOffer[]): string[] {
    return list.map((o) => {
      const offerId = o.offerId ?? randomUUID()
      this.offers.set(offerId, {
        offerId,
        ean: o.ean,
        reference: o.reference,
        amount: o.amount,
        onHold: o.onHoldByRetailer ?? false,
        managedByRetailer: false,
        fulfilment: o.fulfilment ?? 'FBR',
        orderedSinceUpdate: 0,
        updatedAt: this.time.now(),
      })
      return offerId
    })
  }

  placeOrder(items: { offerId: string; quantity: number; unitPrice?: number }[]): string {
    const orderId = String(1_000_000_000 + ++this.seq)
    const now = this.time.now()
    this.orders.set(orderId, {
      orderId,
      placedAt: now,
      items: items.map((it, i) => {
        const offer = this.offers.get(it.offerId)
        if (!offer) throw new Error(`bol simulator: no offer ${it.offerId}`)
        // An FBB order ships from bol.com's stock: the retailer's own amount is not touched.
        if (offer.fulfilment === 'FBR') offer.orderedSinceUpdate += it.quantity
        return {
          orderItemId: `${orderId}${i}`,
          offerId: it.offerId,
          ean: offer.ean,
          quantity: it.quantity,
          quantityShipped: 0,
          quantityCancelled: 0,
          unitPrice: it.unitPrice ?? 19.99,
          changedAt: now,
          fulfilment: offer.fulfilment,
        }
      }),
    })
    return orderId
  }

  cancelItem(orderId: string, itemIndex: number, quantity?: number): void {
    const o = this.orders.get(orderId)
    const it = o?.items[itemIndex]
    if (!o || !it) throw new Error(`bol simulator: no item ${itemIndex} in order ${orderId}`)
    it.quantityCancelled = Math.min(it.quantity, it.quantityCancelled + (quantity ?? it.quantity))
    it.changedAt = this.bump(o)
  }

  shipOrder(orderId: string): void {
    const o = this.orders.get(orderId)
    if (!o) throw new Error(`bol simulator: no order ${orderId}`)
    const t = this.bump(o)
    for (const it of o.items) {
      it.quantityShipped = it.quantity - it.quantityCancelled
      it.changedAt = t
    }
  }

  /** A change time after every item's last change (the order's change moves forward). */
  private bump(o: Order): number {
    return this.time.after(Math.max(...o.items.map((it) => it.changedAt)))
  }
}
