// Marketplace orders as the engine sees them, and the pending reservations they carry: units sold on a
// channel but not yet reserved in Odoo. Importing orders into Odoo is another module's job; it marks an
// order confirmed (import_state) and the engine releases the pending units once a stock read taken after
// that moment includes Odoo's reservation, so no unit is ever subtracted twice.
import type { Database } from 'better-sqlite3'
import { pluckStatement, statement } from '../statement'
import type { ChannelOrder, ChannelOrderLine } from '../../../core/ports/channel-adapter'
import { replaceByOrder } from '../../../core/orders/mfn-quantity'
import { mfnHeldByProduct, mfnHold, saveMfnHold } from './mfn-holds'

export interface OrderUpsertResult {
  /** Products whose pending units changed. */
  productIds: Set<number>
  /** Products whose open units changed (pending or not): the oversell rule judges them again. */
  demandIds: Set<number>
  newLines: number
  unmappedLines: number
  isNew: boolean
  /** Provisional units of Amazon quantity events that this order's lines replaced (mfn-holds.ts). */
  holdsReplaced: number
}

interface LineRow {
  quantity: number
  cancelled_quantity: number
  pending_quantity: number
  product_id: number | null
}

const ORDER =
  'SELECT status, reserved_in_odoo_at, provisional FROM orders WHERE channel_id = ? AND order_id = ?'
const INSERT_ORDER = `INSERT INTO orders (channel_id, order_id, status, channel_updated_at, created_at, currency, seen_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)`
const UPDATE_ORDER =
  'UPDATE orders SET status = ?, channel_updated_at = ? WHERE channel_id = ? AND order_id = ?'
const LINE = `SELECT quantity, cancelled_quantity, pending_quantity, product_id FROM order_lines
  WHERE channel_id = ? AND order_id = ? AND line_id = ?`
const INSERT_LINE = `INSERT INTO order_lines (channel_id, order_id, line_id, listing_id, sku, ean, external_ids, product_id,
    quantity, cancelled_quantity, unit_price, pending_quantity, seen_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
const UPDATE_LINE = `UPDATE order_lines SET quantity = ?, cancelled_quantity = ?, pending_quantity = ?
  WHERE channel_id = ? AND order_id = ? AND line_id = ?`

/**
 * Records an order (new or changed). Call inside a transaction. `releaseOnShip`: for channels whose
 * orders reach Odoo another way, a shipped order no longer needs a pending reservation. `provisional`: the
 * order comes from a marketplace notification whose summary names no prices (schema 10); it is not imported
 * until a full read (an order poll, `provisional` false) has stored its prices and currency.
 */
export function upsertOrder(
  db: Database,
  channelId: string,
  order: ChannelOrder,
  resolveProduct: (line: ChannelOrderLine) => number | null,
  now: number,
  releaseOnShip: boolean,
  provisional = false,
): OrderUpsertResult {
  const result: OrderUpsertResult = {
    productIds: new Set(),
    demandIds: new Set(),
    newLines: 0,
    unmappedLines: 0,
    isNew: false,
    holdsReplaced: 0,
  }
  const existing = statement(db, ORDER).get(channelId, order.orderId) as
    { status: string; reserved_in_odoo_at: number | null; provisional: number } | undefined
  if (!existing) {
    statement(db, INSERT_ORDER).run(
      channelId,
      order.orderId,
      order.status,
      order.updatedAt,
      order.createdAt,
      order.currency,
      now,
    )
    result.isNew = true
    if (provisional)
      statement(db, 'UPDATE orders SET provisional = 1 WHERE channel_id = ? AND order_id = ?').run(
        channelId,
        order.orderId,
      )
  } else {
    statement(db, UPDATE_ORDER).run(order.status, order.updatedAt, channelId, order.orderId)
    if (existing.provisional && !provisional) completeProvisional(db, channelId, order)
  }
  const reserved = existing?.reserved_in_odoo_at != null
  const closed = order.status === 'cancelled' || (releaseOnShip && order.status === 'shipped')
  const statusChanged = existing !== undefined && existing.status !== order.status
  const lineStmt = statement(db, LINE)
  for (const line of order.lines) {
    const active = Math.max(0, line.quantity - line.cancelledQuantity)
    const old = lineStmt.get(channelId, order.orderId, line.lineId) as LineRow | undefined
    if (!old) {
      const productId = resolveProduct(line)
      if (productId === null) result.unmappedLines++
      const pending = closed || reserved || productId === null ? 0 : active
      statement(db, INSERT_LINE).run(
        channelId,
        order.orderId,
        line.lineId,
        line.listingId,
        line.sku,
        line.ean,
        JSON.stringify(line.externalIds),
        productId,
        line.quantity,
        line.cancelledQuantity,
        line.unitPrice,
        pending,
        now,
      )
      result.newLines++
      if (active > 0 && line.listingId) {
        // The sale a quantity event held provisionally: these units replace the held ones.
        const held = mfnHold(db, channelId, line.listingId)
        const r = replaceByOrder(held, { placedAt: Date.parse(order.createdAt), units: active })
        if (held && r.replaced > 0) {
          saveMfnHold(db, { ...held, units: r.hold!.units })
          result.holdsReplaced += r.replaced
          if (held.productId !== null) result.productIds.add(held.productId)
        }
      }
      if (pending > 0 && productId !== null) result.productIds.add(productId)
      if (productId !== null) result.demandIds.add(productId)
      continue
    }
    const oldActive = Math.max(0, old.quantity - old.cancelled_quantity)
    // Only cancellations lower the pending units; units already released stay released.
    let pending = Math.max(0, old.pending_quantity - Math.max(0, oldActive - active))
    if (closed) pending = 0
    const changed =
      pending !== old.pending_quantity ||
      line.quantity !== old.quantity ||
      line.cancelledQuantity !== old.cancelled_quantity
    if ((changed || statusChanged) && old.product_id !== null) result.demandIds.add(old.product_id)
    if (changed) {
      statement(db, UPDATE_LINE).run(
        line.quantity,
        line.cancelledQuantity,
        pending,
        channelId,
        order.orderId,
        line.lineId,
      )
      if (pending !== old.pending_quantity && old.product_id !== null) result.productIds.add(old.product_id)
    }
  }
  return result
}

/** A full read of an order first stored from a notification: its prices, currency and creation are Amazon's now. */
function completeProvisional(db: Database, channelId: string, order: ChannelOrder): void {
  statement(
    db,
    'UPDATE orders SET provisional = 0, currency = ?, created_at = ? WHERE channel_id = ? AND order_id = ?',
  ).run(order.currency, order.createdAt, channelId, order.orderId)
  const price = statement(
    db,
    'UPDATE order_lines SET unit_price = ? WHERE channel_id = ? AND order_id = ? AND line_id = ?',
  )
  for (const l of order.lines) price.run(l.unitPrice, channelId, order.orderId, l.lineId)
}

/**
 * Orders the import module has confirmed in Odoo get the time the engine first noticed; returns the
 * products of their still-pending lines.
 */
export function noteOdooConfirmations(db: Database, now: number): number[] {
  const rows = statement(
    db,
    `UPDATE orders SET reserved_in_odoo_at = ?
     WHERE import_state = 'confirmed' AND reserved_in_odoo_at IS NULL
     RETURNING channel_id, order_id`,
  ).all(now) as Array<{ channel_id: string; order_id: string }>
  return pendingProductsOf(db, rows)
}

/** Marks one order as reserved in Odoo (called by the order import once its sale order is confirmed). */
export function markOrderReservedInOdoo(
  db: Database,
  channelId: string,
  orderId: string,
  now: number,
): number[] {
  const changed = statement(
    db,
    'UPDATE orders SET reserved_in_odoo_at = ? WHERE channel_id = ? AND order_id = ? AND reserved_in_odoo_at IS NULL',
  ).run(now, channelId, orderId).changes
  return changed ? pendingProductsOf(db, [{ channel_id: channelId, order_id: orderId }]) : []
}

function pendingProductsOf(db: Database, rows: Array<{ channel_id: string; order_id: string }>): number[] {
  const stmt = statement(
    db,
    'SELECT DISTINCT product_id FROM order_lines WHERE channel_id = ? AND order_id = ? AND pending_quantity > 0 AND product_id IS NOT NULL',
  )
  const out = new Set<number>()
  for (const r of rows)
    for (const p of stmt.all(r.channel_id, r.order_id) as Array<{ product_id: number }>) out.add(p.product_id)
  return [...out]
}

/**
 * Releases pending units whose Odoo reservation is included in a stock read started at `readStartedAt`;
 * answers what was released (for the sync log: why a figure went up again).
 */
export function releaseReservedUnits(
  db: Database,
  productIds: readonly number[],
  readStartedAt: number,
): Array<{ channelId: string; orderId: string; productId: number; units: number; reservedAt: number }> {
  // Only products with pending units are touched: a full read asks for every product.
  const pending = pluckStatement(
    db,
    'SELECT DISTINCT product_id FROM order_lines WHERE pending_quantity > 0 AND product_id IS NOT NULL',
  ).all() as number[]
  if (pending.length === 0) return []
  const asked = new Set(productIds)
  const stmt = statement(
    db,
    `SELECT l.channel_id, l.order_id, l.line_id, l.pending_quantity, o.reserved_in_odoo_at
     FROM order_lines l JOIN orders o ON o.channel_id = l.channel_id AND o.order_id = l.order_id
     WHERE l.product_id = ? AND l.pending_quantity > 0
       AND o.reserved_in_odoo_at IS NOT NULL AND o.reserved_in_odoo_at <= ?`,
  )
  const release = statement(
    db,
    'UPDATE order_lines SET pending_quantity = 0 WHERE channel_id = ? AND order_id = ? AND line_id = ?',
  )
  const out: Array<{
    channelId: string
    orderId: string
    productId: number
    units: number
    reservedAt: number
  }> = []
  for (const productId of pending) {
    if (!asked.has(productId)) continue
    const rows = stmt.all(productId, readStartedAt) as Array<{
      channel_id: string
      order_id: string
      line_id: string
      pending_quantity: number
      reserved_in_odoo_at: number
    }>
    for (const r of rows) {
      release.run(r.channel_id, r.order_id, r.line_id)
      out.push({
        channelId: r.channel_id,
        orderId: r.order_id,
        productId,
        units: r.pending_quantity,
        reservedAt: r.reserved_in_odoo_at,
      })
    }
  }
  return out
}

export function pendingByProduct(db: Database): Map<number, number> {
  const rows = statement(
    db,
    'SELECT product_id AS p, sum(pending_quantity) AS n FROM order_lines WHERE pending_quantity > 0 AND product_id IS NOT NULL GROUP BY product_id',
  ).all() as Array<{ p: number; n: number }>
  const out = new Map(rows.map((r) => [r.p, r.n]))
  // Units an Amazon quantity event showed sold, their order not recorded yet (mfn-holds.ts).
  for (const [p, n] of mfnHeldByProduct(db)) out.set(p, (out.get(p) ?? 0) + n)
  return out
}

export function pendingOrdersForProduct(
  db: Database,
  productId: number,
): Array<{ channelId: string; orderId: string; pending: number }> {
  return (
    statement(
      db,
      'SELECT channel_id, order_id, sum(pending_quantity) AS n FROM order_lines WHERE product_id = ? AND pending_quantity > 0 GROUP BY channel_id, order_id',
    ).all(productId) as Array<{ channel_id: string; order_id: string; n: number }>
  ).map((r) => ({ channelId: r.channel_id, orderId: r.order_id, pending: r.n }))
}

/**
 * Units of open orders Odoo has confirmed and whose pending units were released (they now count in
 * Odoo's own figures, reserved or still waiting for stock), per ordered product (kits as ordered).
 */
export function releasedDemandByProduct(db: Database): Map<number, number> {
  const rows = statement(
    db,
    `SELECT l.product_id AS p, sum(max(0, l.quantity - l.cancelled_quantity - l.pending_quantity)) AS n
     FROM order_lines l JOIN orders o ON o.channel_id = l.channel_id AND o.order_id = l.order_id
     WHERE l.product_id IS NOT NULL AND o.reserved_in_odoo_at IS NOT NULL
       AND o.status NOT IN ('cancelled', 'shipped') AND o.import_state NOT IN ('cancelled', 'cancelling')
     GROUP BY l.product_id HAVING n > 0`,
  ).all() as Array<{ p: number; n: number }>
  return new Map(rows.map((r) => [r.p, r.n]))
}

/** The open orders of a product (pending or in Odoo), oldest first, with their open units. */
export function openOrdersForProduct(
  db: Database,
  productId: number,
): Array<{ channelId: string; orderId: string; quantity: number }> {
  return (
    statement(
      db,
      `SELECT l.channel_id, l.order_id, sum(max(0, l.quantity - l.cancelled_quantity)) AS n
       FROM order_lines l JOIN orders o ON o.channel_id = l.channel_id AND o.order_id = l.order_id
       WHERE l.product_id = ? AND o.status NOT IN ('cancelled', 'shipped')
         AND o.import_state NOT IN ('cancelled', 'cancelling')
       GROUP BY l.channel_id, l.order_id HAVING n > 0
       ORDER BY min(o.created_at), o.seen_at, l.channel_id, l.order_id`,
    ).all(productId) as Array<{ channel_id: string; order_id: string; n: number }>
  ).map((r) => ({ channelId: r.channel_id, orderId: r.order_id, quantity: r.n }))
}

/** Products (kits as ordered) with units in open orders, pending or in Odoo. */
export const productsWithOpenOrders = (db: Database): number[] =>
  pluckStatement(
    db,
    `SELECT DISTINCT l.product_id FROM order_lines l
     JOIN orders o ON o.channel_id = l.channel_id AND o.order_id = l.order_id
     WHERE l.product_id IS NOT NULL AND l.quantity > l.cancelled_quantity
       AND o.status NOT IN ('cancelled', 'shipped') AND o.import_state NOT IN ('cancelled', 'cancelling')`,
  ).all() as number[]

/** What LastUnit stored of a channel's order line when it first read it in full. */
export interface StoredOrderLine {
  listingId: string | null
  sku: string | null
  unitPrice: number
}

/**
 * A line of an order read in full (not a provisional one from a notification, which has no prices yet), or
 * undefined: lets a channel adapter skip a detail call for facts that never change (bol.com's offer id,
 * reference and price of an order item).
 */
export function storedOrderLine(
  db: Database,
  channelId: string,
  orderId: string,
  lineId: string,
): StoredOrderLine | undefined {
  const r = statement(
    db,
    `SELECT l.listing_id, l.sku, l.unit_price FROM order_lines l
       JOIN orders o ON o.channel_id = l.channel_id AND o.order_id = l.order_id
     WHERE l.channel_id = ? AND l.order_id = ? AND l.line_id = ? AND o.provisional = 0`,
  ).get(channelId, orderId, lineId) as
    { listing_id: string | null; sku: string | null; unit_price: number } | undefined
  return r && { listingId: r.listing_id, sku: r.sku, unitPrice: r.unit_price }
}
