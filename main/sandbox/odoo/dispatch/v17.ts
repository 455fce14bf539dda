// Odoo 17.0's dispatch table, read from its source (see odoo-dispatch.ts for the tree).
import { BASE_MODELS, f, rowsOf, type VersionSpec } from './table'

// ---------------------------------------------------------------- 17.0
// odoo/models.py, odoo/api.py (call_kw split into _call_kw_model / _model_create / _multi), and the addons.
const M17 = 'odoo/models.py'
export const V17: VersionSpec = {
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
