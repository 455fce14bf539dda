// Odoo's XML-RPC transport (17, 18; deprecated on 19): /xmlrpc/2/common to authenticate,
// /xmlrpc/2/object execute_kw for everything else, its args and kwargs shaped by call-shape.ts. Rides on the shared HTTP client for timeouts,
// keep-alive and manual redirects.
import { answerSnippet } from '../redaction'
import { ClassifiedError, isClassifiedError } from '../../core/errors'
import { httpRequest, type HttpResponse } from '../http/http-client'
import { endpoint } from './odoo-connection'
import { odooThrottleFor, type OdooThrottle } from './odoo-throttle'
import { accessDenied, accessError, classifyHttp, classifyNetwork, wrongDatabase } from './odoo-errors'
import type { OdooRpc, RpcCallOptions, RpcParams, RpcReply, RpcStats } from './odoo-rpc'
import { newRpcStats, serverDate } from './odoo-rpc'
import { decodeMethodResponse, encodeMethodCall, type XmlRpcFault } from './xmlrpc-codec'
import { NONE_FAULT_TEXT } from './none-fault'
import { xmlrpcArguments } from './call-shape'

/** Members of Odoo's answers LastUnit never reads, left undecoded (read_group's per-group domain). */
const UNUSED_MEMBERS: ReadonlySet<string> = new Set(['__domain'])

export interface XmlRpcOptions {
  baseUrl: URL
  database: string
  login: string
  secret: string
  timeoutMs: number
}

export class XmlRpcOdoo implements OdooRpc {
  readonly transport = 'xmlrpc' as const
  readonly stats: RpcStats = newRpcStats()
  private uid: number | null = null
  private readonly host: string
  private readonly throttle: OdooThrottle

  constructor(private readonly o: XmlRpcOptions) {
    this.host = o.baseUrl.host
    this.throttle = odooThrottleFor(this.host)
  }

  private async post(service: 'common' | 'object', method: string, params: unknown[], what: string) {
    const body = encodeMethodCall(method, params)
    this.throttle.check(what)
    let res: HttpResponse
    try {
      res = await httpRequest({
        method: 'POST',
        url: endpoint(this.o.baseUrl, `/xmlrpc/2/${service}`),
        headers: { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml' },
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
    if (res.status !== 200) throw classifyHttp(this.host, res, what)
    let decoded
    try {
      decoded = await decodeMethodResponse(res.text, { skipMembers: UNUSED_MEMBERS })
    } catch {
      const snippet = answerSnippet(res.text, 60).replace(/\s+/g, ' ')
      throw new ClassifiedError(
        'retryable',
        'odoo.malformed',
        `Odoo at ${this.host} sent something that is not an XML-RPC answer while ${what} (starts with "${snippet}")`,
        {
          hint: 'A proxy in front of Odoo may be answering with an error page; LastUnit retries automatically.',
        },
      )
    }
    return { decoded, serverDateMs: serverDate(res.headers) }
  }

  private faultError(f: XmlRpcFault, what: string): ClassifiedError {
    const text = f.faultString
    if (f.faultCode === 3 || /Access Denied/.test(text))
      return accessDenied(this.host, this.o.login, this.o.database)
    if (/database "[^"]*" does not exist/.test(text)) return wrongDatabase(this.host, this.o.database)
    // Application errors carry a traceback: its last line is the exception; others are the message itself.
    const last = /Traceback/.test(text)
      ? (text.trim().split('\n').pop() ?? text)
      : text.trim().replace(/\s*\n\s*/g, ' ')
    if (f.faultCode === 4 || /AccessError/.test(text)) return accessError(this.host, what, last)
    return new ClassifiedError(
      'permanent',
      'odoo.fault',
      `Odoo at ${this.host} refused ${what}: ${answerSnippet(last, 400)}`,
    )
  }

  async authenticate(): Promise<number> {
    const what = 'logging in'
    const { decoded } = await this.post(
      'common',
      'authenticate',
      [this.o.database, this.o.login, this.o.secret, {}],
      what,
    )
    if (!decoded.ok) throw this.faultError(decoded.fault, what)
    if (typeof decoded.value !== 'number' || decoded.value <= 0) {
      this.uid = null
      throw accessDenied(this.host, this.o.login, this.o.database)
    }
    this.uid = decoded.value
    return decoded.value
  }

  async call<T>(
    model: string,
    method: string,
    params: RpcParams,
    opts: RpcCallOptions = {},
  ): Promise<RpcReply<T>> {
    const { args, kwargs } = xmlrpcArguments(model, method, params)
    const uid = this.uid ?? (await this.authenticate())
    const what = `${model}.${method}`
    const { decoded, serverDateMs } = await this.post(
      'object',
      'execute_kw',
      [this.o.database, uid, this.o.secret, model, method, args, kwargs],
      what,
    )
    if (!decoded.ok) {
      if (opts.returnsNone && decoded.fault.faultString.includes(NONE_FAULT_TEXT))
        return { value: null as T, serverDateMs }
      const err = this.faultError(decoded.fault, what)
      if (isClassifiedError(err) && err.code === 'odoo.access_denied') this.uid = null
      throw err
    }
    return { value: decoded.value as T, serverDateMs }
  }
}
