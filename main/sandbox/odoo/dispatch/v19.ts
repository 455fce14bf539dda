// Odoo 19.0's dispatch table, read from its source (see odoo-dispatch.ts for the commit).
import { BASE_MODELS, f, rowsOf, type VersionSpec } from './table'

// ---------------------------------------------------------------- 19.0
const M19 = 'odoo/orm/models.py'
const S19 = 'odoo/service/model.py'
export const V19: VersionSpec = {
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
