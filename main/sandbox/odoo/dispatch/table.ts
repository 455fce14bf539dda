// The shape of Odoo's dispatch table per version (models, method rows with their Python signatures, methods
// that pass arguments on, decorators, the frames of a traceback through dispatch), how a row is written,
// and what every version shares: the simulated models and the frame helper.
import type { PyFrame, PySignature } from '../py-call'

export type DispatchVersion = 17 | 18 | 19

/** `model`: @api.model (no ids); `model_create`: @api.model_create_multi create; `record`: ids first. */
export type ApiKind = 'model' | 'model_create' | 'record'

export interface ForwardSpec {
  /** The function the method passes the rest on to, e.g. `records._read_format(fnames=fields, **read_kwargs)`. */
  to: string
  /** The method's own parameters it passes on positionally (after self), then its `*args`. */
  positional?: string[]
  /** Keywords it passes itself: target name -> its own parameter. Then its `**kwargs`. */
  keywords?: Record<string, string>
  frame: PyFrame
}

export interface RowSpec {
  model: string
  method: string
  api: ApiKind
  /** The def line as in the source (qualname as Python reports it). */
  def: string
  /** File and line in that version's source. */
  from: string
}

/**
 * One row a line: `model  method  api  Qualname.method(self, ...)  @ file:line`, `*` for every model
 * (BaseModel, or web's and mail's Base), `#` starts a comment.
 */
export function rowsOf(table: string): RowSpec[] {
  const out: RowSpec[] = []
  for (const raw of table.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const m = /^(\S+)\s+(\S+)\s+(model|model_create|record)\s+(\S+\(.*\))\s+@ (\S+.*)$/.exec(line)
    if (!m) throw new Error(`bad dispatch row: ${line}`)
    const [, model, method, api, def, from] = m as unknown as [
      string,
      string,
      string,
      ApiKind,
      string,
      string,
    ]
    out.push({ model, method, api, def, from })
  }
  return out
}

export interface DispatchRow {
  model: string
  method: string
  api: ApiKind
  sig: PySignature
  from: string
  wrapper?: PyFrame
  forward?: { sig: PySignature; positional: string[]; keywords: Record<string, string>; frame: PyFrame }
}

export interface VersionSpec {
  /** Simulated models and the file that declares each `_name`. */
  models: Record<string, string>
  rows: RowSpec[]
  /** Methods that pass what they did not bind on to another function, by `model/method`. */
  forwards: Record<string, ForwardSpec>
  /**
   * Methods behind a `def wrapper(*args, **kwargs)` decorator (functools.wraps keeps the qualname and
   * inspect.signature follows __wrapped__): a binding error shows the wrapper's frame too.
   */
  wrappers: Record<string, PyFrame>
  /** Public names that 19's get_public_method refuses (@api.private in odoo/orm/models.py). */
  privateMethods: string[]
  frames: DispatchFrames
}

/** The frames of a traceback through each version's dispatch, from the source's line numbers. */
export interface DispatchFrames {
  /** rpc controller xmlrpc_2, _xmlrpc, http.dispatch_rpc. */
  entry: PyFrame[]
  dispatchKw: PyFrame
  dispatchExecute: PyFrame
  /** 17/18: execute_kw calling execute(*args, **kw); 19: the unpacking in dispatch. */
  executeKw: PyFrame
  execute: PyFrame | null
  executeCr: PyFrame
  retrying: PyFrame
  lookup: PyFrame[]
  ids: PyFrame[]
  call: Record<ApiKind, PyFrame[]>
  createResult: PyFrame[]
  nameError: PyFrame
  /** 19 only: `db, uid, passwd, model, method_, *args = params`. */
  unpackParams: PyFrame | null
}

export const BASE_MODELS = (v: DispatchVersion): Record<string, string> => ({
  'product.product': 'addons/product/models/product_product.py',
  'res.partner': 'odoo/addons/base/models/res_partner.py',
  'res.users': 'odoo/addons/base/models/res_users.py',
  'res.company': 'odoo/addons/base/models/res_company.py',
  'stock.location': 'addons/stock/models/stock_location.py',
  'stock.warehouse': 'addons/stock/models/stock_warehouse.py',
  'stock.quant': 'addons/stock/models/stock_quant.py',
  'stock.move': 'addons/stock/models/stock_move.py',
  'stock.move.line': 'addons/stock/models/stock_move_line.py',
  'stock.picking': 'addons/stock/models/stock_picking.py',
  'stock.backorder.confirmation': 'addons/stock/wizard/stock_backorder_confirmation.py',
  'stock.return.picking': 'addons/stock/wizard/stock_picking_return.py',
  'stock.return.picking.line': 'addons/stock/wizard/stock_picking_return.py',
  'sale.order': 'addons/sale/models/sale_order.py',
  'sale.order.line': 'addons/sale/models/sale_order_line.py',
  // What the connector reads of kits (the simulator answers them only where mrp is installed, as Odoo does:
  // "Object mrp.bom doesn't exist" otherwise). Their generic ORM methods are the BaseModel rows below.
  'ir.module.module': 'odoo/addons/base/models/ir_module.py',
  'product.template': 'addons/product/models/product_template.py',
  'uom.uom': 'addons/uom/models/uom_uom.py',
  'mrp.bom': 'addons/mrp/models/mrp_bom.py',
  'mrp.bom.line': 'addons/mrp/models/mrp_bom.py',
  // The confirmation wizard of sale.order.action_cancel; 19 cancels without it and dropped the model.
  ...(v <= 18 ? { 'sale.order.cancel': 'addons/sale/wizard/sale_order_cancel.py' } : {}),
})

export const f = (file: string, line: number, func: string, code: string): PyFrame => ({
  file,
  line,
  func,
  code,
})
