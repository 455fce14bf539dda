// The records of the simulated Odoo (locations, warehouses, products, quants, moves, move lines,
// pickings, sale orders and lines, partners, users) and the ids of the locations every database has.
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
