// The OdooGateway over either transport. Stock is always computed per product from grouped reads over
// stock.quant (never by patching cached quants: quant ids are not stable), and change detection polls
// stock.quant and stock.move by write_date with an overlap window.
import { ClassifiedError, isClassifiedError } from '../../core/errors'
import { formatOdooDatetime } from '../../core/odoo/odoo-datetime'
import { versionProfile, type OdooVersionProfile } from '../../core/odoo/odoo-version'
import {
  DEFAULT_OVERLAP_MS,
  foldStream,
  isStreamCursor,
  type StreamCursor,
  type StreamRow,
} from '../../core/odoo/poll-window'
import type { Clock } from '../../core/ports/clock'
import { systemClock } from '../../core/ports/clock'
import type {
  OdooGateway,
  OdooLocation,
  OdooPollCursor,
  OdooPollResult,
  OdooProduct,
  OdooProductQuantities,
  OdooQuantityScope,
  OdooServerInfo,
  OdooWarehouse,
  LocationUsage,
  ProductLocationStock,
  ProductStock,
  SaleOrderInput,
  SaleOrderRef,
  SaleOrderState,
} from '../../core/ports/odoo-gateway'
import type { KitSnapshot } from '../../core/stock/kits'
import { readKitSnapshot } from './kit-reader'
import type { OdooRpc, RpcParams, RpcStats } from './odoo-rpc'

export interface RpcGatewayOptions {
  overlapMs?: number
  pageSize?: number
  lang?: string
  clock?: Clock
}

type M2o = [number, string] | false

const m2oId = (v: unknown): number | null => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : null)
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)
const num = (v: unknown): number => (typeof v === 'number' ? v : 0)

/** Names of the grouped-read aggregates, per method. */
interface GroupRow {
  productId: number
  locationId: number | null
  sums: number[]
}

/** A grouped read's rows as sums per product (and location); groups without a product are left out. */
function toGroupRows(
  rows: ReadonlyArray<Record<string, unknown>>,
  keysOf: (r: Record<string, unknown>) => number[] | null,
  sumFields: readonly string[],
): GroupRow[] {
  const out: GroupRow[] = []
  for (const r of rows) {
    const keys = keysOf(r)
    if (keys === null) continue
    const sums = new Array<number>(sumFields.length)
    for (let i = 0; i < sumFields.length; i++) sums[i] = num(r[sumFields[i]!])
    out.push({ productId: keys[0]!, locationId: keys[1] ?? null, sums })
  }
  return out
}

export class RpcOdooGateway implements OdooGateway {
  readonly transport
  private readonly profile: OdooVersionProfile
  private readonly overlapMs: number
  private readonly pageSize: number
  private readonly clock: Clock
  private readonly baseContext: Record<string, unknown>

  constructor(
    private readonly rpc: OdooRpc,
    private readonly info: OdooServerInfo,
    opts: RpcGatewayOptions = {},
  ) {
    this.transport = rpc.transport
    this.profile = versionProfile(info.major)
    this.overlapMs = opts.overlapMs ?? DEFAULT_OVERLAP_MS
    this.pageSize = opts.pageSize ?? 5000
    this.clock = opts.clock ?? systemClock
    // JSON-2 replaces the context: send the language and UTC ourselves so answers do not depend on it.
    this.baseContext = { lang: opts.lang ?? 'en_US', tz: 'UTC' }
  }

  get stats(): RpcStats {
    return this.rpc.stats
  }

  get versionProfile(): OdooVersionProfile {
    return this.profile
  }

  private ctx(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { ...this.baseContext, ...extra }
  }

  private async call<T>(model: string, method: string, params: RpcParams, returnsNone = false): Promise<T> {
    const r = await this.rpc.call<T>(
      model,
      method,
      { ...params, context: this.ctx(params.context) },
      { returnsNone },
    )
    return r.value
  }

  /**
   * Any model method, with the gateway's context (language, UTC) merged in. `returnsNone` marks methods
   * such as stock.quant.action_apply_inventory whose XML-RPC None fault means success.
   */
  execute<T = unknown>(
    model: string,
    method: string,
    params: RpcParams,
    opts: { returnsNone?: boolean } = {},
  ): Promise<T> {
    return this.call<T>(model, method, params, opts.returnsNone ?? false)
  }

  async serverInfo(): Promise<OdooServerInfo> {
    return this.info
  }

  async login(): Promise<{ uid: number }> {
    return { uid: await this.rpc.authenticate() }
  }

  private async searchReadAll<T>(
    model: string,
    domain: unknown[],
    fields: string[],
    context: Record<string, unknown> = {},
  ): Promise<T[]> {
    const out: T[] = []
    for (let offset = 0; ; offset += this.pageSize) {
      const page = await this.call<T[]>(model, 'search_read', {
        domain,
        fields,
        offset,
        limit: this.pageSize,
        order: 'id',
        context,
      })
      out.push(...page)
      if (page.length < this.pageSize) return out
    }
  }

  async listProducts(): Promise<OdooProduct[]> {
    const rows = await this.searchReadAll<Record<string, unknown>>(
      'product.product',
      this.profile.storableDomain,
      ['id', 'name', 'default_code', 'barcode', 'active', 'company_id'],
      { active_test: false },
    )
    return rows.map((r) => ({
      id: num(r.id),
      name: String(r.name ?? ''),
      defaultCode: str(r.default_code),
      barcode: str(r.barcode),
      active: r.active === true,
      companyId: m2oId(r.company_id),
    }))
  }

  async listWarehouses(): Promise<OdooWarehouse[]> {
    const rows = await this.searchReadAll<Record<string, unknown>>(
      'stock.warehouse',
      [],
      ['id', 'name', 'code', 'lot_stock_id', 'view_location_id', 'company_id'],
    )
    return rows.map((r) => ({
      id: num(r.id),
      name: String(r.name ?? ''),
      code: String(r.code ?? ''),
      lotStockId: m2oId(r.lot_stock_id) ?? 0,
      viewLocationId: m2oId(r.view_location_id) ?? 0,
      companyId: m2oId(r.company_id),
    }))
  }

  async listLocations(): Promise<OdooLocation[]> {
    const rows = await this.searchReadAll<Record<string, unknown>>(
      'stock.location',
      [],
      [
        'id',
        'name',
        'complete_name',
        'usage',
        'location_id',
        'parent_path',
        'warehouse_id',
        'company_id',
        'active',
      ],
      { active_test: false },
    )
    return rows.map((r) => ({
      id: num(r.id),
      name: String(r.name ?? ''),
      completeName: String(r.complete_name ?? r.name ?? ''),
      usage: String(r.usage) as LocationUsage,
      parentId: m2oId(r.location_id),
      parentPath: String(r.parent_path ?? ''),
      warehouseId: m2oId(r.warehouse_id),
      companyId: m2oId(r.company_id),
      active: r.active !== false,
    }))
  }

  /** One grouped read by product (and optionally location), in the shape of the server's version. */
  private async groupedSums(
    model: string,
    domain: unknown[],
    fields: string[],
    groupby: ['product_id'] | ['product_id', 'location_id'] = ['product_id'],
  ): Promise<GroupRow[]> {
    const keysOf = (r: Record<string, unknown>): number[] | null => {
      const ids = groupby.map((g) => m2oId(r[g] as M2o))
      return ids.every((x): x is number => x !== null) ? ids : null
    }
    if (this.profile.groupedRead === 'formatted_read_group') {
      const aggregates = fields.map((f) => `${f}:sum`)
      const rows = await this.call<Array<Record<string, unknown>>>(model, 'formatted_read_group', {
        domain,
        groupby,
        aggregates,
      })
      return toGroupRows(rows, keysOf, aggregates)
    }
    const rows = await this.call<Array<Record<string, unknown>>>(model, 'read_group', {
      domain,
      fields: fields.map((f) => `${f}:sum`),
      groupby,
      lazy: false,
    })
    return toGroupRows(rows, keysOf, fields)
  }

  /** child_of takes the union of the subtrees, so a location chosen with its parent is counted once. */
  private internalUnder(locationIds: number[]): unknown[] {
    return [
      ['location_id', 'child_of', [...new Set(locationIds)]],
      ['location_id.usage', '=', 'internal'],
    ]
  }

  async stockByProductLocation(locationIds: number[]): Promise<ProductLocationStock[]> {
    if (locationIds.length === 0) return []
    const rows = await this.groupedSums(
      'stock.quant',
      this.internalUnder(locationIds),
      ['quantity', 'reserved_quantity'],
      ['product_id', 'location_id'],
    )
    return rows.map((r) => ({
      productId: r.productId,
      locationId: r.locationId ?? 0,
      onHand: r.sums[0] ?? 0,
      reserved: r.sums[1] ?? 0,
    }))
  }

  async stockByProduct(locationIds: number[], productIds?: number[]): Promise<ProductStock[]> {
    if (locationIds.length === 0 || (productIds && productIds.length === 0)) return []
    const domain = this.internalUnder(locationIds)
    if (productIds) domain.push(['product_id', 'in', [...new Set(productIds)]])
    const rows = await this.groupedSums('stock.quant', domain, ['quantity', 'reserved_quantity'])
    const byId = new Map<number, ProductStock>()
    for (const r of rows)
      byId.set(r.productId, {
        productId: r.productId,
        onHand: r.sums[0] ?? 0,
        reserved: r.sums[1] ?? 0,
        forecast: null,
      })
    // A product asked for with no quant left (all deleted) has zero stock: say so explicitly.
    for (const id of productIds ?? [])
      if (!byId.has(id)) byId.set(id, { productId: id, onHand: 0, reserved: 0, forecast: null })
    return [...byId.values()].sort((a, b) => a.productId - b.productId)
  }

  async productQuantities(productIds: number[], scope: OdooQuantityScope): Promise<OdooProductQuantities[]> {
    if (productIds.length === 0) return []
    const context =
      'locationIds' in scope
        ? { location: scope.locationIds }
        : this.profile.warehouseContext(scope.warehouseId)
    const rows = await this.call<Array<Record<string, unknown>>>('product.product', 'read', {
      ids: productIds,
      fields: ['qty_available', 'free_qty', 'virtual_available', 'outgoing_qty'],
      context: { ...context, active_test: false },
    })
    return rows.map((r) => ({
      productId: num(r.id),
      qtyAvailable: num(r.qty_available),
      freeQty: num(r.free_qty),
      virtualAvailable: num(r.virtual_available),
      outgoingQty: num(r.outgoing_qty),
    }))
  }

  /** Kits and their BoMs (kit-reader.ts); null where mrp is not installed. */
  listKits(): Promise<KitSnapshot | null> {
    return readKitSnapshot(this, this.pageSize)
  }

  private readCursor(cursor: OdooPollCursor | null): { quant: StreamCursor; move: StreamCursor } | null {
    if (cursor === null) return null
    const q = cursor.quant
    const m = cursor.move
    if (cursor.v !== 1 || !isStreamCursor(q) || !isStreamCursor(m))
      throw new ClassifiedError(
        'permanent',
        'odoo.bad_cursor',
        'The saved Odoo poll cursor is not readable; a full recompute resets it',
      )
    return { quant: q, move: m }
  }

  async pollChanges(cursor: OdooPollCursor | null): Promise<OdooPollResult> {
    const before = this.rpc.stats.calls
    const prev = this.readCursor(cursor)
    const fallbackSince = formatOdooDatetime(this.clock.now() - this.overlapMs)
    const stream = async (model: string, c: StreamCursor | null, fields: string[]) => {
      const r = await this.rpc.call<Array<Record<string, unknown>>>(model, 'search_read', {
        // >= and not >: Odoo compares whole seconds, and late commits carry an older write_date.
        domain: [['write_date', '>=', c?.since ?? fallbackSince]],
        fields: ['product_id', 'write_date', ...fields],
        order: 'write_date',
        context: this.ctx(),
      })
      const rows: StreamRow[] = r.value.map((x) => ({
        id: num(x.id),
        writeDate: String(x.write_date),
        productId: m2oId(x.product_id),
        fingerprint: fields.map((f) => JSON.stringify(m2oId(x[f]) ?? x[f])).join(','),
      }))
      return foldStream(c, rows, r.serverDateMs, this.overlapMs)
    }
    const [q, m] = await Promise.all([
      stream('stock.quant', prev?.quant ?? null, ['quantity', 'reserved_quantity', 'location_id']),
      stream('stock.move', prev?.move ?? null, ['state', 'quantity', 'product_uom_qty']),
    ])
    const changed = new Set([...q.changed, ...m.changed])
    return {
      changedProductIds: [...changed].sort((a, b) => a - b),
      cursor: { v: 1, quant: q.next, move: m.next },
      calls: this.rpc.stats.calls - before,
    }
  }

  async salesHistory(days: number): Promise<Map<number, number>> {
    const since = formatOdooDatetime(this.clock.now() - days * 86_400_000)
    const rows = await this.groupedSums(
      'sale.order.line',
      [
        ['state', 'in', ['sale', 'done']],
        ['order_id.date_order', '>=', since],
      ],
      ['product_uom_qty'],
    )
    return new Map(rows.map((r) => [r.productId, r.sums[0] ?? 0]))
  }

  async findSaleOrder(clientOrderRef: string): Promise<SaleOrderRef | null> {
    const rows = await this.call<Array<Record<string, unknown>>>('sale.order', 'search_read', {
      domain: [['client_order_ref', '=', clientOrderRef]],
      fields: ['id', 'state', 'client_order_ref'],
      order: 'id',
      limit: 1,
    })
    const r = rows[0]
    return r
      ? {
          id: num(r.id),
          state: String(r.state) as SaleOrderState,
          clientOrderRef: String(r.client_order_ref),
        }
      : null
  }

  /** Creates the order unless one with the same client_order_ref exists: a retry never duplicates. */
  async createSaleOrder(input: SaleOrderInput, opts: { lookedUp?: boolean } = {}): Promise<number> {
    if (!input.clientOrderRef)
      throw new ClassifiedError(
        'permanent',
        'odoo.bad_order',
        'A sale order needs a client_order_ref (channel and order id)',
      )
    if (input.lines.length === 0)
      throw new ClassifiedError(
        'permanent',
        'odoo.bad_order',
        `Order ${input.clientOrderRef} has no lines to import`,
      )
    const existing = opts.lookedUp ? null : await this.findSaleOrder(input.clientOrderRef)
    if (existing) return existing.id
    const vals: Record<string, unknown> = {
      partner_id: input.partnerId,
      client_order_ref: input.clientOrderRef,
      order_line: input.lines.map((l) => [
        0,
        0,
        { product_id: l.productId, product_uom_qty: l.quantity, price_unit: l.priceUnit },
      ]),
    }
    if (input.warehouseId !== null) vals.warehouse_id = input.warehouseId
    const ids = await this.call<number[] | number>('sale.order', 'create', { vals_list: [vals] })
    const id = Array.isArray(ids) ? ids[0] : ids
    if (typeof id !== 'number')
      throw new ClassifiedError(
        'retryable',
        'odoo.malformed',
        'Odoo did not return the id of the new sale order',
      )
    return id
  }

  async saleOrderNames(ids: number[]): Promise<Array<{ id: number; name: string }>> {
    if (ids.length === 0) return []
    const rows = await this.call<Array<Record<string, unknown>>>('sale.order', 'read', {
      ids,
      fields: ['name'],
    })
    return rows.flatMap((r) => (typeof r.name === 'string' ? [{ id: num(r.id), name: r.name }] : []))
  }

  private async orderState(id: number): Promise<SaleOrderState> {
    const rows = await this.call<Array<Record<string, unknown>>>('sale.order', 'read', {
      ids: [id],
      fields: ['state'],
    })
    const r = rows[0]
    if (!r)
      throw new ClassifiedError(
        'permanent',
        'odoo.missing',
        `Sale order ${id} does not exist in Odoo (deleted?)`,
      )
    return String(r.state) as SaleOrderState
  }

  async confirmSaleOrder(id: number, knownState?: SaleOrderState): Promise<void> {
    const state = knownState ?? (await this.orderState(id))
    if (state === 'sale' || state === 'done') return
    if (state === 'cancel')
      throw new ClassifiedError(
        'permanent',
        'odoo.order_cancelled',
        `Sale order ${id} is cancelled in Odoo and cannot be confirmed`,
      )
    try {
      await this.call('sale.order', 'action_confirm', { ids: [id] })
    } catch (e) {
      // Confirmed meanwhile by someone else (the seller in Odoo, a second importer): Odoo refuses with
      // "not in a state requiring confirmation", and the order is what we wanted. Anything else stands.
      if (isClassifiedError(e) && e.kind === 'permanent') {
        const now = await this.orderState(id).catch(() => null)
        if (now === 'sale' || now === 'done') return
      }
      throw e
    }
  }

  async cancelSaleOrder(id: number): Promise<void> {
    const state = await this.orderState(id)
    if (state === 'cancel') return
    const r = await this.call<unknown>(
      'sale.order',
      'action_cancel',
      { ids: [id], context: { disable_cancel_warning: true } },
      true,
    )
    // Some versions answer with a confirmation wizard instead of cancelling.
    if (r && typeof r === 'object' && (r as { res_model?: unknown }).res_model === 'sale.order.cancel') {
      const action = r as { context?: Record<string, unknown> }
      const wiz = await this.call<number[] | number>('sale.order.cancel', 'create', {
        vals_list: [{ order_id: id }],
        context: action.context ?? {},
      })
      const wizId = Array.isArray(wiz) ? wiz[0] : wiz
      await this.call('sale.order.cancel', 'action_cancel', { ids: [wizId as number] }, true)
    }
  }

  async close(): Promise<void> {
    // fetch's keep-alive pool closes idle sockets by itself.
  }
}
