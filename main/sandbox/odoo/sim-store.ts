// The state and business rules of the simulated Odoo: quants, moves, pickings, sale orders, with the
// behaviours observed on real servers (reservations on confirm, zero quants kept then deleted, returns and
// receipts creating NEW quants, negative quants in the inventory adjustment location, write_date = the
// transaction START truncated to whole seconds).
import { formatOdooDatetime } from '../../core/odoo/odoo-datetime'
import { OdooSimError } from './sim-errors'
import { SimMrp, UNITS } from './sim-mrp'

export type LocationUsage = 'view' | 'internal' | 'supplier' | 'customer' | 'inventory' | 'transit'

export interface SimLocation {
  id: number
  name: string
  completeName: string
  usage: LocationUsage
  parentId: number | null
  parentPath: string
  warehouseId: number | null
  companyId: number | null
  active: boolean
  writeDate: string
}

export interface SimWarehouse {
  id: number
  name: string
  code: string
  lotStockId: number
  viewLocationId: number
  companyId: number
}

export type ProductKind = 'goods' | 'service' | 'combo'

export interface SimProduct {
  id: number
  name: string
  defaultCode: string | null
  barcode: string | null
  active: boolean
  kind: ProductKind
  storable: boolean
  companyId: number | null
  listPrice: number
  writeDate: string
  /** product_tmpl_id (default: a template of its own, numbered like the product). */
  templateId?: number
  /** uom_id (default: Units). */
  uomId?: number
}

export interface SimQuant {
  id: number
  productId: number
  locationId: number
  quantity: number
  reserved: number
  inventoryQuantity: number | null
  companyId: number
  writeDate: string
  inDate: string
}

export type MoveState = 'draft' | 'confirmed' | 'partially_available' | 'assigned' | 'done' | 'cancel'

export interface SimMove {
  id: number
  productId: number
  locationId: number
  locationDestId: number
  productUomQty: number
  /** Reserved quantity while open, done quantity once done. */
  quantity: number
  state: MoveState
  date: string
  writeDate: string
  isInventory: boolean
  originReturnedMoveId: number | null
  pickingId: number | null
  saleLineId: number | null
  reservations: Array<{ quantId: number; qty: number }>
}

export interface SimMoveLine {
  id: number
  moveId: number
  productId: number
  locationId: number
  locationDestId: number
  quantity: number
  state: MoveState
  writeDate: string
}

export type PickingState = 'draft' | 'confirmed' | 'assigned' | 'done' | 'cancel'

export interface SimPicking {
  id: number
  name: string
  kind: 'incoming' | 'outgoing' | 'internal'
  state: PickingState
  locationId: number
  locationDestId: number
  saleId: number | null
  origin: string
  moveIds: number[]
  backorderId: number | null
  writeDate: string
}

export type SaleState = 'draft' | 'sent' | 'sale' | 'done' | 'cancel'

export interface SimSaleOrder {
  id: number
  name: string
  partnerId: number
  warehouseId: number
  clientOrderRef: string | false
  state: SaleState
  dateOrder: string
  lineIds: number[]
  writeDate: string
}

export interface SimSaleLine {
  id: number
  orderId: number
  productId: number
  productUomQty: number
  priceUnit: number
  writeDate: string
}

export interface SimPartner {
  id: number
  name: string
}

export interface SimUser {
  id: number
  login: string
  password: string
  apiKeys: string[]
}

export interface SimClock {
  now(): number
}

export const PHYSICAL = 1
export const PARTNERS = 2
export const VIRTUAL = 3
export const VENDORS = 4
export const CUSTOMERS = 5
export const INVENTORY_ADJ = 6
export const SCRAP = 7

const EPS = 1e-9

export class OdooSimStore {
  readonly locations = new Map<number, SimLocation>()
  readonly warehouses = new Map<number, SimWarehouse>()
  readonly products = new Map<number, SimProduct>()
  readonly quants = new Map<number, SimQuant>()
  readonly moves = new Map<number, SimMove>()
  readonly moveLines = new Map<number, SimMoveLine>()
  readonly pickings = new Map<number, SimPicking>()
  readonly saleOrders = new Map<number, SimSaleOrder>()
  readonly saleLines = new Map<number, SimSaleLine>()
  readonly partners = new Map<number, SimPartner>()
  readonly users = new Map<number, SimUser>()
  /** Wizards (backorder confirmation, sale cancel, return) live until used. */
  readonly wizards = new Map<number, { model: string; vals: Record<string, unknown> }>()
  /** The Odoo version answering (set by the server; the mrp arithmetic differs per version). */
  version = 18
  /** The mrp module: kits, their BoMs and what Odoo does with them (installed by an option). */
  readonly mrp: SimMrp = new SimMrp({
    version: () => this.version,
    product: (id) => {
      const p = this.products.get(id)
      return (
        p && {
          id,
          templateId: p.templateId ?? id,
          kind: p.kind,
          storable: p.storable,
          uomId: p.uomId ?? UNITS,
        }
      )
    },
    nextId: (model) => this.nextId(model),
    stamp: () => this.stamp(),
  })
  private seq = new Map<string, number>()
  private txStartMs: number | null = null
  private readonly barcodeOwner = new Map<string, number>()

  constructor(readonly clock: SimClock) {
    this.users.set(2, { id: 2, login: 'admin', password: 'admin', apiKeys: [] })
    const base: Array<[number, string, LocationUsage, number | null]> = [
      [PHYSICAL, 'Physical Locations', 'view', null],
      [PARTNERS, 'Partners', 'view', null],
      [VIRTUAL, 'Virtual Locations', 'view', null],
      [VENDORS, 'Vendors', 'supplier', PARTNERS],
      [CUSTOMERS, 'Customers', 'customer', PARTNERS],
      [INVENTORY_ADJ, 'Inventory adjustment', 'inventory', VIRTUAL],
      [SCRAP, 'Scrap', 'inventory', VIRTUAL],
    ]
    this.seq.set('stock.location', 0)
    for (const [id, name, usage, parent] of base) this.insertLocation(id, name, usage, parent, null)
    this.seq.set('stock.location', 20)
    this.partners.set(1, { id: 1, name: 'My Company' })
    this.seq.set('res.partner', 10)
  }

  /** Moves a model's id sequence forward (e.g. past 2^31 to exercise `<i8>`). */
  bumpSequence(model: string, to: number): void {
    this.seq.set(model, Math.max(this.seq.get(model) ?? 0, to))
  }

  nextId(model: string): number {
    const n = (this.seq.get(model) ?? 0) + 1
    this.seq.set(model, n)
    return n
  }

  /** The write_date every change in the running transaction carries: its start, whole seconds. */
  stamp(): string {
    return formatOdooDatetime(this.txStartMs ?? this.clock.now())
  }

  /**
   * Runs `fn` as one transaction that STARTED at `startMs`. Changes are applied (committed) now but carry
   * write_date = start: the late-commit trap.
   */
  transaction<T>(fn: () => T, startMs?: number): T {
    const outer = this.txStartMs
    if (outer === null) this.txStartMs = startMs ?? this.clock.now()
    try {
      return fn()
    } finally {
      this.txStartMs = outer
    }
  }

  private insertLocation(
    id: number,
    name: string,
    usage: LocationUsage,
    parentId: number | null,
    warehouseId: number | null,
  ): SimLocation {
    const parent = parentId === null ? undefined : this.locations.get(parentId)
    const loc: SimLocation = {
      id,
      name,
      completeName: parent && parent.id !== PHYSICAL ? `${parent.completeName}/${name}` : name,
      usage,
      parentId,
      parentPath: `${parent?.parentPath ?? ''}${id}/`,
      warehouseId,
      companyId: usage === 'internal' || usage === 'view' ? 1 : null,
      active: true,
      writeDate: this.stamp(),
    }
    this.locations.set(id, loc)
    return loc
  }

  addLocation(name: string, usage: LocationUsage, parentId: number): SimLocation {
    const parent = this.mustGet(this.locations, parentId, 'stock.location')
    return this.insertLocation(this.nextId('stock.location'), name, usage, parentId, parent.warehouseId)
  }

  addWarehouse(name: string, code: string): SimWarehouse {
    const id = this.nextId('stock.warehouse')
    const view = this.insertLocation(this.nextId('stock.location'), code, 'view', PHYSICAL, id)
    const stock = this.insertLocation(this.nextId('stock.location'), 'Stock', 'internal', view.id, id)
    const wh: SimWarehouse = { id, name, code, lotStockId: stock.id, viewLocationId: view.id, companyId: 1 }
    this.warehouses.set(id, wh)
    return wh
  }

  addPartner(name: string): SimPartner {
    const p = { id: this.nextId('res.partner'), name }
    this.partners.set(p.id, p)
    return p
  }

  addProduct(p: Omit<SimProduct, 'id' | 'writeDate'>): SimProduct {
    const owner = p.barcode ? this.barcodeOwner.get(p.barcode) : undefined
    if (p.barcode && owner !== undefined && this.products.get(owner)?.barcode === p.barcode)
      throw new OdooSimError(
        'ValidationError',
        `Barcode(s) already assigned:\n- Barcode "${p.barcode}" already assigned to product(s): ${this.products.get(owner)?.name ?? ''}`,
      )
    const prod: SimProduct = { ...p, id: this.nextId('product.product'), writeDate: this.stamp() }
    this.products.set(prod.id, prod)
    if (prod.barcode) this.barcodeOwner.set(prod.barcode, prod.id)
    return prod
  }

  /** Barcodes are unique among products (a ValidationError, 422 on JSON-2). */
  setBarcode(productId: number, barcode: string | null): void {
    const p = this.mustGet(this.products, productId, 'product.product')
    const owner = barcode ? this.barcodeOwner.get(barcode) : undefined
    if (
      barcode &&
      owner !== undefined &&
      owner !== productId &&
      this.products.get(owner)?.barcode === barcode
    )
      throw new OdooSimError(
        'ValidationError',
        `Barcode(s) already assigned:\n- Barcode "${barcode}" already assigned to product(s): ${this.products.get(owner)?.name ?? ''}`,
      )
    p.barcode = barcode
    if (barcode) this.barcodeOwner.set(barcode, productId)
  }

  mustGet<T>(map: Map<number, T>, id: number, model: string): T {
    const r = map.get(id)
    if (r === undefined)
      throw new OdooSimError(
        'MissingError',
        `Record does not exist or has been deleted.\n(Record: ${model}(${id},), User: 2)`,
      )
    return r
  }

  isInternal(locationId: number): boolean {
    return this.locations.get(locationId)?.usage === 'internal'
  }

  /** Internal location ids under `rootIds` (children included). */
  internalUnder(rootIds: number[]): Set<number> {
    const prefixes = rootIds.map((id) => this.locations.get(id)?.parentPath).filter((p) => p !== undefined)
    const out = new Set<number>()
    for (const l of this.locations.values())
      if (l.usage === 'internal' && prefixes.some((p) => l.parentPath.startsWith(p))) out.add(l.id)
    return out
  }

  // ---------- quants ----------

  // Quants never change product or location, so an index by (product, location) stays exact.
  private readonly quantIndex = new Map<string, Set<number>>()

  quantsAt(productId: number, locationId: number): SimQuant[] {
    const out: SimQuant[] = []
    for (const id of this.quantIndex.get(`${productId}:${locationId}`) ?? []) {
      const q = this.quants.get(id)
      if (q) out.push(q)
    }
    return out.sort((a, b) => a.id - b.id)
  }

  private newQuant(productId: number, locationId: number, quantity: number): SimQuant {
    const loc = this.mustGet(this.locations, locationId, 'stock.location')
    const q: SimQuant = {
      id: this.nextId('stock.quant'),
      productId,
      locationId,
      quantity,
      reserved: 0,
      inventoryQuantity: null,
      companyId: loc.companyId ?? 1,
      writeDate: this.stamp(),
      inDate: this.stamp(),
    }
    this.quants.set(q.id, q)
    const key = `${productId}:${locationId}`
    const set = this.quantIndex.get(key) ?? new Set<number>()
    set.add(q.id)
    this.quantIndex.set(key, set)
    return q
  }

  /** Adds `delta` to the product's stock at the location, merging into the first quant unless `fresh`. */
  private updateAvailable(
    productId: number,
    locationId: number,
    delta: number,
    fresh = false,
  ): SimQuant | null {
    if (this.locations.get(locationId)?.usage === 'view') return null
    const existing = fresh ? undefined : this.quantsAt(productId, locationId)[0]
    if (!existing) return this.newQuant(productId, locationId, delta)
    existing.quantity += delta
    existing.writeDate = this.stamp()
    return existing
  }

  private newMove(
    productId: number,
    from: number,
    to: number,
    qty: number,
    extra: Partial<SimMove> = {},
  ): SimMove {
    const m: SimMove = {
      id: this.nextId('stock.move'),
      productId,
      locationId: from,
      locationDestId: to,
      productUomQty: qty,
      quantity: 0,
      state: 'draft',
      date: this.stamp(),
      writeDate: this.stamp(),
      isInventory: false,
      originReturnedMoveId: null,
      pickingId: null,
      saleLineId: null,
      reservations: [],
      ...extra,
    }
    this.moves.set(m.id, m)
    return m
  }

  private addMoveLine(m: SimMove, locationId: number, qty: number): void {
    const ml: SimMoveLine = {
      id: this.nextId('stock.move.line'),
      moveId: m.id,
      productId: m.productId,
      locationId,
      locationDestId: m.locationDestId,
      quantity: qty,
      state: m.state,
      writeDate: this.stamp(),
    }
    this.moveLines.set(ml.id, ml)
  }

  private touchMove(m: SimMove): void {
    m.writeDate = this.stamp()
    for (const ml of this.moveLines.values())
      if (ml.moveId === m.id) {
        ml.state = m.state
        ml.writeDate = m.writeDate
      }
  }

  /** Applies a done move that is not reserved: from its source to its destination. */
  private doneMove(m: SimMove, freshDest = false): void {
    this.updateAvailable(m.productId, m.locationId, -m.productUomQty)
    this.updateAvailable(m.productId, m.locationDestId, m.productUomQty, freshDest)
    m.quantity = m.productUomQty
    m.state = 'done'
    this.addMoveLine(m, m.locationId, m.productUomQty)
    this.touchMove(m)
  }

  /** Sets on-hand quantity at one location (inventory adjustment): the gap goes to the virtual location. */
  applyInventory(productId: number, locationId: number, qty: number): SimQuant {
    this.mustGet(this.products, productId, 'product.product')
    if (!this.isInternal(locationId))
      throw new OdooSimError('UserError', 'You can only adjust storable products in internal locations.')
    const at = this.quantsAt(productId, locationId)
    const current = at.reduce((s, q) => s + q.quantity, 0)
    const delta = qty - current
    if (Math.abs(delta) > EPS) {
      const m = this.newMove(productId, INVENTORY_ADJ, locationId, delta, { isInventory: true })
      this.updateAvailable(productId, INVENTORY_ADJ, -delta)
      m.quantity = Math.abs(delta)
      m.state = 'done'
      if (delta < 0) {
        m.locationId = locationId
        m.locationDestId = INVENTORY_ADJ
        m.productUomQty = -delta
      }
      this.addMoveLine(m, m.locationId, Math.abs(delta))
      this.touchMove(m)
    }
    const target = at[0] ?? this.newQuant(productId, locationId, 0)
    target.quantity += delta
    target.inventoryQuantity = null
    target.writeDate = this.stamp()
    this.freeExcessReservation(target)
    return target
  }

  /** When a quant drops below what is reserved on it, Odoo unreserves the moves that used it. */
  private freeExcessReservation(q: SimQuant): void {
    let excess = q.reserved - Math.max(0, q.quantity)
    if (excess <= EPS) return
    for (const m of this.moves.values()) {
      if (excess <= EPS) break
      if (m.state === 'done' || m.state === 'cancel') continue
      for (const r of m.reservations) {
        if (r.quantId !== q.id || r.qty <= 0 || excess <= EPS) continue
        const take = Math.min(r.qty, excess)
        r.qty -= take
        m.quantity -= take
        q.reserved -= take
        excess -= take
        m.state = m.quantity <= EPS ? 'confirmed' : 'partially_available'
        this.touchMove(m)
      }
      m.reservations = m.reservations.filter((r) => r.qty > EPS)
    }
    q.writeDate = this.stamp()
  }

  /** Raw write of quantity (admin): changes stock without any move, as real Odoo accepts. */
  writeQuantQuantity(quantId: number, qty: number): void {
    const q = this.mustGet(this.quants, quantId, 'stock.quant')
    q.quantity = qty
    q.writeDate = this.stamp()
    this.freeExcessReservation(q)
  }

  /** Raw create without inventory_mode: a duplicate quant. */
  createRawQuant(productId: number, locationId: number, qty: number): SimQuant {
    this.mustGet(this.products, productId, 'product.product')
    return this.newQuant(productId, locationId, qty)
  }

  receive(productId: number, locationId: number, qty: number): SimPicking {
    this.mustGet(this.products, productId, 'product.product')
    const p = this.newPicking('incoming', VENDORS, locationId, null, 'Receipt')
    const m = this.newMove(productId, VENDORS, locationId, qty, { pickingId: p.id })
    p.moveIds.push(m.id)
    this.doneMove(m)
    p.state = 'done'
    return p
  }

  scrap(productId: number, locationId: number, qty: number): void {
    const m = this.newMove(productId, locationId, SCRAP, qty)
    // Scrap takes unreserved units first: decrement the quant with the most free stock.
    const qs = this.quantsAt(productId, locationId).sort(
      (a, b) => b.quantity - b.reserved - (a.quantity - a.reserved),
    )
    const q = qs[0] ?? this.newQuant(productId, locationId, 0)
    q.quantity -= qty
    q.writeDate = this.stamp()
    this.updateAvailable(productId, SCRAP, qty)
    m.quantity = qty
    m.state = 'done'
    this.addMoveLine(m, locationId, qty)
    this.touchMove(m)
    this.freeExcessReservation(q)
  }

  /** The scheduler's `_unlink_zero_quants`: leaves no write_date trace. */
  unlinkZeroQuants(): number {
    let n = 0
    for (const q of [...this.quants.values()])
      if (Math.abs(q.quantity) <= EPS && Math.abs(q.reserved) <= EPS && q.inventoryQuantity === null) {
        this.quants.delete(q.id)
        this.quantIndex.get(`${q.productId}:${q.locationId}`)?.delete(q.id)
        n++
      }
    return n
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
