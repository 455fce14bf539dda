// SP-API over HTTP: LWA access token in `x-amz-access-token`, the required User-Agent, per-operation pacing
// at the documented rates, and bounded retries of throttling and server failures. Errors come back
// classified, with Amazon's own error code and message, and never with a token in them.
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import { httpRequest, retryAfterMs, type HttpResponse } from '../../http/http-client'
import { authorizedRequest } from '../authorized-request'
import { RequestPacer, sleep } from '../request-pacer'
import { TokenCache } from '../token-cache'
import { AMAZON_LWA_TOKEN_URL, type AmazonConfig } from './amazon-config'

/** Documented rate limits per operation (requests per second, burst). */
export const AMAZON_RATE_LIMITS = {
  patchListingsItem: { ratePerSecond: 5, burst: 5 },
  getListingsItem: { ratePerSecond: 5, burst: 10 },
  searchListingsItems: { ratePerSecond: 5, burst: 5 },
  createFeedDocument: { ratePerSecond: 0.5, burst: 15 },
  createFeed: { ratePerSecond: 0.0083, burst: 15 },
  /** JSON_LISTINGS_FEED on its own: 5 submissions per 5 minutes. */
  jsonListingsFeed: { ratePerSecond: 5 / 300, burst: 5 },
  getFeed: { ratePerSecond: 2, burst: 15 },
  getFeedDocument: { ratePerSecond: 0.0222, burst: 10 },
  searchOrders: { ratePerSecond: 0.0056, burst: 20 },
} as const

export type AmazonOperation = keyof typeof AMAZON_RATE_LIMITS

export interface AmazonClientOptions {
  timeoutMs: number
  clock: Clock
  rateScale: number
  /** Keeps the rate-limit buckets across restarts. */
  rateMemory?: BucketMemory
  maxAttempts: number
  backoffMs: number
}

export interface AmazonCall {
  op: AmazonOperation
  /** Further limits each attempt counts against (createFeed also spends JSON_LISTINGS_FEED's own). */
  alsoPaces?: AmazonOperation[]
  method: string
  path: string
  query?: URLSearchParams
  body?: unknown
}

interface AmazonErrorBody {
  errors?: { code?: string; message?: string; details?: string }[]
}

const SERVICE = 'Amazon'

export class AmazonClient {
  readonly tokens: TokenCache
  readonly pacer: RequestPacer
  /** HTTP calls made, token requests excluded (call accounting for the engine and the bench). */
  calls = 0

  constructor(
    private readonly config: AmazonConfig,
    private readonly opts: AmazonClientOptions,
  ) {
    this.tokens = new TokenCache({ clock: opts.clock, fetchToken: () => this.fetchToken() })
    this.pacer = new RequestPacer({
      service: SERVICE,
      limits: AMAZON_RATE_LIMITS,
      clock: opts.clock,
      rateScale: opts.rateScale,
      maxInlineWaitMs: 5_000 / Math.max(1, opts.rateScale),
      ...(opts.rateMemory ? { memory: opts.rateMemory } : {}),
    })
  }

  private userAgent(): string {
    return `${this.config.appId ?? 'LastUnit/0.1.0'} (Language=TypeScript; Platform=Node.js)`
  }

  private async fetchToken() {
    const { clientId, clientSecret, refreshToken } = this.config.credentials
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
      client_secret: clientSecret,
    })
    const res = await httpRequest({
      method: 'POST',
      url: this.config.tokenUrl ?? AMAZON_LWA_TOKEN_URL,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': this.userAgent() },
      body: form.toString(),
      timeoutMs: this.opts.timeoutMs,
      service: 'Amazon LWA',
    })
    if (res.status === 200) {
      const body = res.json<{ access_token?: string; expires_in?: number }>()
      if (typeof body.access_token !== 'string' || !body.access_token)
        throw new ClassifiedError(
          'retryable',
          'amazon.lwa_malformed',
          'Amazon LWA answered without an access_token',
        )
      return { accessToken: body.access_token, expiresInSeconds: body.expires_in ?? 3600 }
    }
    let code = ''
    let description = ''
    try {
      const b = res.json<{ error?: string; error_description?: string }>()
      code = b.error ?? ''
      description = b.error_description ?? ''
    } catch {
      // not JSON: classified by status below
    }
    if (res.status === 400 || res.status === 401) {
      const what =
        code === 'invalid_client'
          ? 'the LWA client id or client secret is wrong (client secrets must be rotated every 180 days)'
          : code === 'invalid_grant'
            ? 'the refresh token was revoked or has expired; authorise the app again in Seller Central'
            : `the token request was refused (${code || `HTTP ${res.status}`})`
      throw new ClassifiedError('needs_seller', 'amazon.auth', `Amazon login failed: ${what}`, {
        hint: 'Reconnect Amazon in Connections.',
        cause: description || undefined,
      })
    }
    if (res.status === 429 || res.status >= 500) {
      const wait = retryAfterMs(res.headers)
      throw new ClassifiedError(
        'retryable',
        'amazon.lwa_unavailable',
        `Amazon LWA failed (HTTP ${res.status})`,
        wait === undefined ? {} : { retryAfterMs: wait },
      )
    }
    throw new ClassifiedError(
      'permanent',
      'amazon.lwa_rejected',
      `Amazon LWA rejected the token request (HTTP ${res.status})`,
    )
  }

  private errorOf(res: HttpResponse, call: AmazonCall): ClassifiedError {
    let first: { code?: string; message?: string; details?: string } | undefined
    try {
      first = res.json<AmazonErrorBody>().errors?.[0]
    } catch {
      first = undefined
    }
    const code = first?.code ?? `HTTP ${res.status}`
    const text = [first?.message, first?.details].filter(Boolean).join(' ')
    const what = `${call.op} (${call.method} ${call.path})`
    if (res.status === 401 || res.status === 403)
      return new ClassifiedError(
        'needs_seller',
        'amazon.access_denied',
        `Amazon denied ${what}: ${code} ${text}`.trim(),
        {
          hint: 'Check that the app is authorised for this seller and marketplace, then reconnect Amazon.',
        },
      )
    if (res.status === 429)
      return new ClassifiedError('retryable', 'amazon.throttled', `Amazon throttled ${what}: ${code}`, {
        // SP-API names no wait (its limits are in x-amzn-RateLimit-Limit); one that does is honoured.
        retryAfterMs: retryAfterMs(res.headers) ?? this.opts.backoffMs,
      })
    if (res.status >= 500)
      return new ClassifiedError(
        'retryable',
        'amazon.server',
        `Amazon failed on ${what} (HTTP ${res.status}): ${code} ${text}`.trim(),
      )
    if (res.status === 404)
      return new ClassifiedError(
        'permanent',
        'amazon.not_found',
        `Amazon does not know ${what}: ${code} ${text}`.trim(),
      )
    return new ClassifiedError(
      'permanent',
      'amazon.invalid_request',
      `Amazon rejected ${what} (HTTP ${res.status}): ${code} ${text}`.trim(),
    )
  }

  /** One SP-API call with its JSON answer. Retries throttling, 5xx, timeouts and garbled bodies. */
  async call<T>(call: AmazonCall): Promise<T> {
    const qs = call.query && [...call.query.keys()].length > 0 ? `?${call.query.toString()}` : ''
    return authorizedRequest({
      tokens: this.tokens,
      maxAttempts: this.opts.maxAttempts,
      backoffMs: this.opts.backoffMs,
      waitMs: (attempt, err) => Math.max(this.backoff(attempt), err.retryAfterMs ?? 0),
      // Every attempt counts against the limits: a retried call whose first answer was lost was done twice.
      // Every limit at once, and nothing in between the slot and the send.
      before: () => this.pacer.acquire(call.alsoPaces ? [call.op, ...call.alsoPaces] : call.op),
      // An access token can be revoked or expire early: one fresh token, then it is the seller's problem.
      renewOn: (_res, err) => err.kind === 'needs_seller',
      send: (token) => {
        this.calls++
        return httpRequest({
          method: call.method,
          url: `${this.config.baseUrl.replace(/\/+$/, '')}${call.path}${qs}`,
          headers: {
            'x-amz-access-token': token,
            'user-agent': this.userAgent(),
            accept: 'application/json',
            ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
          timeoutMs: this.opts.timeoutMs,
          service: SERVICE,
        })
      },
      read: (res) => res.json<T>(),
      errorOf: (res) => this.errorOf(res, call),
      onRetryable: (res, _err, attempt) => {
        if (res.status === 429)
          this.pacer.hold(call.op, Math.max(this.backoff(attempt), retryAfterMs(res.headers) ?? 0))
      },
      unavailable: () => new ClassifiedError('retryable', 'amazon.unavailable', `Amazon: ${call.op} failed`),
    })
  }

  private backoff(attempt: number): number {
    return Math.min(this.opts.backoffMs * 2 ** (attempt - 1), 30_000)
  }

  /** A presigned document URL: no SP-API token may go there (it is S3). */
  async transferDocument(
    method: 'PUT' | 'GET',
    url: string,
    body?: string,
    contentType?: string,
  ): Promise<Buffer> {
    let lastError: ClassifiedError | undefined
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      try {
        this.calls++
        const res = await fetchBytes(method, url, this.opts.timeoutMs, body, contentType)
        if (res.status >= 200 && res.status < 300) return res.body
        lastError = new ClassifiedError(
          res.status >= 500 || res.status === 429 ? 'retryable' : 'permanent',
          'amazon.document',
          `Amazon feed document ${method === 'PUT' ? 'upload' : 'download'} failed (HTTP ${res.status})`,
        )
        if (lastError.kind === 'permanent') throw lastError
      } catch (e) {
        if (!(e instanceof ClassifiedError) || e.kind !== 'retryable') throw e
        lastError = e
      }
      if (attempt < this.opts.maxAttempts) await sleep(this.backoff(attempt))
    }
    throw (
      lastError ?? new ClassifiedError('retryable', 'amazon.document', 'Amazon feed document transfer failed')
    )
  }
}

async function fetchBytes(
  method: string,
  url: string,
  timeoutMs: number,
  body: string | undefined,
  contentType: string | undefined,
): Promise<{ status: number; body: Buffer }> {
  try {
    const res = await fetch(url, {
      method,
      ...(body === undefined ? {} : { body }),
      headers: contentType ? { 'content-type': contentType } : {},
      signal: AbortSignal.timeout(timeoutMs),
    })
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) }
  } catch (e) {
    const host = (() => {
      try {
        return new URL(url).host
      } catch {
        return 'the document host'
      }
    })()
    // The URL is presigned: its query is a credential, so only the host is named.
    throw new ClassifiedError(
      'retryable',
      'amazon.document_network',
      `Amazon feed document transfer to ${host} failed`,
      {
        cause: e instanceof Error ? e.name : undefined,
      },
    )
  }
}
