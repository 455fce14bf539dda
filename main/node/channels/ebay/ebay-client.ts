// eBay REST over HTTP: a user access token from the seller's refresh token (kept until shortly before its two
// hours run out), eBay's error format ({errors: [{errorId, message}]}), and bounded retries of 429/5xx.
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import { httpRequest, retryAfterMs, type HttpResponse } from '../../http/http-client'
import { authorizedRequest, jsonWithRetries } from '../authorized-request'
import { TokenCache, type IssuedToken } from '../token-cache'
import { EBAY_SCOPES, type EbayConfig } from './ebay-config'

export interface EbayClientOptions {
  timeoutMs: number
  clock: Clock
  maxAttempts: number
  backoffMs: number
  maxInlineWaitMs: number
  onCredentialsRefreshed?: (t: IssuedToken) => void
}

export interface EbayCall {
  method: string
  /** Full path below the host, e.g. /sell/inventory/v1/offer */
  path: string
  query?: URLSearchParams
  body?: unknown
  /** Inventory writes carry the listing language. */
  contentLanguage?: boolean
}

export interface EbayErrorDetail {
  errorId?: number
  message?: string
  longMessage?: string
  parameters?: { name?: string; value?: string }[]
}

/** eBay's "system error, try again" ids: internal inventory service errors are transient. */
export const EBAY_TRANSIENT_ERRORS = new Set([25001, 25002])

const SERVICE = 'eBay'

export class EbayClient {
  readonly tokens: TokenCache
  calls = 0

  constructor(
    private readonly config: EbayConfig,
    private readonly opts: EbayClientOptions,
  ) {
    this.tokens = new TokenCache({
      clock: opts.clock,
      skewMs: 5 * 60_000,
      fetchToken: () => this.fetchToken(),
      ...(opts.onCredentialsRefreshed ? { onRefreshed: opts.onCredentialsRefreshed } : {}),
    })
  }

  private async fetchToken(): Promise<IssuedToken> {
    const { clientId, clientSecret, refreshToken } = this.config.credentials
    const res = await httpRequest({
      method: 'POST',
      url: this.config.tokenUrl ?? `${this.config.baseUrl.replace(/\/+$/, '')}/identity/v1/oauth2/token`,
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        scope: EBAY_SCOPES.join(' '),
      }).toString(),
      timeoutMs: this.opts.timeoutMs,
      service: 'eBay OAuth',
    })
    if (res.status === 200) {
      const b = res.json<{ access_token?: string; expires_in?: number; refresh_token?: string }>()
      if (!b.access_token)
        throw new ClassifiedError(
          'retryable',
          'ebay.token_malformed',
          'eBay OAuth answered without an access_token',
        )
      return {
        accessToken: b.access_token,
        expiresInSeconds: b.expires_in ?? 7200,
        ...(b.refresh_token ? { refreshToken: b.refresh_token } : {}),
      }
    }
    let code = ''
    try {
      code = res.json<{ error?: string }>().error ?? ''
    } catch {
      code = ''
    }
    if (res.status === 400 || res.status === 401) {
      const what =
        code === 'invalid_client'
          ? 'the app id (client id) or cert id (client secret) is wrong'
          : code === 'invalid_grant'
            ? 'the refresh token is invalid, expired or was revoked; the seller must grant access again'
            : code === 'invalid_scope'
              ? 'the consent does not cover the sell.inventory and sell.fulfillment scopes'
              : `the token request was refused (${code || `HTTP ${res.status}`})`
      throw new ClassifiedError('needs_seller', 'ebay.auth', `eBay login failed: ${what}`, {
        hint: 'Reconnect eBay in Connections.',
      })
    }
    if (res.status === 429 || res.status >= 500) {
      const wait = retryAfterMs(res.headers)
      throw new ClassifiedError(
        'retryable',
        'ebay.token_unavailable',
        `eBay OAuth failed (HTTP ${res.status})`,
        {
          ...(wait === undefined ? {} : { retryAfterMs: wait }),
        },
      )
    }
    throw new ClassifiedError(
      'permanent',
      'ebay.token_rejected',
      `eBay OAuth rejected the token request (HTTP ${res.status})`,
    )
  }

  static detailsOf(res: HttpResponse): EbayErrorDetail[] {
    try {
      return res.json<{ errors?: EbayErrorDetail[] }>().errors ?? []
    } catch {
      return []
    }
  }

  private errorOf(res: HttpResponse, call: EbayCall): ClassifiedError {
    const first = EbayClient.detailsOf(res)[0]
    const text = first
      ? `${first.errorId ?? ''} ${first.longMessage ?? first.message ?? ''}`.trim()
      : res.text.slice(0, 200)
    const what = `${call.method} ${call.path}`
    if (res.status === 401 || res.status === 403)
      return new ClassifiedError(
        'needs_seller',
        'ebay.access_denied',
        `eBay refused ${what} (HTTP ${res.status}): ${text}`,
        {
          hint: 'Reconnect eBay and grant the inventory and fulfillment permissions.',
        },
      )
    if (res.status === 429) {
      const wait = retryAfterMs(res.headers)
      return new ClassifiedError(
        'retryable',
        'ebay.throttled',
        `eBay call limit reached on ${what} (HTTP 429): ${text}`,
        {
          retryAfterMs: wait ?? this.opts.backoffMs,
        },
      )
    }
    if (res.status >= 500 || (first?.errorId !== undefined && EBAY_TRANSIENT_ERRORS.has(first.errorId)))
      return new ClassifiedError(
        'retryable',
        'ebay.server',
        `eBay failed on ${what} (HTTP ${res.status}): ${text}`,
      )
    if (res.status === 404)
      return new ClassifiedError('permanent', 'ebay.not_found', `eBay does not know ${what}: ${text}`)
    return new ClassifiedError(
      'permanent',
      'ebay.invalid_request',
      `eBay rejected ${what} (HTTP ${res.status}): ${text}`,
    )
  }

  /** One call; any 2xx (incl. 207 multi-status) comes back as the response. */
  async call(call: EbayCall): Promise<HttpResponse> {
    const qs = call.query && [...call.query.keys()].length > 0 ? `?${call.query.toString()}` : ''
    return authorizedRequest({
      tokens: this.tokens,
      maxAttempts: this.opts.maxAttempts,
      backoffMs: this.opts.backoffMs,
      maxInlineWaitMs: this.opts.maxInlineWaitMs,
      send: (token) => {
        this.calls++
        return httpRequest({
          method: call.method,
          url: `${this.config.baseUrl.replace(/\/+$/, '')}${call.path}${qs}`,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            'x-ebay-c-marketplace-id': this.config.marketplaceId,
            ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(call.contentLanguage ? { 'content-language': this.config.contentLanguage } : {}),
          },
          ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
          timeoutMs: this.opts.timeoutMs,
          service: SERVICE,
        })
      },
      read: (res) => res,
      errorOf: (res) => this.errorOf(res, call),
      unavailable: () =>
        new ClassifiedError('retryable', 'ebay.unavailable', `eBay: ${call.method} ${call.path} failed`),
    })
  }

  async json<T>(call: EbayCall): Promise<T> {
    return jsonWithRetries<T>(() => this.call(call), this.opts.maxAttempts, this.opts.backoffMs)
  }
}
