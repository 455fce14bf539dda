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
import type { DispatchRow, DispatchVersion, VersionSpec } from './dispatch/table'
import { V17 } from './dispatch/v17'
import { V18 } from './dispatch/v18'
import { V19 } from './dispatch/v19'

export type { ApiKind, DispatchRow, DispatchVersion } from './dispatch/table'
export { formatTraceback, pythonClassPath } from './dispatch/traceback'

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
