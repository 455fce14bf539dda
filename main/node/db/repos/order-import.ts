// SQLite side of the order import: each step of an order's way into Odoo is recorded before and after
// the Odoo call, so a fresh process knows exactly where an order stood. What was sent to Odoo (lines and
// revision) is kept in order_import_odoo, the retries of orders Odoo refused in order_import_retry
// (schema 6).
import type { Database } from 'better-sqlite3'
import type { ImportLine, OdooLine } from '../../../core/orders/order-rules'
import { statement } from '../statement'

export type ImportState =
  | 'new'
  | 'waiting_mapping'
  | 'creating'
  | 'created'
  | 'confirmed'
  | 'cancelling'
  | 'cancelled'
  | 'skipped'
  | 'failed'

export interface ImportOrder {
  channelId: string
  orderId: string
  status: string
  importState: ImportState
  odooOrderId: number | null
  reservedInOdooAt: number | null
  createdAt: string
  orderImport: boolean
  partnerId: number | null
  warehouseId: number | null
  /** 1 for the first sale order; raised each time a partial cancellation replaces it. */
  revision: number
  /** Lines of the live Odoo sale order (or the one being created); null when there is none. */
  sent: OdooLine[] | null
  cancelRef: string | null
  lastError: string | null
  /** Set while an order Odoo refused waits for, or goes through, its retries. */
  retry: ImportRetry | null
}

export interface ImportRetry {
  /** The import state the order was in when Odoo refused it; null for orders failed before retries existed. */
  resumeState: ImportState | null
  /** Refusals so far. */
  attempts: number
  firstFailedAt: number
  nextRetryAt: number
}

/** Orders that may still need a step: everything not in a final state, oldest first. */
const WORK_STATES = `('new', 'waiting_mapping', 'creating', 'created', 'cancelling')`

const SELECT_ORDER = `SELECT o.channel_id, o.order_id, o.status, o.import_state, o.odoo_order_id, o.reserved_in_odoo_at,
                o.created_at, o.last_error, c.order_import, c.odoo_partner_id, c.odoo_warehouse_id,
                i.revision, i.sent_lines, i.cancel_ref,
                r.resume_state, r.attempts, r.first_failed_at, r.next_retry_at
         FROM orders o JOIN channels c ON c.id = o.channel_id
         LEFT JOIN order_import_odoo i ON i.channel_id = o.channel_id AND i.order_id = o.order_id
         LEFT JOIN order_import_retry r ON r.channel_id = o.channel_id AND r.order_id = o.order_id`

/**
 * Oldest first across channels, so orders held back while Odoo was down go in as they came. An order known
 * only from a notification (provisional, schema 10) waits for the poll that reads its prices. With `now`,
 * orders Odoo refused whose retry is due (or that failed before retries existed) are included.
 */
export function pendingImports(db: Database, now?: number): ImportOrder[] {
  const rows = statement(
    db,
    `${SELECT_ORDER}
     WHERE o.provisional = 0 AND (o.import_state IN ${WORK_STATES}
        OR (o.import_state = 'failed' AND ? IS NOT NULL AND coalesce(r.next_retry_at, 0) <= ?)
        OR (o.import_state = 'confirmed' AND o.status <> 'shipped'
            AND (o.reserved_in_odoo_at IS NULL OR i.cancel_ref IS NOT NULL OR o.status <> 'open'
                 OR EXISTS (SELECT 1 FROM order_lines x WHERE x.channel_id = o.channel_id
                            AND x.order_id = o.order_id AND x.cancelled_quantity > 0))))
     ORDER BY o.created_at, o.seen_at, o.channel_id, o.order_id`,
  ).all(now ?? null, now ?? null) as Row[]
  return rows.map(toOrder)
}

export function getImportOrder(db: Database, channelId: string, orderId: string): ImportOrder | null {
  const r = statement(db, `${SELECT_ORDER} WHERE o.channel_id = ? AND o.order_id = ?`).get(
    channelId,
    orderId,
  ) as Row | undefined
  return r ? toOrder(r) : null
}

/**
 * Odoo refused the order for good: it is set aside as 'failed' with the error and the state to resume
 * from, and its next retry is due after `delayMs(attempts)`. Returns the retry as recorded.
 */
export function markImportFailed(
  db: Database,
  channelId: string,
  orderId: string,
  resumeState: ImportState,
  message: string,
  now: number,
  delayMs: (attempts: number) => number,
): ImportRetry {
  return db.transaction(() => {
    setImportState(db, channelId, orderId, 'failed', { lastError: message })
    const prev = statement(
      db,
      'SELECT attempts, first_failed_at FROM order_import_retry WHERE channel_id = ? AND order_id = ?',
    ).get(channelId, orderId) as { attempts: number; first_failed_at: number } | undefined
    const attempts = (prev?.attempts ?? 0) + 1
    const retry: ImportRetry = {
      resumeState,
      attempts,
      firstFailedAt: prev?.first_failed_at ?? now,
      nextRetryAt: now + delayMs(attempts),
    }
    statement(
      db,
      `INSERT INTO order_import_retry (channel_id, order_id, resume_state, attempts, first_failed_at, next_retry_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel_id, order_id) DO UPDATE SET resume_state = excluded.resume_state,
         attempts = excluded.attempts, next_retry_at = excluded.next_retry_at`,
    ).run(channelId, orderId, resumeState, attempts, retry.firstFailedAt, retry.nextRetryAt)
    return retry
  })()
}

/** A new start: every order Odoo refused is due now (the new process may carry a fix). */
export function makeFailedImportsDue(db: Database, now: number): number {
  return db.transaction(() => {
    statement(
      db,
      `UPDATE order_import_retry SET next_retry_at = ? WHERE next_retry_at > ? AND EXISTS (
         SELECT 1 FROM orders o WHERE o.channel_id = order_import_retry.channel_id
           AND o.order_id = order_import_retry.order_id AND o.import_state = 'failed')`,
    ).run(now, now)
    return (
      statement(db, "SELECT count(*) AS n FROM orders WHERE import_state = 'failed'").get() as { n: number }
    ).n
  })()
}

/** The retry went through: the order is an ordinary order again. */
export function clearImportRetry(db: Database, channelId: string, orderId: string): void {
  statement(db, 'DELETE FROM order_import_retry WHERE channel_id = ? AND order_id = ?').run(
    channelId,
    orderId,
  )
}

export function importLines(db: Database, channelId: string, orderId: string): ImportLine[] {
  return (
    statement(
      db,
      `SELECT line_id, listing_id, product_id, quantity, cancelled_quantity, unit_price FROM order_lines
       WHERE channel_id = ? AND order_id = ? ORDER BY line_id`,
    ).all(channelId, orderId) as Array<{
      line_id: string
      listing_id: string | null
      product_id: number | null
      quantity: number
      cancelled_quantity: number
      unit_price: number
    }>
  ).map((l) => ({
    lineId: l.line_id,
    listingId: l.listing_id,
    productId: l.product_id,
    quantity: l.quantity,
    cancelledQuantity: l.cancelled_quantity,
    unitPrice: l.unit_price,
  }))
}

/**
 * Lines stored without a product get one once the seller has mapped their listing. They then protect
 * the other channels like any new sale (pending units), unless Odoo already holds the order.
 */
export function resolveUnmappedLines(db: Database, channelId: string, orderId: string): number[] {
  const rows = statement(
    db,
    `SELECT l.line_id, m.product_id, l.quantity - l.cancelled_quantity AS active
     FROM order_lines l JOIN sku_mappings m ON m.channel_id = l.channel_id AND m.listing_id = l.listing_id
     WHERE l.channel_id = ? AND l.order_id = ? AND l.product_id IS NULL`,
  ).all(channelId, orderId) as Array<{ line_id: string; product_id: number; active: number }>
  if (rows.length === 0) return []
  const order = statement(
    db,
    'SELECT status, reserved_in_odoo_at FROM orders WHERE channel_id = ? AND order_id = ?',
  ).get(channelId, orderId) as { status: string; reserved_in_odoo_at: number | null }
  const open =
    order.reserved_in_odoo_at === null && order.status !== 'cancelled' && order.status !== 'shipped'
  const upd = statement(
    db,
    'UPDATE order_lines SET product_id = ?, pending_quantity = ? WHERE channel_id = ? AND order_id = ? AND line_id = ?',
  )
  db.transaction(() => {
    for (const r of rows)
      upd.run(r.product_id, open ? Math.max(0, r.active) : 0, channelId, orderId, r.line_id)
  })()
  return [...new Set(rows.map((r) => r.product_id))]
}

export function setImportState(
  db: Database,
  channelId: string,
  orderId: string,
  state: ImportState,
  extra: { odooOrderId?: number | null; lastError?: string | null } = {},
): void {
  statement(
    db,
    `UPDATE orders SET import_state = ?,
       odoo_order_id = CASE WHEN ? THEN ? ELSE odoo_order_id END,
       last_error = CASE WHEN ? THEN ? ELSE last_error END
     WHERE channel_id = ? AND order_id = ?`,
  ).run(
    state,
    extra.odooOrderId !== undefined ? 1 : 0,
    extra.odooOrderId ?? null,
    extra.lastError !== undefined ? 1 : 0,
    extra.lastError ?? null,
    channelId,
    orderId,
  )
}

/** Records the lines about to be sent (state 'creating') in one transaction with the state. */
export function beginImportCreate(
  db: Database,
  channelId: string,
  orderId: string,
  revision: number,
  lines: OdooLine[],
  cancelRef: string | null,
): void {
  db.transaction(() => {
    statement(
      db,
      `INSERT INTO order_import_odoo (channel_id, order_id, revision, sent_lines, cancel_ref)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (channel_id, order_id) DO UPDATE SET revision = excluded.revision,
         sent_lines = excluded.sent_lines, cancel_ref = excluded.cancel_ref`,
    ).run(channelId, orderId, revision, JSON.stringify(lines), cancelRef)
    setImportState(db, channelId, orderId, 'creating', { odooOrderId: null, lastError: null })
  })()
}

export function clearImportCancelRef(db: Database, channelId: string, orderId: string): void {
  statement(db, 'UPDATE order_import_odoo SET cancel_ref = NULL WHERE channel_id = ? AND order_id = ?').run(
    channelId,
    orderId,
  )
}

export function setImportLastError(
  db: Database,
  channelId: string,
  orderId: string,
  message: string | null,
): void {
  statement(db, 'UPDATE orders SET last_error = ? WHERE channel_id = ? AND order_id = ?').run(
    message,
    channelId,
    orderId,
  )
}

interface Row {
  channel_id: string
  order_id: string
  status: string
  import_state: ImportState
  odoo_order_id: number | null
  reserved_in_odoo_at: number | null
  created_at: string
  last_error: string | null
  order_import: number
  odoo_partner_id: number | null
  odoo_warehouse_id: number | null
  revision: number | null
  sent_lines: string | null
  cancel_ref: string | null
  resume_state: ImportState | null
  attempts: number | null
  first_failed_at: number | null
  next_retry_at: number | null
}

const toOrder = (r: Row): ImportOrder => ({
  channelId: r.channel_id,
  orderId: r.order_id,
  status: r.status,
  importState: r.import_state,
  odooOrderId: r.odoo_order_id,
  reservedInOdooAt: r.reserved_in_odoo_at,
  createdAt: r.created_at,
  orderImport: r.order_import === 1,
  partnerId: r.odoo_partner_id,
  warehouseId: r.odoo_warehouse_id,
  revision: r.revision ?? 1,
  sent: r.sent_lines ? (JSON.parse(r.sent_lines) as OdooLine[]) : null,
  cancelRef: r.cancel_ref,
  lastError: r.last_error,
  retry:
    r.attempts === null
      ? null
      : {
          resumeState: r.resume_state,
          attempts: r.attempts,
          firstFailedAt: r.first_failed_at ?? 0,
          nextRetryAt: r.next_retry_at ?? 0,
        },
})
