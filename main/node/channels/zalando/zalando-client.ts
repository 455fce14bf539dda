// Authenticated calls to zDirect. Tokens come from the client-credentials grant and are cached: Zalando
// allows 8 token requests a minute (1 in the sandbox) and may ban clients that ask more often, so token
// requests are paced here and never left to retries. A 401 on a cached token renews it once.
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import { httpRequest, retryAfterMs, type HttpResponse } from '../../http/http-client'
import { RequestPacer, type OperationLimit } from '../request-pacer'

/**
 * Zalando's limits are "N per minute". The window counted here is 5% longer: a request's latency moves the
 * moment Zalando counts it, and one that lands late must not push the next past the limit.
 */
export const ZALANDO_WINDOW_MS = 63_000
import { TokenCache } from '../token-cache'

export const ZALANDO_SERVICE = 'Zalando'

export interface ZalandoClientConfig {
  /** Keeps the rate-limit buckets across restarts. */
  rateMemory?: BucketMemory
  baseUrl: string
  clientId: string
  clientSecret: string
  timeoutMs: number
  clock: Clock
  /** Token requests allowed per minute: 8 in production, 1 in the sandbox. */
  tokensPerMinute: number
  /** Multiplies every pace (tests run the real limits faster). */
  rateScale: number
}

export interface ZalandoCall {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH'
  path: string
  query?: Record<string, string | undefined>
  body?: unknown
  accept?: string
  /** Pacing bucket, e.g. "stocks", "orders". */
  op: string
  what: string
}

const describe = (res: HttpResponse): string => {
  try {
    const b = JSON.parse(res.text) as {
      title?: string
      detail?: string
      error?: string
      error_description?: string
      errors?: { title?: string; detail?: string; source?: { pointer?: string } }[]
    }
    const parts = [
      b.title,
      b.detail,
      b.error,
      b.error_description,
      ...(b.errors ?? []).map((e) => [e.source?.pointer, e.title, e.detail].filter(Boolean).join(' ')),
    ]
    return parts.filter((s) => s).join('; ') || res.text.slice(0, 200)
  } catch {
    return res.text.slice(0, 200)
  }
}

export function classifyZalandoError(res: HttpResponse, what: string): ClassifiedError {
  const s = res.status
  const detail = describe(res)
  if (s === 401)
    return new ClassifiedError(
      'needs_seller',
      'zalando.auth',
      `Zalando refused the credentials while ${what} (HTTP 401): ${detail}`,
      {
        hint: 'Enter the client id and secret of your zDirect API client again (zDirect portal > API credentials).',
      },
    )
  if (s === 403)
    return new ClassifiedError(
      'needs_seller',
      'zalando.forbidden',
      `Zalando: the API client may not do this while ${what} (HTTP 403): ${detail}`,
      {
        hint: 'Check the merchant id and that the API client has the stock, offer-blocker and order scopes.',
      },
    )
  if (s === 429)
    return new ClassifiedError(
      'retryable',
      'zalando.throttled',
      `Zalando asked to slow down while ${what} (HTTP 429${res.headers.get('x-rate-limit') ? `, limit ${res.headers.get('x-rate-limit')}` : ''})`,
      {
        retryAfterMs: retryAfterMs(res.headers) ?? 60_000,
      },
    )
  if (s >= 500 || s === 408)
    return new ClassifiedError(
      'retryable',
      'zalando.server',
      `Zalando failed while ${what} (HTTP ${s}): ${detail}`,
    )
  if (s === 404)
    return new ClassifiedError(
      'needs_seller',
      'zalando.not_found',
      `Zalando did not find this while ${what} (HTTP 404): ${detail}`,
      { hint: 'Check the merchant id in the Zalando connection.' },
    )
  return new ClassifiedError(
    'permanent',
    'zalando.rejected',
    `Zalando rejected the request while ${what} (HTTP ${s}): ${detail}`,
  )
}

export class ZalandoClient {
  readonly tokens: TokenCache
  readonly pacer: RequestPacer

  constructor(
    private readonly cfg: ZalandoClientConfig,
    limits: Record<string, OperationLimit>,
  ) {
    this.pacer = new RequestPacer({
      service: ZALANDO_SERVICE,
      clock: cfg.clock,
      rateScale: cfg.rateScale,
      limits: { ...limits, token: { perWindow: cfg.tokensPerMinute, windowMs: ZALANDO_WINDOW_MS } },
      ...(cfg.rateMemory ? { memory: cfg.rateMemory } : {}),
    })
    this.tokens = new TokenCache({ clock: cfg.clock, skewMs: 120_000, fetchToken: () => this.fetchToken() })
  }

  private async fetchToken() {
    const pacing = this.pacer.acquire('token')
    if (pacing) await pacing
    const basic = Buffer.from(`${this.cfg.clientId}:${this.cfg.clientSecret}`).toString('base64')
    const res = await httpRequest({
      method: 'POST',
      url: `${this.cfg.baseUrl}/auth/token`,
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
      timeoutMs: this.cfg.timeoutMs,
      service: ZALANDO_SERVICE,
    })
    if (res.status === 429) {
      const wait = retryAfterMs(res.headers) ?? 60_000
      this.pacer.hold('token', wait)
      throw new ClassifiedError(
        'retryable',
        'zalando.token_throttled',
        'Zalando refused a token request: too many token requests this minute',
        { retryAfterMs: wait },
      )
    }
    if (res.status === 400 || res.status === 401)
      throw new ClassifiedError(
        'needs_seller',
        'zalando.auth',
        `Zalando refused the client credentials (HTTP ${res.status}): ${describe(res)}`,
        {
          hint: 'Enter the client id and secret of your zDirect API client again (zDirect portal > API credentials).',
        },
      )
    if (res.status !== 200) throw classifyZalandoError(res, 'requesting an access token')
    const body = res.json<{ access_token?: string; expires_in?: number }>()
    if (typeof body.access_token !== 'string' || body.access_token === '')
      throw new ClassifiedError(
        'retryable',
        'zalando.malformed',
        'Zalando answered the token request without an access_token',
      )
    return { accessToken: body.access_token, expiresInSeconds: body.expires_in ?? 3600 }
  }

  async send(call: ZalandoCall): Promise<HttpResponse> {
    const url = new URL(this.cfg.baseUrl + call.path)
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, v)
    const body = call.body === undefined ? undefined : JSON.stringify(call.body)
    for (let attempt = 0; ; attempt++) {
      // The token first, then the slot: every attempt (a renewal's too) is paced, and a slot is not spent
      // while a token renewal runs.
      const token = await this.tokens.get()
      // Sent in the same tick as the slot is taken when one is free (see RequestPacer.acquire).
      const pacing = this.pacer.acquire(call.op)
      if (pacing) await pacing
      const res = await httpRequest({
        method: call.method,
        url: url.toString(),
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: call.accept ?? 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
        timeoutMs: this.cfg.timeoutMs,
        service: ZALANDO_SERVICE,
      })
      // A token can be revoked or expire early: renew once, then let the seller know.
      if (res.status === 401 && attempt === 0) {
        this.tokens.invalidate(token)
        continue
      }
      if (res.status === 429) this.pacer.hold(call.op, retryAfterMs(res.headers) ?? 60_000)
      return res
    }
  }

  async json<T>(call: ZalandoCall, okStatuses: number[] = [200]): Promise<T> {
    const res = await this.send(call)
    if (!okStatuses.includes(res.status)) throw classifyZalandoError(res, call.what)
    return res.json<T>()
  }
}
