// Which products a plan sold out: a listing that was set to show units now shows none (the sellable units
// reached 0, or the listing's buffer). The order intake then burst-polls the other channels listing them
// (orders/burst-polls.ts), since they may have sold the same last units before they were lowered.
import type { Database } from 'better-sqlite3'
import { getOutboxRow } from '../db/repos/outbox'
import { getPushState } from '../db/repos/push-state'
import type { Catalog } from './catalog'
import type { Planner } from './planner'

/** Per product, the figure each of its listings is set to show (queued, else last sent); 0 for a pause. */
export type ListingFigures = Map<number, Array<number | null>>

export function listingFigures(db: Database, catalog: Catalog, productIds: Iterable<number>): ListingFigures {
  const out: ListingFigures = new Map()
  for (const p of productIds) {
    const listings = catalog.listingsByProduct.get(p)
    if (!listings) continue
    out.set(
      p,
      listings.map(({ channelId, listingId }) => {
        const queued = getOutboxRow(db, channelId, listingId)
        if (queued) return queued.action === 'pause' ? 0 : queued.quantity
        const sent = getPushState(db, channelId, listingId)
        if (!sent || sent.quantity === null) return null
        return sent.action === 'pause' ? 0 : sent.quantity
      }),
    )
  }
  return out
}

/** The products with a listing that showed units before and shows none after (same listings, same order). */
export function soldOut(before: ListingFigures, after: ListingFigures): Set<number> {
  const out = new Set<number>()
  for (const [p, was] of before) {
    const now = after.get(p)
    if (!now || now.length !== was.length) continue
    if (was.some((q, i) => q !== null && q > 0 && now[i] === 0)) out.add(p)
  }
  return out
}

/** Plans the products an order lowered, in one transaction: what was queued, and the products sold out. */
export function planLowered(
  db: Database,
  catalog: Catalog,
  planner: Planner,
  ids: ReadonlySet<number>,
): { queued: Map<string, number>; sold: ReadonlySet<number> } {
  return db.transaction(() => {
    const before = listingFigures(db, catalog, ids)
    const queued = planner.plan(ids)
    return { queued, sold: soldOut(before, listingFigures(db, catalog, ids)) }
  })()
}
