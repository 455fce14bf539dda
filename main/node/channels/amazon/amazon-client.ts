// Amazon's channel client: the LWA refresh grant (token in `x-amz-access-token`, renewed once on a 401 or
// 403), the User-Agent SP-API requires, pacing by Amazon's per-operation usage plans (kept across restarts
// through the runtime's bucket memory), and SP-API's error bodies ({errors: [{code, message, details}]}).
// Feed documents live at presigned URLs: they go through the same client without SP-API credentials.
import { ClassifiedError } from '../../../core/errors'
import { AMAZON_LIMITS, type AmazonOperation } from '../../../core/channels/amazon-limits'
import { retryAfterMs, type HttpResponse } from '../../http/http-client'
import { retryOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import { tokenAuth } from '../kit/auth'
import type { CallQuery, ChannelCall } from '../kit/channel-call'
import { ChannelClient } from '../kit/channel-client'
import { bodyOf, type ErrorVocabulary } from '../kit/error-mapping'
import { fetchOAuthToken } from '../kit/oauth-token'
import { operationPacing } from '../kit/pacing'
import { RequestPacer } from '../kit/request-pacer'
import { TokenCache } from '../kit/token-cache'
import { AMAZON_LWA_TOKEN_URL, type AmazonConfig } from './amazon-config'

export const AMAZON_SERVICE = 'Amazon'

const amazonErrors = (throttleWaitMs: number): ErrorVocabulary => ({
  service: AMAZON_SERVICE,
  prefix: 'amazon',
  describe(res) {
    const first = bodyOf<{ errors?: { code?: string; message?: string; details?: string }[] }>(res)
      ?.errors?.[0]
    return [first?.code ?? `HTTP ${res.status}`, first?.message, first?.details].filter(Boolean).join(' ')
  },
  deniedCode: 'access_denied',
  deniedHint: 'Check that the app is authorised for this seller and marketplace, then reconnect Amazon.',
  // SP-API names no wait (its limits are in x-amzn-RateLimit-Limit); one that does is honoured.
  throttleWaitMs,
  notFound: 'item',
  rejectedCode: 'invalid_request',
})

const lwaRefusal = (code: string, status: number): string =>
  code === 'invalid_client'
    ? 'the LWA client id or client secret is wrong (client secrets must be rotated every 180 days)'
    : code === 'invalid_grant'
      ? 'the refresh token was revoked or has expired; authorise the app again in Seller Central'
      : `the token request was refused (${code || `HTTP ${status}`})`

/** The User-Agent SP-API requires on every request: AppId/Version (Language=...). */
export const amazonUserAgent = (config: AmazonConfig): string =>
  `${config.appId ?? 'LastUnit/0.1.0'} (Language=TypeScript; Platform=Node.js)`

export function createAmazonClient(config: AmazonConfig, o: ChannelAdapterOptions): ChannelClient {
  const clock = o.clock
  if (!clock) throw new RangeError('createAmazonClient: a clock is required')
  const rateScale = o.rateScale ?? 1
  const backoffMs = o.backoffMs ?? 1_000
  const userAgent = amazonUserAgent(config)
  const pacer = new RequestPacer({
    service: AMAZON_SERVICE,
    limits: AMAZON_LIMITS.operations,
    clock,
    rateScale,
    maxInlineWaitMs: o.maxInlineWaitMs ?? 5_000 / Math.max(1, rateScale),
    ...(o.sleep ? { sleep: o.sleep } : {}),
    ...(o.rateMemory ? { memory: o.rateMemory } : {}),
  })
  return new ChannelClient({
    baseUrl: config.baseUrl,
    clock,
    timeoutMs: o.timeoutMs ?? 30_000,
    // Waits for a retry are slept through whatever their length (SP-API names none; its limits are paced).
    retry: retryOptions(o, { maxInlineWaitMs: Number.POSITIVE_INFINITY }),
    ...(o.sleep ? { sleep: o.sleep } : {}),
    errors: amazonErrors(backoffMs),
    pacing: operationPacing(pacer),
    headers: { 'user-agent': userAgent, accept: 'application/json' },
    auth: (transport) =>
      tokenAuth(
        new TokenCache({
          clock,
          fetchToken: () =>
            fetchOAuthToken(transport, {
              service: 'Amazon LWA',
              channel: 'Amazon',
              prefix: 'amazon',
              url: config.tokenUrl ?? AMAZON_LWA_TOKEN_URL,
              headers: { 'user-agent': userAgent },
              form: new URLSearchParams({
                grant_type: 'refresh_token',
                refresh_token: config.credentials.refreshToken,
                client_id: config.credentials.clientId,
                client_secret: config.credentials.clientSecret,
              }),
              refused: lwaRefusal,
              hint: 'Reconnect Amazon in Connections.',
              lifetimeS: AMAZON_LIMITS.tokenLifetimeS,
            }),
        }),
        (token) => ({ 'x-amz-access-token': token }),
        // SP-API answers an expired or revoked token with 403 Unauthorized.
        { staleStatuses: [401, 403] },
      ),
  })
}

/** An SP-API call: its operation (the limit it counts against) names it in messages. */
export const amazonCall = (
  op: AmazonOperation,
  method: string,
  path: string,
  more: { query?: CallQuery; body?: unknown; alsoPaces?: AmazonOperation[] } = {},
): ChannelCall => ({ op, method, path, what: `${op} (${method} ${path})`, ...more })

/**
 * A document transfer's failure. The document is LastUnit's own, never the listings' content: a 403 from
 * the presigned URL (it expires 5 minutes after Amazon issued it, or its signature no longer holds) is
 * retried with a new document (a new URL for a download), never taken as a rejection of the listings in
 * it; 5xx and 429 are retried too. Anything else is permanent (a request S3 cannot take: LastUnit's fault,
 * reported as such).
 */
const documentError = (method: string) => (res: HttpResponse) => {
  const what = `Amazon feed document ${method === 'PUT' ? 'upload' : 'download'}`
  if (res.status === 403) {
    const expired = /Request has expired/i.test(res.text)
    return new ClassifiedError(
      'retryable',
      expired ? 'amazon.document_expired' : 'amazon.document_denied',
      `${what} failed (HTTP 403${expired ? ': the presigned URL expired' : ', access denied'}); ${method === 'PUT' ? 'the feed goes again with a new document' : 'read again with a new URL'}`,
    )
  }
  return new ClassifiedError(
    res.status >= 500 || res.status === 429 ? 'retryable' : 'permanent',
    'amazon.document',
    `${what} failed (HTTP ${res.status})`,
    res.status === 429 && retryAfterMs(res.headers) !== undefined
      ? { retryAfterMs: retryAfterMs(res.headers)! }
      : {},
  )
}

/** A presigned document URL: no SP-API token may go there (it is S3), and its query is a credential. */
export async function transferDocument(
  client: ChannelClient,
  method: 'PUT' | 'GET',
  url: string,
  body?: string,
  contentType?: string,
): Promise<Buffer> {
  try {
    const res = await client.request({
      method,
      path: url,
      what: `feed document ${method === 'PUT' ? 'upload' : 'download'}`,
      anonymous: true,
      binary: true,
      ...(body === undefined
        ? {}
        : { rawBody: { text: body, contentType: contentType ?? 'application/json' } }),
      classify: documentError(method),
    })
    return Buffer.from(res.bytes ?? new TextEncoder().encode(res.text))
  } catch (e) {
    // A document host that cannot be reached is Amazon's trouble, not the seller's settings.
    if (e instanceof ClassifiedError && e.code.startsWith('http.'))
      throw new ClassifiedError(
        'retryable',
        'amazon.document_network',
        `Amazon feed document transfer to ${hostOf(url)} failed`,
        {
          cause: e.code,
        },
      )
    throw e
  }
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return 'the document host'
  }
}
