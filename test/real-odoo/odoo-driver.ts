// Drives a real Odoo the way a person in Odoo would change stock: inventory adjustments, sales, deliveries,
// receipts, returns, the zero-quant clean-up, a long transaction in an Odoo shell. Independent of
// LastUnit's own gateway (so a gateway bug cannot hide itself): XML-RPC execute_kw on 17 and 18, JSON-2 on
// 19, each call in the shape Odoo's dispatch expects.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { decodeMethodResponse, encodeMethodCall } from '../../main/node/odoo/xmlrpc-codec'

export interface RealOdooEnv {
  url: string
  database: string
  login: string
  key: string
}

export const realOdooEnv = (): RealOdooEnv | null => {
  const { ODOO_URL, ODOO_DB, ODOO_USER, ODOO_KEY } = process.env
  if (!ODOO_URL || !ODOO_DB || !ODOO_USER || !ODOO_KEY) return null
  return { url: ODOO_URL.replace(/\/+$/, ''), database: ODOO_DB, login: ODOO_USER, key: ODOO_KEY }
}

type Ctx = Record<string, unknown>

export class OdooDriver {
  major = 0
  private uid = 0

  constructor(readonly env: RealOdooEnv) {}

  private async xmlrpc(service: 'common' | 'object', method: string, params: unknown[]): Promise<unknown> {
    const res = await fetch(`${this.env.url}/xmlrpc/2/${service}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: encodeMethodCall(method, params),
    })
    const r = await decodeMethodResponse(await res.text())
    if (!r.ok) {
      const e = new Error(`Odoo fault ${r.fault.faultCode}: ${r.fault.faultString.trim().split('\n').pop()}`)
      Object.assign(e, { fault: r.fault.faultString })
      throw e
    }
    return r.value
  }

  async connect(): Promise<void> {
    const v = (await this.xmlrpc('common', 'version', [])) as { server_version_info: unknown[] }
    this.major = Number(String(v.server_version_info[0]).replace(/^saas~/, ''))
    this.uid = (await this.xmlrpc('common', 'authenticate', [
      this.env.database,
      this.env.login,
      this.env.key,
      {},
    ])) as number
    if (!this.uid) throw new Error(`real Odoo: ${this.env.login} cannot log in with ODOO_KEY`)
  }

  /** One call: `ids` for record methods, `positional` for the rest (named for JSON-2). */
  private async call<T>(
    model: string,
    method: string,
    spec: { ids?: number[]; named?: Record<string, unknown>; positional?: unknown[]; context?: Ctx },
  ): Promise<T> {
    // Odoo answers "could not serialize access" when a concurrent transaction (a cron) touched the same
    // rows; it asks the client to retry, as its own web client does.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.callOnce<T>(model, method, spec)
      } catch (e) {
        if (attempt < 4 && /could not serialize|concurrent update/i.test(String(e))) continue
        throw e
      }
    }
  }

  private async callOnce<T>(
    model: string,
    method: string,
    spec: { ids?: number[]; named?: Record<string, unknown>; positional?: unknown[]; context?: Ctx },
  ): Promise<T> {
    const context = { lang: 'en_US', tz: 'UTC', ...spec.context }
    if (this.major >= 19) {
      const body = { ...(spec.ids ? { ids: spec.ids } : {}), ...spec.named, context }
      const res = await fetch(`${this.env.url}/json/2/${model}/${method}`, {
        method: 'POST',
        headers: {
          authorization: `bearer ${this.env.key}`,
          'content-type': 'application/json',
          'x-odoo-database': this.env.database,
        },
        body: JSON.stringify(body),
      })
      const text = await res.text()
      if (res.status !== 200)
        throw new Error(`Odoo ${model}.${method} answered ${res.status}: ${text.slice(0, 300)}`)
      return JSON.parse(text) as T
    }
    const args = [...(spec.ids ? [spec.ids] : []), ...(spec.positional ?? [])]
    try {
      return (await this.xmlrpc('object', 'execute_kw', [
        this.env.database,
        this.uid,
        this.env.key,
        model,
        method,
        args,
        { context },
      ])) as T
    } catch (e) {
      // Methods returning None commit, then fault while marshalling the answer (odoo-facts.md).
      if (/cannot marshal None/.test(String((e as { fault?: string }).fault ?? e))) return null as T
      throw e
    }
  }

  async create(model: string, vals: Record<string, unknown>, context: Ctx = {}): Promise<number> {
    const r = await this.call<number | number[]>(model, 'create', {
      named: { vals_list: [vals] },
      positional: [[vals]],
      context,
    })
    return Array.isArray(r) ? r[0]! : r
  }

  write(model: string, ids: number[], vals: Record<string, unknown>): Promise<boolean> {
    return this.call(model, 'write', { ids, named: { vals }, positional: [vals] })
  }

  read<T = Record<string, unknown>>(
    model: string,
    ids: number[],
    fields: string[],
    context: Ctx = {},
  ): Promise<T[]> {
    return this.call(model, 'read', { ids, named: { fields }, positional: [fields], context })
  }

  searchRead<T = Record<string, unknown>>(
    model: string,
    domain: unknown[],
    fields: string[],
    context: Ctx = {},
  ): Promise<T[]> {
    return this.call(model, 'search_read', {
      named: { domain, fields },
      positional: [domain, fields],
      context,
    })
  }

  /** A record method without arguments (action_confirm, button_validate, ...). */
  act<T = unknown>(model: string, method: string, ids: number[], context: Ctx = {}): Promise<T> {
    return this.call(model, method, { ids, context })
  }

  /** An @api.model method without arguments. */
  modelCall<T = unknown>(model: string, method: string, context: Ctx = {}): Promise<T> {
    return this.call(model, method, { context })
  }

  // ---- what a person does in Odoo ---------------------------------------------------------------

  storableVals(): Record<string, unknown> {
    return this.major >= 18 ? { type: 'consu', is_storable: true } : { detailed_type: 'product' }
  }

  async product(code: string): Promise<number> {
    return this.create('product.product', { name: code, default_code: code, ...this.storableVals() })
  }

  /** Inventory adjustment: on hand in `location` becomes `qty` (Odoo's one-call form). */
  async setOnHand(productId: number, location: number, qty: number): Promise<void> {
    await this.create(
      'stock.quant',
      { product_id: productId, location_id: location, inventory_quantity_auto_apply: qty },
      { inventory_mode: true },
    )
  }

  /** Odoo's own free quantity (on hand minus reserved) of a product in a location and its children. */
  async freeQty(productId: number, location: number): Promise<number> {
    const [r] = await this.read<{ free_qty: number }>('product.product', [productId], ['free_qty'], {
      location,
    })
    return r?.free_qty ?? 0
  }

  async sell(partnerId: number, lines: Array<[number, number]>, ref: string): Promise<number> {
    const so = await this.create('sale.order', {
      partner_id: partnerId,
      client_order_ref: ref,
      order_line: lines.map(([product_id, qty]) => [
        0,
        0,
        { product_id, product_uom_qty: qty, price_unit: 1 },
      ]),
    })
    await this.act('sale.order', 'action_confirm', [so])
    return so
  }

  async cancelSale(so: number): Promise<void> {
    await this.act('sale.order', 'action_cancel', [so], { disable_cancel_warning: true })
  }

  async pickingsOf(so: number): Promise<number[]> {
    const [r] = await this.read<{ picking_ids: number[] }>('sale.order', [so], ['picking_ids'])
    return r?.picking_ids ?? []
  }

  /** Sets every move of the picking as done in full and validates it. */
  async validate(picking: number): Promise<void> {
    const moves = await this.searchRead<{ id: number; product_uom_qty: number }>(
      'stock.move',
      [['picking_id', '=', picking]],
      ['product_uom_qty'],
    )
    for (const m of moves)
      await this.write('stock.move', [m.id], {
        quantity: m.product_uom_qty,
        ...(this.major >= 17 ? { picked: true } : {}),
      })
    const r = await this.act<unknown>('stock.picking', 'button_validate', [picking])
    if (r !== true && r !== null)
      throw new Error(`validating picking ${picking} asked for a wizard: ${JSON.stringify(r).slice(0, 200)}`)
  }

  async receive(productId: number, location: number, qty: number): Promise<number> {
    const [wh] = await this.searchRead<{ in_type_id: [number, string] }>(
      'stock.warehouse',
      [['lot_stock_id', '=', location]],
      ['in_type_id'],
    )
    if (!wh) throw new Error(`no warehouse has ${location} as its stock location`)
    const [supplier] = await this.searchRead<{ id: number }>(
      'stock.location',
      [['usage', '=', 'supplier']],
      ['id'],
    )
    const picking = await this.create('stock.picking', {
      picking_type_id: wh.in_type_id[0],
      location_id: supplier!.id,
      location_dest_id: location,
      move_ids: [
        [
          0,
          0,
          {
            // stock.move lost its name (description) in 19.
            ...(this.major < 19 ? { name: 'LastUnit check' } : {}),
            product_id: productId,
            product_uom_qty: qty,
            location_id: supplier!.id,
            location_dest_id: location,
          },
        ],
      ],
    })
    await this.act('stock.picking', 'action_confirm', [picking])
    await this.validate(picking)
    return picking
  }

  async returnUnits(picking: number, qty: number): Promise<number> {
    const context = { active_id: picking, active_ids: [picking], active_model: 'stock.picking' }
    const wiz = await this.create('stock.return.picking', { picking_id: picking }, context)
    const [w] = await this.read<{ product_return_moves: number[] }>(
      'stock.return.picking',
      [wiz],
      ['product_return_moves'],
    )
    await this.write('stock.return.picking.line', w!.product_return_moves, { quantity: qty })
    const action = await this.act<{ res_id: number }>(
      'stock.return.picking',
      'action_create_returns',
      [wiz],
      context,
    )
    await this.validate(action.res_id)
    return action.res_id
  }

  /** Odoo's own clean-up of zero quants, as opening the inventory screen runs it. */
  async unlinkZeroQuants(): Promise<void> {
    await this.modelCall('stock.quant', 'action_view_inventory')
  }

  async quantIds(productId: number, location: number): Promise<number[]> {
    const rows = await this.searchRead<{ id: number }>(
      'stock.quant',
      [
        ['product_id', '=', productId],
        ['location_id', '=', location],
      ],
      ['id'],
    )
    return rows.map((r) => r.id)
  }

  async warehouse(code: string): Promise<{ id: number; lotStockId: number }> {
    const found = await this.searchRead<{ id: number; lot_stock_id: [number, string] }>(
      'stock.warehouse',
      [['code', '=', code]],
      ['lot_stock_id'],
    )
    const id =
      found[0]?.id ?? (await this.create('stock.warehouse', { name: `LastUnit check ${code}`, code }))
    const [w] = await this.read<{ lot_stock_id: [number, string] }>('stock.warehouse', [id], ['lot_stock_id'])
    return { id, lotStockId: w!.lot_stock_id[0] }
  }

  async saleOrdersByRef(ref: string): Promise<Array<{ id: number; state: string }>> {
    return this.searchRead('sale.order', [['client_order_ref', '=like', `${ref}%`]], ['state'])
  }

  async moduleInstalled(name: string): Promise<boolean> {
    const [m] = await this.searchRead<{ state: string }>('ir.module.module', [['name', '=', name]], ['state'])
    return m?.state === 'installed'
  }

  async installModule(name: string): Promise<void> {
    const [m] = await this.searchRead<{ id: number }>('ir.module.module', [['name', '=', name]], ['id'])
    if (!m) throw new Error(`Odoo has no module ${name}`)
    await this.act('ir.module.module', 'button_immediate_install', [m.id])
  }
}

/**
 * The command that opens an Odoo shell on this server, for a transaction held open as long as a test
 * needs: ODOO_SHELL, else the layout ../shared/tools/real-odoo/start.sh makes (/opt/odooNN, /etc/odooNN-PORT.conf).
 */
export function odooShellCommand(env: RealOdooEnv, major: number): string | null {
  if (process.env.ODOO_SHELL) return process.env.ODOO_SHELL
  const port = new URL(env.url).port || '8069'
  const bin = `/opt/odoo${major}/odoo-bin`
  const conf = `/etc/odoo${major}-${port}.conf`
  if (!existsSync(bin) || !existsSync(conf)) return null
  return `su odoo -s /bin/bash -c "/usr/bin/python3 ${bin} shell -c ${conf} -d ${env.database} --no-http --log-level=warn"`
}

/**
 * Runs `python` in an Odoo shell (where `env` is the Odoo environment) and resolves with its output once
 * the shell exits; `onLine` hears each line as it comes (e.g. a marker printed before a sleep).
 */
export function runInOdooShell(
  command: string,
  python: string,
  onLine: (line: string) => void = () => undefined,
) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      for (const l of d.toString().split('\n')) if (l.trim()) onLine(l.trim())
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`the Odoo shell exited with ${code}: ${err.slice(-800)}`)),
    )
    child.stdin.end(python)
  })
}
