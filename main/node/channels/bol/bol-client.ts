// bol.com's channel client: a client-credentials token reused until it expires (bol blocks clients that ask
// too often), versioned media types, pacing by bol's own x-ratelimit headers (bol-rate-budget), and bol's
// Problem documents ({title, detail, violations}) as error bodies.
import { answerSnippet } from '../../redaction'
import { BOL_ENDPOINT_LIMITS, BOL_LIMITS, type BolEndpoint } from '../../../core/channels/bol-limits'
import { systemClock } from '../../../core/ports/clock'
import type { HttpResponse } from '../../http/http-client'
import { retryOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import { basic, tokenAuth } from '../kit/auth'
import { ChannelClient } from '../kit/channel-client'
import { bodyOf, type ErrorVocabulary } from '../kit/error-mapping'
import { fetchOAuthToken } from '../kit/oauth-token'
import { TokenCache } from '../kit/token-cache'
import { BOL_TOKEN_URL, sharedBaseOf, type BolConfig } from './bol-config'
import { BolRateBudget } from './bol-rate-budget'

export type { BolEndpoint }

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

interface Problem {
  title?: string
  detail?: string
  violations?: { name?: string; reason?: string }[]
}

const bolErrors = (throttleWaitMs: number): ErrorVocabulary => ({
  service: 'bol.com',
  prefix: 'bol',
  describe(res) {
    const p = bodyOf<Problem>(res)
    const violations = (p?.violations ?? []).map((v) => `${v.name ?? '?'}: ${v.reason ?? ''}`).join('; ')
    return [p?.title, p?.detail, violations].filter(Boolean).join(' - ') || answerSnippet(res.text, 200)
  },
  deniedCode: 'access_denied',
  deniedHint: 'Check the API credentials and their permissions in the bol.com seller account.',
  throttleWaitMs,
  notFound: 'item',
  rejectedCode: 'invalid_request',
})

const ENDPOINTS = Object.keys(BOL_ENDPOINT_LIMITS).filter((e): e is BolEndpoint => e !== 'token')

/** bol's calls through the shared channel client, by endpoint (the budget each counts against). */
export class BolClient {
  readonly client: ChannelClient
  readonly budget: BolRateBudget
  private readonly sharedBase: string

  constructor(config: BolConfig, o: ChannelAdapterOptions = {}) {
    const clock = o.clock ?? systemClock
    this.sharedBase = sharedBaseOf(config.baseUrl)
    this.budget = new BolRateBudget({
      endpoints: ENDPOINTS,
      clock,
      maxInlineWaitMs: o.maxInlineWaitMs ?? 10_000,
      ...(o.rateMemory ? { memory: o.rateMemory } : {}),
      ...(o.sleep ? { sleep: o.sleep } : {}),
    })
    this.client = new ChannelClient({
      baseUrl: config.baseUrl,
      clock,
      timeoutMs: o.timeoutMs ?? 30_000,
      retry: retryOptions(o),
      ...(o.sleep ? { sleep: o.sleep } : {}),
      errors: bolErrors(o.backoffMs ?? 1_000),
      pacing: this.budget,
      auth: (transport) =>
        tokenAuth(
          new TokenCache({
            clock,
            skewMs: 15_000,
            fetchToken: () => {
              const url = new URL(config.tokenUrl ?? BOL_TOKEN_URL)
              url.searchParams.set('grant_type', 'client_credentials')
              return fetchOAuthToken(transport, {
                service: 'bol.com login',
                channel: 'bol.com',
                prefix: 'bol',
                url: url.toString(),
                headers: {
                  authorization: basic(config.credentials.clientId, config.credentials.clientSecret),
                },
                refused: (_code, status) =>
                  `the client id or secret was refused (HTTP ${status}); the API key may have been removed or regenerated`,
                hint: 'Create or copy the API credentials in the bol.com seller account (Settings > API) and reconnect.',
                lifetimeS: BOL_LIMITS.tokenLifetimeS,
              })
            },
          }),
          (token) => ({ authorization: `Bearer ${token}` }),
        ),
    })
  }

  get calls(): number {
    return this.client.calls
  }

  private toCall(c: BolCall) {
    const media = `application/vnd.retailer.${c.version}+json`
    return {
      op: c.endpoint,
      method: c.method,
      path: c.path,
      ...(c.shared ? { base: this.sharedBase } : {}),
      ...(c.query ? { query: c.query } : {}),
      ...(c.body === undefined ? {} : { body: c.body }),
      headers: { accept: media, ...(c.body === undefined ? {} : { 'content-type': media }) },
      what: `${c.method} ${c.shared ? '/shared' : '/retailer'}${c.path.split('?')[0] ?? ''}`,
    }
  }

  /** One call; any 2xx comes back as the response (204 has no body). */
  call(c: BolCall): Promise<HttpResponse> {
    return this.client.request(this.toCall(c))
  }

  json<T>(c: BolCall): Promise<T> {
    return this.client.json<T>(this.toCall(c))
  }
}
