// The store's foundation: record maps and id sequences, the transaction stamp (write_date = the
// transaction START truncated to whole seconds), locations, warehouses, partners, products with unique
// barcodes, and the quant and move primitives the stock flows are built from.
import { formatOdooDatetime } from '../../core/odoo/odoo-datetime'
import { OdooSimError } from './sim-errors'
import { SimMrp, UNITS } from './sim-mrp'
import {
  CUSTOMERS,
  INVENTORY_ADJ,
  PARTNERS,
  PHYSICAL,
  SCRAP,
  VENDORS,
  VIRTUAL,
  type LocationUsage,
  type SimClock,
  type SimLocation,
  type SimMove,
  type SimMoveLine,
  type SimPartner,
  type SimPicking,
  type SimProduct,
  type SimQuant,
  type SimSaleLine,
  type SimSaleOrder,
  type SimUser,
  type SimWarehouse,
} from './sim-records'

export const EPS = 1e-9

/** What the stock and sales flows of the store are built on. */
export class SimStoreBase {
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
  protected seq = new Map<string, number>()
  protected txStartMs: number | null = null
  protected readonly barcodeOwner = new Map<string, number>()

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

  protected insertLocation(
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
  protected readonly quantIndex = new Map<string, Set<number>>()

  quantsAt(productId: number, locationId: number): SimQuant[] {
    const out: SimQuant[] = []
    for (const id of this.quantIndex.get(`${productId}:${locationId}`) ?? []) {
      const q = this.quants.get(id)
      if (q) out.push(q)
    }
    return out.sort((a, b) => a.id - b.id)
  }

  protected newQuant(productId: number, locationId: number, quantity: number): SimQuant {
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
  protected updateAvailable(
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

  protected newMove(
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

  protected addMoveLine(m: SimMove, locationId: number, qty: number): void {
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

  protected touchMove(m: SimMove): void {
    m.writeDate = this.stamp()
    for (const ml of this.moveLines.values())
      if (ml.moveId === m.id) {
        ml.state = m.state
        ml.writeDate = m.writeDate
      }
  }

  /** Applies a done move that is not reserved: from its source to its destination. */
  protected doneMove(m: SimMove, freshDest = false): void {
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
  protected freeExcessReservation(q: SimQuant): void {
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
}
