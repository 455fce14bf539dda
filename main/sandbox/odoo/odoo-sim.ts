// The Odoo simulator: a real HTTP server on 127.0.0.1 that speaks XML-RPC (/xmlrpc/2/common and
// /xmlrpc/2/object) on every version and JSON-2 (/json/2/<model>/<method>) on 19, selectable as 17, 18
// or 19, with the behaviours of ../shared/docs/odoo-facts.md and the toolkit's fault injection. Every
// object call is bound by Odoo's own dispatch rules (odoo-dispatch.ts) and refused as Odoo refuses it.
import { decodeMethodCall } from './xmlrpc-method-call'
import {
  startSimServer,
  type FaultConfig,
  type SimRequest,
  type SimResponse,
  type SimServer,
} from '../http/sim-server'
import { OdooSimError, type OdooSimErrorName } from './sim-errors'
import type { SimEnv, SimVersion } from './sim-models'
import {
  dispatchJson2,
  dispatchXmlRpc,
  DispatchError,
  formatTraceback,
  pythonClassPath,
  type DispatchedCall,
} from './odoo-dispatch'
import { SimOrm } from './sim-orm'
import { OdooSimStore, type SimClock } from './sim-store'
import { seedDemoCatalogue, type DemoCatalogue, type DemoCatalogueOptions } from './demo-catalogue'
import { xmlFault, xmlResponse } from './sim-xmlrpc-response'

export interface OdooSimOptions {
  version: SimVersion
  /** Databases the server hosts; the first is the seller's. */
  databases?: string[]
  login?: string
  password?: string
  apiKey?: string
  /** Server version label, e.g. "saas~18.3" for an Odoo Online build. */
  serverVersion?: string
  clock?: SimClock
  /** How long a writing call's transaction stays open before it commits (late-commit trap). */
  commitDelayMs?: number
  faults?: FaultConfig
  /** Runs the `_unlink_zero_quants` scheduler this often (real Odoo: a daily cron). Off when absent. */
  zeroQuantCleanupMs?: number
  /** Seed the demo catalogue (default: 200 products); false for an empty database. */
  catalogue?: DemoCatalogueOptions | false
  port?: number
  /** Install the mrp module: kits (phantom BoMs) and their quantities, as on a database with mrp. */
  mrp?: boolean
}

export interface OdooSimStats {
  /** RPC calls answered, per transport. */
  xmlrpcCalls: number
  json2Calls: number
  /** Deprecation warnings logged (XML-RPC on 19, read_group on 19). */
  deprecationWarnings: number
}

export interface OdooSim {
  readonly url: string
  readonly version: SimVersion
  readonly database: string
  readonly login: string
  readonly password: string
  readonly apiKey: string
  readonly store: OdooSimStore
  readonly catalogue: DemoCatalogue | null
  readonly server: SimServer
  readonly stats: OdooSimStats
  /** Sets the commit delay of later writing calls. */
  setCommitDelay(ms: number): void
  stop(): Promise<void>
}

/** XML-RPC fault codes (xmlrpc_handle_exception_int): Odoo's own exceptions; anything else is 1. */
const FAULT_CODE: Record<string, number> = {
  AccessDenied: 3,
  AccessError: 4,
  UserError: 2,
  ValidationError: 2,
  MissingError: 2,
  RedirectWarning: 2,
}

/** JSON-2 status of Odoo's exceptions (odoo/exceptions.py http_status); other exceptions answer 500. */
const JSON2_STATUS: Record<string, number> = {
  AccessDenied: 403,
  AccessError: 403,
  UserError: 422,
  ValidationError: 422,
  MissingError: 404,
  NotFound: 404,
  DatabaseMissing: 404,
}

/** Odoo's exception for the simulator's own error names. */
const PY_CLASS: Record<OdooSimErrorName, string> = {
  AccessDenied: 'AccessDenied',
  AccessError: 'AccessError',
  UserError: 'UserError',
  ValidationError: 'ValidationError',
  MissingError: 'MissingError',
  ValueError: 'ValueError',
  NotFound: 'NotFound',
  TypeError: 'TypeError',
  DatabaseMissing: 'NotFound',
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const HTML_404 =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n'

const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Odoo</title></head><body><form class="oe_login_form" action="/web/login"></form></body></html>'

export async function startOdooSim(opts: OdooSimOptions): Promise<OdooSim> {
  const version = opts.version
  const databases = opts.databases ?? ['lastunit']
  const database = databases[0] as string
  const login = opts.login ?? 'admin'
  const password = opts.password ?? 'admin'
  const apiKey = opts.apiKey ?? 'a3f1c0de5b7e4f2a9d8c6b4a2e0f1d3c5b7a9e8f'
  const clock = opts.clock ?? { now: () => Date.now() }
  const store = new OdooSimStore(clock)
  store.version = version
  store.mrp.installed = opts.mrp === true
  const admin = store.users.get(2)
  if (admin) Object.assign(admin, { login, password, apiKeys: [apiKey] })
  const catalogue = opts.catalogue === false ? null : seedDemoCatalogue(store, opts.catalogue ?? {})
  const stats: OdooSimStats = { xmlrpcCalls: 0, json2Calls: 0, deprecationWarnings: 0 }
  let commitDelayMs = opts.commitDelayMs ?? 0
  const serverVersion = opts.serverVersion ?? `${version}.0`
  const versionInfo: unknown[] = serverVersion.startsWith('saas~')
    ? [serverVersion.split('.')[0], Number(serverVersion.split('.')[1] ?? 0), 0, 'final', 0, '']
    : [version, 0, 0, 'final', 0, '']

  const orm = new SimOrm((ctx): SimEnv => ({ store, version, context: ctx }))

  const dateHeader = () => new Date(clock.now()).toUTCString()

  const userFor = (loginOrUid: string | number, secret: unknown, allowPassword: boolean) => {
    for (const u of store.users.values()) {
      if (u.login !== loginOrUid && u.id !== loginOrUid) continue
      if (typeof secret !== 'string') return null
      if (u.apiKeys.includes(secret) || (allowPassword && u.password === secret)) return u
    }
    return null
  }

  /** Runs a dispatched call; writing calls get a transaction that may commit late. */
  const run = async (d: DispatchedCall) => {
    // The ORM takes create's values under vals_list and write's under vals, whatever an override named
    // them (values_list, values): the first parameter of the method.
    const first = d.row.sig.params[0]?.name
    const params: Record<string, unknown> = { ...d.params, context: d.context }
    if (d.row.api === 'model_create' && first) params.vals_list = d.params[first]
    if (d.method === 'write' && first) params.vals = d.params[first]
    const call = { model: d.model, method: d.method, ids: d.ids, params }
    const mutates = d.row.api === 'model_create' || (d.row.api === 'record' && d.method !== 'read')
    if (!mutates) return store.transaction(() => orm.call(call))
    const start = clock.now()
    if (commitDelayMs > 0) await sleep(commitDelayMs)
    return store.transaction(() => orm.call(call), start)
  }

  /** An exception as XML-RPC's xmlrpc_handle_exception_int renders it. */
  const xmlError = (pyClass: string, message: string, frames: DispatchError['frames']): string => {
    const code = FAULT_CODE[pyClass]
    if (code === 3) return xmlFault(3, 'Access Denied')
    if (code !== undefined) return xmlFault(code, message)
    return xmlFault(1, formatTraceback(pyClass, message, frames))
  }

  const xml = (body: string): SimResponse => ({
    status: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8', date: dateHeader() },
    body,
  })

  const dbMissing = (db: unknown) =>
    xmlFault(
      1,
      `Traceback (most recent call last):\npsycopg2.OperationalError: connection to server failed: FATAL:  database "${String(db)}" does not exist\n`,
    )

  const xmlrpcCommon = async (req: SimRequest): Promise<SimResponse> => {
    const { method, params } = await decodeMethodCall(req.rawBody.toString('utf8'))
    stats.xmlrpcCalls++
    if (version >= 19) stats.deprecationWarnings++
    switch (method) {
      case 'version':
        return xml(
          xmlResponse({
            server_version: serverVersion,
            server_version_info: versionInfo,
            server_serie: `${version}.0`,
            protocol_version: 1,
          }),
        )
      case 'authenticate':
      case 'login': {
        const [db, user, secret] = params as [unknown, unknown, unknown]
        if (!databases.includes(String(db))) return xml(dbMissing(db))
        const u = userFor(String(user), secret, true)
        return xml(xmlResponse(u ? u.id : false))
      }
      default:
        return xml(xmlFault(1, `Method not found: ${method}`))
    }
  }

  const xmlrpcObject = async (req: SimRequest): Promise<SimResponse> => {
    const { method, params } = await decodeMethodCall(req.rawBody.toString('utf8'))
    stats.xmlrpcCalls++
    if (version >= 19) stats.deprecationWarnings++
    // The credentials first (security.check), then the service method and the call (odoo-dispatch.ts).
    const [db, uid, secret] = params as [unknown, unknown, unknown]
    if (!databases.includes(String(db))) return xml(dbMissing(db))
    if (typeof uid !== 'number' || !userFor(uid, secret, true)) return xml(xmlFault(3, 'Access Denied'))
    let d: DispatchedCall
    try {
      d = dispatchXmlRpc(version, method, params.slice(3))
    } catch (e) {
      if (e instanceof DispatchError) return xml(xmlError(e.pyClass, e.message, e.frames))
      throw e
    }
    try {
      const r = await run(d)
      stats.deprecationWarnings += r.warnings.length
      // call_kw: create answers one id when its first argument was a dict, else the list.
      const value = d.createAnswer === 'id' && Array.isArray(r.value) ? r.value[0] : r.value
      return xml(xmlResponse(value))
    } catch (e) {
      if (e instanceof OdooSimError) return xml(xmlError(PY_CLASS[e.odooName], e.message, d.frames))
      throw e
    }
  }

  /** Json2Dispatcher.handle_error: the status of the exception and serialize_exception's body. */
  const json2Error = (
    pyClass: string,
    message: string,
    status: number,
    opts: { extraHeaders?: Record<string, string>; frames?: DispatchError['frames'] } = {},
  ): SimResponse => {
    const name = pythonClassPath(pyClass)
    return {
      status,
      headers: { date: dateHeader(), connection: 'close', ...opts.extraHeaders },
      body: {
        name,
        message,
        // werkzeug's HTTP exceptions are serialised with (description, code) as their arguments.
        arguments: name.startsWith('werkzeug.') ? [message, status] : [message],
        context: {},
        debug: formatTraceback(name.replace(/^builtins\./, ''), message, opts.frames ?? []),
      },
    }
  }

  const html = (status: number, body: string, headers: Record<string, string> = {}): SimResponse => ({
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', date: dateHeader(), ...headers },
    body,
  })

  const json2 = async (req: SimRequest): Promise<SimResponse> => {
    if (version < 19) return html(303, '', { location: '/web/login' })
    stats.json2Calls++
    const dbHeader = req.headers['x-odoo-database']
    const db = Array.isArray(dbHeader) ? dbHeader[0] : dbHeader
    if (db === undefined ? databases.length !== 1 : !databases.includes(db))
      return html(404, HTML_404, { connection: 'close' })
    const auth = req.headers.authorization ?? ''
    const m = /^bearer\s+(.+)$/i.exec(auth)
    const unauthorized = { extraHeaders: { 'www-authenticate': 'Bearer' } }
    if (!m) return json2Error('AccessDenied', 'Missing or invalid Authorization header', 401, unauthorized)
    const user = [...store.users.values()].find((u) => u.apiKeys.includes((m[1] as string).trim()))
    if (!user) return json2Error('AccessDenied', 'Invalid apikey', 401, unauthorized)
    const ct = String(req.headers['content-type'] ?? '')
    if (!ct.toLowerCase().startsWith('application/json'))
      return html(415, '<!doctype html><title>415 Unsupported Media Type</title>', { connection: 'close' })
    // odoo/http.py Json2Dispatcher.dispatch: a body that is not JSON is a BadRequest; JSON that is not an
    // object cannot be merged with the route's arguments and is ignored (`jsonrequest | args` TypeError).
    if (req.jsonError !== undefined)
      return json2Error('BadRequest', `could not parse the body as json: ${req.jsonError}`, 400)
    // addons/rpc/controllers/json2.py: only POST reaches the RPC route; the catch-all answers 404.
    if (req.method !== 'POST')
      return json2Error('NotFound', 'Did you mean POST /json/2/<model>/<method>?', 404)
    const body =
      typeof req.json === 'object' && req.json !== null && !Array.isArray(req.json)
        ? (req.json as Record<string, unknown>)
        : {}
    const model = req.params.model as string
    const method = req.params.method as string
    let d: DispatchedCall
    try {
      d = dispatchJson2(version, model, method, body)
    } catch (e) {
      if (e instanceof DispatchError)
        return json2Error(e.pyClass, e.message, e.httpStatus ?? 500, { frames: e.frames })
      throw e
    }
    try {
      const r = await run(d)
      stats.deprecationWarnings += r.warnings.length
      return {
        status: 200,
        headers: { date: dateHeader(), connection: 'close', 'content-type': 'application/json' },
        // A recordset answers its ids; create always a list (json2.py: result.ids).
        body: r.value === undefined ? 'null' : r.value,
      }
    } catch (e) {
      if (e instanceof OdooSimError) {
        const cls = PY_CLASS[e.odooName]
        return json2Error(cls, e.message, JSON2_STATUS[cls] ?? 500, { frames: d.frames })
      }
      throw e
    }
  }

  const versionInfoRoute = (req: SimRequest): SimResponse => ({
    status: 200,
    headers: { date: dateHeader() },
    body: {
      jsonrpc: '2.0',
      id: (req.json as { id?: unknown } | undefined)?.id ?? null,
      result: {
        server_version: serverVersion,
        server_version_info: versionInfo,
        server_serie: `${version}.0`,
        protocol_version: 1,
      },
    },
  })

  const server = await startSimServer({
    name: `Odoo ${version}`,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.faults ? { faults: opts.faults } : {}),
    routes: [
      { method: 'POST', pattern: '/xmlrpc/2/common', handler: xmlrpcCommon },
      { method: 'POST', pattern: '/xmlrpc/2/object', handler: xmlrpcObject },
      { method: '*', pattern: '/json/2/:model/:method', handler: json2 },
      { method: 'POST', pattern: '/web/webclient/version_info', handler: versionInfoRoute },
      {
        method: 'GET',
        pattern: '/web/version',
        handler: (req) =>
          version >= 19
            ? { ...versionInfoRoute(req), body: { version: serverVersion, version_info: versionInfo } }
            : html(404, HTML_404),
      },
      { method: 'GET', pattern: '/web/login', handler: () => html(200, LOGIN_PAGE) },
    ],
    notFound: () => html(404, HTML_404),
  })

  const cleanup =
    opts.zeroQuantCleanupMs === undefined
      ? null
      : setInterval(() => store.unlinkZeroQuants(), opts.zeroQuantCleanupMs)
  cleanup?.unref()

  return {
    url: server.url,
    version,
    database,
    login,
    password,
    apiKey,
    store,
    catalogue,
    server,
    stats,
    setCommitDelay: (ms) => (commitDelayMs = ms),
    stop: () => {
      if (cleanup) clearInterval(cleanup)
      return server.stop()
    },
  }
}
