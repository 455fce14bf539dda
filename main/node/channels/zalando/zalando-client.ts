// Zalando's channel client: client-credentials tokens, cached and themselves paced (Zalando allows 8 token
// requests a minute, 1 in the sandbox, and may ban clients that ask more often; a 429 holds them), "N a
// minute" limits kept as sliding windows (a bucket would allow twice the limit in a minute), and zDirect's
// problem and JSON:API error bodies.
import { answerSnippet } from '../../redaction'
import { ZALANDO_LIMITS } from '../../../core/channels/zalando-limits'
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import type { HttpResponse } from '../../http/http-client'
import { retryOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import { basic, tokenAuth } from '../kit/auth'
import { ChannelClient } from '../kit/channel-client'
import { bodyOf, type ErrorVocabulary } from '../kit/error-mapping'
import { fetchOAuthToken } from '../kit/oauth-token'
import { operationPacing } from '../kit/pacing'
import { RequestPacer, type OperationLimit } from '../kit/request-pacer'
import { TokenCache } from '../kit/token-cache'

export const ZALANDO_SERVICE = 'Zalando'
export const ZALANDO_WINDOW_MS = ZALANDO_LIMITS.clientWindowMs

export interface ZalandoClientConfig {
  /** Keeps the rate-limit windows across restarts. */
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
  /** The media type asked for (JSON:API for orders). */
  accept?: string
  /** The limit the call counts against: "stocks", "orders", "blockers". */
  op: string
  what: string
}

const describe = (res: HttpResponse): string => {
  const b = bodyOf<{
    title?: string
    detail?: string
    error?: string
    error_description?: string
    errors?: { title?: string; detail?: string; source?: { pointer?: string } }[]
  }>(res)
  if (!b || typeof b !== 'object') return answerSnippet(res.text, 200)
  const parts = [
    b.title,
    b.detail,
    b.error,
    b.error_description,
    ...(Array.isArray(b.errors) ? b.errors : []).map((e) =>
      [e?.source?.pointer, e?.title, e?.detail].filter(Boolean).join(' '),
    ),
  ]
  return parts.filter((s) => s).join('; ') || answerSnippet(res.text, 200)
}

const CREDENTIALS_HINT =
  'Enter the client id and secret of your zDirect API client again (zDirect portal > API credentials).'

const zalandoErrors: ErrorVocabulary = {
  service: ZALANDO_SERVICE,
  prefix: 'zalando',
  describe,
  deniedHint: CREDENTIALS_HINT,
  throttleWaitMs: 60_000,
  notFound: 'settings',
  notFoundHint: 'Check the merchant id in the Zalando connection.',
  special: (res, what, detail) =>
    res.status === 403
      ? new ClassifiedError(
          'needs_seller',
          'zalando.forbidden',
          `Zalando: the API client may not do this while ${what} (HTTP 403): ${detail}`,
          {
            hint: 'Check the merchant id and that the API client has the stock, offer-blocker and order scopes.',
          },
        )
      : undefined,
}

/** Zalando's calls through the shared channel client, paced per operation ("stocks", "orders", ...). */
export class ZalandoClient {
  readonly client: ChannelClient
  readonly pacer: RequestPacer

  constructor(
    cfg: ZalandoClientConfig,
    limits: Record<string, OperationLimit>,
    o: Pick<ChannelAdapterOptions, 'maxAttempts' | 'backoffMs' | 'maxInlineWaitMs' | 'sleep'> = {},
  ) {
    this.pacer = new RequestPacer({
      service: ZALANDO_SERVICE,
      clock: cfg.clock,
      rateScale: cfg.rateScale,
      limits: { ...limits, token: { perWindow: cfg.tokensPerMinute, windowMs: ZALANDO_WINDOW_MS } },
      ...(o.maxInlineWaitMs === undefined ? {} : { maxInlineWaitMs: o.maxInlineWaitMs }),
      ...(o.sleep ? { sleep: o.sleep } : {}),
      ...(cfg.rateMemory ? { memory: cfg.rateMemory } : {}),
    })
    const pacer = this.pacer
    this.client = new ChannelClient({
      baseUrl: cfg.baseUrl,
      clock: cfg.clock,
      timeoutMs: cfg.timeoutMs,
      retry: retryOptions(o),
      ...(o.sleep ? { sleep: o.sleep } : {}),
      errors: zalandoErrors,
      pacing: operationPacing(pacer),
      headers: { accept: 'application/json' },
      auth: (transport) =>
        tokenAuth(
          new TokenCache({
            clock: cfg.clock,
            skewMs: 120_000,
            fetchToken: () =>
              fetchOAuthToken(transport, {
                service: ZALANDO_SERVICE,
                channel: ZALANDO_SERVICE,
                prefix: 'zalando',
                url: `${cfg.baseUrl}/auth/token`,
                headers: { authorization: basic(cfg.clientId, cfg.clientSecret) },
                form: new URLSearchParams({ grant_type: 'client_credentials' }),
                refused: (_code, status) => `the client credentials were refused (HTTP ${status})`,
                hint: CREDENTIALS_HINT,
                lifetimeS: 3600,
                // Token requests are paced here and never left to retries.
                pace: () => pacer.acquire('token'),
                // Zalando counts a token request when it arrives: counted here from its answer, a request
                // held up on its way never lets the next ones into a window Zalando already sees full.
                answered: () => pacer.answered('token'),
                onThrottled: (ms) => pacer.hold('token', ms),
                throttleWaitMs: 60_000,
              }),
          }),
          (token) => ({ authorization: `Bearer ${token}` }),
        ),
    })
  }

  private toCall(c: ZalandoCall) {
    return {
      op: c.op,
      method: c.method,
      path: c.path,
      ...(c.query ? { query: c.query } : {}),
      ...(c.body === undefined ? {} : { body: c.body }),
      ...(c.accept ? { headers: { accept: c.accept } } : {}),
      what: c.what,
    }
  }

  /** One authorised, paced attempt and Zalando's answer as it is (probes and contract tests). */
  send(c: ZalandoCall): Promise<HttpResponse> {
    return this.client.send(this.toCall(c))
  }

  /** One call's JSON answer; `okStatuses` beyond 2xx are answers too. */
  json<T>(c: ZalandoCall, okStatuses: number[] = [200]): Promise<T> {
    return this.client.json<T>({ ...this.toCall(c), accept: okStatuses })
  }
}
