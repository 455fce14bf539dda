// Shopify's channel client: the access token header, the cost bucket as its pacing (shopify-cost-bucket),
// and GraphQL's own errors, which Shopify reports inside an HTTP 200: THROTTLED (retryable, with the wait the
// throttle status implies), ACCESS_DENIED (a missing scope), INTERNAL_SERVER_ERROR, and the rest.
import { answerSnippet } from '../../redaction'
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import type { HttpResponse } from '../../http/http-client'
import { retryOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import { headerAuth } from '../kit/auth'
import { ChannelClient } from '../kit/channel-client'
import type { ErrorVocabulary } from '../kit/error-mapping'
import { ShopifyCostBucket, type GraphQLCost } from './shopify-cost-bucket'

export const SHOPIFY_SERVICE = 'Shopify'

interface GraphQLError {
  message: string
  extensions?: { code?: string }
  path?: (string | number)[]
}

export interface GraphQLResponse<T> {
  data?: T
  errors?: GraphQLError[] | string
  extensions?: { cost?: GraphQLCost }
}

export interface ShopifyClientConfig {
  /** The GraphQL endpoint: https://{shop}.myshopify.com/admin/api/{version}/graphql.json */
  endpoint: string
  accessToken: string
  timeoutMs: number
  clock: Clock
  /** Keeps the cost bucket across restarts: a restarted process must not spend points the last one used. */
  rateMemory?: BucketMemory
}

const SCOPES_HINT =
  'The app lacks a scope: in Shopify, give the app write_inventory, read_locations, read_orders and write_products, then install it again.'

/** Shopify's error words from a body like {"errors":"[API] Invalid API key…"} or {"errors":[{"message"}]}. */
export function shopifyErrorText(text: string): string {
  try {
    const body = JSON.parse(text) as { errors?: unknown; error?: unknown }
    const e = body.errors ?? body.error
    if (typeof e === 'string') return e
    if (Array.isArray(e))
      return e
        .map((x) => (typeof x === 'string' ? x : String((x as { message?: unknown }).message)))
        .join('; ')
    if (e && typeof e === 'object')
      return Object.entries(e as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
        .join('; ')
  } catch {
    /* not JSON: the text itself */
  }
  return answerSnippet(text, 200).replace(/\s+/g, ' ').trim()
}

const shopifyErrors: ErrorVocabulary = {
  service: SHOPIFY_SERVICE,
  prefix: 'shopify',
  describe: (res) => shopifyErrorText(res.text),
  deniedHint: (res) =>
    res.status === 403
      ? SCOPES_HINT
      : 'The access token is wrong, revoked or expired: copy the Admin API access token again (Shopify admin > Settings > Apps and sales channels > Develop apps > your app > API credentials) and enter it in Connections.',
  throttleWaitMs: 1000,
  notFound: 'settings',
  notFoundHint: 'Check the shop domain and API version in the Shopify connection.',
}

/** The errors Shopify reports in a 200 answer, classified; undefined when there are none. */
function graphqlError(res: HttpResponse, what: string, expectedCost: number): ClassifiedError | undefined {
  const body = res.json<GraphQLResponse<unknown>>()
  const errors = typeof body.errors === 'string' ? [{ message: body.errors }] : (body.errors ?? [])
  const text = () => errors.map((e) => e.message).join('; ')
  if (errors.length > 0) {
    const code = (c: string) => errors.some((e) => (e as GraphQLError).extensions?.code === c)
    if (code('THROTTLED')) {
      const ts = body.extensions?.cost?.throttleStatus
      const need = body.extensions?.cost?.requestedQueryCost ?? expectedCost
      const wait = ts ? Math.ceil((Math.max(0, need - ts.currentlyAvailable) / ts.restoreRate) * 1000) : 1000
      return new ClassifiedError(
        'retryable',
        'shopify.throttled',
        `Shopify throttled the query while ${what} (cost ${need}, ${ts?.currentlyAvailable ?? '?'} points left)`,
        { retryAfterMs: Math.max(wait, 100) },
      )
    }
    if (code('ACCESS_DENIED'))
      return new ClassifiedError(
        'needs_seller',
        'shopify.scope',
        `Shopify denied access while ${what}: ${text()}`,
        {
          hint: SCOPES_HINT,
        },
      )
    if (code('INTERNAL_SERVER_ERROR'))
      return new ClassifiedError('retryable', 'shopify.server', `Shopify failed while ${what}: ${text()}`)
    return new ClassifiedError(
      'permanent',
      'shopify.graphql',
      `Shopify refused the query while ${what}: ${text()}`,
    )
  }
  if (body.data === undefined)
    return new ClassifiedError(
      'retryable',
      'shopify.malformed',
      `Shopify answered without data while ${what}`,
    )
  return undefined
}

/** Shopify's GraphQL documents through the shared channel client. */
export class ShopifyClient {
  readonly client: ChannelClient
  readonly bucket: ShopifyCostBucket

  constructor(
    cfg: ShopifyClientConfig,
    o: Pick<ChannelAdapterOptions, 'maxAttempts' | 'backoffMs' | 'maxInlineWaitMs' | 'sleep'> = {},
  ) {
    const maxInlineWaitMs = o.maxInlineWaitMs ?? 5_000
    this.bucket = new ShopifyCostBucket({
      clock: cfg.clock,
      maxInlineWaitMs,
      ...(cfg.rateMemory ? { memory: cfg.rateMemory } : {}),
      ...(o.sleep ? { sleep: o.sleep } : {}),
    })
    this.client = new ChannelClient({
      baseUrl: cfg.endpoint,
      clock: cfg.clock,
      timeoutMs: cfg.timeoutMs,
      retry: retryOptions(o, { maxInlineWaitMs }),
      ...(o.sleep ? { sleep: o.sleep } : {}),
      errors: shopifyErrors,
      pacing: this.bucket,
      headers: { accept: 'application/json' },
      auth: () => headerAuth({ 'x-shopify-access-token': cfg.accessToken }),
      // Only a 200 carries a GraphQL answer; other 2xx are not Shopify's.
      inspect: (res, call) =>
        res.status === 200
          ? graphqlError(res, call.what, call.cost ?? 10)
          : new ClassifiedError(
              'permanent',
              'shopify.rejected',
              `Shopify rejected the request while ${call.what} (HTTP ${res.status}): ${shopifyErrorText(res.text)}`,
            ),
    })
  }

  /** Points available now (undefined before Shopify's first answer). */
  available(): number | undefined {
    return this.bucket.available()
  }

  /** Runs one GraphQL document; `expectedCost` lets the bucket wait for the points instead of being throttled. */
  graphql<T>(query: string, variables: Record<string, unknown>, what: string, expectedCost = 10): Promise<T> {
    return this.client.read(
      { method: 'POST', path: '', body: { query, variables }, what, cost: expectedCost },
      (res) => res.json<GraphQLResponse<T>>().data as T,
    )
  }
}
