// Odoo's dispatch of an external call, per version, as the simulator applies it to every XML-RPC and JSON-2
// call: which simulated models exist, which methods each has, how each method takes its arguments (its
// Python signature as written in the source, whether it is @api.model, create or a record method), and
// how Odoo refuses a call that does not bind. Every row was read from Odoo's own source:
// - 17.0: a copy of the Odoo 17.0 Community tree (release.py version_info (17, 0, 0, FINAL, 0, '')), whose
//   call_kw still does getattr(type(model), name) (later 17.0 builds word an unknown method as 18 does);
// - 18.0: odoo 18.0 Community at commit 242434ab, cross-checked against a real 18.0 server;
// - 19.0: odoo 19.0 Community at commit 85dffc07 (the ORM moved to odoo/orm/, call_kw to
//   odoo/service/model.py, the RPC controllers to addons/rpc/).
// The installed modules are those of a shop with stock, sale_management and sale_stock: a method's
// qualname in a TypeError is that of the last module's override (e.g. sale_stock's SaleOrder.write).
// A method missing from this table is answered as Odoo answers a method that does not exist.
import {
  cpythonBind,
  inspectBind,
  parseSignature,
  PyException,
  type PyFrame,
  type PySignature,
} from './py-call'

export type DispatchVersion = 17 | 18 | 19

/** `model`: @api.model (no ids); `model_create`: @api.model_create_multi create; `record`: ids first. */
export type ApiKind = 'model' | 'model_create' | 'record'

interface ForwardSpec {
  /** The function the method passes the rest on to, e.g. `records._read_format(fnames=fields, **read_kwargs)`. */
  to: string
  /** The method's own parameters it passes on positionally (after self), then its `*args`. */
  positional?: string[]
  /** Keywords it passes itself: target name -> its own parameter. Then its `**kwargs`. */
  keywords?: Record<string, string>
  frame: PyFrame
}

interface RowSpec {
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
function rowsOf(table: string): RowSpec[] {
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

interface VersionSpec {
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
interface DispatchFrames {
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

const BASE_MODELS = (v: DispatchVersion): Record<string, string> => ({
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

const f = (file: string, line: number, func: string, code: string): PyFrame => ({ file, line, func, code })

// ---------------------------------------------------------------- 17.0
// odoo/models.py, odoo/api.py (call_kw split into _call_kw_model / _model_create / _multi), and the addons.
const M17 = 'odoo/models.py'
const V17: VersionSpec = {
  models: BASE_MODELS(17),
  rows: rowsOf(`
*                             search_count              model         BaseModel.search_count(self, domain, limit=None)  @ odoo/models.py:1569
*                             search                    model         BaseModel.search(self, domain, offset=0, limit=None, order=None)  @ odoo/models.py:1587
*                             read_group                model         BaseModel.read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True)  @ odoo/models.py:2621
*                             fields_get                model         BaseModel.fields_get(self, allfields=None, attributes=None)  @ odoo/models.py:3390
*                             read                      record        BaseModel.read(self, fields=None, load='_classic_read')  @ odoo/models.py:3510
*                             _read_format              record        BaseModel._read_format(self, fnames, load='_classic_read')  @ odoo/models.py:3704
*                             unlink                    record        BaseModel.unlink(self)  @ odoo/models.py:4152
*                             write                     record        BaseModel.write(self, vals)  @ odoo/models.py:4253
# @api.model_create_multi wraps create with the 'decorator' package: Python names it plain 'create'.
*                             create                    model_create  create(self, vals_list)  @ odoo/models.py:4498
*                             search_read               model         BaseModel.search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs)  @ odoo/models.py:5699
# Public over XML-RPC up to 18 (only names starting with '_' are private); @api.private in 19.
*                             exists                    record        BaseModel.exists(self)  @ odoo/models.py:5555
product.product               create                    model_create  create(self, vals_list)  @ addons/product/models/product_product.py:355
product.product               write                     record        ProductProduct.write(self, vals)  @ addons/stock_account/models/product.py:112
product.product               fields_get                model         Product.fields_get(self, allfields=None, attributes=None)  @ addons/stock/models/product.py:439
res.users                     read                      record        UsersView.read(self, fields=None, load='_classic_read')  @ odoo/addons/base/models/res_users.py:1780
res.users                     _read_format              record        UsersView._read_format(self, fnames, load='_classic_read')  @ odoo/addons/base/models/res_users.py:1751
res.users                     fields_get                model         UsersView.fields_get(self, allfields=None, attributes=None)  @ odoo/addons/base/models/res_users.py:1832
res.users                     read_group                model         UsersView.read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True)  @ odoo/addons/base/models/res_users.py:1805
sale.order                    create                    model_create  create(self, vals_list)  @ addons/sale/models/sale_order.py:765
sale.order                    write                     record        SaleOrder.write(self, values)  @ addons/sale_stock/models/sale_order.py:97
sale.order                    action_confirm            record        SaleOrder.action_confirm(self)  @ addons/sale_management/models/sale_order.py:129
sale.order                    action_cancel             record        SaleOrder.action_cancel(self)  @ addons/sale/models/sale_order.py:1008
sale.order.line               create                    model_create  create(self, vals_list)  @ addons/sale_stock/models/sale_order_line.py:170
sale.order.line               write                     record        SaleOrderLine.write(self, values)  @ addons/sale_stock/models/sale_order_line.py:175
# sale.order.cancel inherits mail.composer.mixin, whose create is mail.render.mixin's.
sale.order.cancel             create                    model_create  create(self, values_list)  @ addons/mail/models/mail_render_mixin.py:93
sale.order.cancel             action_cancel             record        SaleOrderCancel.action_cancel(self)  @ addons/sale/wizard/sale_order_cancel.py:85
stock.quant                   create                    model_create  create(self, vals_list)  @ addons/stock/models/stock_quant.py:247
stock.quant                   write                     record        StockQuant.write(self, vals)  @ addons/stock/models/stock_quant.py:329
stock.quant                   action_apply_inventory    record        StockQuant.action_apply_inventory(self)  @ addons/stock/models/stock_quant.py:405
stock.quant                   read_group                model         StockQuant.read_group(self, domain, fields, *args, **kwargs)  @ addons/stock_account/models/stock_quant.py:65
stock.move                    create                    model_create  create(self, vals_list)  @ addons/stock/models/stock_move.py:604
stock.move                    write                     record        StockMove.write(self, vals)  @ addons/stock/models/stock_move.py:610
stock.move.line               write                     record        StockMoveLine.write(self, vals)  @ addons/stock_account/models/stock_move_line.py:33
stock.picking                 create                    model_create  create(self, vals_list)  @ addons/stock/models/stock_picking.py:822
stock.picking                 write                     record        Picking.write(self, vals)  @ addons/stock/models/stock_picking.py:853
stock.picking                 button_validate           record        Picking.button_validate(self)  @ addons/stock/models/stock_picking.py:1113
stock.location                write                     record        Location.write(self, values)  @ addons/stock/models/stock_location.py:196
stock.warehouse               write                     record        Warehouse.write(self, vals)  @ addons/stock/models/stock_warehouse.py:163
stock.backorder.confirmation  process                   record        StockBackorderConfirmation.process(self)  @ addons/stock/wizard/stock_backorder_confirmation.py:52
stock.backorder.confirmation  process_cancel_backorder  record        StockBackorderConfirmation.process_cancel_backorder(self)  @ addons/stock/wizard/stock_backorder_confirmation.py:70
# 17 names it create_returns; 18 renamed it action_create_returns and added action_create_returns_all.
stock.return.picking          create_returns            record        ReturnPicking.create_returns(self)  @ addons/stock/wizard/stock_picking_return.py:184
`),
  forwards: {
    '*/search_read': {
      to: '_read_format',
      keywords: { fnames: 'fields' },
      frame: f(M17, 5730, 'search_read', 'return records._read_format(fnames=fields, **read_kwargs)'),
    },
    'stock.quant/read_group': {
      to: 'BaseModel.read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True)',
      positional: ['domain', 'fields'],
      frame: f(
        'addons/stock_account/models/stock_quant.py',
        68,
        'read_group',
        'return super().read_group(domain, fields, *args, **kwargs)',
      ),
    },
  },
  wrappers: {},
  privateMethods: [],
  frames: {
    entry: [
      f('odoo/addons/base/controllers/rpc.py', 150, 'xmlrpc_2', 'response = self._xmlrpc(service)'),
      f(
        'odoo/addons/base/controllers/rpc.py',
        130,
        '_xmlrpc',
        'result = dispatch_rpc(service, method, params)',
      ),
      f('odoo/http.py', 388, 'dispatch_rpc', 'return dispatch(method, params)'),
    ],
    dispatchKw: f('odoo/service/model.py', 37, 'dispatch', 'res = execute_kw(db, uid, *params[3:])'),
    dispatchExecute: f('odoo/service/model.py', 35, 'dispatch', 'res = execute(db, uid, *params[3:])'),
    executeKw: f(
      'odoo/service/model.py',
      59,
      'execute_kw',
      'return execute(db, uid, obj, method, *args, **kw or {})',
    ),
    execute: f('odoo/service/model.py', 65, 'execute', 'res = execute_cr(cr, uid, obj, method, *args, **kw)'),
    executeCr: f(
      'odoo/service/model.py',
      50,
      'execute_cr',
      'result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)',
    ),
    retrying: f('odoo/service/model.py', 133, 'retrying', 'result = func()'),
    lookup: [f('odoo/api.py', 459, 'call_kw', 'method = getattr(type(model), name)')],
    ids: [
      f('odoo/api.py', 466, 'call_kw', 'result = _call_kw_multi(method, model, args, kwargs)'),
      f('odoo/api.py', 449, '_call_kw_multi', 'ids, args = args[0], args[1:]'),
    ],
    call: {
      model: [
        f('odoo/api.py', 462, 'call_kw', 'result = _call_kw_model(method, model, args, kwargs)'),
        f('odoo/api.py', 435, '_call_kw_model', 'result = method(recs, *args, **kwargs)'),
      ],
      model_create: [
        f('odoo/api.py', 464, 'call_kw', 'result = _call_kw_model_create(method, model, args, kwargs)'),
        f('odoo/api.py', 444, '_call_kw_model_create', 'result = method(recs, *args, **kwargs)'),
      ],
      record: [
        f('odoo/api.py', 466, 'call_kw', 'result = _call_kw_multi(method, model, args, kwargs)'),
        f('odoo/api.py', 453, '_call_kw_multi', 'result = method(recs, *args, **kwargs)'),
      ],
    },
    createResult: [
      f('odoo/api.py', 464, 'call_kw', 'result = _call_kw_model_create(method, model, args, kwargs)'),
      f(
        'odoo/api.py',
        445,
        '_call_kw_model_create',
        'return result.id if isinstance(args[0], Mapping) else result.ids',
      ),
    ],
    nameError: f(
      'odoo/service/model.py',
      39,
      'dispatch',
      'raise NameError("Method not available %s" % method)',
    ),
    unpackParams: null,
  },
}

// ---------------------------------------------------------------- 18.0
const M18 = 'odoo/models.py'
const V18: VersionSpec = {
  models: BASE_MODELS(18),
  rows: rowsOf(`
*                             search_count               model         BaseModel.search_count(self, domain, limit=None)  @ odoo/models.py:1681
*                             search                     model         BaseModel.search(self, domain, offset=0, limit=None, order=None)  @ odoo/models.py:1700
*                             read_group                 model         BaseModel.read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True)  @ odoo/models.py:2771
*                             fields_get                 model         BaseModel.fields_get(self, allfields=None, attributes=None)  @ odoo/models.py:3688
*                             read                       record        BaseModel.read(self, fields=None, load='_classic_read')  @ odoo/models.py:3780
*                             _read_format               record        BaseModel._read_format(self, fnames, load='_classic_read')  @ odoo/models.py:3994
*                             unlink                     record        BaseModel.unlink(self)  @ odoo/models.py:4471
*                             write                      record        BaseModel.write(self, vals)  @ odoo/models.py:4613
# 'decorator'-made wrapper: Python names it plain 'create' (seen on a real 18.0 server).
*                             create                     model_create  create(self, vals_list)  @ odoo/models.py:4891
*                             search_read                model         BaseModel.search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs)  @ odoo/models.py:6059
# Public over XML-RPC up to 18 (only names starting with '_' are private); @api.private in 19.
*                             exists                    record        BaseModel.exists(self)  @ odoo/models.py:5915
product.product               create                     model_create  create(self, vals_list)  @ addons/product/models/product_product.py:367
product.product               write                      record        ProductProduct.write(self, vals)  @ addons/stock_account/models/product.py:150
product.product               fields_get                 model         Product.fields_get(self, allfields=None, attributes=None)  @ addons/stock/models/product.py:454
res.users                     read                       record        UsersView.read(self, fields=None, load='_classic_read')  @ odoo/addons/base/models/res_users.py:2055
res.users                     _read_format               record        UsersView._read_format(self, fnames, load='_classic_read')  @ odoo/addons/base/models/res_users.py:2026
res.users                     fields_get                 model         UsersView.fields_get(self, allfields=None, attributes=None)  @ odoo/addons/base/models/res_users.py:2100
sale.order                    create                     model_create  create(self, vals_list)  @ addons/sale/models/sale_order.py:929
sale.order                    write                      record        SaleOrder.write(self, values)  @ addons/sale_stock/models/sale_order.py:121
sale.order                    action_confirm             record        SaleOrder.action_confirm(self)  @ addons/sale_management/models/sale_order.py:168
sale.order                    action_cancel              record        SaleOrder.action_cancel(self)  @ addons/sale/models/sale_order.py:1227
sale.order.line               create                     model_create  create(self, vals_list)  @ addons/sale_stock/models/sale_order_line.py:212
sale.order.line               write                      record        SaleOrderLine.write(self, values)  @ addons/sale_stock/models/sale_order_line.py:217
sale.order.cancel             create                     model_create  create(self, values_list)  @ addons/mail/models/mail_render_mixin.py:93
sale.order.cancel             action_cancel              record        SaleOrderCancel.action_cancel(self)  @ addons/sale/wizard/sale_order_cancel.py:85
stock.quant                   create                     model_create  create(self, vals_list)  @ addons/stock/models/stock_quant.py:254
stock.quant                   write                      record        StockQuant.write(self, vals)  @ addons/stock/models/stock_quant.py:350
stock.quant                   action_apply_inventory     record        StockQuant.action_apply_inventory(self)  @ addons/stock/models/stock_quant.py:432
stock.move                    create                     model_create  create(self, vals_list)  @ addons/stock/models/stock_move.py:672
stock.move                    write                      record        StockMove.write(self, vals)  @ addons/stock/models/stock_move.py:683
stock.move.line               write                      record        StockMoveLine.write(self, vals)  @ addons/stock_account/models/stock_move_line.py:28
stock.picking                 create                     model_create  create(self, vals_list)  @ addons/stock/models/stock_picking.py:1082
stock.picking                 write                      record        Picking.write(self, vals)  @ addons/stock/models/stock_picking.py:1117
stock.picking                 button_validate            record        Picking.button_validate(self)  @ addons/stock/models/stock_picking.py:1397
stock.location                write                      record        Location.write(self, values)  @ addons/stock/models/stock_location.py:216
stock.warehouse               write                      record        Warehouse.write(self, vals)  @ addons/stock/models/stock_warehouse.py:184
stock.backorder.confirmation  process                    record        StockBackorderConfirmation.process(self)  @ addons/stock/wizard/stock_backorder_confirmation.py:52
stock.backorder.confirmation  process_cancel_backorder   record        StockBackorderConfirmation.process_cancel_backorder(self)  @ addons/stock/wizard/stock_backorder_confirmation.py:70
stock.return.picking          action_create_returns      record        ReturnPicking.action_create_returns(self)  @ addons/stock/wizard/stock_picking_return.py:174
stock.return.picking          action_create_returns_all  record        ReturnPicking.action_create_returns_all(self)  @ addons/stock/wizard/stock_picking_return.py:186
`),
  forwards: {
    '*/search_read': {
      to: '_read_format',
      keywords: { fnames: 'fields' },
      frame: f(M18, 6090, 'search_read', 'return records._read_format(fnames=fields, **read_kwargs)'),
    },
  },
  wrappers: {},
  privateMethods: [],
  frames: {
    entry: [
      f('odoo/addons/base/controllers/rpc.py', 165, 'xmlrpc_2', 'response = self._xmlrpc(service)'),
      f(
        'odoo/addons/base/controllers/rpc.py',
        139,
        '_xmlrpc',
        'result = dispatch_rpc(service, method, params)',
      ),
      f('odoo/http.py', 398, 'dispatch_rpc', 'return dispatch(method, params)'),
    ],
    dispatchKw: f('odoo/service/model.py', 39, 'dispatch', 'res = execute_kw(db, uid, *params[3:])'),
    dispatchExecute: f('odoo/service/model.py', 37, 'dispatch', 'res = execute(db, uid, *params[3:])'),
    executeKw: f(
      'odoo/service/model.py',
      61,
      'execute_kw',
      'return execute(db, uid, obj, method, *args, **kw or {})',
    ),
    execute: f('odoo/service/model.py', 68, 'execute', 'res = execute_cr(cr, uid, obj, method, *args, **kw)'),
    executeCr: f(
      'odoo/service/model.py',
      52,
      'execute_cr',
      'result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)',
    ),
    retrying: f('odoo/service/model.py', 137, 'retrying', 'result = func()'),
    lookup: [
      f(
        'odoo/api.py',
        500,
        'call_kw',
        `raise AttributeError(f"The method '{name}' does not exist on the model '{model._name}'")`,
      ),
    ],
    ids: [f('odoo/api.py', 507, 'call_kw', 'ids, args = args[0], args[1:]')],
    call: {
      model: [f('odoo/api.py', 517, 'call_kw', 'result = getattr(recs, name)(*args, **kwargs)')],
      model_create: [f('odoo/api.py', 517, 'call_kw', 'result = getattr(recs, name)(*args, **kwargs)')],
      record: [f('odoo/api.py', 517, 'call_kw', 'result = getattr(recs, name)(*args, **kwargs)')],
    },
    createResult: [
      f('odoo/api.py', 520, 'call_kw', 'result = result.id if isinstance(args[0], Mapping) else result.ids'),
    ],
    nameError: f(
      'odoo/service/model.py',
      41,
      'dispatch',
      'raise NameError("Method not available %s" % method)',
    ),
    unpackParams: null,
  },
}

// ---------------------------------------------------------------- 19.0
const M19 = 'odoo/orm/models.py'
const S19 = 'odoo/service/model.py'
const V19: VersionSpec = {
  models: BASE_MODELS(19),
  rows: rowsOf(`
*                             search_count               model         BaseModel.search_count(self, domain, limit=None)  @ odoo/orm/models.py:1347
*                             search                     model         BaseModel.search(self, domain, offset=0, limit=None, order=None)  @ odoo/orm/models.py:1363
*                             read_group                 model         BaseModel.read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True)  @ odoo/orm/models.py:2749 (@api.deprecated)
*                             fields_get                 model         BaseModel.fields_get(self, allfields=None, attributes=None)  @ odoo/orm/models.py:3343
*                             read                       record        BaseModel.read(self, fields=None, load='_classic_read')  @ odoo/orm/models.py:3469
*                             _read_format               record        BaseModel._read_format(self, fnames, load='_classic_read')  @ odoo/orm/models.py:3709
# mail's Base (addons/mail/models/models.py:46) overrides unlink for every model.
*                             unlink                     record        Base.unlink(self)  @ addons/mail/models/models.py:46
*                             write                      record        BaseModel.write(self, vals)  @ odoo/orm/models.py:4334
# 19's model_create_multi is a functools.wraps wrapper (odoo/orm/decorators.py:353): the qualname is kept.
*                             create                     model_create  BaseModel.create(self, vals_list)  @ odoo/orm/models.py:4611
*                             search_read                model         BaseModel.search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs)  @ odoo/orm/models.py:5746
*                             formatted_read_group       model         Base.formatted_read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None)  @ addons/web/models/models.py:746
product.product               create                     model_create  ProductProduct.create(self, vals_list)  @ addons/stock_account/models/product.py:172
product.product               write                      record        ProductProduct.write(self, vals)  @ addons/stock_account/models/product.py:177
product.product               fields_get                 model         ProductProduct.fields_get(self, allfields=None, attributes=None)  @ addons/stock/models/product.py:540
res.users                     read                       record        ResUsers.read(self, fields=None, load='_classic_read')  @ odoo/addons/base/models/res_users.py:564
res.users                     fields_get                 model         ResUsers.fields_get(self, allfields=None, attributes=None)  @ odoo/addons/base/models/res_users.py:1322
sale.order                    create                     model_create  SaleOrder.create(self, vals_list)  @ addons/sale/models/sale_order.py:995
sale.order                    write                      record        SaleOrder.write(self, vals)  @ addons/sale_stock/models/sale_order.py:154
sale.order                    action_confirm             record        SaleOrder.action_confirm(self)  @ addons/sale_management/models/sale_order.py:128
sale.order                    action_cancel              record        SaleOrder.action_cancel(self)  @ addons/sale/models/sale_order.py:1315
sale.order.line               create                     model_create  SaleOrderLine.create(self, vals_list)  @ addons/sale_stock/models/sale_order_line.py:242
sale.order.line               write                      record        SaleOrderLine.write(self, vals)  @ addons/sale_stock/models/sale_order_line.py:247
stock.quant                   create                     model_create  StockQuant.create(self, vals_list)  @ addons/stock/models/stock_quant.py:253
stock.quant                   write                      record        StockQuant.write(self, vals)  @ addons/stock/models/stock_quant.py:351
stock.quant                   action_apply_inventory     record        StockQuant.action_apply_inventory(self, date=None)  @ addons/stock/models/stock_quant.py:433
stock.move                    create                     model_create  StockMove.create(self, vals_list)  @ addons/stock/models/stock_move.py:743
stock.move                    write                      record        StockMove.write(self, vals)  @ addons/sale_stock/models/stock.py:126
stock.move.line               create                     model_create  StockMoveLine.create(self, vals_list)  @ addons/stock_account/models/stock_move_line.py:8
stock.move.line               write                      record        StockMoveLine.write(self, vals)  @ addons/stock_account/models/stock_move_line.py:13
stock.picking                 create                     model_create  StockPicking.create(self, vals_list)  @ addons/stock/models/stock_picking.py:1117
stock.picking                 write                      record        StockPicking.write(self, vals)  @ addons/stock/models/stock_picking.py:1139
stock.picking                 button_validate            record        StockPicking.button_validate(self)  @ addons/stock/models/stock_picking.py:1397
stock.location                create                     model_create  StockLocation.create(self, vals_list)  @ addons/stock/models/stock_location.py:284
stock.location                write                      record        StockLocation.write(self, vals)  @ addons/stock/models/stock_location.py:220
stock.warehouse               create                     model_create  StockWarehouse.create(self, vals_list)  @ addons/stock/models/stock_warehouse.py:114
stock.warehouse               write                      record        StockWarehouse.write(self, vals)  @ addons/stock/models/stock_warehouse.py:184
stock.backorder.confirmation  process                    record        StockBackorderConfirmation.process(self)  @ addons/stock/wizard/stock_backorder_confirmation.py:49
stock.backorder.confirmation  process_cancel_backorder   record        StockBackorderConfirmation.process_cancel_backorder(self)  @ addons/stock/wizard/stock_backorder_confirmation.py:67
stock.return.picking          action_create_returns      record        StockReturnPicking.action_create_returns(self)  @ addons/stock/wizard/stock_picking_return.py:210
stock.return.picking          action_create_returns_all  record        StockReturnPicking.action_create_returns_all(self)  @ addons/stock/wizard/stock_picking_return.py:222
`),
  forwards: {
    '*/search_read': {
      to: '_read_format',
      keywords: { fnames: 'fields' },
      frame: f(M19, 5785, 'search_read', 'return records._read_format(fnames=fields, **read_kwargs)'),
    },
  },
  // The @api.private methods of odoo/orm/models.py 19.0 (get_public_method refuses them like `_x`).
  // read_group is @api.deprecated in 19 (odoo/orm/decorators.py:42, a functools.wraps wrapper).
  wrappers: { '*/read_group': f('odoo/orm/decorators.py', 42, 'wrapper', 'return obj(*args, **kwargs)') },
  privateMethods: [
    'search_fetch',
    'init',
    'fetch',
    'check_access',
    'exists',
    'lock_for_update',
    'try_lock_for_update',
    'browse',
    'ensure_one',
    'with_env',
    'sudo',
    'with_user',
    'with_company',
    'with_context',
    'with_prefetch',
    'mapped',
    'filtered',
    'grouped',
    'filtered_domain',
    'sorted',
    'update',
    'flush_model',
    'flush_recordset',
    'new',
    'concat',
    'union',
    'invalidate_model',
    'invalidate_recordset',
    'modified',
  ],
  frames: {
    entry: [
      f('addons/rpc/controllers/xmlrpc.py', 162, 'xmlrpc_2', 'response = self._xmlrpc(service)'),
      f('addons/rpc/controllers/xmlrpc.py', 134, '_xmlrpc', 'result = dispatch_rpc(service, method, params)'),
      f('odoo/http.py', 439, 'dispatch_rpc', 'return dispatch(method, params)'),
    ],
    dispatchKw: f(S19, 129, 'dispatch', 'res = execute_cr(cr, uid, model, method_, args, kw)'),
    dispatchExecute: f(S19, 129, 'dispatch', 'res = execute_cr(cr, uid, model, method_, args, kw)'),
    executeKw: f(S19, 122, 'dispatch', 'args, kw = args'),
    execute: null,
    executeCr: f(S19, 146, 'execute_cr', 'result = retrying(partial(call_kw, recs, method, args, kw), env)'),
    retrying: f(S19, 184, 'retrying', 'result = func()'),
    lookup: [
      f(S19, 75, 'call_kw', 'method = get_public_method(model, name)'),
      f(
        S19,
        59,
        'get_public_method',
        `raise AttributeError(f"The method '{model._name}.{name}' does not exist")  # noqa: TRY004`,
      ),
    ],
    ids: [f(S19, 82, 'call_kw', 'ids, args = args[0], args[1:]')],
    call: {
      model: [f(S19, 93, 'call_kw', 'result = method(recs, *args, **kwargs)')],
      model_create: [f(S19, 93, 'call_kw', 'result = method(recs, *args, **kwargs)')],
      record: [f(S19, 93, 'call_kw', 'result = method(recs, *args, **kwargs)')],
    },
    createResult: [
      f(S19, 98, 'call_kw', 'result = result.id if isinstance(args[0], Mapping) else result.ids'),
    ],
    nameError: f(S19, 126, 'dispatch', 'raise NameError(f"Method not available {method}")  # noqa: TRY301'),
    unpackParams: f(S19, 106, 'dispatch', 'db, uid, passwd, model, method_, *args = params'),
  },
}

const SPECS: Record<DispatchVersion, VersionSpec> = { 17: V17, 18: V18, 19: V19 }

interface CompiledVersion {
  spec: VersionSpec
  rows: Map<string, DispatchRow>
}

const compiled = new Map<DispatchVersion, CompiledVersion>()

function compile(version: DispatchVersion): CompiledVersion {
  const hit = compiled.get(version)
  if (hit) return hit
  const spec = SPECS[version]
  const rows = new Map<string, DispatchRow>()
  const sigs = new Map<string, PySignature>()
  for (const r of spec.rows) sigs.set(`${r.model}/${r.method}`, parseSignature(r.def))
  for (const r of spec.rows) {
    const row: DispatchRow = {
      model: r.model,
      method: r.method,
      api: r.api,
      sig: sigs.get(`${r.model}/${r.method}`) as PySignature,
      from: r.from,
    }
    const wrapper = spec.wrappers[`${r.model}/${r.method}`]
    if (wrapper) row.wrapper = wrapper
    const fw = spec.forwards[`${r.model}/${r.method}`]
    if (fw) {
      const target = fw.to.includes('(')
        ? parseSignature(fw.to)
        : (sigs.get(`${r.model}/${fw.to}`) ?? sigs.get(`*/${fw.to}`))
      if (!target) throw new Error(`forward target ${fw.to} missing in ${version}`)
      row.forward = {
        sig: target,
        positional: fw.positional ?? [],
        keywords: fw.keywords ?? {},
        frame: fw.frame,
      }
    }
    rows.set(`${r.model}/${r.method}`, row)
  }
  // A model's own override of a method whose forward target is model-specific (res.users _read_format).
  for (const model of Object.keys(spec.models)) {
    const own = rows.get(`${model}/_read_format`)
    const base = rows.get('*/search_read')
    if (own && base?.forward && !rows.has(`${model}/search_read`))
      rows.set(`${model}/search_read`, { ...base, model, forward: { ...base.forward, sig: own.sig } })
  }
  const c = { spec, rows }
  compiled.set(version, c)
  return c
}

/** The row Odoo dispatches `model.method` to, or null when the model has no such method. */
export function dispatchRow(version: DispatchVersion, model: string, method: string): DispatchRow | null {
  const c = compile(version)
  if (!(model in c.spec.models)) return null
  if (method.startsWith('_')) return null
  return c.rows.get(`${model}/${method}`) ?? c.rows.get(`*/${method}`) ?? null
}

/** Every public row of a version's table (for the tests that walk the table). */
export function dispatchRows(version: DispatchVersion): DispatchRow[] {
  return [...compile(version).rows.values()].filter((r) => !r.method.startsWith('_'))
}

export const modelExists = (version: DispatchVersion, model: string): boolean =>
  model in SPECS[version].models

// ---------------------------------------------------------------- dispatching

/** An exception raised while dispatching, as Odoo would raise it (class, message, traceback frames). */
export class DispatchError extends PyException {
  constructor(
    pyClass: string,
    message: string,
    frames: PyFrame[] = [],
    /** HTTP status for JSON-2 (werkzeug exceptions and Odoo's own carry one). */
    readonly httpStatus: number | null = null,
  ) {
    super(pyClass, message, frames)
    this.name = 'DispatchError'
  }
}

export interface DispatchedCall {
  model: string
  method: string
  row: DispatchRow
  /** The recordset (record methods); null for @api.model methods and create. */
  ids: number[] | null
  /** Every bound argument by parameter name (and what a forwarded call bound), without self. */
  params: Record<string, unknown>
  context: Record<string, unknown>
  /**
   * How the answer is shaped: create answers one id over XML-RPC when its first positional argument is a
   * dict (call_kw's `isinstance(args[0], Mapping)`), a list of ids otherwise; JSON-2 always a list.
   */
  createAnswer: 'id' | 'ids' | null
  /** The traceback down to the method's call, for an exception the method itself raises. */
  frames: PyFrame[]
}

const isDict = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** `model.browse(ids)`: falsy is empty, an int is one record, anything else is iterated. */
function browseIds(ids: unknown): number[] {
  if (!ids) return []
  if (typeof ids === 'number') return [ids]
  if (Array.isArray(ids)) return ids as number[]
  if (typeof ids === 'string') return [...ids] as unknown as number[]
  if (isDict(ids)) return Object.keys(ids) as unknown as number[]
  return [ids] as unknown as number[]
}

const pyTypeName = (v: unknown): string => {
  if (v === null || v === undefined) return 'NoneType'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (typeof v === 'string') return 'str'
  if (Array.isArray(v)) return 'list'
  return 'dict'
}

/** Python's `*x` in a call: a list, the characters of a str, the keys of a dict; anything else is refused. */
function starArgs(v: unknown, callee: string): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...v]
  if (isDict(v)) return Object.keys(v)
  throw new TypeError(`${callee}() argument after * must be an iterable, not ${pyTypeName(v)}`)
}

/** Binds and, where the method forwards the rest, binds the forwarded call too (CPython rules). */
function bindCall(
  row: DispatchRow,
  positional: unknown[],
  keywords: Array<[string, unknown]>,
  callFrames: PyFrame[],
): Record<string, unknown> {
  let bound
  try {
    bound = cpythonBind(row.sig, positional, keywords)
  } catch (e) {
    if (e instanceof PyException)
      throw new DispatchError(e.pyClass, e.message, row.wrapper ? [...callFrames, row.wrapper] : callFrames)
    throw e
  }
  const values = { ...bound.values }
  if (!row.forward) return values
  const fw = row.forward
  const fPos = [
    ...fw.positional.map((n) => values[n]),
    ...((row.sig.varargs ? values[row.sig.varargs] : []) as unknown[]),
  ]
  const fKw: Array<[string, unknown]> = Object.entries(fw.keywords).map(([to, from]) => [to, values[from]])
  const rest = (row.sig.varkw ? values[row.sig.varkw] : {}) as Record<string, unknown>
  for (const [k, v] of Object.entries(rest)) {
    if (fKw.some(([name]) => name === k))
      throw new DispatchError(
        'TypeError',
        `${fw.sig.qualname}() got multiple values for keyword argument '${k}'`,
        [...callFrames, fw.frame],
      )
    fKw.push([k, v])
  }
  let inner
  try {
    inner = cpythonBind(fw.sig, fPos, fKw)
  } catch (e) {
    if (e instanceof PyException) throw new DispatchError(e.pyClass, e.message, [...callFrames, fw.frame])
    throw e
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(values)) if (k !== row.sig.varargs && k !== row.sig.varkw) out[k] = v
  return { ...out, ...inner.values }
}

// The service functions of 17 and 18, called as f(db, uid, *params[3:]) (odoo/service/model.py).
const EXECUTE_KW = parseSignature('execute_kw(self, uid, obj, method, args, kw=None)')
const EXECUTE = parseSignature('execute(self, uid, obj, method, *args, **kw)')

/**
 * XML-RPC `/xmlrpc/2/object`: `execute_kw(db, uid, key, model, method, args, kwargs=None)` or
 * `execute(db, uid, key, model, method, *args)`, after the credentials were checked. `params` are the
 * XML-RPC params from the model name on (params[3:]).
 */
export function dispatchXmlRpc(
  version: DispatchVersion,
  rpcMethod: string,
  params: readonly unknown[],
): DispatchedCall {
  const spec = compile(version).spec
  const fr = spec.frames
  const head = [...fr.entry]
  if (rpcMethod !== 'execute' && rpcMethod !== 'execute_kw')
    throw new DispatchError('NameError', `Method not available ${rpcMethod}`, [...head, fr.nameError])
  let model: unknown
  let method: unknown
  let args: unknown
  let kw: unknown
  if (version >= 19) {
    // db, uid, passwd, model, method_, *args = params; execute_kw: args, kw = args (kw optional).
    if (params.length < 2)
      throw new DispatchError(
        'ValueError',
        `not enough values to unpack (expected at least 5, got ${params.length + 3})`,
        [...head, fr.unpackParams as PyFrame],
      )
    ;[model, method] = params
    const rest = params.slice(2)
    if (rpcMethod === 'execute') [args, kw] = [rest, {}]
    else {
      const pair = rest.length === 1 ? [rest[0], {}] : rest
      if (pair.length !== 2)
        throw new DispatchError(
          'ValueError',
          pair.length < 2
            ? `not enough values to unpack (expected 2, got ${pair.length})`
            : 'too many values to unpack (expected 2)',
          [...head, fr.executeKw],
        )
      ;[args, kw] = pair
      if (kw === null || kw === undefined) kw = {}
    }
    head.push(fr.dispatchKw)
  } else {
    const kwCall = rpcMethod === 'execute_kw'
    head.push(kwCall ? fr.dispatchKw : fr.dispatchExecute)
    let bound
    try {
      // `uid` stands for the uid; the db is `self` in these signatures.
      bound = cpythonBind(kwCall ? EXECUTE_KW : EXECUTE, [0, ...params], []).values
    } catch (e) {
      if (e instanceof PyException) throw new DispatchError(e.pyClass, e.message, head)
      throw e
    }
    model = bound.obj
    method = bound.method
    if (kwCall) {
      // execute(db, uid, obj, method, *args, **kw or {})
      const starred = bound.args
      const kwIn = bound.kw
      if (kwIn && !isDict(kwIn))
        throw new DispatchError(
          'TypeError',
          `odoo.service.model.execute() argument after ** must be a mapping, not ${pyTypeName(kwIn)}`,
          [...head, fr.executeKw],
        )
      try {
        args = starArgs(starred, 'odoo.service.model.execute')
      } catch (e) {
        throw new DispatchError('TypeError', (e as Error).message, [...head, fr.executeKw])
      }
      kw = kwIn || {}
      head.push(fr.executeKw)
    } else [args, kw] = [bound.args, {}]
    // execute() refuses private names (check_method_name) before the model is looked up.
    if (typeof method === 'string' && method.startsWith('_'))
      throw new DispatchError('AccessError', `Private methods (such as ${method}) cannot be called remotely.`)
    head.push(fr.execute as PyFrame)
  }
  const m = String(model)
  const name = String(method)
  if (!modelExists(version, m)) throw new DispatchError('UserError', `Object ${m} doesn't exist`)
  head.push(fr.executeCr, fr.retrying)
  if (version >= 19 && (name.startsWith('_') || spec.privateMethods.includes(name)))
    throw new DispatchError(
      'AccessError',
      `Private methods (such as '${m}.${name}') cannot be called remotely.`,
    )
  const row = dispatchRow(version, m, name)
  if (!row)
    throw new DispatchError(
      'AttributeError',
      version === 17
        ? `type object '${m}' has no attribute '${name}'`
        : version === 18
          ? `The method '${name}' does not exist on the model '${m}'`
          : `The method '${m}.${name}' does not exist`,
      [...head, ...fr.lookup],
    )
  // 17/18 pass args on as a tuple (execute(*args)); 19 hands call_kw the value itself.
  const seq = version >= 19 ? 'list' : 'tuple'
  let positional: unknown[]
  if (Array.isArray(args)) positional = args
  else if (typeof args === 'string') positional = [...args]
  else if (isDict(args)) {
    if (row.api !== 'model') throw new DispatchError('KeyError', '0', [...head, ...fr.ids])
    positional = Object.keys(args)
  } else if (row.api === 'record')
    throw new DispatchError('TypeError', `'${pyTypeName(args)}' object is not subscriptable`, [
      ...head,
      ...fr.ids,
    ])
  else
    throw new DispatchError(
      'TypeError',
      `${row.sig.qualname}() argument after * must be an iterable, not ${pyTypeName(args)}`,
      [...head, ...fr.call[row.api]],
    )
  let ids: number[] | null = null
  if (row.api === 'record') {
    if (positional.length === 0)
      throw new DispatchError('IndexError', `${seq} index out of range`, [...head, ...fr.ids])
    ids = browseIds(positional[0])
    positional = positional.slice(1)
  }
  const kwargs = { ...(kw as Record<string, unknown>) }
  const ctx = kwargs.context
  delete kwargs.context
  const bound = bindCall(row, positional, Object.entries(kwargs), [...head, ...fr.call[row.api]])
  let createAnswer: DispatchedCall['createAnswer'] = null
  if (row.api === 'model_create') {
    // call_kw reads args[0] only after create ran: the transaction is then rolled back, nothing is kept.
    if (positional.length === 0)
      throw new DispatchError('IndexError', `${seq} index out of range`, [...head, ...fr.createResult])
    createAnswer = isDict(positional[0]) ? 'id' : 'ids'
  }
  return {
    model: m,
    method: name,
    row,
    ids,
    params: bound,
    context: isDict(ctx) ? ctx : {},
    createAnswer,
    frames: [...head, ...fr.call[row.api]],
  }
}

/**
 * JSON-2 (19+) `POST /json/2/<model>/<method>` with the parsed JSON body (addons/rpc/controllers/json2.py
 * web_json_2_rpc): `ids` and `context` are the route's own parameters, every other key a keyword of the
 * method, checked with inspect.signature(func).bind(records, **kwargs) before the call.
 */
export function dispatchJson2(
  version: DispatchVersion,
  model: string,
  method: string,
  body: Record<string, unknown>,
): DispatchedCall {
  const spec = compile(version).spec
  const { ids: rawIds, context: rawCtx, ...kwargs } = body
  // The route itself is called with the body's keys: `self` collides with the controller's own.
  if ('self' in kwargs)
    throw new DispatchError(
      'TypeError',
      "WebJson2Controller.web_json_2_rpc() got multiple values for argument 'self'",
      [],
      500,
    )
  // The path's __model__ and __method__ win over the body's (`jsonrequest | args`).
  delete kwargs.__model__
  delete kwargs.__method__
  if (!modelExists(version, model))
    throw new DispatchError('NotFound', `the model '${model}' does not exist`, [], 404)
  if (method.startsWith('_') || spec.privateMethods.includes(method))
    throw new DispatchError(
      'AccessError',
      `Private methods (such as '${model}.${method}') cannot be called remotely.`,
      [],
      403,
    )
  const row = dispatchRow(version, model, method)
  if (!row) throw new DispatchError('NotFound', `The method '${model}.${method}' does not exist`, [], 404)
  const ids = browseIds(rawIds ?? [])
  if (row.api !== 'record' && ids.length > 0)
    throw new DispatchError('UnprocessableEntity', `cannot call ${model}.${method} with ids`, [], 422)
  let params: Record<string, unknown>
  try {
    params = inspectBind(row.sig, kwargs).values
  } catch (e) {
    if (e instanceof PyException) throw new DispatchError('UnprocessableEntity', e.message, [], 422)
    throw e
  }
  // The call itself: a method that forwards **kwargs binds them only now, and fails as a plain TypeError.
  if (row.forward) params = bindCall(row, [], Object.entries(kwargs), [])
  return {
    model,
    method,
    row,
    ids: row.api === 'record' ? ids : null,
    params,
    context: isDict(rawCtx) ? rawCtx : {},
    createAnswer: row.api === 'model_create' ? 'ids' : null,
    frames: [],
  }
}

// ---------------------------------------------------------------- rendering

/** Where the Debian package installs Odoo; the traceback paths start here. */
const ODOO_ROOT = '/usr/lib/python3/dist-packages/odoo'

const framePath = (file: string): string =>
  file.startsWith('odoo/') ? `${ODOO_ROOT}/${file.slice(5)}` : `${ODOO_ROOT}/${file}`

/** `traceback.format_exception` of the exception (without the caret lines of Python 3.11+). */
export function formatTraceback(pyClass: string, message: string, frames: readonly PyFrame[]): string {
  const lines = ['Traceback (most recent call last):']
  for (const fr of frames)
    lines.push(`  File "${framePath(fr.file)}", line ${fr.line}, in ${fr.func}`, `    ${fr.code}`)
  lines.push(message ? `${pyClass}: ${message}` : pyClass)
  return `${lines.join('\n')}\n`
}

/** The module-qualified class name JSON-2's serialize_exception reports. */
export function pythonClassPath(pyClass: string): string {
  if (['NotFound', 'UnprocessableEntity', 'BadRequest'].includes(pyClass))
    return `werkzeug.exceptions.${pyClass}`
  if (
    [
      'AccessError',
      'AccessDenied',
      'UserError',
      'ValidationError',
      'MissingError',
      'RedirectWarning',
    ].includes(pyClass)
  )
    return `odoo.exceptions.${pyClass}`
  return `builtins.${pyClass}`
}
