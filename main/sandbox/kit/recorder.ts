// What a simulator received, kept for the tests: contract tests check every recorded request (and the
// simulator's answer) against the official spec; adapter tests read bodies and queries back.
import type { SimRequest, SimResponse } from '../http/sim-server'

export interface RecordedRequest {
  method: string
  /** Path without the simulator's base, as the spec names it. */
  path: string
  query: URLSearchParams
  headers: Record<string, string>
  body: unknown
  /** Which spec file the request belongs to (contract tests pick the validator by it). */
  spec: string | undefined
  /** What the simulator answered (for checking its answers against the spec too). */
  response?: { status: number; body: unknown }
}

/** A request as the lighter simulators keep it: method, path, query and JSON body. */
export interface ReceivedRequest {
  method: string
  path: string
  query: Record<string, string>
  body: unknown
}

export const headersOf = (req: SimRequest): Record<string, string> =>
  Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  )

export interface RecorderOptions {
  /** Headers whose value is replaced by `<redacted>` (credentials). */
  redact: string[]
  /** The spec file a path belongs to. */
  specOf: (path: string) => string | undefined
  /** Keep a body that is not JSON as its text (default: only JSON bodies are kept). */
  textBodies?: boolean
  /** Keep at most this many requests (default 50,000). */
  max?: number
}

/** Keeps every request with its headers (credentials redacted), body, spec file and the answer given. */
export class RequestRecorder {
  readonly received: RecordedRequest[] = []

  constructor(private readonly opts: RecorderOptions) {}

  /** Records `req` under the spec its path belongs to; answers the entry. */
  record(req: SimRequest): RecordedRequest {
    return this.recordAs(req, this.opts.specOf(req.path))
  }

  /** Records `req` under `spec` (undefined: no spec); answers the entry. */
  recordAs(req: SimRequest, spec: string | undefined): RecordedRequest {
    const headers = headersOf(req)
    for (const name of this.opts.redact) if (headers[name]) headers[name] = '<redacted>'
    let body: unknown = req.json
    if (this.opts.textBodies && body === undefined && req.rawBody.length > 0)
      body = req.rawBody.toString('utf8')
    const entry: RecordedRequest = {
      method: req.method,
      path: req.path,
      query: new URLSearchParams(req.query),
      headers,
      body,
      spec,
    }
    this.received.push(entry)
    const max = this.opts.max ?? 50_000
    if (this.received.length > max) this.received.splice(0, this.received.length - max)
    return entry
  }

  /** Records `req` and answers a function that keeps the answer with it. */
  start(req: SimRequest): (r: SimResponse) => void {
    const entry = this.record(req)
    return (r) => {
      entry.response = { status: r.status, body: r.body }
    }
  }
}

/** A request as the lighter simulators keep it; `dropQuery` names parameters left out (credentials). */
export const receivedOf = (req: SimRequest, dropQuery: string[] = []): ReceivedRequest => ({
  method: req.method,
  path: req.path,
  query: Object.fromEntries([...req.query].filter(([k]) => !dropQuery.includes(k))),
  body: req.json,
})
