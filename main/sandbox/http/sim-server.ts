// A small HTTP toolkit the simulators are built on: routing, JSON bodies, request logging, a gateway check per
// route (admit) that runs as a request arrives, the count of the simulator's own 429s, and fault injection
// (fault-injection.ts: latency, error rate, downtime, malformed or truncated bodies, throttle storms, answers
// dropped after the change was applied). Listens on 127.0.0.1 only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  FAULT_NAMES,
  faultAfter,
  faultBefore,
  latencyOf,
  StormHolds,
  loopStalls,
  type FaultConfig,
} from './fault-injection'

export type { FaultConfig } from './fault-injection'

export interface SimRequest {
  method: string
  path: string
  query: URLSearchParams
  params: Record<string, string>
  headers: IncomingMessage['headers']
  rawBody: Buffer
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: unknown
  /** Set when the body was not valid JSON. */
  jsonError?: string
  url: string
}

export interface SimResponse {
  status: number
  headers?: Record<string, string>
  /** Object bodies are JSON-encoded; strings and Buffers are sent as they are. */
  body?: unknown
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>

export interface SimRoute {
  method: string
  /** e.g. "/retailer/offers/:offerId" */
  pattern: string
  handler: SimHandler
  /**
   * Runs as the request arrives, before injected latency and faults: where a real API's gateway decides
   * (rate limits are counted at the front door, not when a slow backend gets round to the request).
   * An answer refuses the request there; undefined lets it through to `handler`.
   */
  admit?: (req: SimRequest) => SimResponse | undefined
}

export interface SimRequestLogEntry {
  at: number
  method: string
  path: string
  status: number
  fault?: string
}

export interface SimServer {
  readonly url: string
  readonly port: number
  faults: FaultConfig
  readonly requests: SimRequestLogEntry[]
  /**
   * Per fault name ('latency', 'down', 'hang', 'error', 'truncated', 'malformed', 'throttle_storm',
   * 'dropped'), how many requests got it: counted as the fault is applied to a request, so a fault that was
   * switched on while no request came counts nothing.
   */
  readonly faultCounts: Record<string, number>
  /**
   * Requests sent after the client was told to wait, that arrived before the Retry-After of an injected storm
   * had passed: on the connection that carried the 429, or on another one later than `inFlightGraceMs` after it.
   */
  readonly earlyRetries: number
  /** Requests on other connections that arrived within `inFlightGraceMs` of a storm's 429: already on their way. */
  readonly inFlightAtThrottle: number
  /** Requests after a storm's 429 on another connection that may have arrived within the grace, but were
   * handled later because this process stalled (StormHolds.inFlightThroughStall). */
  readonly inFlightThroughStall: number
  /** 429 answers the route handlers produced (the simulator's own limiters), not injected storms. */
  readonly limited: number
  /** `limited` per operation ("METHOD /route/pattern"). */
  readonly limitedByOperation: Record<string, number>
  /** When the latest of those 429s were answered (at most 500), for lining them up with other events. */
  readonly limitedLog: ReadonlyArray<{ at: number; operation: string }>
  /** The latest early retries (at most 200): the operation, how long after the storm's 429 was written, and whether it came on the connection that carried that 429. */
  readonly earlyRetryLog: ReadonlyArray<{
    operation: string
    at: number
    afterMs: number
    sameConnection: boolean
  }>
  stop(): Promise<void>
}

export interface SimServerOptions {
  name: string
  routes: SimRoute[]
  port?: number
  faults?: FaultConfig
  /** Deterministic fault decisions for tests. */
  random?: () => number
  /** Keep at most this many request log entries. */
  maxLog?: number
  /** Called for requests no route matched. */
  notFound?: SimHandler
  /**
   * A request on another connection that arrives this soon after a storm's 429 was written was sent before
   * the client could have read it (clients send several at once), so it is not an early retry. Default 250 ms.
   */
  inFlightGraceMs?: number
}

interface CompiledRoute extends SimRoute {
  regex: RegExp
  keys: string[]
}

const compile = (r: SimRoute): CompiledRoute => {
  const keys: string[] = []
  const source = r.pattern
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        keys.push(seg.slice(1))
        return '([^/]+)'
      }
      if (seg === '*') {
        keys.push('wildcard')
        return '(.*)'
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return { ...r, keys, regex: new RegExp(`^${source}$`) }
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The body as JSON: `json` undefined when it is empty or not JSON, `jsonError` set when it is not JSON. */
const parseJson = (rawBody: Buffer): { json: unknown; jsonError?: string } => {
  if (rawBody.length === 0) return { json: undefined }
  try {
    return { json: JSON.parse(rawBody.toString('utf8')) }
  } catch (e) {
    return { json: undefined, jsonError: e instanceof Error ? e.message : String(e) }
  }
}

const send = (res: ServerResponse, r: SimResponse, truncate = false, malformed = false) => {
  let body: Buffer
  const headers: Record<string, string> = { ...(r.headers ?? {}) }
  if (malformed) {
    body = Buffer.from('<html><body><h1>502 Bad Gateway</h1></body></html>')
    headers['content-type'] = 'text/html'
  } else if (r.body === undefined) body = Buffer.alloc(0)
  else if (Buffer.isBuffer(r.body)) body = r.body
  else if (typeof r.body === 'string') body = Buffer.from(r.body)
  else {
    body = Buffer.from(JSON.stringify(r.body))
    headers['content-type'] ??= 'application/json'
  }
  if (truncate && body.length > 1) body = body.subarray(0, Math.floor(body.length / 2))
  headers['content-length'] = String(body.length)
  res.writeHead(r.status, headers)
  res.end(body)
}

export async function startSimServer(opts: SimServerOptions): Promise<SimServer> {
  const routes = opts.routes.map(compile)
  const random = opts.random ?? Math.random
  const maxLog = opts.maxLog ?? 10_000
  const requests: SimRequestLogEntry[] = []
  const hanging = new Set<ServerResponse>()
  const state = { faults: { ...(opts.faults ?? {}) } as FaultConfig }
  const faultCounts: Record<string, number> = Object.fromEntries(FAULT_NAMES.map((n) => [n, 0]))
  const holds = new StormHolds(opts.inFlightGraceMs ?? 250)
  const stalls = loopStalls()
  const limits = { count: 0, byOperation: {} as Record<string, number> }
  const limitedLog: Array<{ at: number; operation: string }> = []
  const operationOf = (method: string, path: string): string => {
    for (const route of routes)
      if ((route.method === method || route.method === '*') && route.regex.test(path))
        return `${method} ${route.pattern}`
    return `${method} ${path}`
  }

  const countLimited = (operation: string) => {
    limits.count++
    limits.byOperation[operation] = (limits.byOperation[operation] ?? 0) + 1
    limitedLog.push({ at: Date.now(), operation })
    if (limitedLog.length > 500) limitedLog.shift()
  }

  const log = (e: SimRequestLogEntry) => {
    if (e.fault !== undefined) faultCounts[e.fault] = (faultCounts[e.fault] ?? 0) + 1
    requests.push(e)
    if (requests.length > maxLog) requests.splice(0, requests.length - maxLog)
  }

  const match = (method: string, path: string) => {
    for (const route of routes) {
      if (route.method !== method && route.method !== '*') continue
      const m = route.regex.exec(path)
      if (!m) continue
      const params: Record<string, string> = {}
      route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')))
      return { route, params }
    }
    return undefined
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const method = (req.method ?? 'GET').toUpperCase()
      const f = state.faults
      const operation = operationOf(method, url.pathname)
      const at = Date.now()
      holds.arrive(operation, at, req.socket, stalls.earliestArrival(at))
      const entry = (status: number, fault?: string): SimRequestLogEntry => ({
        at: Date.now(),
        method,
        path: url.pathname,
        status,
        ...(fault === undefined ? {} : { fault }),
      })
      try {
        const rawBody = await readBody(req)
        const matched = match(method, url.pathname)
        const simReq: SimRequest = {
          method,
          path: url.pathname,
          query: url.searchParams,
          params: matched?.params ?? {},
          headers: req.headers,
          rawBody,
          url: url.toString(),
          ...parseJson(rawBody),
        }
        const admitted = matched?.route.admit?.(simReq)
        if (admitted) {
          if (admitted.status === 429) countLimited(`${method} ${matched!.route.pattern}`)
          log(entry(admitted.status))
          send(res, admitted)
          return
        }
        if (f.latencyMs) {
          faultCounts.latency = (faultCounts.latency ?? 0) + 1
          await sleep(latencyOf(f, random))
        }
        const storm = state.faults.throttleStorm
        if (storm) {
          const now = Date.now()
          const retryAfterMs = Math.max(0, storm.retryAfterMs)
          holds.hold(operation, now, retryAfterMs, req.socket)
          log({ at: now, method, path: url.pathname, status: 429, fault: 'throttle_storm' })
          send(res, {
            status: 429,
            headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
            body: { error: 'Too Many Requests (injected storm)' },
          })
          return
        }
        const before = faultBefore(f, random)
        if (before === 'down') {
          log(entry(503, 'down'))
          if (f.downMode === 'reset') {
            req.socket.destroy()
            return
          }
          send(res, {
            status: 503,
            headers: { 'content-type': 'text/html' },
            body: '<html>503 Service Unavailable</html>',
          })
          return
        }
        if (before === 'hang') {
          log(entry(0, 'hang'))
          hanging.add(res)
          res.on('close', () => hanging.delete(res))
          return
        }
        if (before === 'error') {
          log(entry(500, 'error'))
          send(res, { status: 500, body: { error: 'Internal Server Error (injected)' } })
          return
        }
        const handler = matched?.route.handler ?? opts.notFound
        const r: SimResponse = handler
          ? await handler(simReq)
          : { status: 404, body: { error: `No route for ${method} ${url.pathname}` } }
        if (r.status === 429) countLimited(matched ? `${method} ${matched.route.pattern}` : operation)
        // Any successful answer with a body can be cut or replaced: JSON, and Odoo's XML-RPC (a string).
        const ok =
          r.status < 400 &&
          r.body !== undefined &&
          r.body !== null &&
          (typeof r.body === 'object' || (typeof r.body === 'string' && r.body.length > 1))
        const after = faultAfter(f, random, ok)
        if (after === 'dropped') {
          log(entry(0, 'dropped'))
          req.socket.destroy()
          return
        }
        log(entry(r.status, after))
        send(res, r, after === 'truncated', after === 'malformed')
      } catch (e) {
        log(entry(500, 'crash'))
        if (!res.headersSent)
          send(res, { status: 500, body: { error: `${opts.name} simulator error: ${String(e)}` } })
      }
    })()
  })
  server.keepAliveTimeout = 5000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get faults() {
      return state.faults
    },
    set faults(f: FaultConfig) {
      state.faults = { ...f }
    },
    requests,
    faultCounts,
    get earlyRetries() {
      return holds.earlyRetries
    },
    get inFlightAtThrottle() {
      return holds.inFlightAtThrottle
    },
    get inFlightThroughStall() {
      return holds.inFlightThroughStall
    },
    get limited() {
      return limits.count
    },
    limitedByOperation: limits.byOperation,
    limitedLog,
    earlyRetryLog: holds.earlyRetryLog,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
