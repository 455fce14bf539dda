// The ORM surface of the simulated Odoo: search, read, search_read, search_count, read_group,
// formatted_read_group (19+), fields_get, create, write, and the business methods the connector and the
// tests call. Calls arrive already bound by Odoo's dispatch (odoo-dispatch.ts): every argument under its
// Python parameter name, create's values under `vals_list` and write's under `vals`.
import { OdooSimError } from './sim-errors'
import { createBom } from './sim-mrp-orm'
import { SimOrmReads } from './sim-orm-reads'
import { modelOf, type SimEnv } from './sim-models'

export interface OrmCall {
  model: string
  method: string
  /** The recordset of a record method (empty when JSON-2 sent no ids); null for @api.model and create. */
  ids: number[] | null
  /** Bound arguments by parameter name (create: `vals_list` always a list; write: `vals`). */
  params: Record<string, unknown>
}

export interface OrmResult {
  /** `undefined` is Python's None. */
  value: unknown
  warnings: string[]
}

const isWizardModel = (m: string) =>
  m === 'stock.backorder.confirmation' ||
  m === 'sale.order.cancel' ||
  m === 'stock.return.picking' ||
  m === 'stock.return.picking.line'

export class SimOrm extends SimOrmReads {
  constructor(private readonly envOf: (ctx: Record<string, unknown>) => SimEnv) {
    super()
  }

  call(c: OrmCall): OrmResult {
    const ctx = (c.params.context ?? {}) as Record<string, unknown>
    if (typeof ctx !== 'object' || Array.isArray(ctx))
      throw new OdooSimError('TypeError', 'context must be a dictionary')
    const env = this.envOf(ctx)
    const warnings: string[] = []
    const p = c.params
    if (isWizardModel(c.model)) return { value: this.wizard(env, c), warnings }
    const model = modelOf(c.model)
    if (model.installed && !model.installed(env))
      throw new OdooSimError('NotFound', `Object ${c.model} doesn't exist`)
    switch (c.method) {
      case 'search_read':
        return { value: this.searchRead(env, model, p), warnings }
      case 'search':
        return { value: this.search(env, model, p).map((r) => this.idOf(r)), warnings }
      case 'search_count':
        return { value: this.search(env, model, { domain: p.domain }).length, warnings }
      case 'read':
        return { value: this.read(env, model, c.ids ?? [], p.fields), warnings }
      case 'exists':
        return { value: (c.ids ?? []).filter((id) => model.byId(env, id) !== undefined), warnings }
      case 'fields_get':
        return { value: this.fieldsGet(env, model), warnings }
      case 'read_group':
        if (env.version >= 19) warnings.push('read_group is deprecated, use formatted_read_group')
        return { value: this.readGroup(env, model, p), warnings }
      case 'formatted_read_group':
        return { value: this.formattedReadGroup(env, model, p), warnings }
      case 'create':
        return { value: this.create(env, c.model, p.vals_list), warnings }
      case 'write':
        this.write(env, c.model, c.ids ?? [], p.vals)
        return { value: true, warnings }
      default:
        return { value: this.business(env, c.model, c.method, c.ids ?? []), warnings }
    }
  }
  // ---------- writes ----------

  /** model_create_multi: one dict is a list of one; the answer is always the list of new ids. */
  private create(env: SimEnv, model: string, valsList: unknown): number[] {
    const list = (Array.isArray(valsList) ? valsList : [valsList]) as unknown[]
    return list.map((v) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new OdooSimError(
          'TypeError',
          `create() expects a dictionary of values, got ${JSON.stringify(v)}`,
        )
      return this.createOne(env, model, v as Record<string, unknown>)
    })
  }

  private createOne(env: SimEnv, model: string, v: Record<string, unknown>): number {
    const s = env.store
    const num = (k: string): number => {
      const x = v[k]
      if (typeof x !== 'number')
        throw new OdooSimError('ValidationError', `Field '${k}' is required and must be a number`)
      return x
    }
    switch (model) {
      case 'product.product': {
        const storable =
          env.version >= 18
            ? v.is_storable === true && (v.type ?? 'consu') === 'consu'
            : v.detailed_type === 'product' || v.type === 'product'
        if (env.version >= 18 && 'detailed_type' in v)
          throw new OdooSimError('ValueError', "Invalid field 'detailed_type' on model 'product.product'")
        const t = (v.type ?? v.detailed_type ?? 'consu') as string
        return s.addProduct({
          name: String(v.name ?? ''),
          defaultCode: typeof v.default_code === 'string' ? v.default_code : null,
          barcode: typeof v.barcode === 'string' ? v.barcode : null,
          active: v.active !== false,
          kind: t === 'service' ? 'service' : t === 'combo' ? 'combo' : 'goods',
          storable,
          companyId: null,
          listPrice: typeof v.list_price === 'number' ? v.list_price : 1,
        }).id
      }
      case 'res.partner':
        return s.addPartner(String(v.name ?? '')).id
      case 'mrp.bom':
        return createBom(env, v)
      case 'stock.quant': {
        const product = num('product_id')
        const location = num('location_id')
        if (env.context.inventory_mode === true && typeof v.inventory_quantity_auto_apply === 'number')
          return s.applyInventory(product, location, v.inventory_quantity_auto_apply).id
        const q = s.createRawQuant(product, location, typeof v.quantity === 'number' ? v.quantity : 0)
        if (typeof v.inventory_quantity === 'number') q.inventoryQuantity = v.inventory_quantity
        return q.id
      }
      case 'sale.order': {
        const wh = typeof v.warehouse_id === 'number' ? v.warehouse_id : ([...s.warehouses.keys()][0] ?? 0)
        const lines = ((v.order_line ?? []) as unknown[]).map((cmd) => {
          if (!Array.isArray(cmd) || cmd[0] !== 0)
            throw new OdooSimError('ValueError', `Unsupported order_line command ${JSON.stringify(cmd)}`)
          const l = (cmd[2] ?? {}) as Record<string, unknown>
          return {
            productId: Number(l.product_id),
            qty: typeof l.product_uom_qty === 'number' ? l.product_uom_qty : 1,
            price: typeof l.price_unit === 'number' ? l.price_unit : 0,
          }
        })
        return s.createSaleOrder({
          partnerId: num('partner_id'),
          warehouseId: wh,
          clientOrderRef: typeof v.client_order_ref === 'string' ? v.client_order_ref : false,
          lines,
        }).id
      }
      default:
        throw new OdooSimError(
          'AccessError',
          `You are not allowed to create '${model}' records in this simulator.`,
        )
    }
  }

  private write(env: SimEnv, model: string, ids: number[], vals: unknown): void {
    if (typeof vals !== 'object' || vals === null)
      throw new OdooSimError('TypeError', 'write() expects a dictionary')
    const v = vals as Record<string, unknown>
    const s = env.store
    for (const id of ids) {
      switch (model) {
        case 'stock.quant': {
          const q = s.mustGet(s.quants, id, 'stock.quant')
          if (typeof v.inventory_quantity_auto_apply === 'number' && env.context.inventory_mode === true)
            s.applyInventory(q.productId, q.locationId, v.inventory_quantity_auto_apply)
          if (typeof v.inventory_quantity === 'number') {
            q.inventoryQuantity = v.inventory_quantity
            q.writeDate = s.stamp()
          }
          if (typeof v.quantity === 'number') s.writeQuantQuantity(id, v.quantity)
          break
        }
        case 'product.product': {
          const p = s.mustGet(s.products, id, 'product.product')
          if (typeof v.name === 'string') p.name = v.name
          if ('default_code' in v) p.defaultCode = typeof v.default_code === 'string' ? v.default_code : null
          if ('barcode' in v) s.setBarcode(id, typeof v.barcode === 'string' ? v.barcode : null)
          if (typeof v.active === 'boolean') p.active = v.active
          p.writeDate = s.stamp()
          break
        }
        case 'sale.order': {
          const o = s.mustGet(s.saleOrders, id, 'sale.order')
          if ('client_order_ref' in v)
            o.clientOrderRef = typeof v.client_order_ref === 'string' ? v.client_order_ref : false
          o.writeDate = s.stamp()
          break
        }
        default:
          throw new OdooSimError(
            'AccessError',
            `You are not allowed to modify '${model}' records in this simulator.`,
          )
      }
    }
  }

  // ---------- business methods ----------

  private business(env: SimEnv, model: string, method: string, ids: number[]): unknown {
    const s = env.store
    const key = `${model}/${method}`
    switch (key) {
      case 'sale.order/action_confirm':
        ids.forEach((id) => s.confirmSaleOrder(id))
        return true
      case 'sale.order/action_cancel': {
        // 17 and 18 (addons/sale/models/sale_order.py action_cancel, _show_cancel_wizard): unless the
        // context says disable_cancel_warning, a non-draft order answers the cancel wizard's action,
        // for one order only (ensure_one). 19 cancels at once.
        const orders = ids.map((id) => s.mustGet(s.saleOrders, id, 'sale.order'))
        if (
          env.version <= 18 &&
          env.context.disable_cancel_warning !== true &&
          orders.some((o) => o.state !== 'draft')
        ) {
          if (orders.length !== 1)
            throw new OdooSimError('ValueError', `Expected singleton: sale.order(${ids.join(', ')})`)
          const id = ids[0] as number
          return {
            name: 'Cancel Sales Order',
            view_mode: 'form',
            res_model: 'sale.order.cancel',
            type: 'ir.actions.act_window',
            context: { default_order_id: id, mark_so_as_canceled: true },
            target: 'new',
          }
        }
        ids.forEach((id) => s.cancelSaleOrder(id))
        return true
      }
      case 'stock.picking/button_validate': {
        let result: unknown = true
        for (const id of ids) {
          const p = s.mustGet(s.pickings, id, 'stock.picking')
          if (p.kind === 'incoming') s.validateIncoming(p)
          else {
            const r = s.validatePicking(id, env.context)
            if (r !== true) result = r
          }
        }
        return result
      }
      case 'stock.quant/action_apply_inventory':
        for (const id of ids) {
          const q = s.mustGet(s.quants, id, 'stock.quant')
          if (q.inventoryQuantity === null) continue
          s.applyInventory(q.productId, q.locationId, q.inventoryQuantity)
        }
        return undefined
      default:
        throw new OdooSimError('NotFound', `The method '${method}' does not exist on the model '${model}'`)
    }
  }

  private wizard(env: SimEnv, c: OrmCall): unknown {
    const s = env.store
    const ctx = env.context
    const wiz = (id: number, model = c.model) => {
      const w = s.wizards.get(id)
      if (!w || w.model !== model)
        throw new OdooSimError(
          'MissingError',
          `Record does not exist or has been deleted.\n(Record: ${model}(${id},))`,
        )
      return w.vals
    }
    if (c.method === 'create') {
      const list = (Array.isArray(c.params.vals_list) ? c.params.vals_list : [c.params.vals_list]) as Array<
        Record<string, unknown>
      >
      const ids = list.map((v) => {
        const id = s.nextId('wizard')
        if (c.model === 'stock.return.picking') {
          const pickingId = (v.picking_id ?? ctx.active_id) as number
          const p = s.mustGet(s.pickings, pickingId, 'stock.picking')
          const lineIds = p.moveIds.map((mid) => {
            const m = s.mustGet(s.moves, mid, 'stock.move')
            const lid = s.nextId('wizard')
            // 18 and later default the return quantity to 0.
            s.wizards.set(lid, {
              model: 'stock.return.picking.line',
              vals: {
                id: lid,
                product_id: m.productId,
                quantity: env.version >= 18 ? 0 : m.quantity,
                move_id: m.id,
              },
            })
            return lid
          })
          s.wizards.set(id, {
            model: c.model,
            vals: { id, picking_id: pickingId, product_return_moves: lineIds },
          })
        } else s.wizards.set(id, { model: c.model, vals: { ...v, id, context: ctx } })
        return id
      })
      return ids
    }
    if (c.method === 'read' || c.method === 'search_read') {
      const ids = c.ids ?? []
      return ids.map((id) => {
        const v = { ...wiz(id) }
        if (typeof v.product_id === 'number')
          v.product_id = [v.product_id, s.products.get(v.product_id)?.name ?? '']
        return v
      })
    }
    if (c.method === 'write') {
      for (const id of c.ids ?? []) Object.assign(wiz(id), c.params.vals as object)
      return true
    }
    const id = (c.ids ?? [])[0] as number
    const v = wiz(id)
    switch (`${c.model}/${c.method}`) {
      case 'stock.backorder.confirmation/process':
      case 'stock.backorder.confirmation/process_cancel_backorder': {
        const picks = ((v.pick_ids ?? []) as unknown[][]).map((cmd) => cmd[1] as number)
        for (const pid of picks)
          s.finishPicking(s.mustGet(s.pickings, pid, 'stock.picking'), c.method === 'process')
        s.wizards.delete(id)
        return true
      }
      case 'sale.order.cancel/action_cancel': {
        const orderId = (v.order_id ??
          (v.context as Record<string, unknown> | undefined)?.default_order_id) as number
        s.cancelSaleOrder(orderId)
        s.wizards.delete(id)
        return true
      }
      case 'stock.return.picking/create_returns':
      case 'stock.return.picking/action_create_returns':
      case 'stock.return.picking/action_create_returns_all': {
        const qty = new Map<number, number>()
        for (const lid of v.product_return_moves as number[]) {
          const l = wiz(lid, 'stock.return.picking.line') as {
            product_id: number
            quantity: number
            move_id: number
          }
          const m = s.mustGet(s.moves, l.move_id, 'stock.move')
          const q = c.method === 'action_create_returns_all' ? m.quantity : l.quantity
          qty.set(l.product_id, (qty.get(l.product_id) ?? 0) + q)
        }
        const ret = s.returnPicking(v.picking_id as number, qty)
        return {
          type: 'ir.actions.act_window',
          res_model: 'stock.picking',
          res_id: ret.id,
          view_mode: 'form',
        }
      }
      default:
        throw new OdooSimError(
          'NotFound',
          `The method '${c.method}' does not exist on the model '${c.model}'`,
        )
    }
  }
}
