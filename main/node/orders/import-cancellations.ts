// A confirmed order the channel changes afterwards: cancelled (the sale order is cancelled in Odoo) or
// partially cancelled (a new revision replaces it; the older one is cancelled only once the new one is
// confirmed, so Odoo never shows the units as free in between).
import { nextAction, odooLinesFor } from '../../core/orders/order-rules'
import {
  beginImportCreate,
  clearImportCancelRef,
  importLines,
  setImportState,
  type ImportOrder,
} from '../db/repos/order-import'
import type { StepContext } from './import-context'

/** 'confirmed': tell the engine Odoo holds the units, finish a revision, or start a cancel or revision. */
export async function followConfirmed(c: StepContext, o: ImportOrder, ref: string): Promise<boolean> {
  const { channelId, orderId } = o
  // Odoo reserves the units now: recorded at once, with one stock read for the orders confirmed meanwhile.
  if (o.reservedInOdooAt === null) c.reserve(channelId, orderId)
  if (o.cancelRef) {
    const cancelRef = o.cancelRef
    const old = await c.call(() => c.odoo.findSaleOrder(cancelRef))
    if (old && old.state !== 'cancel') await c.call(() => c.odoo.cancelSaleOrder(old.id))
    clearImportCancelRef(c.db, channelId, orderId)
    return true
  }
  const lines = importLines(c.db, channelId, orderId)
  const action = nextAction({
    importEnabled: true,
    channelCancelled: o.status === 'cancelled',
    lines,
    sent: o.sent,
  })
  if (action === 'cancel') {
    setImportState(c.db, channelId, orderId, 'cancelling')
    return true
  }
  if (action === 'revise') {
    beginImportCreate(c.db, channelId, orderId, o.revision + 1, odooLinesFor(lines), ref)
    c.report.log({
      level: 'info',
      kind: 'order_import',
      channelId,
      status: 'revising',
      message: `order ${orderId} partially cancelled: replacing sale order ${ref} with revision ${o.revision + 1}`,
      data: { orderId },
    })
    return true
  }
  return false
}

/** 'cancelling': the sale order is cancelled in Odoo (if it is there and not cancelled yet). */
export async function cancelSaleOrder(c: StepContext, o: ImportOrder, ref: string): Promise<boolean> {
  const { channelId, orderId } = o
  const existing = await c.call(() => c.odoo.findSaleOrder(ref))
  if (existing && existing.state !== 'cancel') await c.call(() => c.odoo.cancelSaleOrder(existing.id))
  setImportState(c.db, channelId, orderId, 'cancelled', { lastError: null })
  c.result.cancelled++
  c.report.log({
    level: 'info',
    kind: 'order_import',
    channelId,
    status: 'cancelled',
    message: `order ${orderId} cancelled on the channel: sale order ${ref} cancelled in Odoo`,
    data: { orderId },
  })
  return false
}
