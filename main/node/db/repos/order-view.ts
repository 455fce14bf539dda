// The orders screen and the dashboard's order figures: every marketplace order with its lines, where it
// stands on its way into Odoo, and what blocks it. Reads only, except the sale order names read from Odoo.
import type { Database } from 'better-sqlite3'

/** Where an order stands, in the seller's terms. */
export type OrderViewState = 'pending' | 'in_odoo' | 'cancelled' | 'blocked' | 'not_imported'

export interface OrderViewLine {
  lineId: string
  listingId: string | null
  sku: string | null
  productId: number | null
  productSku: string | null
  productName: string | null
  quantity: number
  cancelledQuantity: number
  pendingQuantity: number
}

export interface OrderViewRow {
  channelId: string
  channelName: string
  channelType: string
  orderId: string
  channelStatus: string
  importState: string
  state: OrderViewState
  orderImport: boolean
  odooOrderId: number | null
  odooOrderName: string | null
  lastError: string | null
  createdAt: string
  seenAt: number
  retryAttempts: number | null
  nextRetryAt: number | null
  /** The open alert that holds every order of this channel (no Odoo customer set, access refused). */
  channelBlock: string | null
  lines: OrderViewLine[]
}

export interface OrderQuery {
  search?: string
  state?: OrderViewState
  channelId?: string
  limit: number
}

const hasTable = (db: Database, name: string): boolean =>
  !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name)

/** The SQL of the seller's state of an order `o`, given the open channel blocks `b`. */
const STATE_SQL = `CASE
    WHEN o.import_state = 'confirmed' THEN 'in_odoo'
    WHEN o.import_state IN ('cancelling', 'cancelled') OR (o.status = 'cancelled' AND o.import_state <> 'failed') THEN 'cancelled'
    WHEN o.import_state = 'skipped' THEN 'not_imported'
    WHEN o.import_state IN ('waiting_mapping', 'failed') OR b.message IS NOT NULL THEN 'blocked'
    ELSE 'pending' END`

const escapeLike = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

interface RawOrder {
  channelId: string
  channelName: string
  channelType: string
  orderId: string
  channelStatus: string
  importState: string
  state: OrderViewState
  orderImport: number
  odooOrderId: number | null
  odooOrderName: string | null
  lastError: string | null
  createdAt: string
  seenAt: number
  retryAttempts: number | null
  nextRetryAt: number | null
  channelBlock: string | null
}

/** Newest first; `total` counts every order the filter matches. */
export function listOrderViews(db: Database, q: OrderQuery): { rows: OrderViewRow[]; total: number } {
  const retry = hasTable(db, 'order_import_retry')
  const where: string[] = []
  const args: (string | number)[] = []
  if (q.channelId) {
    where.push('o.channel_id = ?')
    args.push(q.channelId)
  }
  if (q.state) {
    where.push(`(${STATE_SQL}) = ?`)
    args.push(q.state)
  }
  const search = q.search?.trim()
  if (search) {
    const words = search.split(/\s+/).filter(Boolean).slice(0, 8)
    for (const w of words) {
      const like = escapeLike(w)
      where.push(`(o.order_id LIKE ? ESCAPE '\\' OR coalesce(o.odoo_order_name, '') LIKE ? ESCAPE '\\'
        OR c.name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM order_lines l LEFT JOIN products p ON p.id = l.product_id
          WHERE l.channel_id = o.channel_id AND l.order_id = o.order_id AND (coalesce(l.sku, '') LIKE ? ESCAPE '\\'
          OR coalesce(l.listing_id, '') LIKE ? ESCAPE '\\' OR coalesce(p.default_code, '') LIKE ? ESCAPE '\\'
          OR coalesce(p.name, '') LIKE ? ESCAPE '\\')))`)
      args.push(like, like, like, like, like, like, like)
    }
  }
  const from = `FROM orders o JOIN channels c ON c.id = o.channel_id
    LEFT JOIN alerts b ON b.kind = 'order_import_blocked' AND b.subject = o.channel_id AND b.cleared_at IS NULL
    ${retry ? 'LEFT JOIN order_import_retry r ON r.channel_id = o.channel_id AND r.order_id = o.order_id' : ''}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`
  const total = (db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...args) as { n: number }).n
  const raw = db
    .prepare(
      `SELECT o.channel_id AS channelId, c.name AS channelName, c.type AS channelType, o.order_id AS orderId,
         o.status AS channelStatus, o.import_state AS importState, ${STATE_SQL} AS state,
         c.order_import AS orderImport, o.odoo_order_id AS odooOrderId, o.odoo_order_name AS odooOrderName,
         o.last_error AS lastError, o.created_at AS createdAt, o.seen_at AS seenAt,
         ${retry ? 'r.attempts' : 'NULL'} AS retryAttempts, ${retry ? 'r.next_retry_at' : 'NULL'} AS nextRetryAt,
         b.message AS channelBlock
       ${from} ORDER BY o.seen_at DESC, o.created_at DESC, o.order_id DESC LIMIT ?`,
    )
    .all(...args, q.limit) as RawOrder[]
  const lineStmt = db.prepare(
    `SELECT l.line_id AS lineId, l.listing_id AS listingId, l.sku, l.product_id AS productId,
       p.default_code AS productSku, p.name AS productName, l.quantity, l.cancelled_quantity AS cancelledQuantity,
       l.pending_quantity AS pendingQuantity
     FROM order_lines l LEFT JOIN products p ON p.id = l.product_id
     WHERE l.channel_id = ? AND l.order_id = ? ORDER BY l.line_id`,
  )
  const rows = raw.map((r) => ({
    ...r,
    orderImport: r.orderImport === 1,
    lines: lineStmt.all(r.channelId, r.orderId) as OrderViewLine[],
  }))
  return { rows, total }
}

export interface OrderFigures {
  /** Orders LastUnit saw since `since` (the start of the seller's day). */
  ordersToday: number
  unitsToday: number
  /** Orders of today already confirmed in Odoo. */
  inOdooToday: number
  /** Orders, of any day, not yet a confirmed sale order in Odoo (blocked ones included). */
  waitingForOdoo: number
  blocked: number
  /**
   * Order lines since `since` that took a product's last sellable units: within 10 s of the order LastUnit
   * set the product's listing on another channel to 0 (or took it off sale) because of pending units, before
   * Odoo had the sale. Without it, that channel would still have shown stock nobody has.
   */
  oversellsPrevented: number
  /** Products on which orders asked for more units than Odoo had (oversell alerts raised since `since`, or still open). */
  oversellsDetected: number
}

export function orderFigures(db: Database, since: number): OrderFigures {
  const one = (sql: string, ...args: unknown[]) =>
    (db.prepare(sql).get(...args) as { n: number | null }).n ?? 0
  const blocks = `LEFT JOIN alerts b ON b.kind = 'order_import_blocked' AND b.subject = o.channel_id AND b.cleared_at IS NULL`
  return {
    ordersToday: one('SELECT COUNT(*) AS n FROM orders WHERE seen_at >= ?', since),
    unitsToday: one(
      'SELECT SUM(max(quantity - cancelled_quantity, 0)) AS n FROM order_lines WHERE seen_at >= ?',
      since,
    ),
    inOdooToday: one(
      "SELECT COUNT(*) AS n FROM orders WHERE seen_at >= ? AND import_state = 'confirmed'",
      since,
    ),
    waitingForOdoo: one(
      `SELECT COUNT(*) AS n FROM orders o ${blocks} WHERE (${STATE_SQL}) IN ('pending', 'blocked')`,
    ),
    blocked: one(`SELECT COUNT(*) AS n FROM orders o ${blocks} WHERE (${STATE_SQL}) = 'blocked'`),
    oversellsPrevented: one(
      `SELECT COUNT(*) AS n FROM order_lines l
       WHERE l.seen_at >= ? AND l.product_id IS NOT NULL AND EXISTS (
         SELECT 1 FROM sync_log q WHERE q.at BETWEEN l.seen_at AND l.seen_at + 10000
           AND q.kind = 'push' AND q.status = 'queued' AND q.product_id = l.product_id
           AND q.channel_id <> l.channel_id
           AND (q.message LIKE 'set 0: %' OR q.message LIKE 'pause 0: %')
           AND q.message NOT LIKE '% - pending 0 %')`,
      since,
    ),
    oversellsDetected: one(
      `SELECT COUNT(DISTINCT subject) AS n FROM alerts
       WHERE kind = 'oversell' AND (raised_at >= ? OR cleared_at IS NULL)`,
      since,
    ),
  }
}

/** Orders in Odoo whose sale order name has not been read yet (oldest first). */
export const ordersWithoutOdooName = (db: Database, limit: number): number[] =>
  db
    .prepare(
      `SELECT DISTINCT odoo_order_id FROM orders WHERE odoo_order_id IS NOT NULL AND odoo_order_name IS NULL
       ORDER BY odoo_order_id LIMIT ?`,
    )
    .pluck()
    .all(limit) as number[]

export function setOdooOrderNames(db: Database, names: ReadonlyArray<{ id: number; name: string }>): number {
  const stmt = db.prepare('UPDATE orders SET odoo_order_name = ? WHERE odoo_order_id = ?')
  let n = 0
  db.transaction(() => {
    for (const x of names) n += stmt.run(x.name, x.id).changes
  })()
  return n
}

/** Odoo's names of sale orders by id, as stored. */
export function odooOrderNames(db: Database, ids: readonly number[]): Map<number, string> {
  if (ids.length === 0) return new Map()
  const rows = db
    .prepare(
      `SELECT DISTINCT odoo_order_id AS id, odoo_order_name AS name FROM orders
       WHERE odoo_order_name IS NOT NULL AND odoo_order_id IN (${ids.map(() => '?').join(',')})`,
    )
    .all(...ids) as Array<{ id: number; name: string }>
  return new Map(rows.map((r) => [r.id, r.name]))
}
