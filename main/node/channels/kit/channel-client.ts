// The one client every channel adapter calls its API through. It authenticates each call with the channel's
// scheme (and renews a stale credential once), paces it by the channel's limits (the slot taken in the same
// tick as the send), retries throttling and outages with backoff and Retry-After, classifies every failure
// into the shared error kinds through the channel's vocabulary, stamps the send time for the simulators when
// that is switched on, and counts the calls made. A channel brings its auth strategy, its pacing, its error
// vocabulary and, where its answers need it, an `inspect` hook; nothing else differs between channels.
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import { httpRequest, SENT_AT_HEADER, sendTimesStamped, type HttpResponse } from '../../http/http-client'
import type { AuthFactory, AuthStrategy, OutgoingRequest, Transport } from './auth'
import type { ChannelCall } from './channel-call'
import { classifyAnswer, type ErrorVocabulary } from './error-mapping'
import type { Attempt, Pacing } from './pacing'
import { DEFAULT_RETRY, runRequestLoop, type RetryPolicy } from './request-loop'
import { sleep as realSleep } from './request-pacer'
import type { TokenCache } from './token-cache'

export interface ChannelClientOptions {
  /** Where paths are resolved. */
  baseUrl: string
  auth: AuthFactory
  errors: ErrorVocabulary
  pacing?: Pacing
  timeoutMs: number
  clock: Clock
  retry?: Partial<RetryPolicy>
  sleep?: (ms: number) => Promise<void>
  /** Headers every call carries unless it sets its own (Accept, the User-Agent a channel requires). */
  headers?: Record<string, string>
  /** Errors a channel reports inside a 2xx answer (GraphQL's errors). */
  inspect?: (res: HttpResponse, call: ChannelCall) => ClassifiedError | undefined
}

export class ChannelClient {
  /** API calls sent (attempts; token requests excluded), for call accounting. */
  calls = 0
  readonly service: string
  readonly retry: RetryPolicy
  readonly pacing: Pacing | undefined
  private readonly auth: AuthStrategy
  private readonly doSleep: (ms: number) => Promise<void>

  constructor(private readonly opts: ChannelClientOptions) {
    this.service = opts.errors.service
    this.retry = { ...DEFAULT_RETRY, ...opts.retry }
    this.pacing = opts.pacing
    this.doSleep = opts.sleep ?? realSleep
    this.auth = opts.auth(this.transport)
  }

  /** The token cache of token schemes (undefined for static credentials). */
  get tokens(): TokenCache | undefined {
    return this.auth.tokens
  }

  /** Fetches the credential the next call would use: a connection test's first step. */
  async login(): Promise<void> {
    await this.auth.credential()
  }

  /** Sends without the channel's credentials or pacing: token requests. Stamped, with the client's timeout. */
  readonly transport: Transport = (req) => {
    const stamped = sendTimesStamped()
      ? { ...req.headers, [SENT_AT_HEADER]: String(this.opts.clock.now()) }
      : req.headers
    return httpRequest({
      ...req,
      ...(stamped ? { headers: stamped } : {}),
      timeoutMs: this.opts.timeoutMs,
      service: req.service ?? this.service,
    })
  }

  /** One call: a 2xx (or accepted) answer, after retries; any failure as a ClassifiedError. */
  request(call: ChannelCall): Promise<HttpResponse> {
    return this.read(call, (res) => res)
  }

  /** One call's JSON answer; a garbled body is retried like any other retryable failure. */
  json<T>(call: ChannelCall): Promise<T> {
    return this.read(call, (res) => res.json<T>())
  }

  /** One call, its answer read by `read` inside the retry loop. */
  read<T>(call: ChannelCall, read: (res: HttpResponse) => T): Promise<T> {
    const accepted = call.accept ?? []
    const classify =
      call.classify ?? ((res: HttpResponse) => classifyAnswer(this.opts.errors, res, call.what))
    let attempt: Attempt = { call }
    return runRequestLoop<T>({
      retry: this.retry,
      sleep: this.doSleep,
      credential: () => (call.anonymous ? '' : this.auth.credential()),
      pace: () => {
        attempt = { call }
        return this.pacing?.acquire(attempt)
      },
      send: (credential) => this.attempt(call, credential, attempt),
      isAnswer: (res) => (res.status >= 200 && res.status < 300) || accepted.includes(res.status),
      ...(this.opts.inspect ? { inspect: (res: HttpResponse) => this.opts.inspect!(res, call) } : {}),
      read,
      classify,
      isStale: (res, err) => !call.anonymous && this.auth.isStale(res, err),
      renew: (credential) => this.auth.renew(credential),
      onThrottled: (_res, ms) => this.pacing?.hold?.(attempt, ms),
      unavailable: () =>
        new ClassifiedError(
          'retryable',
          `${this.opts.errors.prefix}.unavailable`,
          `${this.service}: ${call.what} failed`,
        ),
    })
  }

  /**
   * One authorised, paced attempt and whatever the channel answered, unclassified; a stale credential is
   * renewed once. For probes and contract tests that look at the answer itself.
   */
  async send(call: ChannelCall): Promise<HttpResponse> {
    for (let renewed = false; ; renewed = true) {
      const credential = call.anonymous ? '' : await this.auth.credential()
      const attempt: Attempt = { call }
      const pacing = this.pacing?.acquire(attempt)
      if (pacing) await pacing
      const res = await this.attempt(call, credential, attempt)
      if (renewed || call.anonymous || res.status !== 401) return res
      this.auth.renew(credential)
    }
  }

  /** Builds, signs and sends one attempt in the same tick as its slot was taken. */
  private async attempt(call: ChannelCall, credential: string, attempt: Attempt): Promise<HttpResponse> {
    const req = this.outgoing(call)
    if (!call.anonymous) this.auth.sign(credential, req)
    this.calls++
    try {
      const res = await this.transport({
        method: req.method,
        url: req.url.toString(),
        headers: req.headers,
        ...(req.body === '' ? {} : { body: req.body }),
        ...(call.binary ? { binary: true } : {}),
      })
      this.pacing?.observe?.(attempt, res)
      return res
    } finally {
      this.pacing?.settle?.(attempt)
    }
  }

  private outgoing(call: ChannelCall): OutgoingRequest {
    const absolute = /^https?:\/\//.test(call.path)
    const url = new URL(
      absolute ? call.path : `${(call.base ?? this.opts.baseUrl).replace(/\/+$/, '')}${call.path}`,
    )
    if (call.query instanceof URLSearchParams) for (const [k, v] of call.query) url.searchParams.append(k, v)
    else
      for (const [k, v] of Object.entries(call.query ?? {})) {
        if (v === undefined) continue
        if (typeof v === 'string') url.searchParams.set(k, v)
        else for (const x of v) url.searchParams.append(k, x)
      }
    const body =
      call.rawBody !== undefined
        ? call.rawBody.text
        : call.body === undefined
          ? ''
          : JSON.stringify(call.body)
    const contentType =
      call.rawBody !== undefined ? call.rawBody.contentType : body === '' ? undefined : 'application/json'
    return {
      method: call.method,
      url,
      body,
      headers: {
        ...(call.anonymous ? {} : this.opts.headers),
        ...(contentType ? { 'content-type': contentType } : {}),
        ...call.headers,
      },
    }
  }
}
