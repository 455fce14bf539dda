// The ORM surface of the simulated Odoo: search, read, search_read, search_count, read_group,
// formatted_read_group (19+), fields_get, create, write, and the business methods the connector and the
// tests call. Calls arrive already bound by Odoo's dispatch (odoo-dispatch.ts): every argument under its
// Python parameter name, create's values under `vals_list` and write's under `vals`.
import { compileDomain, type FieldResolver } from './sim-domain'
import { OdooSimError } from './sim-errors'
import { createBom } from './sim-mrp-orm'
import { modelOf, type SimEnv, type SimField, type SimModel } from './sim-models'

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

export class SimOrm {
  constructor(private readonly envOf: (ctx: Record<string, unknown>) => SimEnv) {}

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

  // ---------- generic reads ----------

  private idOf(r: unknown): number {
    return (r as { id: number }).id
  }

  private resolver(env: SimEnv, model: SimModel): FieldResolver {
    const cache = new Map<string, Set<number>>()
    const fieldsOf = (m: SimModel) => m.fields(env.version)
    const get = (m: SimModel, rec: unknown, field: string): SimField => {
      const fd = fieldsOf(m)[field]
      if (!fd) throw new OdooSimError('ValueError', `Invalid field ${m.name}.${field} in leaf`)
      return fd
    }
    // Dotted paths hop models; remember which model each record belongs to.
    const owner = new WeakMap<object, SimModel>()
    const modelFor = (rec: unknown) =>
      (typeof rec === 'object' && rec !== null ? owner.get(rec) : undefined) ?? model
    return {
      value: (rec, field) => get(modelFor(rec), rec, field).get(rec as never, env),
      related: (rec, field) => {
        const m = modelFor(rec)
        const fd = get(m, rec, field)
        if (fd.type !== 'many2one' || !fd.relation)
          throw new OdooSimError('ValueError', `${field} is not a many2one`)
        const id = fd.get(rec as never, env)
        if (typeof id !== 'number') return undefined
        const rel = modelOf(fd.relation)
        const r = rel.byId(env, id)
        if (typeof r === 'object' && r !== null) owner.set(r, rel)
        return r
      },
      childIds: (field, ids) => {
        const key = `${field}:${ids.join(',')}`
        const hit = cache.get(key)
        if (hit) return hit
        const fd = field === 'id' ? { relation: model.name } : fieldsOf(model)[field]
        if (!fd) throw new OdooSimError('ValueError', `Invalid field ${model.name}.${field} in leaf`)
        const out = new Set<number>()
        if (fd.relation === 'stock.location') {
          const prefixes = ids
            .map((id) => env.store.locations.get(id)?.parentPath)
            .filter((x) => x !== undefined)
          for (const l of env.store.locations.values())
            if (prefixes.some((pp) => l.parentPath.startsWith(pp))) out.add(l.id)
        } else ids.forEach((id) => out.add(id))
        cache.set(key, out)
        return out
      },
    }
  }

  search(env: SimEnv, model: SimModel, p: Record<string, unknown>): unknown[] {
    const pred = compileDomain(p.domain ?? [], model.name, this.resolver(env, model))
    const fields = model.fields(env.version)
    const activeTest = env.context.active_test !== false && 'active' in fields
    const domainMentionsActive = JSON.stringify(p.domain ?? []).includes('"active"')
    const out: unknown[] = []
    for (const r of model.all(env)) {
      if (activeTest && !domainMentionsActive && fields.active?.get(r as never, env) === false) continue
      if (pred(r)) out.push(r)
    }
    const order = typeof p.order === 'string' && p.order ? p.order : 'id'
    // Terms compare in turn; an empty value (false) sorts last, as NULL does in PostgreSQL.
    const terms = order.split(',').map((term) => {
      const [ofield, dir] = term.trim().split(/\s+/) as [string, string | undefined]
      const ofd = fields[ofield]
      if (!ofd) throw new OdooSimError('ValueError', `Invalid "order" specified (${order}).`)
      return { ofd, sign: dir?.toLowerCase() === 'desc' ? -1 : 1 }
    })
    out.sort((a, b) => {
      for (const { ofd, sign } of terms) {
        const x = ofd.get(a as never, env) as number | string | false
        const y = ofd.get(b as never, env) as number | string | false
        if (x === y) continue
        if (x === false || x === null) return 1
        if (y === false || y === null) return -1
        return (x < y ? -1 : 1) * sign
      }
      return (this.idOf(a) - this.idOf(b)) * (terms.length === 1 ? terms[0]!.sign : 1)
    })
    const offset = typeof p.offset === 'number' ? p.offset : 0
    const limit = typeof p.limit === 'number' && p.limit > 0 ? p.limit : undefined
    return out.slice(offset, limit === undefined ? undefined : offset + limit)
  }

  private fieldList(env: SimEnv, model: SimModel, fields: unknown): string[] {
    const all = model.fields(env.version)
    const names = Array.isArray(fields) && fields.length > 0 ? (fields as string[]) : Object.keys(all)
    for (const n of names)
      if (!(n in all)) throw new OdooSimError('ValueError', `Invalid field '${n}' on model '${model.name}'`)
    return names.includes('id') ? names : ['id', ...names]
  }

  private format(env: SimEnv, model: SimModel, r: unknown, names: string[]): Record<string, unknown> {
    const all = model.fields(env.version)
    const out: Record<string, unknown> = {}
    for (const n of names) {
      const fd = all[n] as SimField
      const v = fd.get(r as never, env)
      if (fd.type === 'many2one' && typeof v === 'number' && fd.relation) {
        const rel = modelOf(fd.relation)
        const rr = rel.byId(env, v)
        out[n] = rr === undefined ? false : [v, rel.display(rr as never, env)]
      } else out[n] = v === null || v === undefined ? false : v
    }
    return out
  }

  searchRead(env: SimEnv, model: SimModel, p: Record<string, unknown>): Record<string, unknown>[] {
    const names = this.fieldList(env, model, p.fields)
    return this.search(env, model, p).map((r) => this.format(env, model, r, names))
  }

  read(env: SimEnv, model: SimModel, ids: number[], fields: unknown): Record<string, unknown>[] {
    const names = this.fieldList(env, model, fields)
    const out: Record<string, unknown>[] = []
    for (const id of ids) {
      const r = model.byId(env, id)
      if (r !== undefined) out.push(this.format(env, model, r, names))
    }
    return out
  }

  fieldsGet(env: SimEnv, model: SimModel): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const [n, fd] of Object.entries(model.fields(env.version)))
      out[n] = {
        type: fd.type,
        store: fd.stored,
        string: n,
        ...(fd.relation ? { relation: fd.relation } : {}),
      }
    return out
  }

  private groups(
    env: SimEnv,
    model: SimModel,
    domain: unknown,
    groupby: string[],
    sums: Array<{ key: string; field: string; agg: string }>,
  ): Array<{ keys: unknown[]; sums: number[]; count: number; sample: unknown }> {
    const all = model.fields(env.version)
    for (const g of groupby) {
      const fd = all[g]
      if (!fd || !fd.stored)
        throw new OdooSimError('ValueError', `Invalid field '${g}' on model '${model.name}' for groupby`)
    }
    for (const s of sums) {
      const fd = all[s.field]
      if (!fd) throw new OdooSimError('ValueError', `Invalid field '${s.field}' on model '${model.name}'`)
      if (!fd.stored)
        throw new OdooSimError('ValueError', `Cannot aggregate non-stored field ${model.name}.${s.field}`)
    }
    const rows = this.search(env, model, { domain })
    const map = new Map<string, { keys: unknown[]; sums: number[]; count: number; sample: unknown }>()
    for (const r of rows) {
      const keys = groupby.map((g) => (all[g] as SimField).get(r as never, env))
      const k = JSON.stringify(keys)
      let g = map.get(k)
      if (!g) {
        g = { keys, sums: sums.map(() => 0), count: 0, sample: r }
        map.set(k, g)
      }
      g.count++
      sums.forEach((s, i) => {
        const v = Number((all[s.field] as SimField).get(r as never, env)) || 0
        const cur = g.sums[i] as number
        g.sums[i] =
          s.agg === 'max'
            ? g.count === 1
              ? v
              : Math.max(cur, v)
            : s.agg === 'min'
              ? g.count === 1
                ? v
                : Math.min(cur, v)
              : cur + v
      })
    }
    return [...map.values()].sort((a, b) => {
      const x = JSON.stringify(a.keys)
      const y = JSON.stringify(b.keys)
      const na = typeof a.keys[0] === 'number' && typeof b.keys[0] === 'number'
      return na ? (a.keys[0] as number) - (b.keys[0] as number) : x < y ? -1 : x > y ? 1 : 0
    })
  }

  private groupValue(env: SimEnv, model: SimModel, g: string, v: unknown): unknown {
    const fd = model.fields(env.version)[g] as SimField
    if (fd.type === 'many2one' && typeof v === 'number' && fd.relation) {
      const rel = modelOf(fd.relation)
      const rr = rel.byId(env, v)
      return [v, rr === undefined ? '' : rel.display(rr as never, env)]
    }
    return v === null || v === undefined ? false : v
  }

  readGroup(env: SimEnv, model: SimModel, p: Record<string, unknown>): Record<string, unknown>[] {
    const groupbyAll = (Array.isArray(p.groupby) ? p.groupby : [p.groupby]) as string[]
    const lazy = p.lazy !== false
    const groupby = lazy ? groupbyAll.slice(0, 1) : groupbyAll
    const specs = ((p.fields ?? []) as string[])
      .filter((s) => !groupby.includes(s.split(':')[0] as string))
      .map((s) => {
        const m = /^(\w+)(?::(\w+)(?:\((\w+)\))?)?$/.exec(s)
        if (!m) throw new OdooSimError('ValueError', `Invalid field specification '${s}'`)
        const [, alias, agg, field] = m as unknown as [string, string, string | undefined, string | undefined]
        return { key: alias, field: field ?? alias, agg: agg ?? 'sum' }
      })
    const groups = this.groups(env, model, p.domain, groupby, specs)
    return groups.map((g) => {
      const out: Record<string, unknown> = {}
      groupby.forEach((gb, i) => (out[gb] = this.groupValue(env, model, gb, g.keys[i])))
      specs.forEach((s, i) => (out[s.key] = g.sums[i]))
      if (lazy) out[`${groupby[0]}_count`] = g.count
      else out.__count = g.count
      out.__domain = [
        ...groupby.map((gb, i) => [gb, '=', g.keys[i] ?? false]),
        ...((p.domain as unknown[]) ?? []),
      ]
      return out
    })
  }

  formattedReadGroup(env: SimEnv, model: SimModel, p: Record<string, unknown>): Record<string, unknown>[] {
    const groupby = (p.groupby ?? []) as string[]
    const aggregates = (p.aggregates ?? []) as string[]
    const specs = aggregates
      .filter((a) => a !== '__count')
      .map((a) => {
        const [field, agg] = a.split(':') as [string, string | undefined]
        if (!agg) throw new OdooSimError('ValueError', `Invalid aggregate specification '${a}'`)
        return { key: a, field, agg }
      })
    const groups = this.groups(env, model, p.domain, groupby, specs)
    return groups.map((g) => {
      const out: Record<string, unknown> = {}
      groupby.forEach((gb, i) => (out[gb] = this.groupValue(env, model, gb, g.keys[i])))
      out.__extra_domain = groupby.map((gb, i) => [gb, '=', g.keys[i] ?? false])
      specs.forEach((s, i) => (out[s.key] = g.sums[i]))
      if (aggregates.includes('__count')) out.__count = g.count
      return out
    })
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
