// How the simulated records look through the ORM: field names, types and values per model and per
// Odoo version (product type fields changed in 18), including the computed quantity fields on
// product.product that honour the `location`, `strict` and warehouse context keys.
import type { OdooSimStore, SimProduct } from './sim-store'
import { OdooSimError } from './sim-errors'
import { MRP_MODELS } from './sim-mrp-models'
import { UNITS } from './sim-mrp'

export type SimVersion = 17 | 18 | 19

export type FieldType =
  'integer' | 'float' | 'char' | 'boolean' | 'datetime' | 'many2one' | 'one2many' | 'selection'

export interface SimEnv {
  store: OdooSimStore
  version: SimVersion
  context: Record<string, unknown>
}

export interface SimField {
  type: FieldType
  relation?: string
  /** Stored fields can be grouped and summed by read_group. */
  stored: boolean
  get(rec: never, env: SimEnv): unknown
}

export interface SimModel {
  name: string
  /** Whether the model exists on this database (a module's models exist only once it is installed). */
  installed?(env: SimEnv): boolean
  all(env: SimEnv): Iterable<unknown>
  byId(env: SimEnv, id: number): unknown
  fields(version: SimVersion): Record<string, SimField>
  display(rec: never, env: SimEnv): string
}

const f = <R>(
  type: FieldType,
  get: (rec: R, env: SimEnv) => unknown,
  relation?: string,
  stored = true,
): SimField => ({
  type,
  stored,
  get: get as SimField['get'],
  ...(relation ? { relation } : {}),
})

const m2o = <R>(relation: string, get: (rec: R, env: SimEnv) => number | null | undefined): SimField =>
  f<R>('many2one', (r, e) => get(r, e) ?? false, relation)

const or = (v: string | null): string | false => (v === null ? false : v)

/** Quantity fields of product.product under the request context, from quants in internal locations. */
function productQuantities(
  p: SimProduct,
  env: SimEnv,
): { onHand: number; free: number; incoming: number; outgoing: number; virtual?: number } {
  // A kit's quantities come from its components (mrp), in the same context.
  const kit = env.store.mrp.kitQuantities(p.id, (id) => {
    const c = env.store.products.get(id)
    if (!c) return { onHand: 0, free: 0, incoming: 0, outgoing: 0, virtual: 0 }
    const q = productQuantities(c, env)
    return { ...q, virtual: q.virtual ?? q.onHand + q.incoming - q.outgoing }
  })
  if (kit) return kit
  const s = env.store
  const ctx = env.context
  const toIds = (v: unknown, resolve: (name: string) => number[]): number[] =>
    (Array.isArray(v) ? v : [v]).flatMap((x) =>
      typeof x === 'number' ? [x] : typeof x === 'string' ? resolve(x) : [],
    )
  let scope: Set<number> | null = null
  const whKey = env.version >= 18 ? 'warehouse_id' : 'warehouse'
  const byName = (name: string) =>
    [...s.locations.values()].filter((l) => l.completeName === name || l.name === name).map((l) => l.id)
  if (ctx.location !== undefined && ctx.location !== false) {
    const ids = toIds(ctx.location, byName)
    if (ctx.strict === true) scope = new Set(ids.filter((id) => s.isInternal(id)))
    else scope = s.internalUnder(ids)
  } else if (ctx[whKey] !== undefined && ctx[whKey] !== false) {
    const whs = toIds(ctx[whKey], (name) =>
      [...s.warehouses.values()].filter((w) => w.name === name || w.code === name).map((w) => w.id),
    )
    scope = s.internalUnder(whs.map((id) => s.warehouses.get(id)?.viewLocationId ?? -1))
  }
  let onHand = 0
  let reserved = 0
  for (const q of s.quants.values()) {
    if (q.productId !== p.id || !s.isInternal(q.locationId)) continue
    if (scope && !scope.has(q.locationId)) continue
    onHand += q.quantity
    reserved += q.reserved
  }
  let incoming = 0
  let outgoing = 0
  for (const m of s.moves.values()) {
    if (m.productId !== p.id || m.state === 'done' || m.state === 'cancel' || m.state === 'draft') continue
    const inSrc = s.isInternal(m.locationId) && (!scope || scope.has(m.locationId))
    const inDst = s.isInternal(m.locationDestId) && (!scope || scope.has(m.locationDestId))
    if (inSrc && !inDst) outgoing += m.productUomQty
    if (inDst && !inSrc) incoming += m.productUomQty
  }
  return { onHand, free: onHand - reserved, incoming, outgoing }
}

const productModel: SimModel = {
  name: 'product.product',
  all: (e) => e.store.products.values(),
  byId: (e, id) => e.store.products.get(id),
  display: (p: SimProduct) => (p.defaultCode ? `[${p.defaultCode}] ${p.name}` : p.name),
  fields: (v) => {
    const base: Record<string, SimField> = {
      id: f<SimProduct>('integer', (p) => p.id),
      name: f<SimProduct>('char', (p) => p.name),
      display_name: f<SimProduct>(
        'char',
        (p) => productModel.display(p as never, undefined as never),
        undefined,
        false,
      ),
      default_code: f<SimProduct>('char', (p) => or(p.defaultCode)),
      barcode: f<SimProduct>('char', (p) => or(p.barcode)),
      active: f<SimProduct>('boolean', (p) => p.active),
      company_id: m2o<SimProduct>('res.company', (p) => p.companyId),
      list_price: f<SimProduct>('float', (p) => p.listPrice),
      product_tmpl_id: m2o<SimProduct>('product.template', (p) => p.templateId ?? p.id),
      uom_id: m2o<SimProduct>('uom.uom', (p) => p.uomId ?? UNITS),
      product_template_attribute_value_ids: f<SimProduct>(
        'one2many',
        () => [],
        'product.template.attribute.value',
        false,
      ),
      write_date: f<SimProduct>('datetime', (p) => p.writeDate),
      qty_available: f<SimProduct>('float', (p, e) => productQuantities(p, e).onHand, undefined, false),
      free_qty: f<SimProduct>('float', (p, e) => productQuantities(p, e).free, undefined, false),
      incoming_qty: f<SimProduct>('float', (p, e) => productQuantities(p, e).incoming, undefined, false),
      outgoing_qty: f<SimProduct>('float', (p, e) => productQuantities(p, e).outgoing, undefined, false),
      virtual_available: f<SimProduct>(
        'float',
        (p, e) => {
          const q = productQuantities(p, e)
          return q.virtual ?? q.onHand + q.incoming - q.outgoing
        },
        undefined,
        false,
      ),
    }
    if (v >= 18) {
      base.type = f<SimProduct>('selection', (p) => (p.kind === 'goods' ? 'consu' : p.kind))
      base.is_storable = f<SimProduct>('boolean', (p) => p.storable)
    } else {
      const t = (p: SimProduct) => (p.kind === 'goods' ? (p.storable ? 'product' : 'consu') : 'service')
      base.type = f<SimProduct>('selection', t)
      base.detailed_type = f<SimProduct>('selection', t)
    }
    return base
  },
}

type Rec<K extends keyof OdooSimStore> = OdooSimStore[K] extends Map<number, infer R> ? R : never

const mapModel = <K extends keyof OdooSimStore>(
  name: string,
  key: K,
  display: (r: Rec<K>, e: SimEnv) => string,
  fields: (v: SimVersion) => Record<string, SimField>,
): SimModel => ({
  name,
  all: (e) => (e.store[key] as Map<number, unknown>).values(),
  byId: (e, id) => (e.store[key] as Map<number, unknown>).get(id),
  display: display as SimModel['display'],
  fields,
})

type Loc = Rec<'locations'>
type Quant = Rec<'quants'>
type Move = Rec<'moves'>
type MoveLine = Rec<'moveLines'>
type Picking = Rec<'pickings'>
type SO = Rec<'saleOrders'>
type SOL = Rec<'saleLines'>
type WH = Rec<'warehouses'>

const locationModel = mapModel(
  'stock.location',
  'locations',
  (l) => l.completeName,
  () => ({
    id: f<Loc>('integer', (l) => l.id),
    name: f<Loc>('char', (l) => l.name),
    complete_name: f<Loc>('char', (l) => l.completeName),
    usage: f<Loc>('selection', (l) => l.usage),
    location_id: m2o<Loc>('stock.location', (l) => l.parentId),
    parent_path: f<Loc>('char', (l) => l.parentPath),
    warehouse_id: m2o<Loc>('stock.warehouse', (l) => l.warehouseId),
    company_id: m2o<Loc>('res.company', (l) => l.companyId),
    active: f<Loc>('boolean', (l) => l.active),
    write_date: f<Loc>('datetime', (l) => l.writeDate),
  }),
)

const warehouseModel = mapModel(
  'stock.warehouse',
  'warehouses',
  (w) => w.name,
  () => ({
    id: f<WH>('integer', (w) => w.id),
    name: f<WH>('char', (w) => w.name),
    code: f<WH>('char', (w) => w.code),
    lot_stock_id: m2o<WH>('stock.location', (w) => w.lotStockId),
    view_location_id: m2o<WH>('stock.location', (w) => w.viewLocationId),
    company_id: m2o<WH>('res.company', (w) => w.companyId),
    active: f<WH>('boolean', () => true),
  }),
)

const quantModel = mapModel(
  'stock.quant',
  'quants',
  (q, e) => {
    const p = e.store.products.get(q.productId)
    return `${e.store.locations.get(q.locationId)?.completeName ?? ''} - ${p?.name ?? ''}`
  },
  () => ({
    id: f<Quant>('integer', (q) => q.id),
    product_id: m2o<Quant>('product.product', (q) => q.productId),
    location_id: m2o<Quant>('stock.location', (q) => q.locationId),
    quantity: f<Quant>('float', (q) => q.quantity),
    reserved_quantity: f<Quant>('float', (q) => q.reserved),
    available_quantity: f<Quant>('float', (q) => q.quantity - q.reserved, undefined, false),
    inventory_quantity: f<Quant>('float', (q) => q.inventoryQuantity ?? 0),
    warehouse_id: m2o<Quant>('stock.warehouse', (q, e) => e.store.locations.get(q.locationId)?.warehouseId),
    lot_id: f<Quant>('many2one', () => false, 'stock.lot'),
    package_id: f<Quant>('many2one', () => false, 'stock.quant.package'),
    owner_id: f<Quant>('many2one', () => false, 'res.partner'),
    company_id: m2o<Quant>('res.company', (q) => q.companyId),
    write_date: f<Quant>('datetime', (q) => q.writeDate),
    in_date: f<Quant>('datetime', (q) => q.inDate),
  }),
)

const moveFields = (v: SimVersion): Record<string, SimField> => {
  const base: Record<string, SimField> = {
    id: f<Move>('integer', (m) => m.id),
    product_id: m2o<Move>('product.product', (m) => m.productId),
    location_id: m2o<Move>('stock.location', (m) => m.locationId),
    location_dest_id: m2o<Move>('stock.location', (m) => m.locationDestId),
    product_uom_qty: f<Move>('float', (m) => m.productUomQty),
    quantity: f<Move>('float', (m) => m.quantity),
    state: f<Move>('selection', (m) => m.state),
    date: f<Move>('datetime', (m) => m.date),
    write_date: f<Move>('datetime', (m) => m.writeDate),
    is_inventory: f<Move>('boolean', (m) => m.isInventory),
    origin_returned_move_id: m2o<Move>('stock.move', (m) => m.originReturnedMoveId),
    picking_id: m2o<Move>('stock.picking', (m) => m.pickingId),
    sale_line_id: m2o<Move>('sale.order.line', (m) => m.saleLineId),
  }
  // Removed in 19.
  if (v < 19) base.name = f<Move>('char', (m) => `Move ${m.id}`)
  return base
}
const moveModel = mapModel('stock.move', 'moves', (m) => `Move ${m.id}`, moveFields)

const moveLineModel = mapModel(
  'stock.move.line',
  'moveLines',
  (m) => `Line ${m.id}`,
  () => ({
    id: f<MoveLine>('integer', (m) => m.id),
    move_id: m2o<MoveLine>('stock.move', (m) => m.moveId),
    product_id: m2o<MoveLine>('product.product', (m) => m.productId),
    location_id: m2o<MoveLine>('stock.location', (m) => m.locationId),
    location_dest_id: m2o<MoveLine>('stock.location', (m) => m.locationDestId),
    quantity: f<MoveLine>('float', (m) => m.quantity),
    state: f<MoveLine>('selection', (m) => m.state),
    write_date: f<MoveLine>('datetime', (m) => m.writeDate),
  }),
)

const pickingModel = mapModel(
  'stock.picking',
  'pickings',
  (p) => p.name,
  () => ({
    id: f<Picking>('integer', (p) => p.id),
    name: f<Picking>('char', (p) => p.name),
    state: f<Picking>('selection', (p) => p.state),
    picking_type_code: f<Picking>('selection', (p) => p.kind),
    location_id: m2o<Picking>('stock.location', (p) => p.locationId),
    location_dest_id: m2o<Picking>('stock.location', (p) => p.locationDestId),
    sale_id: m2o<Picking>('sale.order', (p) => p.saleId),
    origin: f<Picking>('char', (p) => p.origin),
    backorder_id: m2o<Picking>('stock.picking', (p) => p.backorderId),
    move_ids: f<Picking>('one2many', (p) => [...p.moveIds], 'stock.move', false),
    write_date: f<Picking>('datetime', (p) => p.writeDate),
  }),
)

const saleOrderModel = mapModel(
  'sale.order',
  'saleOrders',
  (o) => o.name,
  () => ({
    id: f<SO>('integer', (o) => o.id),
    name: f<SO>('char', (o) => o.name),
    partner_id: m2o<SO>('res.partner', (o) => o.partnerId),
    warehouse_id: m2o<SO>('stock.warehouse', (o) => o.warehouseId),
    client_order_ref: f<SO>('char', (o) => o.clientOrderRef),
    state: f<SO>('selection', (o) => o.state),
    date_order: f<SO>('datetime', (o) => o.dateOrder),
    order_line: f<SO>('one2many', (o) => [...o.lineIds], 'sale.order.line', false),
    picking_ids: f<SO>(
      'one2many',
      (o, e) => [...e.store.pickings.values()].filter((p) => p.saleId === o.id).map((p) => p.id),
      'stock.picking',
      false,
    ),
    write_date: f<SO>('datetime', (o) => o.writeDate),
  }),
)

const saleLineModel = mapModel(
  'sale.order.line',
  'saleLines',
  (l) => `Line ${l.id}`,
  () => ({
    id: f<SOL>('integer', (l) => l.id),
    order_id: m2o<SOL>('sale.order', (l) => l.orderId),
    product_id: m2o<SOL>('product.product', (l) => l.productId),
    product_uom_qty: f<SOL>('float', (l) => l.productUomQty),
    price_unit: f<SOL>('float', (l) => l.priceUnit),
    state: f<SOL>('selection', (l, e) => e.store.saleOrders.get(l.orderId)?.state ?? 'draft'),
    write_date: f<SOL>('datetime', (l) => l.writeDate),
  }),
)

const partnerModel = mapModel(
  'res.partner',
  'partners',
  (p) => p.name,
  () => ({
    id: f<Rec<'partners'>>('integer', (p) => p.id),
    name: f<Rec<'partners'>>('char', (p) => p.name),
  }),
)

const userModel = mapModel(
  'res.users',
  'users',
  (u) => u.login,
  () => ({
    id: f<Rec<'users'>>('integer', (u) => u.id),
    login: f<Rec<'users'>>('char', (u) => u.login),
    name: f<Rec<'users'>>('char', (u) => (u.login === 'admin' ? 'Administrator' : u.login)),
  }),
)

const companyModel: SimModel = {
  name: 'res.company',
  all: () => [{ id: 1 }],
  byId: (_e, id) => (id === 1 ? { id: 1 } : undefined),
  display: () => 'My Company',
  fields: () => ({
    id: f<{ id: number }>('integer', (c) => c.id),
    name: f<{ id: number }>('char', () => 'My Company'),
  }),
}

export const SIM_MODELS: ReadonlyMap<string, SimModel> = new Map(
  [
    productModel,
    locationModel,
    warehouseModel,
    quantModel,
    moveModel,
    moveLineModel,
    pickingModel,
    saleOrderModel,
    saleLineModel,
    partnerModel,
    userModel,
    companyModel,
    ...MRP_MODELS,
  ].map((m) => [m.name, m]),
)

export function modelOf(name: string): SimModel {
  const m = SIM_MODELS.get(name)
  if (!m) throw new OdooSimError('NotFound', `Model not found: ${name}`)
  return m
}
