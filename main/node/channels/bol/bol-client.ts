// bol.com Retailer API over HTTP: a client-credentials token reused until it expires (bol blocks clients that
// ask too often), versioned media types, and rate limits driven by bol's own `x-ratelimit-*` headers: when
// an endpoint's budget is spent, calls to it wait for the reset instead of collecting 429s.
import { ClassifiedError } from '../../../core/errors'
import type { RateLimitObservation } from '../../../core/ports/channel-adapter'
import type { Clock } from '../../../core/ports/clock'
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import { httpRequest, retryAfterMs, type HttpResponse } from '../../http/http-client'
import { authorizedRequest, jsonWithRetries } from '../authorized-request'
import { sleep } from '../request-pacer'
import { TokenCache } from '../token-cache'
import { BOL_TOKEN_URL, sharedBaseOf, type BolConfig } from './bol-config'

export type BolEndpoint = 'offers-update' | 'offers-list' | 'orders-list' | 'orders-detail' | 'process-status'

export interface BolCall {
  endpoint: BolEndpoint
  method: string
  /** Below the retailer base ("/offers/..."), or below /shared when `shared` is set. */
  path: string
  query?: URLSearchParams
  body?: unknown
  version: 'v10' | 'v11'
  shared?: boolean
}

export interface BolClientOptions {
  timeoutMs: number
  clock: Clock
  maxAttempts: number
  backoffMs: number
  /** Waits for a rate-limit reset up to this long inline; longer ones go back to the engine. */
  maxInlineWaitMs: number
  /**
   * Keeps each endpoint's budget and Retry-After hold across restarts, so a process started again after a
   * crash neither spends a budget bol already counted nor calls an endpoint bol told it to leave alone.
   */
  rateMemory?: BucketMemory
}

const ENDPOINTS: readonly BolEndpoint[] = [
  'offers-update',
  'offers-list',
  'orders-list',
  'orders-detail',
  'process-status',
]

interface Problem {
  title?: string
  status?: number
  detail?: string
  violations?: { name?: string; reason?: string }[]
}

const SERVICE = 'bol.com'

export class BolClient {
  readonly tokens: TokenCache
  calls = 0
  /** The latest budget bol reported, per endpoint. */
  readonly observed = new Map<BolEndpoint, RateLimitObservation & { at: number }>()
  /** What is left of each endpoint's window, as bol last reported it minus what we spent since. */
  private readonly budget = new Map<
    BolEndpoint,
    { remaining: number; resetAt: number; limit?: number; guess?: boolean }
  >()
  private readonly inFlight = new Map<BolEndpoint, number>()
  /**
   * No call to the endpoint before this (a 429's Retry-After). Kept apart from the budget: an answer to a call
   * that was already in flight brings fresh x-ratelimit headers, and those must not lift the hold.
   */
  private readonly holds = new Map<BolEndpoint, number>()

  constructor(
    private readonly config: BolConfig,
    private readonly opts: BolClientOptions,
  ) {
    this.tokens = new TokenCache({ clock: opts.clock, skewMs: 15_000, fetchToken: () => this.fetchToken() })
    this.recall()
  }

  /** Budgets and holds a previous process left (snapshot: tokens = remaining, last = resetAt, pausedUntil = hold). */
  private recall(): void {
    const memory = this.opts.rateMemory
    if (!memory) return
    const now = this.opts.clock.now()
    for (const endpoint of ENDPOINTS) {
      let s
      try {
        s = memory.load(`bol:${endpoint}`)
      } catch {
        s = undefined
      }
      if (!s || ![s.tokens, s.last, s.pausedUntil].every(Number.isFinite)) continue
      if (s.pausedUntil > now) this.holds.set(endpoint, s.pausedUntil)
      if (s.last > now)
        this.budget.set(endpoint, { remaining: Math.max(0, Math.floor(s.tokens)), resetAt: s.last })
    }
  }

  private remember(endpoint: BolEndpoint): void {
    const memory = this.opts.rateMemory
    if (!memory) return
    const b = this.budget.get(endpoint)
    try {
      memory.save(`bol:${endpoint}`, {
        tokens: b?.remaining ?? 0,
        last: b && !b.guess ? b.resetAt : 0,
        pausedUntil: this.holds.get(endpoint) ?? 0,
      })
    } catch {
      /* remembering is best effort: it must never fail a request */
    }
  }

  private async fetchToken() {
    const { clientId, clientSecret } = this.config.credentials
    const url = new URL(this.config.tokenUrl ?? BOL_TOKEN_URL)
    url.searchParams.set('grant_type', 'client_credentials')
    const res = await httpRequest({
      method: 'POST',
      url: url.toString(),
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        accept: 'application/json',
      },
      timeoutMs: this.opts.timeoutMs,
      service: 'bol.com login',
    })
    if (res.status === 200) {
      const b = res.json<{ access_token?: string; expires_in?: number }>()
      if (!b.access_token)
        throw new ClassifiedError(
          'retryable',
          'bol.token_malformed',
          'bol.com login answered without an access_token',
        )
      return { accessToken: b.access_token, expiresInSeconds: b.expires_in ?? 299 }
    }
    if (res.status === 400 || res.status === 401 || res.status === 403)
      throw new ClassifiedError(
        'needs_seller',
        'bol.auth',
        `bol.com login failed: the client id or secret was refused (HTTP ${res.status}); the API key may have been removed or regenerated`,
        {
          hint: 'Create or copy the API credentials in the bol.com seller account (Settings > API) and reconnect.',
        },
      )
    if (res.status === 429) {
      const wait = retryAfterMs(res.headers)
      throw new ClassifiedError(
        'retryable',
        'bol.token_throttled',
        'bol.com login asked to slow down (HTTP 429)',
        {
          ...(wait === undefined ? {} : { retryAfterMs: wait }),
        },
      )
    }
    throw new ClassifiedError(
      'retryable',
      'bol.token_unavailable',
      `bol.com login failed (HTTP ${res.status})`,
    )
  }

  private observe(endpoint: BolEndpoint, res: HttpResponse): void {
    const num = (h: string) => {
      const v = res.headers.get(h)
      return v === null || v.trim() === '' || Number.isNaN(Number(v)) ? undefined : Number(v)
    }
    const now = this.opts.clock.now()
    const remaining = num('x-ratelimit-remaining')
    const reset = num('x-ratelimit-reset')
    const limit = num('x-ratelimit-limit')
    const retry = res.status === 429 ? retryAfterMs(res.headers) : undefined
    this.observed.set(endpoint, {
      at: now,
      ...(remaining === undefined ? {} : { remaining }),
      ...(reset === undefined ? {} : { resetInMs: reset * 1000 }),
      ...(retry === undefined ? {} : { retryAfterMs: retry }),
    })
    if (remaining !== undefined && reset !== undefined) {
      // Calls still in flight are not in bol's count yet: spend them from the budget now.
      const inFlight = Math.max(0, (this.inFlight.get(endpoint) ?? 1) - 1)
      this.budget.set(endpoint, {
        remaining: remaining - inFlight,
        resetAt: now + reset * 1000,
        ...(limit === undefined ? {} : { limit }),
      })
    }
    if (retry !== undefined) this.holds.set(endpoint, Math.max(this.holds.get(endpoint) ?? 0, now + retry))
    this.remember(endpoint)
  }

  /** Waits until the endpoint's budget allows one more call, and spends it. */
  private async gate(endpoint: BolEndpoint): Promise<void> {
    for (;;) {
      const now = this.opts.clock.now()
      const hold = this.holds.get(endpoint) ?? 0
      if (now < hold) {
        const wait = hold - now
        if (wait > this.opts.maxInlineWaitMs)
          throw new ClassifiedError(
            'retryable',
            'bol.rate_limited',
            `bol.com asked to wait before calling ${endpoint} again: ${Math.ceil(wait / 1000)} s left`,
            { retryAfterMs: wait },
          )
        await sleep(wait)
        continue
      }
      const b = this.budget.get(endpoint)
      if (b && now >= b.resetAt && b.limit !== undefined) {
        // A new window holds the same allowance; the next answer's headers correct this guess.
        b.remaining = b.limit
        b.resetAt = now + 60_000
        b.guess = true
      }
      if (!b || now >= b.resetAt) break
      if (b.remaining > 0) {
        b.remaining--
        this.remember(endpoint)
        break
      }
      if (b.guess) {
        // The window's end is only guessed: wait for an answer in flight to bring the real headers.
        if ((this.inFlight.get(endpoint) ?? 0) === 0) break
        await sleep(10)
        continue
      }
      const wait = b.resetAt - now
      if (wait > this.opts.maxInlineWaitMs)
        throw new ClassifiedError(
          'retryable',
          'bol.rate_limited',
          `bol.com: the ${endpoint} budget resets in ${Math.ceil(wait / 1000)} s`,
          { retryAfterMs: wait },
        )
      await sleep(wait)
    }
    this.inFlight.set(endpoint, (this.inFlight.get(endpoint) ?? 0) + 1)
  }

  private done(endpoint: BolEndpoint): void {
    this.inFlight.set(endpoint, Math.max(0, (this.inFlight.get(endpoint) ?? 1) - 1))
  }

  private errorOf(res: HttpResponse, call: BolCall): ClassifiedError {
    let p: Problem | undefined
    try {
      p = res.json<Problem>()
    } catch {
      p = undefined
    }
    const violations = (p?.violations ?? []).map((v) => `${v.name ?? '?'}: ${v.reason ?? ''}`).join('; ')
    const text = [p?.title, p?.detail, violations].filter(Boolean).join(' - ') || res.text.slice(0, 200)
    const what = `${call.method} ${call.shared ? '/shared' : '/retailer'}${call.path.split('?')[0] ?? ''}`
    if (res.status === 401 || res.status === 403)
      return new ClassifiedError(
        'needs_seller',
        'bol.access_denied',
        `bol.com refused ${what} (HTTP ${res.status}): ${text}`,
        {
          hint: 'Check the API credentials and their permissions in the bol.com seller account.',
        },
      )
    if (res.status === 429) {
      const wait = retryAfterMs(res.headers)
      return new ClassifiedError(
        'retryable',
        'bol.throttled',
        `bol.com asked to slow down on ${what} (HTTP 429)`,
        {
          retryAfterMs: wait ?? this.opts.backoffMs,
        },
      )
    }
    if (res.status >= 500)
      return new ClassifiedError(
        'retryable',
        'bol.server',
        `bol.com failed on ${what} (HTTP ${res.status}): ${text}`,
      )
    if (res.status === 404)
      return new ClassifiedError('permanent', 'bol.not_found', `bol.com does not know ${what}: ${text}`)
    return new ClassifiedError(
      'permanent',
      'bol.invalid_request',
      `bol.com rejected ${what} (HTTP ${res.status}): ${text}`,
    )
  }

  /** One call; returns the response for any 2xx (204 has no body). */
  async call(call: BolCall): Promise<HttpResponse> {
    const media = `application/vnd.retailer.${call.version}+json`
    const base = call.shared ? sharedBaseOf(this.config.baseUrl) : this.config.baseUrl.replace(/\/+$/, '')
    const qs = call.query && [...call.query.keys()].length > 0 ? `?${call.query.toString()}` : ''
    return authorizedRequest({
      tokens: this.tokens,
      maxAttempts: this.opts.maxAttempts,
      backoffMs: this.opts.backoffMs,
      maxInlineWaitMs: this.opts.maxInlineWaitMs,
      // bol tokens live about five minutes; one that lapsed in flight is renewed once (a 401).
      before: () => this.gate(call.endpoint),
      send: async (token) => {
        this.calls++
        const res = await httpRequest({
          method: call.method,
          url: `${base}${call.path}${qs}`,
          headers: {
            authorization: `Bearer ${token}`,
            accept: media,
            ...(call.body === undefined ? {} : { 'content-type': media }),
          },
          ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
          timeoutMs: this.opts.timeoutMs,
          service: SERVICE,
        }).finally(() => this.done(call.endpoint))
        this.observe(call.endpoint, res)
        return res
      },
      read: (res) => res,
      errorOf: (res) => this.errorOf(res, call),
      unavailable: () =>
        new ClassifiedError('retryable', 'bol.unavailable', `bol.com: ${call.method} ${call.path} failed`),
    })
  }

  /** `call` plus a JSON body, retried when the body arrives garbled. */
  async json<T>(call: BolCall): Promise<T> {
    return jsonWithRetries<T>(() => this.call(call), this.opts.maxAttempts, this.opts.backoffMs)
  }
}
