// The late-commit sweep. Odoo stamps write_date with the START of a transaction, so a transaction that
// commits after the poll's overlap window (60 s) has gone by carries a write_date no incremental poll asks
// for any more: polling alone can never see it, however long the overlap. Every `lateCommitSweepMs` the
// engine reads the stock of every counted location in ONE grouped read (by product and location), sums it
// per location scope here and compares it with what is stored. Whatever differs was changed by a commit
// the poll did not see, and is stored and planned at once. An idle Odoo pays this one call per sweep.
import type { OdooLocation, ProductLocationStock, ProductStock } from '../../core/ports/odoo-gateway'
import type { StoredStock } from '../db/repos/stock'

/** Differences below this are float noise from Odoo's sums, not stock. */
const EPSILON = 1e-6

/**
 * Which scopes each location counts for: a location belongs to a scope when it lies in the subtree of one
 * of the scope's locations (children included, each counted once, as Odoo's `child_of` does).
 */
export function scopesByLocation(
  locations: readonly OdooLocation[],
  scopes: ReadonlyMap<string, readonly number[]>,
): Map<number, string[]> {
  const pathOf = new Map(locations.map((l) => [l.id, l.parentPath]))
  const roots = [...scopes].map(([scope, ids]) => ({
    scope,
    paths: ids.flatMap((id) => {
      const p = pathOf.get(id)
      return p ? [p] : []
    }),
  }))
  const out = new Map<number, string[]>()
  for (const l of locations) {
    const member = roots.filter((r) => r.paths.some((p) => l.parentPath.startsWith(p))).map((r) => r.scope)
    if (member.length > 0) out.set(l.id, member)
  }
  return out
}

/** Sums the sweep's rows per scope and product. Rows of locations in no scope are not counted. */
export function sumByScope(
  rows: readonly ProductLocationStock[],
  membership: ReadonlyMap<number, readonly string[]>,
): Map<string, Map<number, ProductStock>> {
  const out = new Map<string, Map<number, ProductStock>>()
  for (const r of rows)
    for (const scope of membership.get(r.locationId) ?? []) {
      let m = out.get(scope)
      if (!m) out.set(scope, (m = new Map()))
      const s = m.get(r.productId)
      if (s) {
        s.onHand += r.onHand
        s.reserved += r.reserved
      } else
        m.set(r.productId, { productId: r.productId, onHand: r.onHand, reserved: r.reserved, forecast: null })
    }
  return out
}

/** Locations in the sweep's answer that the tree does not know (created since it was read). */
export const unknownLocations = (
  rows: readonly ProductLocationStock[],
  locations: readonly OdooLocation[],
): number[] => {
  const known = new Set(locations.map((l) => l.id))
  return [...new Set(rows.map((r) => r.locationId))].filter((id) => !known.has(id))
}

/**
 * Products of `productIds` whose swept stock differs from the stored figure in any scope. A product with
 * no quant left in a scope has stock 0 there; a product never read in a scope counts as changed.
 */
export function changedProducts(
  productIds: Iterable<number>,
  scopes: Iterable<string>,
  swept: ReadonlyMap<string, ReadonlyMap<number, ProductStock>>,
  stored: ReadonlyMap<string, ReadonlyMap<number, StoredStock>>,
): number[] {
  const scopeList = [...scopes]
  const out: number[] = []
  for (const id of productIds)
    for (const scope of scopeList) {
      const now = swept.get(scope)?.get(id)
      const was = stored.get(scope)?.get(id)
      if (
        !was ||
        Math.abs((now?.onHand ?? 0) - was.onHand) > EPSILON ||
        Math.abs((now?.reserved ?? 0) - was.reserved) > EPSILON
      ) {
        out.push(id)
        break
      }
    }
  return out
}
