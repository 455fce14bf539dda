// WooCommerce's channel client: the consumer key and secret by HTTP Basic over HTTPS, or the documented
// query-string fallback for hosts that strip the Authorization header; no limit to pace by (Woo core has
// none) but a host's 429 holds every call; WordPress REST error bodies ({code, message, data}).
import { answerSnippet } from '../../redaction'
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import type { HttpResponse } from '../../http/http-client'
import { retryOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import { basic, headerAuth, queryAuth } from '../kit/auth'
import { ChannelClient } from '../kit/channel-client'
import { bodyOf, type ErrorVocabulary } from '../kit/error-mapping'
import { holdPacing } from '../kit/pacing'
import { DEFAULT_RETRY } from '../kit/request-loop'
import { sleep as realSleep } from '../kit/request-pacer'

export const WOO_SERVICE = 'WooCommerce'

export interface WooClientConfig {
  baseUrl: string
  consumerKey: string
  consumerSecret: string
  authMode: 'basic' | 'query'
  timeoutMs: number
  clock: Clock
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
  const e = bodyOf<WpError>(res)
  return e && typeof e === 'object' ? e : { message: answerSnippet(res.text, 200) }
}

const wooErrors: ErrorVocabulary = {
  service: WOO_SERVICE,
  prefix: 'woocommerce',
  describe(res) {
    const e = wpError(res)
    const params =
      e.data?.params && typeof e.data.params === 'object'
        ? ' (' +
          Object.entries(e.data.params)
            .map(([k, v]) => `${k}: ${v}`)
            .join('; ') +
          ')'
        : ''
    return `${e.code ?? ''} ${e.message ?? ''}${params}`.trim()
  },
  deniedHint: (res) =>
    /consumer key is missing|missing/i.test(wpError(res).message ?? '')
      ? 'The web server seems to drop the Authorization header: switch the connection to query-string authentication.'
      : 'Create a REST API key with Read/Write permission (WooCommerce > Settings > Advanced > REST API) and enter it again.',
  throttleWaitMs: 5000,
  notFound: 'rejected',
  special: (res, what) =>
    res.status === 404 && wpError(res).code === 'rest_no_route'
      ? new ClassifiedError(
          'needs_seller',
          'woocommerce.no_api',
          `WooCommerce REST API not found at this address while ${what}`,
          {
            hint: 'Check the shop address, that WooCommerce is active, and that permalinks are not "Plain".',
          },
        )
      : undefined,
}

/** WooCommerce's REST v3 calls through the shared channel client. */
export class WooClient {
  readonly client: ChannelClient

  constructor(
    cfg: WooClientConfig,
    o: Pick<
      ChannelAdapterOptions,
      'maxAttempts' | 'backoffMs' | 'maxInlineWaitMs' | 'sleep' | 'rateMemory'
    > = {},
  ) {
    const sleep = o.sleep ?? realSleep
    this.client = new ChannelClient({
      baseUrl: `${cfg.baseUrl}/wp-json/wc/v3`,
      clock: cfg.clock,
      timeoutMs: cfg.timeoutMs,
      retry: retryOptions(o),
      sleep,
      errors: wooErrors,
      pacing: holdPacing({
        service: WOO_SERVICE,
        prefix: 'woocommerce',
        clock: cfg.clock,
        maxInlineWaitMs: o.maxInlineWaitMs ?? DEFAULT_RETRY.maxInlineWaitMs,
        sleep,
        // A host's 429 holds the next process too.
        ...(o.rateMemory ? { memory: o.rateMemory } : {}),
      }),
      headers: { accept: 'application/json' },
      auth: () =>
        cfg.authMode === 'query'
          ? queryAuth({ consumer_key: cfg.consumerKey, consumer_secret: cfg.consumerSecret })
          : headerAuth({ authorization: basic(cfg.consumerKey, cfg.consumerSecret) }),
    })
  }

  /** One call's JSON answer, with the response (its X-WP-Total and X-WP-TotalPages headers). */
  json<T>(c: WooCall): Promise<{ data: T; res: HttpResponse }> {
    return this.client.read(
      {
        method: c.method,
        path: c.path,
        ...(c.query ? { query: c.query } : {}),
        ...(c.body === undefined ? {} : { body: c.body }),
        what: c.what,
      },
      (res) => ({ data: res.json<T>(), res }),
    )
  }
}
