// The import's own steps, each recorded in SQLite before the next starts: plan the Odoo lines (or wait
// for a mapping), look up then create the sale order, confirm it. A lost response is harmless: every
// create and confirm is preceded by a look-up by client_order_ref.
import { ClassifiedError } from '../../core/errors'
import { nextAction, odooLinesFor, unmappedLines } from '../../core/orders/order-rules'
import type { SaleOrderRef } from '../../core/ports/odoo-gateway'
import {
  beginImportCreate,
  importLines,
  resolveUnmappedLines,
  setImportState,
  type ImportOrder,
} from '../db/repos/order-import'
import type { StepContext } from './import-context'
import { ORDER_BLOCKED_ALERT, UNMAPPED_ALERT } from './import-types'

const confirmedState = (so: SaleOrderRef): boolean => so.state === 'sale' || so.state === 'done'

const noCustomer = (channelId: string, hint?: string): ClassifiedError =>
  new ClassifiedError(
    'needs_seller',
    'orders.no_customer',
    `no Odoo customer is set for channel "${channelId}"`,
    hint ? { hint } : undefined,
  )

/** 'new' or 'waiting_mapping': what the order's lines become in Odoo, or why it waits or is dropped. */
export function planImport(c: StepContext, o: ImportOrder): boolean {
  const { channelId, orderId } = o
  for (const p of resolveUnmappedLines(c.db, channelId, orderId)) c.replan.add(p)
  const lines = importLines(c.db, channelId, orderId)
  const action = nextAction({
    importEnabled: o.orderImport,
    channelCancelled: o.status === 'cancelled',
    lines,
    sent: null,
  })
  const unmapped = `${channelId}:${orderId}`
  if (action === 'skip' || action === 'drop') {
    setImportState(c.db, channelId, orderId, action === 'skip' ? 'skipped' : 'cancelled')
    c.report.clear(UNMAPPED_ALERT, unmapped)
    if (action === 'drop') c.result.cancelled++
    return false
  }
  if (action === 'wait_mapping') {
    const missing = unmappedLines(lines)
    const listings = missing.map((l) => l.listingId ?? `line ${l.lineId}`)
    setImportState(c.db, channelId, orderId, 'waiting_mapping')
    c.result.waitingMapping++
    c.report.raise({
      kind: UNMAPPED_ALERT,
      severity: 'warning',
      channelId,
      subject: unmapped,
      message: `Order ${orderId} on ${channelId} has ${missing.length === 1 ? 'a line' : `${missing.length} lines`} for listing ${listings.join(', ')} not mapped to an Odoo product: it is kept and imported once mapped.`,
      details: { orderId, listings },
    })
    return false
  }
  if (o.partnerId === null)
    throw noCustomer(channelId, 'Choose the Odoo customer for this channel in its settings.')
  beginImportCreate(c.db, channelId, orderId, o.revision, odooLinesFor(lines), null)
  c.report.clear(UNMAPPED_ALERT, unmapped)
  return true
}

/**
 * 'creating': look up before create, so a create whose response was lost is not repeated. A sale order
 * created here is confirmed at once (it is a draft: nothing to read first), after 'created' is recorded.
 * Three Odoo requests per new order: look-up, create, confirm.
 */
export async function createSaleOrder(c: StepContext, o: ImportOrder, ref: string): Promise<boolean> {
  const { channelId, orderId } = o
  const existing = await c.call(() => c.odoo.findSaleOrder(ref))
  if (existing) {
    setImportState(c.db, channelId, orderId, confirmedState(existing) ? 'confirmed' : 'created', {
      odooOrderId: existing.id,
    })
    return true
  }
  const partnerId = o.partnerId
  if (partnerId === null) throw noCustomer(channelId)
  await c.createTurn()
  let id: number
  try {
    id = await c.call(() =>
      c.odoo.createSaleOrder(
        { partnerId, warehouseId: o.warehouseId, clientOrderRef: ref, lines: o.sent ?? [] },
        // Looked up just above, in this step: no second look-up.
        { lookedUp: true },
      ),
    )
  } finally {
    c.created()
  }
  setImportState(c.db, channelId, orderId, 'created', { odooOrderId: id })
  await confirmFound(c, o, ref, { id, state: 'draft', clientOrderRef: ref })
  return true
}

/** 'created': confirm in Odoo (not idempotent there: a confirm whose response was lost shows as 'sale'). */
export async function confirmSaleOrder(c: StepContext, o: ImportOrder, ref: string): Promise<boolean> {
  const { channelId, orderId } = o
  const existing = await c.call(() => c.odoo.findSaleOrder(ref))
  if (!existing) {
    setImportState(c.db, channelId, orderId, 'creating')
    return true
  }
  await confirmFound(c, o, ref, existing)
  return true
}

/** Confirms the sale order found (or just created) for the order, in the state just read, and records it. */
async function confirmFound(c: StepContext, o: ImportOrder, ref: string, so: SaleOrderRef): Promise<void> {
  const { channelId, orderId } = o
  if (so.state === 'draft' || so.state === 'sent')
    await c.call(() => c.odoo.confirmSaleOrder(so.id, so.state))
  if (so.state === 'cancel') {
    setImportState(c.db, channelId, orderId, 'cancelling', { odooOrderId: so.id })
    return
  }
  setImportState(c.db, channelId, orderId, 'confirmed', { odooOrderId: so.id, lastError: null })
  c.result.confirmed++
  c.report.clear(ORDER_BLOCKED_ALERT, channelId)
  c.report.log({
    level: 'info',
    kind: 'order_import',
    channelId,
    status: 'confirmed',
    message: `order ${orderId} confirmed in Odoo as sale order ${so.id} (${ref})`,
    data: { orderId, saleOrderId: so.id },
  })
}
