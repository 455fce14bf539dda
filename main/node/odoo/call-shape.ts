// How each Odoo method LastUnit calls takes its arguments, so both transports send exactly what Odoo's
// dispatch accepts (Odoo's external API documentation, "Calling methods"; the ORM signatures in
// odoo/models.py of 17 and 18, odoo/orm/models.py of 19):
// - XML-RPC `execute_kw(db, uid, key, model, method, args, kwargs)`: a record method gets its ids as args[0];
//   `create` must get vals_list as args[0] (call_kw reads args[0] after the call to answer one id or a
//   list: without it Odoo answers "IndexError: tuple index out of range" and rolls the create back). The
//   other parameters follow positionally in the method's own order, so they never depend on a parameter
//   name an override renamed (sale.order.write takes `values` on 17 and 18).
// - JSON-2 (19+): named arguments only, `ids` for the recordset, never `ids` for an @api.model method.
import { ClassifiedError } from '../../core/errors'
import type { RpcParams } from './odoo-rpc'

export interface MethodShape {
  /** `model`: @api.model or create (no recordset); `record`: a method of the records in `ids`. */
  api: 'model' | 'record'
  /** Parameter names in the method's positional order (after self / the ids). */
  positional: readonly string[]
}

const SHAPES: Readonly<Record<string, MethodShape>> = {
  create: { api: 'model', positional: ['vals_list'] },
  search_read: { api: 'model', positional: ['domain', 'fields', 'offset', 'limit', 'order'] },
  search: { api: 'model', positional: ['domain', 'offset', 'limit', 'order'] },
  search_count: { api: 'model', positional: ['domain', 'limit'] },
  read_group: {
    api: 'model',
    positional: ['domain', 'fields', 'groupby', 'offset', 'limit', 'orderby', 'lazy'],
  },
  formatted_read_group: {
    api: 'model',
    positional: ['domain', 'groupby', 'aggregates', 'having', 'offset', 'limit', 'order'],
  },
  fields_get: { api: 'model', positional: ['allfields', 'attributes'] },
  read: { api: 'record', positional: ['fields', 'load'] },
  write: { api: 'record', positional: ['vals'] },
  unlink: { api: 'record', positional: [] },
}

/** Business methods (action_confirm, button_validate, ...) are record methods without parameters. */
export const shapeOf = (method: string): MethodShape => SHAPES[method] ?? { api: 'record', positional: [] }

/** Refuses a call that no Odoo would bind the way the caller means it, before anything is sent. */
export function checkCallShape(model: string, method: string, params: RpcParams): void {
  const shape = shapeOf(method)
  const bad = (why: string) =>
    new ClassifiedError(
      'permanent',
      'odoo.bad_call',
      `LastUnit built a wrong call to ${model}.${method}: ${why}`,
    )
  if (shape.api === 'model' && params.ids !== undefined)
    throw bad('it works on the model, not on records, so it takes no ids')
  if (shape.api === 'record' && !Array.isArray(params.ids))
    throw bad('it works on records, so it needs the list of their ids')
  if (params.context !== undefined && (typeof params.context !== 'object' || params.context === null))
    throw bad('the context must be an object')
}

/**
 * The `args` and `kwargs` of XML-RPC's execute_kw: the ids first for a record method, then the method's
 * leading parameters positionally as far as the caller gave them without a gap, the rest (and the context)
 * as keywords.
 */
export function xmlrpcArguments(
  model: string,
  method: string,
  params: RpcParams,
): { args: unknown[]; kwargs: Record<string, unknown> } {
  checkCallShape(model, method, params)
  const { ids, ...named } = params
  const shape = shapeOf(method)
  const args: unknown[] = shape.api === 'record' ? [ids] : []
  for (const name of shape.positional) {
    if (!(name in named) || named[name] === undefined) break
    args.push(named[name])
    delete named[name]
  }
  const kwargs: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(named)) if (v !== undefined) kwargs[k] = v
  return { args, kwargs }
}
