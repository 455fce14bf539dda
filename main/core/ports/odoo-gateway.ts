// The port through which LastUnit reads from and writes to Odoo. Implemented in main/node/odoo by an
// XML-RPC gateway (Odoo 17-18) and a JSON-2 gateway (Odoo 19+); older servers are refused.
import type { KitSnapshot } from '../stock/kits'

export type OdooTransport = 'xmlrpc' | 'json2'

export interface OdooServerInfo {
  /** e.g. "18.0" or "saas~18.3" */
  serverVersion: string
  /** Major version number, e.g. 18 */
  major: number
  minor: number
}

export type LocationUsage =
  'internal' | 'view' | 'supplier' | 'customer' | 'inventory' | 'production' | 'transit'

export interface OdooProduct {
  id: number
  name: string
  /** Internal reference, the usual SKU. */
  defaultCode: string | null
  /** Usually the EAN. */
  barcode: string | null
  active: boolean
  companyId: number | null
}

export interface OdooWarehouse {
  id: number
  name: string
  code: string
  lotStockId: number
  viewLocationId: number
  companyId: number | null
}

export interface OdooLocation {
  id: number
  name: string
  completeName: string
  usage: LocationUsage
  parentId: number | null
  /** e.g. "1/7/8/" */
  parentPath: string
  warehouseId: number | null
  companyId: number | null
  active: boolean
}

/** Stock of one product summed over a set of locations (each quant counted once). */
export interface ProductStock {
  productId: number
  /** Sum of quant quantity. */
  onHand: number
  /** Sum of quant reserved_quantity. */
  reserved: number
  /** Forecast (virtual_available) when asked for, else null. */
  forecast: number | null
}

/** Stock of one product in one internal location (the late-commit sweep's rows). */
export interface ProductLocationStock {
  productId: number
  locationId: number
  onHand: number
  reserved: number
}

/** Opaque, JSON-serialisable cursor for incremental change detection; persisted by the caller. */
export type OdooPollCursor = Record<string, unknown>

export interface OdooPollResult {
  /** Products whose stock may have changed since the cursor: recompute them, never patch. */
  changedProductIds: number[]
  cursor: OdooPollCursor
  /** RPC calls this poll made (for the benchmark and the log). */
  calls: number
}

export interface SaleOrderLineInput {
  productId: number
  quantity: number
  priceUnit: number
}

export interface SaleOrderInput {
  partnerId: number
  warehouseId: number | null
  /** e.g. "amazon:123-4567890-1234567" */
  clientOrderRef: string
  lines: SaleOrderLineInput[]
}

export type SaleOrderState = 'draft' | 'sent' | 'sale' | 'done' | 'cancel'

export interface SaleOrderRef {
  id: number
  state: SaleOrderState
  clientOrderRef: string
}

/** Where Odoo's own quantity fields are evaluated (context `location`, or the version's warehouse key). */
export type OdooQuantityScope = { locationIds: number[] } | { warehouseId: number }

/** Odoo's own figures from product.product quantity fields, for cross-checks and forecasts. */
export interface OdooProductQuantities {
  productId: number
  qtyAvailable: number
  freeQty: number
  virtualAvailable: number
  /** Units of open outgoing moves (deliveries of any sale, reserved or waiting for stock). */
  outgoingQty: number
}

export interface OdooGateway {
  readonly transport: OdooTransport
  serverInfo(): Promise<OdooServerInfo>
  /** Checks URL, database and credentials; throws a ClassifiedError a seller can act on. */
  login(): Promise<{ uid: number }>
  listProducts(): Promise<OdooProduct[]>
  listWarehouses(): Promise<OdooWarehouse[]>
  listLocations(): Promise<OdooLocation[]>
  /**
   * Stock per product over the given locations (children included, internal only, counted once), with
   * grouped reads. `productIds` limits the products; omitted means all.
   */
  stockByProduct(locationIds: number[], productIds?: number[]): Promise<ProductStock[]>
  /**
   * Stock per product AND location over the subtrees of `locationIds` (internal locations only), in one
   * grouped read. The late-commit sweep compares it with what is stored: a transaction that commits
   * after the poll's overlap window carries a write_date nobody polls for any more.
   */
  stockByProductLocation(locationIds: number[]): Promise<ProductLocationStock[]>
  /**
   * Incremental change detection; `null` starts from now. Persist the returned cursor only after the
   * changed products were recomputed: if that fails, poll again from the previous cursor.
   */
  pollChanges(cursor: OdooPollCursor | null): Promise<OdooPollResult>
  /** Units sold per product over the last `days` days (confirmed sale order lines). */
  salesHistory(days: number): Promise<Map<number, number>>
  findSaleOrder(clientOrderRef: string): Promise<SaleOrderRef | null>
  /**
   * Creates the order unless one with its client_order_ref exists. `lookedUp`: the caller looked the
   * reference up itself just before and found nothing, so no second look-up is made.
   */
  createSaleOrder(input: SaleOrderInput, opts?: { lookedUp?: boolean }): Promise<number>
  /** Confirms a draft order; `knownState` is its state as just read (spares reading it again). */
  confirmSaleOrder(id: number, knownState?: SaleOrderState): Promise<void>
  cancelSaleOrder(id: number): Promise<void>
  /** The names Odoo shows for sale orders ("S00042"), by id; ids that no longer exist are left out. */
  saleOrderNames?(ids: number[]): Promise<Array<{ id: number; name: string }>>
  /** Odoo's own quantity fields under a location or warehouse context (optional: cross-checks). */
  productQuantities?(productIds: number[], scope: OdooQuantityScope): Promise<OdooProductQuantities[]>
  /** Kits (mrp phantom BoMs) and what their quantities are computed from; null where mrp is not installed. */
  listKits?(): Promise<KitSnapshot | null>
  close(): Promise<void>
}
