// The Odoo simulator: a real HTTP server on 127.0.0.1 that speaks XML-RPC (/xmlrpc/2/common and
// /xmlrpc/2/object) on every version and JSON-2 (/json/2/<model>/<method>) on 19, selectable as 17, 18
// or 19, with the behaviours of ../shared/docs/odoo-facts.md and the toolkit's fault injection.
import { decodeMethodCall } from '../../node/odoo/xmlrpc-codec'
import {
  startSimServer,
  type FaultConfig,
  type SimRequest,
  type SimResponse,
  type SimServer,
} from '../http/sim-server'
import { OdooSimError, type OdooSimErrorName } from './sim-errors'
import type { SimEnv, SimVersion } from './sim-models'
import { bindPositional, SimOrm, type OrmCall } from './sim-orm'
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

const FAULT_CODE: Record<OdooSimErrorName, number> = {
  AccessDenied: 3,
  AccessError: 4,
  UserError: 2,
  ValidationError: 2,
  MissingError: 2,
  ValueError: 1,
  NotFound: 1,
  TypeError: 1,
  DatabaseMissing: 1,
}

const JSON2_STATUS: Record<OdooSimErrorName, number> = {
  AccessDenied: 401,
  AccessError: 403,
  UserError: 422,
  ValidationError: 422,
  MissingError: 404,
  ValueError: 500,
  NotFound: 404,
  TypeError: 422,
  DatabaseMissing: 404,
}

const ODOO_EXC: Record<OdooSimErrorName, string> = {
  AccessDenied: 'odoo.exceptions.AccessDenied',
  AccessError: 'odoo.exceptions.AccessError',
  UserError: 'odoo.exceptions.UserError',
  ValidationError: 'odoo.exceptions.ValidationError',
  MissingError: 'odoo.exceptions.MissingError',
  ValueError: 'builtins.ValueError',
  NotFound: 'werkzeug.exceptions.NotFound',
  TypeError: 'builtins.TypeError',
  DatabaseMissing: 'werkzeug.exceptions.NotFound',
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

  /** Runs an ORM call; writing calls get a transaction that may commit late. */
  const run = async (call: OrmCall) => {
    if (!orm.isMutating(call.method)) return store.transaction(() => orm.call(call))
    const start = clock.now()
    if (commitDelayMs > 0) await sleep(commitDelayMs)
    return store.transaction(() => orm.call(call), start)
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
    if (method !== 'execute_kw' && method !== 'execute')
      return xml(xmlFault(1, `Method not found: ${method}`))
    const [db, uid, secret, model, m, args, kwargs] = params as [
      unknown,
      unknown,
      unknown,
      string,
      string,
      unknown,
      unknown,
    ]
    if (!databases.includes(String(db))) return xml(dbMissing(db))
    if (typeof uid !== 'number' || !userFor(uid, secret, true)) return xml(xmlFault(3, 'Access Denied'))
    try {
      const positional = method === 'execute' ? (params.slice(5) as unknown[]) : ((args ?? []) as unknown[])
      const bound = bindPositional(
        m,
        positional,
        method === 'execute' ? {} : ((kwargs ?? {}) as Record<string, unknown>),
      )
      const { __ids, ...named } = bound
      const ids = __ids === undefined ? null : Array.isArray(__ids) ? (__ids as number[]) : [__ids as number]
      const r = await run({ model, method: m, ids, params: named })
      stats.deprecationWarnings += r.warnings.length
      return xml(xmlResponse(r.value))
    } catch (e) {
      if (e instanceof OdooSimError)
        return xml(
          xmlFault(FAULT_CODE[e.odooName], e.odooName === 'AccessDenied' ? 'Access Denied' : e.message),
        )
      throw e
    }
  }

  const json2Error = (
    name: OdooSimErrorName,
    message: string,
    extraHeaders: Record<string, string> = {},
  ): SimResponse => ({
    status: JSON2_STATUS[name],
    headers: { date: dateHeader(), connection: 'close', ...extraHeaders },
    body: {
      name: ODOO_EXC[name],
      message,
      arguments: [message],
      context: {},
      debug: `Traceback (most recent call last):\n${ODOO_EXC[name]}: ${message}`,
    },
  })

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
    if (!m)
      return json2Error('AccessDenied', 'Missing or invalid Authorization header', {
        'www-authenticate': 'Bearer',
      })
    const user = [...store.users.values()].find((u) => u.apiKeys.includes((m[1] as string).trim()))
    if (!user) return json2Error('AccessDenied', 'Invalid apikey', { 'www-authenticate': 'Bearer' })
    const ct = String(req.headers['content-type'] ?? '')
    if (!ct.toLowerCase().startsWith('application/json'))
      return html(415, '<!doctype html><title>415 Unsupported Media Type</title>', { connection: 'close' })
    if (
      req.jsonError !== undefined ||
      typeof req.json !== 'object' ||
      req.json === null ||
      Array.isArray(req.json)
    )
      return {
        status: 400,
        headers: { date: dateHeader(), connection: 'close' },
        body: {
          name: 'werkzeug.exceptions.BadRequest',
          message: `Malformed JSON body: ${req.jsonError ?? 'expected an object'}`,
          arguments: [],
          context: {},
          debug: '',
        },
      }
    const { ids, ...named } = req.json as Record<string, unknown>
    const model = req.params.model as string
    const method = req.params.method as string
    try {
      if (method === 'exists' || method === 'search_fetch')
        throw new OdooSimError(
          'AccessError',
          `Private methods (such as '${method}') cannot be called remotely.`,
        )
      const r = await run({
        model,
        method,
        ids: ids === undefined ? null : Array.isArray(ids) ? (ids as number[]) : [ids as number],
        params: named,
      })
      stats.deprecationWarnings += r.warnings.length
      let value = r.value
      // JSON-2 binds vals_list: create always answers a list.
      if (method === 'create' && typeof value === 'number') value = [value]
      return {
        status: 200,
        headers: { date: dateHeader(), connection: 'close', 'content-type': 'application/json' },
        body: value === undefined ? 'null' : value,
      }
    } catch (e) {
      if (e instanceof OdooSimError) {
        if (e.odooName === 'NotFound') return html(404, HTML_404, { connection: 'close' })
        return json2Error(e.odooName, e.message)
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
