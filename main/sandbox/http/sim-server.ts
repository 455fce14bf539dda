// A small HTTP toolkit the simulators are built on: routing, JSON bodies, request logging, and fault
// injection (latency, error rate, downtime, malformed or truncated bodies, throttle storms, answers dropped after
// the change was applied). Listens on 127.0.0.1 only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

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

export interface FaultConfig {
  /** Added latency per request, ms (uniform in [min, max]). */
  latencyMs?: [number, number]
  /** Share of requests answered with a 5xx. */
  errorRate?: number
  /** While true, every request is refused with 503 (or the connection is reset when `downMode` is 'reset'). */
  down?: boolean
  downMode?: '503' | 'reset'
  /** Share of successful JSON responses cut in half. */
  truncateRate?: number
  /** Share of successful JSON responses replaced with an HTML page. */
  malformedRate?: number
  /** Share of requests that hang until the client times out. */
  hangRate?: number
  /**
   * While set, every request is answered 429 with `Retry-After` (whole seconds, at least 1) before it is handled.
   * A request to the same operation (method and route) that arrives before the announced time has passed
   * counts as an early retry; limits are per operation, so another operation is not held by it.
   */
  throttleStorm?: { retryAfterMs: number }
  /** Share of requests handled in full (state changes applied) whose answer is never sent: the socket is destroyed. */
  dropAfterRate?: number
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
  /** Per fault name ('down', 'hang', 'error', 'truncated', 'malformed', 'throttle_storm', 'dropped'), how many requests got it. */
  readonly faultCounts: Record<string, number>
  /**
   * Requests sent after the client was told to wait, that arrived before the Retry-After of an injected storm
   * had passed: on the connection that carried the 429, or on another one later than `inFlightGraceMs` after it.
   */
  readonly earlyRetries: number
  /** Requests on other connections that arrived within `inFlightGraceMs` of a storm's 429: already on their way. */
  readonly inFlightAtThrottle: number
  /** 429 answers the route handlers produced (the simulator's own limiters), not injected storms. */
  readonly limited: number
  /** `limited` per operation ("METHOD /route/pattern"). */
  readonly limitedByOperation: Record<string, number>
  /** When the latest of those 429s were answered (at most 500), for lining them up with other events. */
  readonly limitedLog: ReadonlyArray<{ at: number; operation: string }>
  /** The latest early retries (at most 200): the operation, how long after the storm's 429 was written, and whether it came on the connection that carried that 429. */
  readonly earlyRetryLog: ReadonlyArray<{ operation: string; afterMs: number; sameConnection: boolean }>
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

export async function startSimServer(opts: SimServerOptions): Promise<SimServer> {
  const routes = opts.routes.map(compile)
  const random = opts.random ?? Math.random
  const maxLog = opts.maxLog ?? 10_000
  const requests: SimRequestLogEntry[] = []
  const hanging = new Set<ServerResponse>()
  const state = { faults: { ...(opts.faults ?? {}) } as FaultConfig }
  const faultCounts: Record<string, number> = {
    down: 0,
    hang: 0,
    error: 0,
    truncated: 0,
    malformed: 0,
    throttle_storm: 0,
    dropped: 0,
  }
  const counters = { earlyRetries: 0, inFlightAtThrottle: 0, limited: 0 }
  const inFlightGraceMs = opts.inFlightGraceMs ?? 250
  const limitedByOperation: Record<string, number> = {}
  const earlyRetryLog: Array<{ operation: string; afterMs: number; sameConnection: boolean }> = []
  /** Per operation (method and route pattern): no request before `until`, as the last storm 429 said. */
  const holdUntil = new Map<string, { until: number; writtenAt: number; socket: unknown }>()
  const operationOf = (method: string, path: string): string => {
    for (const route of routes)
      if ((route.method === method || route.method === '*') && route.regex.test(path))
        return `${method} ${route.pattern}`
    return `${method} ${path}`
  }

  const limitedLog: Array<{ at: number; operation: string }> = []
  const countLimited = (operation: string) => {
    counters.limited++
    limitedByOperation[operation] = (limitedByOperation[operation] ?? 0) + 1
    limitedLog.push({ at: Date.now(), operation })
    if (limitedLog.length > 500) limitedLog.shift()
  }

  const log = (e: SimRequestLogEntry) => {
    if (e.fault !== undefined) faultCounts[e.fault] = (faultCounts[e.fault] ?? 0) + 1
    requests.push(e)
    if (requests.length > maxLog) requests.splice(0, requests.length - maxLog)
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

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const method = (req.method ?? 'GET').toUpperCase()
      const f = state.faults
      const arrivedAt = Date.now()
      const operation = operationOf(method, url.pathname)
      const hold = holdUntil.get(operation)
      if (hold && arrivedAt < hold.until) {
        const sameConnection = hold.socket === req.socket
        const afterMs = arrivedAt - hold.writtenAt
        if (!sameConnection && afterMs <= inFlightGraceMs) counters.inFlightAtThrottle++
        else {
          counters.earlyRetries++
          earlyRetryLog.push({ operation, afterMs, sameConnection })
          if (earlyRetryLog.length > 200) earlyRetryLog.shift()
        }
      }
      try {
        const rawBody = await readBody(req)
        let json: unknown
        let jsonError: string | undefined
        if (rawBody.length > 0) {
          try {
            json = JSON.parse(rawBody.toString('utf8'))
          } catch (e) {
            jsonError = e instanceof Error ? e.message : String(e)
          }
        }
        let matched: { route: CompiledRoute; params: Record<string, string> } | undefined
        for (const route of routes) {
          if (route.method !== method && route.method !== '*') continue
          const m = route.regex.exec(url.pathname)
          if (!m) continue
          const params: Record<string, string> = {}
          route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')))
          matched = { route, params }
          break
        }
        const simReq: SimRequest = {
          method,
          path: url.pathname,
          query: url.searchParams,
          params: matched?.params ?? {},
          headers: req.headers,
          rawBody,
          json,
          url: url.toString(),
          ...(jsonError === undefined ? {} : { jsonError }),
        }
        const admitted = matched?.route.admit?.(simReq)
        if (admitted) {
          if (admitted.status === 429) countLimited(`${method} ${matched!.route.pattern}`)
          log({ at: Date.now(), method, path: url.pathname, status: admitted.status })
          send(res, admitted)
          return
        }
        if (f.latencyMs) {
          const [lo, hi] = f.latencyMs
          await sleep(lo + random() * Math.max(0, hi - lo))
        }
        const storm = state.faults.throttleStorm
        if (storm) {
          const now = Date.now()
          const retryAfterMs = Math.max(0, storm.retryAfterMs)
          const until = Math.max(holdUntil.get(operation)?.until ?? 0, now + retryAfterMs)
          holdUntil.set(operation, { until, writtenAt: now, socket: req.socket })
          log({ at: now, method, path: url.pathname, status: 429, fault: 'throttle_storm' })
          send(res, {
            status: 429,
            headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
            body: { error: 'Too Many Requests (injected storm)' },
          })
          return
        }
        if (f.down) {
          log({ at: Date.now(), method, path: url.pathname, status: 503, fault: 'down' })
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
        if (f.hangRate && random() < f.hangRate) {
          log({ at: Date.now(), method, path: url.pathname, status: 0, fault: 'hang' })
          hanging.add(res)
          res.on('close', () => hanging.delete(res))
          return
        }
        if (f.errorRate && random() < f.errorRate) {
          log({ at: Date.now(), method, path: url.pathname, status: 500, fault: 'error' })
          send(res, { status: 500, body: { error: 'Internal Server Error (injected)' } })
          return
        }
        const handler = matched?.route.handler ?? opts.notFound
        const r: SimResponse = handler
          ? await handler(simReq)
          : { status: 404, body: { error: `No route for ${method} ${url.pathname}` } }
        if (r.status === 429) countLimited(matched ? `${method} ${matched.route.pattern}` : operation)
        if (f.dropAfterRate && random() < f.dropAfterRate) {
          log({ at: Date.now(), method, path: url.pathname, status: 0, fault: 'dropped' })
          req.socket.destroy()
          return
        }
        const ok =
          r.status < 400 && r.body !== undefined && !Buffer.isBuffer(r.body) && typeof r.body === 'object'
        const truncate = ok && !!f.truncateRate && random() < f.truncateRate
        const malformed = ok && !truncate && !!f.malformedRate && random() < f.malformedRate
        const faultName = truncate ? 'truncated' : malformed ? 'malformed' : undefined
        log({
          at: Date.now(),
          method,
          path: url.pathname,
          status: r.status,
          ...(faultName ? { fault: faultName } : {}),
        })
        send(res, r, truncate, malformed)
      } catch (e) {
        log({ at: Date.now(), method, path: url.pathname, status: 500, fault: 'crash' })
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
      return counters.earlyRetries
    },
    get inFlightAtThrottle() {
      return counters.inFlightAtThrottle
    },
    get limited() {
      return counters.limited
    },
    limitedByOperation,
    limitedLog,
    earlyRetryLog,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
