// WooCommerce REST v3 calls with consumer key and secret: HTTP Basic over HTTPS, or the documented
// query-string fallback for hosts that strip the Authorization header. Never over plain HTTP to a remote
// host, where Basic would expose the secret. Errors are WordPress REST bodies ({code, message, data}).
import { ClassifiedError } from '../../../core/errors'
import { httpRequest, retryAfterMs, type HttpResponse } from '../../http/http-client'

export const WOO_SERVICE = 'WooCommerce'

export interface WooClientConfig {
  baseUrl: string
  consumerKey: string
  consumerSecret: string
  authMode: 'basic' | 'query'
  timeoutMs: number
}

export interface WooCall {
  method: 'GET' | 'POST' | 'PUT'
  path: string
  query?: Record<string, string | undefined>
  body?: unknown
  what: string
}

interface WpError {
  code?: string
  message?: string
  data?: { status?: number; params?: Record<string, string> }
}

const wpError = (res: HttpResponse): WpError => {
  try {
    return JSON.parse(res.text) as WpError
  } catch {
    return { message: res.text.slice(0, 200) }
  }
}

export function classifyWooError(res: HttpResponse, what: string): ClassifiedError {
  const s = res.status
  const e = wpError(res)
  const params = e.data?.params
    ? ' (' +
      Object.entries(e.data.params)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ') +
      ')'
    : ''
  const detail = `${e.code ?? ''} ${e.message ?? ''}${params}`.trim()
  if (s === 401 || s === 403) {
    const stripped = /consumer key is missing|missing/i.test(e.message ?? '')
    return new ClassifiedError(
      'needs_seller',
      'woocommerce.auth',
      `WooCommerce refused the API key while ${what} (HTTP ${s}): ${detail}`,
      {
        hint: stripped
          ? 'The web server seems to drop the Authorization header: switch the connection to query-string authentication.'
          : 'Create a REST API key with Read/Write permission (WooCommerce > Settings > Advanced > REST API) and enter it again.',
      },
    )
  }
  if (s === 429)
    return new ClassifiedError(
      'retryable',
      'woocommerce.throttled',
      `The shop's server asked to slow down while ${what} (HTTP 429)`,
      { retryAfterMs: retryAfterMs(res.headers) ?? 5000 },
    )
  if (s >= 500 || s === 408)
    return new ClassifiedError(
      'retryable',
      'woocommerce.server',
      `WooCommerce failed while ${what} (HTTP ${s}): ${detail}`,
    )
  if (s === 404 && e.code === 'rest_no_route')
    return new ClassifiedError(
      'needs_seller',
      'woocommerce.no_api',
      `WooCommerce REST API not found at this address while ${what}`,
      {
        hint: 'Check the shop address, that WooCommerce is active, and that permalinks are not "Plain".',
      },
    )
  return new ClassifiedError(
    'permanent',
    'woocommerce.rejected',
    `WooCommerce rejected the request while ${what} (HTTP ${s}): ${detail}`,
  )
}

export class WooClient {
  constructor(private readonly cfg: WooClientConfig) {}

  async send(call: WooCall): Promise<HttpResponse> {
    const url = new URL(`${this.cfg.baseUrl}/wp-json/wc/v3${call.path}`)
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, v)
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (this.cfg.authMode === 'query') {
      url.searchParams.set('consumer_key', this.cfg.consumerKey)
      url.searchParams.set('consumer_secret', this.cfg.consumerSecret)
    } else
      headers['Authorization'] =
        'Basic ' + Buffer.from(`${this.cfg.consumerKey}:${this.cfg.consumerSecret}`).toString('base64')
    const body = call.body === undefined ? undefined : JSON.stringify(call.body)
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    return httpRequest({
      method: call.method,
      url: url.toString(),
      headers,
      ...(body === undefined ? {} : { body }),
      timeoutMs: this.cfg.timeoutMs,
      service: WOO_SERVICE,
    })
  }

  async json<T>(call: WooCall): Promise<{ data: T; res: HttpResponse }> {
    const res = await this.send(call)
    if (res.status < 200 || res.status >= 300) throw classifyWooError(res, call.what)
    return { data: res.json<T>(), res }
  }
}
