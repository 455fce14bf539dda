// The fault campaign's account of a listing that received a figure out of order: what the bench knew (the
// truth over time, every figure each channel received, the orders placed and when Odoo confirmed them) next
// to what the engine recorded (when it saw each order, when it counted Odoo's reservation, the figures it
// queued with their explanation, the pending units it released, its restarts). Read from the engine's
// database after the last run, so a failing campaign explains itself without a second run.
import Database from 'better-sqlite3'
import type { ReceivedSend, TruthStep } from '../main/sandbox/fault-campaign/send-order'

export interface PostMortemInput {
  productId: number
  direction: 'rising' | 'falling'
  truth: readonly TruthStep[]
  /** channel id -> the product's listing there and what it received. */
  sends: ReadonlyMap<string, { listingId: string; received: readonly ReceivedSend[] }>
  orders: ReadonlyArray<{ channelId: string; orderId: string; quantity: number; at: number }>
  /** client_order_ref -> when the bench first saw the sale order confirmed in Odoo. */
  confirmedAt: (channelId: string, orderId: string) => number | undefined
  dbFile: string
}

const clock = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '-' : new Date(ms).toISOString().slice(11, 23)

export function postMortem(x: PostMortemInput): string[] {
  const out: string[] = [`post-mortem of product ${x.productId} (${x.direction} truth)`]
  out.push(`  truth: ${x.truth.map((s) => `${clock(s.at)} ${s.value}`).join(' | ')}`)
  let from = Number.POSITIVE_INFINITY
  let to = 0
  for (const [channelId, s] of x.sends) {
    out.push(
      `  ${channelId}/${s.listingId} received: ${s.received.map((r) => `${clock(r.at)} ${r.value}`).join(' | ')}`,
    )
    for (const r of s.received) {
      from = Math.min(from, r.at)
      to = Math.max(to, r.at)
    }
  }
  for (const o of x.orders)
    out.push(
      `  order ${o.channelId} ${o.orderId} x${o.quantity}: placed ${clock(o.at)}, confirmed in Odoo by ${clock(x.confirmedAt(o.channelId, o.orderId))}`,
    )
  const db = new Database(x.dbFile, { readonly: true, fileMustExist: true })
  try {
    const seen = db
      .prepare(
        `SELECT o.channel_id, o.order_id, o.seen_at, o.reserved_in_odoo_at, o.import_state, l.quantity, l.pending_quantity
         FROM order_lines l JOIN orders o ON o.channel_id = l.channel_id AND o.order_id = l.order_id
         WHERE l.product_id = ? ORDER BY o.seen_at`,
      )
      .all(x.productId) as Array<{
      channel_id: string
      order_id: string
      seen_at: number
      reserved_in_odoo_at: number | null
      import_state: string
      quantity: number
      pending_quantity: number
    }>
    for (const o of seen)
      out.push(
        `  engine order ${o.channel_id} ${o.order_id} x${o.quantity}: seen ${clock(o.seen_at)}, reservation counted ${clock(o.reserved_in_odoo_at)}, ${o.import_state}, ${o.pending_quantity} still pending`,
      )
    // The window around the figures received, with the engine's restarts in it.
    const lines = db
      .prepare(
        `SELECT at, kind, channel_id, status, message FROM sync_log
         WHERE at BETWEEN ? AND ? AND (product_id = ? OR (kind = 'engine' AND message LIKE 'engine starting%'))
         ORDER BY id`,
      )
      .all(from - 60_000, to + 5_000, x.productId) as Array<{
      at: number
      kind: string
      channel_id: string | null
      status: string | null
      message: string
    }>
    for (const l of lines)
      out.push(
        `  engine ${clock(l.at)} ${l.kind}${l.status ? `/${l.status}` : ''}${l.channel_id ? ` ${l.channel_id}` : ''}: ${l.message}`,
      )
  } finally {
    db.close()
  }
  return out
}
