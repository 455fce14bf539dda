// Provisional units held on Amazon seller-fulfilled listings from their quantity events (schema 11,
// main/core/orders/mfn-quantity.ts), and what the rule reads: the figures LastUnit sent the listing and the
// Amazon orders of it already recorded.
import type { Database } from 'better-sqlite3'
import type { MfnBaseline, MfnHold, MfnOrderUnits } from '../../../core/orders/mfn-quantity'
import { statement } from '../statement'

export interface MfnHoldRow extends MfnHold {
  channelId: string
  listingId: string
  productId: number | null
}

interface Raw {
  channel_id: string
  listing_id: string
  product_id: number | null
  units: number
  event_at: number
  held_at: number
  since_at: number
}

const toRow = (r: Raw): MfnHoldRow => ({
  channelId: r.channel_id,
  listingId: r.listing_id,
  productId: r.product_id,
  units: r.units,
  eventAt: r.event_at,
  heldAt: r.held_at,
  since: r.since_at,
})

export function mfnHold(db: Database, channelId: string, listingId: string): MfnHoldRow | null {
  const r = statement(db, 'SELECT * FROM mfn_holds WHERE channel_id = ? AND listing_id = ?').get(
    channelId,
    listingId,
  ) as Raw | undefined
  return r ? toRow(r) : null
}

export function saveMfnHold(db: Database, h: MfnHoldRow): void {
  statement(
    db,
    `INSERT INTO mfn_holds (channel_id, listing_id, product_id, units, event_at, held_at, since_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (channel_id, listing_id) DO UPDATE SET product_id = excluded.product_id, units = excluded.units,
       event_at = excluded.event_at, held_at = excluded.held_at, since_at = excluded.since_at`,
  ).run(h.channelId, h.listingId, h.productId, h.units, h.eventAt, h.heldAt, h.since)
}

/** The channel's holds with units, raised before `before` (ms). */
export function mfnHoldsBefore(db: Database, channelId: string, before: number): MfnHoldRow[] {
  return (
    statement(db, 'SELECT * FROM mfn_holds WHERE channel_id = ? AND units > 0 AND held_at < ?').all(
      channelId,
      before,
    ) as Raw[]
  ).map(toRow)
}

/** Held units per product (added to the orders' pending units). */
export function mfnHeldByProduct(db: Database): Map<number, number> {
  const rows = statement(
    db,
    'SELECT product_id AS p, sum(units) AS n FROM mfn_holds WHERE units > 0 AND product_id IS NOT NULL GROUP BY product_id',
  ).all() as Array<{ p: number; n: number }>
  return new Map(rows.map((r) => [r.p, r.n]))
}

/**
 * The figures LastUnit sent the listing that Amazon may show: the last one it confirmed (applied by its
 * confirmation) and one sent since and not yet confirmed (in flight). A pause or a figure never sent: none.
 */
export function mfnBaselines(db: Database, channelId: string, listingId: string): MfnBaseline[] {
  const r = statement(
    db,
    'SELECT status, quantity, sent_at, confirmed_at, applied_quantity FROM push_state WHERE channel_id = ? AND listing_id = ?',
  ).get(channelId, listingId) as
    | {
        status: string
        quantity: number | null
        sent_at: number | null
        confirmed_at: number | null
        applied_quantity: number | null
      }
    | undefined
  if (!r) return []
  const out: MfnBaseline[] = []
  if (r.applied_quantity !== null)
    out.push({ quantity: r.applied_quantity, appliedBy: r.confirmed_at ?? r.sent_at ?? 0 })
  if ((r.status === 'sent' || r.status === 'accepted') && r.quantity !== null)
    out.push({ quantity: r.quantity, appliedBy: null })
  return out
}

/** The channel's recorded orders of the listing: when each was placed and its units still ordered. */
export function ordersOfListing(db: Database, channelId: string, listingId: string): MfnOrderUnits[] {
  return (
    statement(
      db,
      `SELECT o.created_at AS at, sum(max(0, l.quantity - l.cancelled_quantity)) AS n
       FROM order_lines l JOIN orders o ON o.channel_id = l.channel_id AND o.order_id = l.order_id
       WHERE l.channel_id = ? AND l.listing_id = ? GROUP BY o.order_id`,
    ).all(channelId, listingId) as Array<{ at: string; n: number }>
  ).map((r) => ({ placedAt: Date.parse(r.at), units: r.n }))
}
