// A process that dies between Odoo confirming a sale order and SQLite recording it leaves the order "in
// doubt": Odoo already reserves its units while the engine still counts them as pending. The engine's
// first stock read after a start would then count the sale twice and publish too little until the
// importer's first pass. Settling those orders before the engine starts removes that window: each one is
// looked up by its reference, and a confirmed one is recorded with its pending units marked as reserved,
// so the first read (which starts afterwards) releases them.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../../core/ports/clock'
import { systemClock } from '../../core/ports/clock'
import type { OdooGateway } from '../../core/ports/odoo-gateway'
import { pendingImports, setImportState } from '../db/repos/order-import'
import { markOrderReservedInOdoo } from '../db/repos/orders'
import { saleOrderRef } from './import-types'

export interface SettleResult {
  /** Orders found confirmed in Odoo and recorded as such. */
  confirmed: number
  /** Confirmed orders whose reservation had not been recorded yet. */
  reserved: number
  /** Set when Odoo could not answer: the importer's first pass settles the rest. */
  error: string | null
}

export async function settleInDoubtOrders(
  db: Database,
  odoo: Pick<OdooGateway, 'findSaleOrder'>,
  clock: Clock = systemClock,
): Promise<SettleResult> {
  const result: SettleResult = { confirmed: 0, reserved: 0, error: null }
  for (const o of pendingImports(db)) {
    if (o.importState === 'confirmed' && o.reservedInOdooAt === null) {
      if (markOrderReservedInOdoo(db, o.channelId, o.orderId, clock.now()).length > 0) result.reserved++
      continue
    }
    if (o.importState !== 'created') continue
    let so
    try {
      so = await odoo.findSaleOrder(saleOrderRef(o.channelId, o.orderId, o.revision))
    } catch (e) {
      result.error = e instanceof Error ? e.message : String(e)
      return result
    }
    if (!so || (so.state !== 'sale' && so.state !== 'done')) continue
    db.transaction(() => {
      setImportState(db, o.channelId, o.orderId, 'confirmed', { odooOrderId: so.id })
      markOrderReservedInOdoo(db, o.channelId, o.orderId, clock.now())
    })()
    result.confirmed++
  }
  return result
}
