// Reads stock from Odoo for a set of products over every location scope in use, and returns the moment
// the read started: pending reservations confirmed in Odoo before that moment are included in it. Kits
// have no stock of their own in Odoo: asking for a kit reads the components its figure is made of.
import type { KitBook } from '../../core/stock/kit-book'
import type { OdooGateway, ProductStock } from '../../core/ports/odoo-gateway'

/** Larger sets are read without a product filter (one grouped read of everything). */
const FILTER_LIMIT = 2000

export async function readStock(
  odoo: OdooGateway,
  scopes: ReadonlyMap<string, number[]>,
  productIds: readonly number[] | 'all',
  kits?: KitBook,
): Promise<Map<string, ProductStock[]>> {
  const out = new Map<string, ProductStock[]>()
  const wanted = productIds === 'all' || !kits ? productIds : kits.toRead(productIds)
  for (const [scope, locations] of scopes) {
    const ids = wanted === 'all' || wanted.length > FILTER_LIMIT ? undefined : [...wanted]
    out.set(scope, await odoo.stockByProduct(locations, ids))
  }
  return out
}
