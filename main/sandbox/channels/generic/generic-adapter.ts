// The adapter for the generic channel simulator: the reference implementation of the ChannelAdapter
// port that the engine's tests and benchmark run against. It calls through the shared channel
// client like every adapter, with a fixed bearer token and one attempt per call: the engine's tests drive
// its retries themselves.
import type { ChannelType } from '../../../core/channel-types'
import { ClassifiedError } from '../../../core/errors'
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelListing,
  ChannelOrder,
  ConnectionTestResult,
  ListingState,
  Page,
  PushBatchResult,
  PushItem,
  PushItemResult,
  RateLimitObservation,
} from '../../../core/ports/channel-adapter'
import { systemClock } from '../../../core/ports/clock'
import { retryAfterMs, type HttpResponse } from '../../../node/http/http-client'
import { ChannelClient } from '../../../node/channels/kit/channel-client'

export interface GenericAdapterOptions {
  /** The channel type this generic channel stands in for. */
  type: ChannelType
  baseUrl: string
  token: string
  timeoutMs?: number
  capabilities?: Partial<ChannelCapabilities>
}

export const GENERIC_DEFAULT_CAPABILITIES: ChannelCapabilities = {
  bulkBatchSize: 500,
  rateLimits: [{ scope: 'push', ratePerSecond: 10, burst: 20 }],
  zeroStockActions: ['push_zero', 'pause'],
  asyncConfirmation: false,
  readBack: true,
  orderPollIntervalMs: 2000,
}

const OUTCOMES = new Set(['confirmed', 'accepted', 'rejected', 'retry'])
const HINT = 'Reconnect the account or enter new credentials in Connections.'

export function createGenericAdapter(
  opts: GenericAdapterOptions,
): ChannelAdapter & { readonly client: ChannelClient } {
  const base = opts.baseUrl.replace(/\/+$/, '')
  const timeoutMs = opts.timeoutMs ?? 15_000
  const capabilities: ChannelCapabilities = { ...GENERIC_DEFAULT_CAPABILITIES, ...opts.capabilities }
  const service = `${opts.type} (generic)`

  const client = new ChannelClient({
    baseUrl: base,
    clock: systemClock,
    timeoutMs,
    retry: { maxAttempts: 1 },
    errors: {
      service,
      prefix: 'http',
      describe: (res) => res.text.slice(0, 300),
      deniedHint: HINT,
      notFound: 'rejected',
    },
    // A simulator's token never goes stale: a refused one is the answer.
    auth: () => ({
      credential: () => opts.token,
      sign: (token, req) => void (req.headers.authorization = `Bearer ${token}`),
      isStale: () => false,
      renew: () => undefined,
    }),
  })
  const call = (method: string, path: string, what: string, body?: unknown): Promise<HttpResponse> =>
    client.request({ method, path, what, ...(body === undefined ? {} : { body }) })

  const observation = (res: HttpResponse): RateLimitObservation | undefined => {
    const remaining = res.headers.get('x-ratelimit-remaining')
    const wait = retryAfterMs(res.headers)
    if (remaining === null && wait === undefined) return undefined
    return {
      ...(remaining === null ? {} : { remaining: Number(remaining) }),
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    }
  }

  const parseResults = (res: HttpResponse, what: string): PushItemResult[] => {
    const body = res.json<{ results?: unknown }>()
    if (!Array.isArray(body.results))
      throw new ClassifiedError(
        'retryable',
        'generic.malformed',
        `${service}: no "results" array while ${what}`,
      )
    return body.results.map((r, i) => {
      const x = r as Record<string, unknown>
      if (typeof x.listingId !== 'string' || typeof x.stamp !== 'number' || !OUTCOMES.has(String(x.outcome)))
        throw new ClassifiedError(
          'retryable',
          'generic.malformed',
          `${service}: result ${i} is malformed while ${what} (needs listingId, stamp, outcome)`,
        )
      return {
        listingId: x.listingId,
        stamp: x.stamp,
        outcome: x.outcome as PushItemResult['outcome'],
        ...(typeof x.code === 'string' ? { code: x.code } : {}),
        ...(typeof x.message === 'string' ? { message: x.message } : {}),
        ...(typeof x.confirmationToken === 'string' ? { confirmationToken: x.confirmationToken } : {}),
      }
    })
  }

  return {
    type: opts.type,
    capabilities,
    client,
    async testConnection(): Promise<ConnectionTestResult> {
      try {
        await call('GET', '/v1/ping', 'testing the connection')
        return { ok: true, message: `Connected to ${service} at ${base}` }
      } catch (e) {
        return { ok: false, message: e instanceof Error ? e.message : String(e) }
      }
    },
    async push(items: PushItem[]): Promise<PushBatchResult> {
      if (items.length > capabilities.bulkBatchSize)
        throw new RangeError(
          `${service}: at most ${capabilities.bulkBatchSize} items per push, got ${items.length}`,
        )
      const res = await call('POST', '/v1/stock', 'pushing stock', { items })
      const rateLimit = observation(res)
      return { results: parseResults(res, 'pushing stock'), calls: 1, ...(rateLimit ? { rateLimit } : {}) }
    },
    async confirm(tokens: string[]): Promise<PushItemResult[]> {
      if (tokens.length === 0) return []
      const res = await call(
        'GET',
        `/v1/confirmations?tokens=${tokens.map(encodeURIComponent).join(',')}`,
        'checking confirmations',
      )
      return parseResults(res, 'checking confirmations')
    },
    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const res = await call('POST', '/v1/listings/read', 'reading back listings', { ids: listingIds })
      const body = res.json<{ items?: ListingState[] }>()
      return body.items ?? []
    },
    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const res = await call(
        'GET',
        `/v1/listings?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        'listing listings',
      )
      const body = res.json<{ items?: Array<Record<string, unknown>>; next?: string }>()
      return {
        items: (body.items ?? []).map((l) => ({
          listingId: String(l.listingId),
          sku: (l.sku as string | null) ?? null,
          ean: (l.ean as string | null) ?? null,
          externalIds: {},
          title: String(l.title ?? ''),
          quantity: typeof l.quantity === 'number' ? l.quantity : null,
          paused: l.available === false,
        })),
        ...(body.next ? { next: body.next } : {}),
      }
    },
    async fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
      const res = await call(
        'GET',
        `/v1/orders?since=${encodeURIComponent(sinceIso)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        'fetching orders',
      )
      const body = res.json<{ orders?: ChannelOrder[]; next?: string }>()
      if (!Array.isArray(body.orders))
        throw new ClassifiedError(
          'retryable',
          'generic.malformed',
          `${service}: no "orders" array while fetching orders`,
        )
      return { items: body.orders, ...(body.next ? { next: body.next } : {}) }
    },
  }
}
