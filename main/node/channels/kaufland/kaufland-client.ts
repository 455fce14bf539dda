// Kaufland's channel client: every request HMAC-signed over the exact bytes sent (renewal signs again, with
// a fresh timestamp), paced by Kaufland's 111 requests a second per seller across all endpoints, and
// Kaufland's problem bodies ({type, message, errors}) as error bodies. The secret key only ever goes into
// the HMAC, never into a message.
import { answerSnippet } from '../../redaction'
import { KAUFLAND_LIMITS } from '../../../core/channels/kaufland-limits'
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import type { HttpResponse } from '../../http/http-client'
import { retryOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import { signedAuth } from '../kit/auth'
import { ChannelClient } from '../kit/channel-client'
import { bodyOf, type ErrorVocabulary } from '../kit/error-mapping'
import { operationPacing } from '../kit/pacing'
import { RequestPacer } from '../kit/request-pacer'
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
  /** Statuses besides 2xx that are answers (a unit's own refusal). */
  accept?: number[]
}

export const describeKauflandError = (res: HttpResponse): string => {
  const body = bodyOf<KauflandErrorBody>(res)
  if (!body || typeof body !== 'object') return answerSnippet(res.text, 200)
  const fields = (Array.isArray(body.errors) ? body.errors : [])
    .map((e) => `${e?.field ?? '?'}: ${e?.message ?? '?'}`)
    .join('; ')
  return [body.message, fields].filter((s) => s).join(' — ') || answerSnippet(res.text, 200)
}

const problemType = (res: HttpResponse): string => {
  const t = bodyOf<KauflandErrorBody>(res)?.type
  return typeof t === 'string' ? t : ''
}

const kauflandErrors: ErrorVocabulary = {
  service: KAUFLAND_SERVICE,
  prefix: 'kaufland',
  describe: describeKauflandError,
  deniedHint: (res) => {
    const type = problemType(res)
    return type === '/problems/corrupted-signature'
      ? 'The secret key does not match the client key, or the computer clock is wrong. Re-enter both keys from the Kaufland seller portal.'
      : type === '/problems/inactive-account'
        ? 'The Kaufland seller account is inactive. Contact Kaufland seller support.'
        : 'Re-enter the client key and secret key from the Kaufland seller portal (Settings > API).'
  },
  throttleWaitMs: 1000,
  notFound: 'rejected',
  special: (res, what, detail) =>
    problemType(res) === '/problems/storefront-not-configured' &&
    ![401, 403, 408, 429].includes(res.status) &&
    res.status < 500
      ? new ClassifiedError(
          'needs_seller',
          'kaufland.storefront',
          `Kaufland: the storefront is not set up for this account while ${what}: ${detail}`,
          {
            hint: 'Choose a storefront your Kaufland account sells on, or activate it in the seller portal.',
          },
        )
      : undefined,
}

/** Kaufland's calls through the shared channel client. */
export class KauflandClient {
  readonly client: ChannelClient

  constructor(
    cfg: KauflandClientConfig,
    o: Pick<
      ChannelAdapterOptions,
      'maxAttempts' | 'backoffMs' | 'maxInlineWaitMs' | 'sleep' | 'rateMemory'
    > = {},
  ) {
    const pacer = new RequestPacer({
      service: KAUFLAND_SERVICE,
      clock: cfg.clock,
      // Counted per second across all endpoints; the simulators run it unscaled.
      limits: {
        seller: {
          ratePerSecond: KAUFLAND_LIMITS.requestsPerSecond,
          burst: KAUFLAND_LIMITS.requestsPerSecond,
        },
      },
      ...(o.maxInlineWaitMs === undefined ? {} : { maxInlineWaitMs: o.maxInlineWaitMs }),
      ...(o.sleep ? { sleep: o.sleep } : {}),
      ...(o.rateMemory ? { memory: o.rateMemory } : {}),
    })
    this.client = new ChannelClient({
      baseUrl: cfg.baseUrl,
      clock: cfg.clock,
      timeoutMs: cfg.timeoutMs,
      retry: retryOptions(o),
      ...(o.sleep ? { sleep: o.sleep } : {}),
      errors: kauflandErrors,
      pacing: operationPacing(pacer, ['seller']),
      headers: { accept: 'application/json', 'user-agent': cfg.userAgent },
      auth: () =>
        signedAuth((req) => {
          const timestamp = Math.floor(cfg.clock.now() / 1000)
          const url = req.url.toString()
          return {
            'shop-client-key': cfg.clientKey,
            'shop-timestamp': String(timestamp),
            'shop-signature': kauflandSignature(cfg.secretKey, {
              method: req.method,
              url,
              body: req.body,
              timestamp,
            }),
          }
        }),
    })
  }

  private toCall(c: KauflandCall) {
    return {
      method: c.method,
      path: c.path,
      ...(c.query ? { query: c.query } : {}),
      ...(c.body === undefined ? {} : { body: c.body }),
      ...(c.accept ? { accept: c.accept } : {}),
      what: c.what,
    }
  }

  /** One signed, paced attempt and Kaufland's answer as it is (probes and contract tests). */
  send(c: KauflandCall): Promise<HttpResponse> {
    return this.client.send(this.toCall(c))
  }

  /** One call: a 2xx (or accepted) answer, after retries. */
  request(c: KauflandCall): Promise<HttpResponse> {
    return this.client.request(this.toCall(c))
  }

  /** One call's JSON answer, with the response (its pagination headers). */
  json<T>(c: KauflandCall): Promise<{ data: T; res: HttpResponse }> {
    return this.client.read(this.toCall(c), (res) => ({ data: res.json<T>(), res }))
  }
}
