// What the simulated shop holds: products and their variants (with inventory levels per location), the
// locations, orders with their line items, and the answers kept for @idempotent keys.
import type { SimTime } from '../../kit'
import type { ShopifySimProductInput } from './types'

export interface SimVariant {
  id: number
  productId: number
  sku: string
  barcode: string | null
  title: string
  inventoryItemId: number
  levels: Map<string, number>
}

export interface SimOrder {
  id: number
  name: string
  created: number
  updated: number
  cancelledAt: number | null
  lines: { id: number; variantId: number; sku: string; quantity: number; current: number; price: string }[]
}

/** The number in a GID of `type` ("gid://shopify/Product/12" is 12), undefined for anything else. */
export const gidNum = (gid: unknown, type: string): number | undefined => {
  const m = typeof gid === 'string' ? new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(gid) : null
  return m ? Number(m[1]) : undefined
}

export class ShopifyState {
  readonly locations = [
    { id: 'gid://shopify/Location/9001', name: 'Old warehouse', isActive: false },
    { id: 'gid://shopify/Location/9002', name: 'Main warehouse', isActive: true },
  ]
  readonly mainLocation = 'gid://shopify/Location/9002'
  readonly products = new Map<number, { id: number; title: string; status: string }>()
  readonly variants = new Map<number, SimVariant>()
  readonly byInventoryItem = new Map<number, SimVariant>()
  readonly orders: SimOrder[] = []
  readonly idempotency = new Map<string, { input: string; response: unknown }>()
  /** Ids of everything the shop creates (products, variants, orders, adjustment groups). */
  seq = 1000

  constructor(private readonly time: SimTime) {}

  variantOf(gid: string): SimVariant | undefined {
    return this.variants.get(gidNum(gid, 'ProductVariant') ?? -1)
  }

  orderOf(gid: unknown): SimOrder | undefined {
    return this.orders.find((x) => `gid://shopify/Order/${x.id}` === gid)
  }

  setProducts(list: ShopifySimProductInput[]): string[] {
    this.products.clear()
    this.variants.clear()
    this.byInventoryItem.clear()
    const ids: string[] = []
    for (const p of list) {
      const pid = this.seq++
      this.products.set(pid, { id: pid, title: p.title, status: p.status ?? 'ACTIVE' })
      p.variants.forEach((v, i) => {
        const vid = this.seq++
        const variant: SimVariant = {
          id: vid,
          productId: pid,
          sku: v.sku,
          barcode: v.barcode ?? null,
          title: v.title ?? (p.variants.length === 1 ? 'Default Title' : `Size ${i + 1}`),
          inventoryItemId: this.seq++,
          levels: new Map(v.stocked === false ? [] : [[this.mainLocation, v.available ?? 0]]),
        }
        this.variants.set(vid, variant)
        this.byInventoryItem.set(variant.inventoryItemId, variant)
        ids.push(`gid://shopify/ProductVariant/${vid}`)
      })
    }
    return ids
  }

  placeOrder(lines: { variantId: string; quantity: number }[]): string {
    const now = this.time.now()
    const o: SimOrder = {
      id: this.seq++,
      name: `#${1000 + this.orders.length + 1}`,
      created: now,
      updated: now,
      cancelledAt: null,
      lines: lines.map((l) => {
        const v = this.variantOf(l.variantId)
        if (!v) throw new Error(`Shopify simulator: no variant ${l.variantId}`)
        v.levels.set(this.mainLocation, (v.levels.get(this.mainLocation) ?? 0) - l.quantity)
        return {
          id: this.seq++,
          variantId: v.id,
          sku: v.sku,
          quantity: l.quantity,
          current: l.quantity,
          price: '19.90',
        }
      }),
    }
    this.orders.push(o)
    return `gid://shopify/Order/${o.id}`
  }

  cancelOrder(gid: string): void {
    const o = this.orderOf(gid)
    if (!o) throw new Error(`Shopify simulator: no order ${gid}`)
    o.cancelledAt = this.time.now()
    o.updated = this.time.now()
    for (const l of o.lines) l.current = 0
  }

  removeUnits(gid: string, lineIndex: number, count: number): void {
    const o = this.orderOf(gid)
    const l = o?.lines[lineIndex]
    if (!o || !l) throw new Error(`Shopify simulator: no line ${lineIndex} in ${gid}`)
    l.current = Math.max(0, l.current - count)
    o.updated = this.time.now()
  }
}
