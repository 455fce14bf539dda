// Odoo 18.0's dispatch table, read from its source (see odoo-dispatch.ts for the commit).
import { BASE_MODELS, f, rowsOf, type VersionSpec } from './table'

// ---------------------------------------------------------------- 18.0
const M18 = 'odoo/models.py'
export const V18: VersionSpec = {
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
