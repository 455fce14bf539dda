// Reads stock from Odoo for a set of products over every location scope in use, and returns the moment
// the read started: pending reservations confirmed in Odoo before that moment are included in it.
import type { OdooGateway, ProductStock } from '../../core/ports/odoo-gateway'

/** Larger sets are read without a product filter (one grouped read of everything). */
const FILTER_LIMIT = 2000

export async function readStock(
  odoo: OdooGateway,
  scopes: ReadonlyMap<string, number[]>,
  productIds: readonly number[] | 'all',
): Promise<Map<string, ProductStock[]>> {
  const out = new Map<string, ProductStock[]>()
  for (const [scope, locations] of scopes) {
    const ids = productIds === 'all' || productIds.length > FILTER_LIMIT ? undefined : [...productIds]
    out.set(scope, await odoo.stockByProduct(locations, ids))
  }
  return out
}
