// Signed HTTP calls to the Kaufland Seller API v2, with Kaufland's error bodies turned into
// ClassifiedErrors. The secret key only ever goes into the HMAC, never into a message.
import type { Clock } from '../../../core/ports/clock'
import { ClassifiedError } from '../../../core/errors'
import { httpRequest, retryAfterMs, type HttpResponse } from '../../http/http-client'
import { kauflandSignature } from './kaufland-signature'

export const KAUFLAND_SERVICE = 'Kaufland'

export interface KauflandClientConfig {
  baseUrl: string
  clientKey: string
  secretKey: string
  userAgent: string
  timeoutMs: number
  clock: Clock
}

interface KauflandErrorBody {
  type?: string
  message?: string
  errors?: { field?: string; message?: string }[]
}

export interface KauflandCall {
  method: 'GET' | 'PATCH' | 'POST' | 'DELETE'
  path: string
  query?: Record<string, string | string[] | undefined>
  body?: unknown
  /** What we were doing, for messages: "updating unit 123". */
  what: string
}

export const describeKauflandError = (res: HttpResponse): string => {
  let body: KauflandErrorBody | undefined
  try {
    body = JSON.parse(res.text) as KauflandErrorBody
  } catch {
    return res.text.slice(0, 200)
  }
  const fields = (body.errors ?? []).map((e) => `${e.field ?? '?'}: ${e.message ?? '?'}`).join('; ')
  return [body.message, fields].filter((s) => s).join(' — ') || res.text.slice(0, 200)
}

const problemType = (res: HttpResponse): string => {
  try {
    return (JSON.parse(res.text) as KauflandErrorBody).type ?? ''
  } catch {
    return ''
  }
}

export function classifyKauflandError(res: HttpResponse, what: string): ClassifiedError {
  const s = res.status
  const detail = describeKauflandError(res)
  const type = problemType(res)
  if (s === 401 || s === 403) {
    const hint =
      type === '/problems/corrupted-signature'
        ? 'The secret key does not match the client key, or the computer clock is wrong. Re-enter both keys from the Kaufland seller portal.'
        : type === '/problems/inactive-account'
          ? 'The Kaufland seller account is inactive. Contact Kaufland seller support.'
          : 'Re-enter the client key and secret key from the Kaufland seller portal (Settings > API).'
    return new ClassifiedError(
      'needs_seller',
      'kaufland.auth',
      `Kaufland refused the credentials while ${what} (HTTP ${s}): ${detail}`,
      { hint },
    )
  }
  if (s === 429) {
    const wait = retryAfterMs(res.headers)
    return new ClassifiedError(
      'retryable',
      'kaufland.throttled',
      `Kaufland asked to slow down while ${what} (HTTP 429)`,
      {
        retryAfterMs: wait ?? 1000,
      },
    )
  }
  if (s >= 500 || s === 408)
    return new ClassifiedError(
      'retryable',
      'kaufland.server',
      `Kaufland failed while ${what} (HTTP ${s}): ${detail}`,
    )
  if (type === '/problems/storefront-not-configured')
    return new ClassifiedError(
      'needs_seller',
      'kaufland.storefront',
      `Kaufland: the storefront is not set up for this account while ${what}: ${detail}`,
      {
        hint: 'Choose a storefront your Kaufland account sells on, or activate it in the seller portal.',
      },
    )
  return new ClassifiedError(
    'permanent',
    'kaufland.rejected',
    `Kaufland rejected the request while ${what} (HTTP ${s}): ${detail}`,
  )
}

export class KauflandClient {
  constructor(private readonly cfg: KauflandClientConfig) {}

  buildUrl(path: string, query: KauflandCall['query'] = {}): string {
    const url = new URL(this.cfg.baseUrl.replace(/\/+$/, '') + path)
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue
      if (Array.isArray(v)) for (const x of v) url.searchParams.append(k, x)
      else url.searchParams.set(k, v)
    }
    return url.toString()
  }

  /** Sends a signed request; answers the raw response for 2xx and item-level 4xx, throws otherwise. */
  async send(call: KauflandCall): Promise<HttpResponse> {
    const url = this.buildUrl(call.path, call.query)
    const body = call.body === undefined ? '' : JSON.stringify(call.body)
    const timestamp = Math.floor(this.cfg.clock.now() / 1000)
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Shop-Client-Key': this.cfg.clientKey,
      'Shop-Timestamp': String(timestamp),
      'Shop-Signature': kauflandSignature(this.cfg.secretKey, { method: call.method, url, body, timestamp }),
      'User-Agent': this.cfg.userAgent,
    }
    if (body !== '') headers['Content-Type'] = 'application/json'
    return httpRequest({
      method: call.method,
      url,
      headers,
      ...(body === '' ? {} : { body }),
      timeoutMs: this.cfg.timeoutMs,
      service: KAUFLAND_SERVICE,
    })
  }

  /** Like `send`, but any non-2xx is thrown as a ClassifiedError. */
  async json<T>(call: KauflandCall): Promise<{ data: T; res: HttpResponse }> {
    const res = await this.send(call)
    if (res.status < 200 || res.status >= 300) throw classifyKauflandError(res, call.what)
    return { data: res.json<T>(), res }
  }
}
