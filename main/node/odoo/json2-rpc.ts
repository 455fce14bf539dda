// Odoo's JSON-2 transport (19+): POST /json/2/<model>/<method>, bearer API key, the database in a
// header, named arguments only. Each call is its own transaction.
import { answerSnippet } from '../redaction'
import { ClassifiedError } from '../../core/errors'
import { httpRequest, type HttpResponse } from '../http/http-client'
import { endpoint } from './odoo-connection'
import { odooThrottleFor, type OdooThrottle } from './odoo-throttle'
import { accessDenied, accessError, classifyHttp, classifyNetwork, wrongDatabase } from './odoo-errors'
import type { OdooRpc, RpcParams, RpcReply, RpcStats } from './odoo-rpc'
import { newRpcStats, serverDate } from './odoo-rpc'
import { checkCallShape } from './call-shape'

export interface Json2Options {
  baseUrl: URL
  database: string
  login: string
  secret: string
  timeoutMs: number
}

interface Json2ErrorBody {
  name?: string
  message?: string
}

export class Json2Odoo implements OdooRpc {
  readonly transport = 'json2' as const
  readonly stats: RpcStats = newRpcStats()
  private readonly host: string
  private readonly throttle: OdooThrottle
  private authenticated = false

  constructor(private readonly o: Json2Options) {
    this.host = o.baseUrl.host
    this.throttle = odooThrottleFor(this.host)
  }

  async authenticate(): Promise<number> {
    const r = await this.call<Array<{ id: number }>>('res.users', 'search_read', {
      domain: [['login', '=', this.o.login]],
      fields: ['id'],
      limit: 1,
    })
    const uid = r.value[0]?.id
    if (uid === undefined)
      throw accessDenied(
        this.host,
        this.o.login,
        this.o.database,
        ` (the API key belongs to another user than "${this.o.login}")`,
      )
    this.authenticated = true
    return uid
  }

  async call<T>(model: string, method: string, params: RpcParams): Promise<RpcReply<T>> {
    checkCallShape(model, method, params)
    const what = `${model}.${method}`
    const body = JSON.stringify(params)
    this.throttle.check(what)
    let res: HttpResponse
    try {
      res = await httpRequest({
        method: 'POST',
        url: endpoint(this.o.baseUrl, `/json/2/${model}/${method}`),
        headers: {
          authorization: `bearer ${this.o.secret}`,
          'content-type': 'application/json',
          'x-odoo-database': this.o.database,
          accept: 'application/json',
        },
        body,
        timeoutMs: this.o.timeoutMs,
        service: 'Odoo',
      })
    } catch (e) {
      throw classifyNetwork(this.host, e, what, this.o.timeoutMs)
    }
    this.stats.calls++
    this.stats.bytesSent += Buffer.byteLength(body)
    this.stats.bytesReceived += Buffer.byteLength(res.text)
    if (res.status === 429) throw this.throttle.throttled(res, what)
    if (res.status === 200) {
      try {
        return { value: JSON.parse(res.text) as T, serverDateMs: serverDate(res.headers) }
      } catch {
        throw new ClassifiedError(
          'retryable',
          'odoo.malformed',
          `Odoo at ${this.host} sent something that is not JSON while ${what} (starts with "${answerSnippet(res.text, 60).replace(/\s+/g, ' ')}")`,
          {
            hint: 'A proxy in front of Odoo may be answering with an error page; LastUnit retries automatically.',
          },
        )
      }
    }
    throw this.errorFor(res, what)
  }

  private errorFor(res: HttpResponse, what: string): ClassifiedError {
    let body: Json2ErrorBody | null = null
    try {
      body = JSON.parse(res.text) as Json2ErrorBody
    } catch {
      body = null
    }
    const message = body?.message ?? ''
    switch (res.status) {
      case 401:
        return accessDenied(
          this.host,
          this.o.login,
          this.o.database,
          ' (JSON-2 needs an API key: a password is not accepted)',
        )
      case 403:
        return accessError(this.host, what, message || 'access denied')
      case 404:
        // Before the first successful call, a bare 404 page means the database header was refused.
        if (!body && !this.authenticated) return wrongDatabase(this.host, this.o.database)
        if (!body)
          return new ClassifiedError(
            'permanent',
            'odoo.not_found',
            `Odoo at ${this.host} has no ${what} (HTTP 404)`,
          )
        return new ClassifiedError('permanent', 'odoo.missing', `Odoo at ${this.host}: ${message} (${what})`)
      case 422:
        return new ClassifiedError(
          'permanent',
          'odoo.rejected',
          `Odoo at ${this.host} refused ${what}: ${message}`,
        )
      default:
        // Odoo's own error body (name + message) is a refusal, e.g. an unknown field; anything else
        // (a crash page, a proxy) may pass.
        if (body?.name && res.status === 500)
          return new ClassifiedError(
            'permanent',
            'odoo.server_error',
            `Odoo at ${this.host} failed on ${what}: ${message}`,
          )
        return classifyHttp(this.host, res, what)
    }
  }
}
