// What the simulated shop holds: products, variable products and their variations (one id space, as
// WordPress posts), orders with their lines and refunds, and the variations whose writes are lost.
import type { SimTime } from '../../kit'
import type { WooSimProductInput } from './types'

export interface SimItem {
  id: number
  parent_id: number
  name: string
  type: 'simple' | 'variable' | 'variation'
  sku: string
  status: string
  manage_stock: boolean
  stock_quantity: number | null
  backorders: string
  gtin: string
  option: string
  variations: number[]
}

export interface SimOrder {
  id: number
  status: string
  created: number
  modified: number
  refunds: { id: number; lineId: number; quantity: number; total: string }[]
  lines: {
    id: number
    product_id: number
    variation_id: number
    sku: string
    quantity: number
    price: string
  }[]
}

/** Woo's stock_status: out of stock when it manages stock, has none left and takes no backorders. */
export const stockStatus = (i: SimItem) =>
  i.manage_stock && (i.stock_quantity ?? 0) <= 0 && i.backorders === 'no' ? 'outofstock' : 'instock'

/** The adapter's listing id: "12" for a product, "12/34" for a variation. */
export const listingIdOf = (i: SimItem) => (i.type === 'variation' ? `${i.parent_id}/${i.id}` : String(i.id))

/** What buyers see as the quantity: managed stock, 0 when stock is not managed. */
export const probeQuantity = (i: SimItem) => (i.manage_stock ? Math.max(0, i.stock_quantity ?? 0) : 0)

export class WooState {
  readonly items = new Map<number, SimItem>()
  readonly orders: SimOrder[] = []
  /** Items whose writes are answered but not stored (woocommerce#36595). */
  readonly ignored = new Set<number>()
  /** Post ids (products, variations, orders, refunds, line items). */
  seq = 10

  constructor(private readonly time: SimTime) {}

  byListing(id: string): SimItem | undefined {
    const m = /^(\d+)(?:\/(\d+))?$/.exec(id)
    return m ? this.items.get(Number(m[2] ?? m[1])) : undefined
  }

  /** Published itself and, for a variation, its parent too. */
  published(i: SimItem): boolean {
    return (
      i.status === 'publish' && (i.type !== 'variation' || this.items.get(i.parent_id)?.status === 'publish')
    )
  }

  orderOf(id: number): SimOrder | undefined {
    return this.orders.find((x) => x.id === id)
  }

  addProducts(list: WooSimProductInput[]): string[] {
    const ids: string[] = []
    for (const p of list) {
      const id = this.seq++
      const variable = (p.variations?.length ?? 0) > 0
      const parent: SimItem = {
        id,
        parent_id: 0,
        name: p.name,
        type: variable ? 'variable' : 'simple',
        sku: p.sku,
        status: p.status ?? 'publish',
        manage_stock: variable ? false : (p.manageStock ?? true),
        stock_quantity: variable ? null : (p.stock ?? 0),
        backorders: 'no',
        gtin: p.gtin ?? '',
        option: '',
        variations: [],
      }
      this.items.set(id, parent)
      if (!variable) ids.push(String(id))
      for (const v of p.variations ?? []) {
        const vid = this.seq++
        this.items.set(vid, {
          id: vid,
          parent_id: id,
          name: p.name,
          type: 'variation',
          sku: v.sku,
          status: 'publish',
          manage_stock: v.manageStock ?? true,
          stock_quantity: v.stock ?? 0,
          backorders: 'no',
          gtin: '',
          option: v.option,
          variations: [],
        })
        parent.variations.push(vid)
        ids.push(`${id}/${vid}`)
      }
    }
    return ids
  }

  placeOrder(lines: { listingId: string; quantity: number }[]): number {
    const now = this.time.now()
    const o: SimOrder = {
      id: this.seq++,
      status: 'processing',
      created: now,
      modified: now,
      refunds: [],
      lines: lines.map((l) => {
        const i = this.byListing(l.listingId)
        if (!i) throw new Error(`WooCommerce simulator: no listing ${l.listingId}`)
        if (i.manage_stock) i.stock_quantity = (i.stock_quantity ?? 0) - l.quantity
        return {
          id: this.seq++,
          product_id: i.type === 'variation' ? i.parent_id : i.id,
          variation_id: i.type === 'variation' ? i.id : 0,
          sku: i.sku,
          quantity: l.quantity,
          price: '24.50',
        }
      }),
    }
    this.orders.push(o)
    return o.id
  }

  setOrderStatus(id: number, status: string): void {
    const o = this.orderOf(id)
    if (!o) throw new Error(`WooCommerce simulator: no order ${id}`)
    if (status === 'cancelled' && o.status !== 'cancelled')
      for (const l of o.lines) {
        const i = this.items.get(l.variation_id || l.product_id)
        if (i?.manage_stock) i.stock_quantity = (i.stock_quantity ?? 0) + l.quantity
      }
    o.status = status
    o.modified = this.time.now()
  }

  refundUnits(id: number, lineIndex: number, count: number): void {
    const o = this.orderOf(id)
    const line = o?.lines[lineIndex]
    if (!o || !line) throw new Error(`WooCommerce simulator: no line ${lineIndex} in order ${id}`)
    o.refunds.push({
      id: this.seq++,
      lineId: line.id,
      quantity: count,
      total: (Number(line.price) * count).toFixed(2),
    })
    const i = this.items.get(line.variation_id || line.product_id)
    if (i?.manage_stock) i.stock_quantity = (i.stock_quantity ?? 0) + count
    o.modified = this.time.now()
  }
}
