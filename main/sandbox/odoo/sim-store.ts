// The state and business rules of the simulated Odoo: quants, moves, pickings, sale orders, with the
// behaviours observed on real servers (reservations on confirm, zero quants kept then deleted, returns and
// receipts creating NEW quants, negative quants in the inventory adjustment location, write_date = the
// transaction START truncated to whole seconds).
import { OdooSimError } from './sim-errors'
import { SimStoreBase, EPS } from './sim-store-base'
import {
  CUSTOMERS,
  VENDORS,
  type SimMove,
  type SimPicking,
  type SimSaleLine,
  type SimSaleOrder,
  type SimWarehouse,
} from './sim-records'

export * from './sim-records'

export class OdooSimStore extends SimStoreBase {
  receive(productId: number, locationId: number, qty: number): SimPicking {
    this.mustGet(this.products, productId, 'product.product')
    const p = this.newPicking('incoming', VENDORS, locationId, null, 'Receipt')
    const m = this.newMove(productId, VENDORS, locationId, qty, { pickingId: p.id })
    p.moveIds.push(m.id)
    this.doneMove(m)
    p.state = 'done'
    return p
  }

  // ---------- pickings ----------

  private newPicking(
    kind: SimPicking['kind'],
    from: number,
    to: number,
    saleId: number | null,
    origin: string,
  ): SimPicking {
    const id = this.nextId('stock.picking')
    const prefix = kind === 'incoming' ? 'IN' : kind === 'outgoing' ? 'OUT' : 'INT'
    const p: SimPicking = {
      id,
      name: `WH/${prefix}/${String(id).padStart(5, '0')}`,
      kind,
      state: 'draft',
      locationId: from,
      locationDestId: to,
      saleId,
      origin,
      moveIds: [],
      backorderId: null,
      writeDate: this.stamp(),
    }
    this.pickings.set(id, p)
    return p
  }

  private reserveMove(m: SimMove, rootLocationId: number): void {
    let need = m.productUomQty - m.quantity
    if (need <= EPS) return
    const internal = this.internalUnder([rootLocationId])
    const quants = [...this.quants.values()]
      .filter((q) => q.productId === m.productId && internal.has(q.locationId))
      .sort((a, b) => (a.inDate < b.inDate ? -1 : a.inDate > b.inDate ? 1 : a.id - b.id))
    for (const q of quants) {
      if (need <= EPS) break
      const free = q.quantity - q.reserved
      if (free <= EPS) continue
      const take = Math.min(free, need)
      q.reserved += take
      q.writeDate = this.stamp()
      m.reservations.push({ quantId: q.id, qty: take })
      m.quantity += take
      need -= take
    }
    m.state = need <= EPS ? 'assigned' : m.quantity > EPS ? 'partially_available' : 'confirmed'
    this.touchMove(m)
  }

  private unreserveMove(m: SimMove): void {
    for (const r of m.reservations) {
      const q = this.quants.get(r.quantId)
      if (q) {
        q.reserved -= r.qty
        q.writeDate = this.stamp()
      }
    }
    m.reservations = []
    m.quantity = 0
  }

  private refreshPickingState(p: SimPicking): void {
    const moves = p.moveIds.map((id) => this.mustGet(this.moves, id, 'stock.move'))
    const open = moves.filter((m) => m.state !== 'cancel' && m.state !== 'done')
    if (moves.every((m) => m.state === 'cancel')) p.state = 'cancel'
    else if (open.length === 0) p.state = 'done'
    else if (open.some((m) => m.quantity > EPS)) p.state = 'assigned'
    else p.state = 'confirmed'
    p.writeDate = this.stamp()
  }

  /** Reserved units of a picking are delivered; what was not reserved is left to the caller. */
  private deliverReserved(p: SimPicking): SimMove[] {
    const rest: SimMove[] = []
    for (const id of p.moveIds) {
      const m = this.mustGet(this.moves, id, 'stock.move')
      if (m.state === 'done' || m.state === 'cancel') continue
      const done = m.quantity
      for (const r of m.reservations) {
        const q = this.quants.get(r.quantId)
        if (!q) continue
        q.quantity -= r.qty
        q.reserved -= r.qty
        q.writeDate = this.stamp()
        this.addMoveLine(m, q.locationId, r.qty)
      }
      if (done > EPS) this.updateAvailable(m.productId, m.locationDestId, done)
      const remaining = m.productUomQty - done
      m.reservations = []
      if (done > EPS) {
        m.productUomQty = done
        m.state = 'done'
      } else m.state = 'cancel'
      this.touchMove(m)
      if (remaining > EPS) rest.push({ ...m, productUomQty: remaining })
    }
    return rest
  }

  /** `button_validate`: true when done, or the backorder wizard action when partially reserved. */
  validatePicking(pickingId: number, ctx: Record<string, unknown>): true | Record<string, unknown> {
    const p = this.mustGet(this.pickings, pickingId, 'stock.picking')
    if (p.state === 'done') throw new OdooSimError('UserError', `${p.name} is already done.`)
    if (p.state === 'cancel') throw new OdooSimError('UserError', `${p.name} is cancelled.`)
    const moves = p.moveIds.map((id) => this.mustGet(this.moves, id, 'stock.move'))
    const open = moves.filter((m) => m.state !== 'done' && m.state !== 'cancel')
    if (open.every((m) => m.quantity <= EPS))
      throw new OdooSimError(
        'UserError',
        'You cannot validate a transfer if no quantities are reserved nor done.',
      )
    const partial = open.some((m) => m.quantity < m.productUomQty - EPS)
    const noBackorder =
      ctx.skip_backorder === true &&
      Array.isArray(ctx.picking_ids_not_to_backorder) &&
      ctx.picking_ids_not_to_backorder.includes(pickingId)
    if (partial && !noBackorder && ctx.skip_backorder !== true)
      return {
        type: 'ir.actions.act_window',
        name: 'Create Backorder?',
        res_model: 'stock.backorder.confirmation',
        view_mode: 'form',
        target: 'new',
        context: { button_validate_picking_ids: [pickingId], default_pick_ids: [[4, pickingId]] },
      }
    this.finishPicking(p, !noBackorder)
    return true
  }

  finishPicking(p: SimPicking, backorder: boolean): void {
    const rest = this.deliverReserved(p)
    this.refreshPickingState(p)
    if (backorder && rest.length > 0) {
      const bo = this.newPicking(p.kind, p.locationId, p.locationDestId, p.saleId, p.origin)
      bo.backorderId = p.id
      const wh = this.warehouseOfLocation(p.locationId)
      for (const r of rest) {
        const m = this.newMove(r.productId, r.locationId, r.locationDestId, r.productUomQty, {
          pickingId: bo.id,
          saleLineId: r.saleLineId,
          state: 'confirmed',
        })
        bo.moveIds.push(m.id)
        this.reserveMove(m, wh?.lotStockId ?? p.locationId)
      }
      this.refreshPickingState(bo)
    }
  }

  warehouseOfLocation(locationId: number): SimWarehouse | undefined {
    const wid = this.locations.get(locationId)?.warehouseId
    return wid === null || wid === undefined ? undefined : this.warehouses.get(wid)
  }

  /** A return of a done delivery: units come back into a NEW quant at the original source. */
  returnPicking(pickingId: number, qtyByProduct: Map<number, number>): SimPicking {
    const src = this.mustGet(this.pickings, pickingId, 'stock.picking')
    if (src.state !== 'done') throw new OdooSimError('UserError', 'You may only return Done pickings.')
    const ret = this.newPicking(
      'incoming',
      src.locationDestId,
      src.locationId,
      src.saleId,
      `Return of ${src.name}`,
    )
    for (const id of src.moveIds) {
      const om = this.mustGet(this.moves, id, 'stock.move')
      const qty = qtyByProduct.get(om.productId) ?? 0
      if (qty <= EPS || om.state !== 'done') continue
      const m = this.newMove(om.productId, src.locationDestId, src.locationId, qty, {
        pickingId: ret.id,
        originReturnedMoveId: om.id,
      })
      ret.moveIds.push(m.id)
    }
    if (ret.moveIds.length === 0)
      throw new OdooSimError('UserError', 'Please specify at least one non-zero quantity.')
    ret.state = 'assigned'
    return ret
  }

  /** Validates an incoming (receipt or return) picking; returns restock into a NEW quant. */
  validateIncoming(p: SimPicking): void {
    for (const id of p.moveIds) {
      const m = this.mustGet(this.moves, id, 'stock.move')
      if (m.state === 'done' || m.state === 'cancel') continue
      this.doneMove(m, m.originReturnedMoveId !== null)
    }
    this.refreshPickingState(p)
  }

  // ---------- sales ----------

  createSaleOrder(vals: {
    partnerId: number
    warehouseId: number
    clientOrderRef: string | false
    lines: Array<{ productId: number; qty: number; price: number }>
  }): SimSaleOrder {
    this.mustGet(this.partners, vals.partnerId, 'res.partner')
    this.mustGet(this.warehouses, vals.warehouseId, 'stock.warehouse')
    const id = this.nextId('sale.order')
    const so: SimSaleOrder = {
      id,
      name: `S${String(id).padStart(5, '0')}`,
      partnerId: vals.partnerId,
      warehouseId: vals.warehouseId,
      clientOrderRef: vals.clientOrderRef,
      state: 'draft',
      dateOrder: this.stamp(),
      lineIds: [],
      writeDate: this.stamp(),
    }
    for (const l of vals.lines) {
      const prod = this.mustGet(this.products, l.productId, 'product.product')
      if (!prod.active) throw new OdooSimError('UserError', `The product ${prod.name} is archived.`)
      if (!(l.qty > 0)) throw new OdooSimError('ValidationError', 'The quantity of a line must be positive.')
      const line: SimSaleLine = {
        id: this.nextId('sale.order.line'),
        orderId: id,
        productId: l.productId,
        productUomQty: l.qty,
        priceUnit: l.price,
        writeDate: this.stamp(),
      }
      this.saleLines.set(line.id, line)
      so.lineIds.push(line.id)
    }
    this.saleOrders.set(id, so)
    return so
  }

  confirmSaleOrder(id: number): void {
    const so = this.mustGet(this.saleOrders, id, 'sale.order')
    if (so.state !== 'draft' && so.state !== 'sent')
      throw new OdooSimError(
        'UserError',
        `Some orders are not in a state requiring confirmation.\n${so.name} is in state ${so.state}.`,
      )
    so.state = 'sale'
    so.writeDate = this.stamp()
    const wh = this.mustGet(this.warehouses, so.warehouseId, 'stock.warehouse')
    const p = this.newPicking('outgoing', wh.lotStockId, CUSTOMERS, so.id, so.name)
    for (const lid of so.lineIds) {
      const line = this.mustGet(this.saleLines, lid, 'sale.order.line')
      const prod = this.mustGet(this.products, line.productId, 'product.product')
      // A kit is delivered as moves of its components (stock.move._action_explode).
      const components = this.mrp.explodeSale(prod.id, line.productUomQty)
      for (const c of components ?? []) {
        if (!this.products.get(c.productId)?.storable) continue
        const m = this.newMove(c.productId, wh.lotStockId, CUSTOMERS, c.qty, {
          pickingId: p.id,
          saleLineId: line.id,
          state: 'confirmed',
        })
        p.moveIds.push(m.id)
        this.reserveMove(m, wh.lotStockId)
      }
      if (components || !prod.storable) continue
      const m = this.newMove(line.productId, wh.lotStockId, CUSTOMERS, line.productUomQty, {
        pickingId: p.id,
        saleLineId: line.id,
        state: 'confirmed',
      })
      p.moveIds.push(m.id)
      this.reserveMove(m, wh.lotStockId)
    }
    if (p.moveIds.length === 0) this.pickings.delete(p.id)
    else this.refreshPickingState(p)
  }

  cancelSaleOrder(id: number): void {
    const so = this.mustGet(this.saleOrders, id, 'sale.order')
    if (so.state === 'done')
      throw new OdooSimError('UserError', 'You cannot cancel a locked order. Please unlock it first.')
    for (const p of this.pickings.values()) {
      if (p.saleId !== id || p.state === 'done' || p.state === 'cancel') continue
      for (const mid of p.moveIds) {
        const m = this.mustGet(this.moves, mid, 'stock.move')
        if (m.state === 'done' || m.state === 'cancel') continue
        this.unreserveMove(m)
        m.state = 'cancel'
        this.touchMove(m)
      }
      this.refreshPickingState(p)
    }
    so.state = 'cancel'
    so.writeDate = this.stamp()
  }

  // ---------- ground truth ----------

  /** The simulator's own figure: sum over quants in the internal locations under `roots`. */
  stockOf(productId: number, roots: number[]): { onHand: number; reserved: number; free: number } {
    const internal = this.internalUnder(roots)
    let onHand = 0
    let reserved = 0
    for (const q of this.quants.values())
      if (q.productId === productId && internal.has(q.locationId)) {
        onHand += q.quantity
        reserved += q.reserved
      }
    return { onHand, reserved, free: onHand - reserved }
  }
}
