// An in-process Odoo that models stock the way Odoo does: quants per (product, location) with quantity
// and reserved_quantity, a location tree with parent paths (children counted under their parent, never
// twice), internal versus virtual locations (inventory adjustments leave negative quants in a virtual
// location), zero quants kept and later deleted invisibly, and write-sequence polling. The engine's tests
// run against it where the Odoo simulator's HTTP round trips would only slow them down.
import type { ClassifiedError } from '../../core/errors'
import type {
  LocationUsage,
  OdooGateway,
  OdooLocation,
  OdooPollCursor,
  OdooPollResult,
  OdooProduct,
  OdooServerInfo,
  OdooWarehouse,
  ProductLocationStock,
  ProductStock,
  SaleOrderInput,
  SaleOrderRef,
} from '../../core/ports/odoo-gateway'

interface Quant {
  id: number
  productId: number
  locationId: number
  quantity: number
  reserved: number
  seq: number
}

export const LOC = {
  wh1View: 1,
  wh1Stock: 2,
  wh1Shelf: 3,
  wh2View: 4,
  wh2Stock: 5,
  inventory: 6,
  customers: 7,
} as const

export class MemoryOdoo implements OdooGateway {
  readonly transport = 'xmlrpc' as const
  private readonly quants = new Map<number, Quant>()
  private readonly products = new Map<number, OdooProduct>()
  private readonly sales = new Map<number, number>()
  private readonly locations: OdooLocation[]
  private readonly warehouses: OdooWarehouse[]
  private seq = 0
  private nextQuant = 1
  private nextOrder = 1
  private readonly orders = new Map<string, SaleOrderRef>()
  /** While set, every call fails with this error (Odoo down, credentials revoked...). */
  failure: ClassifiedError | null = null
  calls = 0

  constructor() {
    const loc = (
      id: number,
      name: string,
      usage: LocationUsage,
      parentId: number | null,
      path: string,
      wh: number | null,
    ): OdooLocation => ({
      id,
      name,
      completeName: name,
      usage,
      parentId,
      parentPath: path,
      warehouseId: wh,
      companyId: 1,
      active: true,
    })
    this.locations = [
      loc(LOC.wh1View, 'WH', 'view', null, '1/', 1),
      loc(LOC.wh1Stock, 'WH/Stock', 'internal', LOC.wh1View, '1/2/', 1),
      loc(LOC.wh1Shelf, 'WH/Stock/Shelf 1', 'internal', LOC.wh1Stock, '1/2/3/', 1),
      loc(LOC.wh2View, 'WH2', 'view', null, '4/', 2),
      loc(LOC.wh2Stock, 'WH2/Stock', 'internal', LOC.wh2View, '4/5/', 2),
      loc(LOC.inventory, 'Virtual Locations/Inventory adjustment', 'inventory', null, '6/', null),
      loc(LOC.customers, 'Partners/Customers', 'customer', null, '7/', null),
    ]
    this.warehouses = [
      {
        id: 1,
        name: 'Main',
        code: 'WH',
        lotStockId: LOC.wh1Stock,
        viewLocationId: LOC.wh1View,
        companyId: 1,
      },
      {
        id: 2,
        name: 'Second',
        code: 'WH2',
        lotStockId: LOC.wh2Stock,
        viewLocationId: LOC.wh2View,
        companyId: 1,
      },
    ]
  }

  private call(): void {
    this.calls++
    if (this.failure) throw this.failure
  }

  // ---- the warehouse (what happens in Odoo) ----

  addProduct(id: number, sku: string, ean: string | null = null): void {
    this.products.set(id, {
      id,
      name: `Product ${sku}`,
      defaultCode: sku,
      barcode: ean,
      active: true,
      companyId: 1,
    })
  }

  setSales(productId: number, unitsOver30Days: number): void {
    this.sales.set(productId, unitsOver30Days)
  }

  private quant(productId: number, locationId: number): Quant {
    for (const q of this.quants.values())
      if (q.productId === productId && q.locationId === locationId) return q
    const q: Quant = { id: this.nextQuant++, productId, locationId, quantity: 0, reserved: 0, seq: 0 }
    this.quants.set(q.id, q)
    return q
  }

  private touch(q: Quant): void {
    q.seq = ++this.seq
  }

  /** Receipt, return or positive inventory adjustment into an internal location. */
  receive(productId: number, qty: number, locationId: number = LOC.wh1Stock): void {
    const q = this.quant(productId, locationId)
    q.quantity += qty
    this.touch(q)
  }

  /** Inventory adjustment: sets the counted quantity; the difference lands in the virtual location. */
  adjust(productId: number, counted: number, locationId: number = LOC.wh1Stock): void {
    const q = this.quant(productId, locationId)
    const diff = counted - q.quantity
    q.quantity = counted
    q.reserved = Math.min(q.reserved, Math.max(0, counted))
    this.touch(q)
    const v = this.quant(productId, LOC.inventory)
    v.quantity -= diff
    this.touch(v)
  }

  /** Reserves up to `qty` free units (a confirmed sale order); returns what was reserved. */
  reserve(productId: number, qty: number): number {
    let left = qty
    for (const q of this.internalQuants(productId)) {
      const take = Math.min(left, Math.max(0, q.quantity - q.reserved))
      if (take <= 0) continue
      q.reserved += take
      left -= take
      this.touch(q)
      if (left === 0) break
    }
    return qty - left
  }

  unreserve(productId: number, qty: number): void {
    let left = qty
    for (const q of this.internalQuants(productId)) {
      const give = Math.min(left, q.reserved)
      if (give <= 0) continue
      q.reserved -= give
      left -= give
      this.touch(q)
    }
  }

  /** Delivery of reserved units (falls back to free units). Zero quants are kept, as Odoo does. */
  deliver(productId: number, qty: number): void {
    let left = qty
    for (const q of this.internalQuants(productId)) {
      const take = Math.min(left, Math.max(0, q.quantity))
      if (take <= 0) continue
      q.quantity -= take
      q.reserved = Math.max(0, Math.min(q.reserved - take, q.quantity))
      left -= take
      this.touch(q)
    }
    if (qty - left > 0) {
      const c = this.quant(productId, LOC.customers)
      c.quantity += qty - left
      this.touch(c)
    }
  }

  /** Odoo's _unlink_zero_quants: invisible to write-date polling. */
  deleteZeroQuants(): void {
    for (const [id, q] of this.quants) if (q.quantity === 0 && q.reserved === 0) this.quants.delete(id)
  }

  private internalQuants(productId: number): Quant[] {
    const internal = new Set(this.locations.filter((l) => l.usage === 'internal').map((l) => l.id))
    return [...this.quants.values()]
      .filter((q) => q.productId === productId && internal.has(q.locationId))
      .sort((a, b) => a.id - b.id)
  }

  /** Free units over every warehouse (what a channel without location rules counts). */
  free(productId: number): number {
    const s = this.internalQuants(productId).reduce((n, q) => n + q.quantity - q.reserved, 0)
    return Math.max(0, s)
  }

  // ---- the gateway ----

  async serverInfo(): Promise<OdooServerInfo> {
    this.call()
    return { serverVersion: '18.0', major: 18, minor: 0 }
  }

  async login(): Promise<{ uid: number }> {
    this.call()
    return { uid: 2 }
  }

  async listProducts(): Promise<OdooProduct[]> {
    this.call()
    return [...this.products.values()]
  }

  async listWarehouses(): Promise<OdooWarehouse[]> {
    this.call()
    return this.warehouses
  }

  async listLocations(): Promise<OdooLocation[]> {
    this.call()
    return this.locations
  }

  async stockByProduct(locationIds: number[], productIds?: number[]): Promise<ProductStock[]> {
    this.call()
    const chosen = this.locations.filter((l) => locationIds.includes(l.id))
    const counted = new Set(
      this.locations
        .filter((l) => l.usage === 'internal' && chosen.some((c) => l.parentPath.startsWith(c.parentPath)))
        .map((l) => l.id),
    )
    const want = productIds ? new Set(productIds) : null
    const out = new Map<number, ProductStock>()
    for (const q of this.quants.values()) {
      if (!counted.has(q.locationId) || (want && !want.has(q.productId))) continue
      const s = out.get(q.productId) ?? { productId: q.productId, onHand: 0, reserved: 0, forecast: null }
      s.onHand += q.quantity
      s.reserved += q.reserved
      out.set(q.productId, s)
    }
    return [...out.values()]
  }

  async stockByProductLocation(locationIds: number[]): Promise<ProductLocationStock[]> {
    this.call()
    const chosen = this.locations.filter((l) => locationIds.includes(l.id))
    const counted = new Set(
      this.locations
        .filter((l) => l.usage === 'internal' && chosen.some((c) => l.parentPath.startsWith(c.parentPath)))
        .map((l) => l.id),
    )
    const out = new Map<string, ProductLocationStock>()
    for (const q of this.quants.values()) {
      if (!counted.has(q.locationId)) continue
      const key = `${q.productId}/${q.locationId}`
      const s = out.get(key) ?? { productId: q.productId, locationId: q.locationId, onHand: 0, reserved: 0 }
      s.onHand += q.quantity
      s.reserved += q.reserved
      out.set(key, s)
    }
    return [...out.values()]
  }

  async pollChanges(cursor: OdooPollCursor | null): Promise<OdooPollResult> {
    this.call()
    const since = typeof cursor?.seq === 'number' ? cursor.seq : this.seq
    const changed = new Set<number>()
    for (const q of this.quants.values()) if (q.seq > since) changed.add(q.productId)
    return { changedProductIds: [...changed], cursor: { seq: this.seq }, calls: 1 }
  }

  async salesHistory(days: number): Promise<Map<number, number>> {
    this.call()
    return new Map([...this.sales].map(([p, n]) => [p, (n * days) / 30]))
  }

  async findSaleOrder(clientOrderRef: string): Promise<SaleOrderRef | null> {
    this.call()
    return this.orders.get(clientOrderRef) ?? null
  }

  async createSaleOrder(input: SaleOrderInput): Promise<number> {
    this.call()
    const id = this.nextOrder++
    this.orders.set(input.clientOrderRef, { id, state: 'draft', clientOrderRef: input.clientOrderRef })
    return id
  }

  async confirmSaleOrder(id: number): Promise<void> {
    this.call()
    for (const o of this.orders.values()) if (o.id === id) o.state = 'sale'
  }

  async cancelSaleOrder(id: number): Promise<void> {
    this.call()
    for (const o of this.orders.values()) if (o.id === id) o.state = 'cancel'
  }

  async close(): Promise<void> {}
}
