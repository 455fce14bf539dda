// WooCommerce's stock records (products and variations) as the REST API returns them, and how a listing id
// groups them: simple products together, variations per parent product.
import type { WooListingRef } from './woocommerce-listing-id'

export interface WooStockRecord {
  id: number
  parent_id?: number
  name?: string
  type?: string
  status: string
  sku: string
  manage_stock: boolean | 'parent'
  stock_quantity: number | null
  attributes?: { name: string; option: string }[]
  variations?: number[]
  /** Only on products: the GTIN field of recent versions. */
  global_unique_id?: string
}

/** Groups by parent product: undefined collects simple products (/products), a number its variations. */
export function byParent<T extends { ref: WooListingRef }>(items: T[]): Map<number | undefined, T[]> {
  const groups = new Map<number | undefined, T[]>()
  for (const s of items) {
    const key = s.ref.variationId === undefined ? undefined : s.ref.productId
    groups.set(key, [...(groups.get(key) ?? []), s])
  }
  return groups
}

/** The path of a group's records: /products, or /products/{parent}/variations. */
export const groupPath = (parent: number | undefined): string =>
  parent === undefined ? '/products' : `/products/${parent}/variations`
