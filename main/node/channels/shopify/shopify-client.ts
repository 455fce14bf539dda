// Shopify Admin GraphQL over HTTP: the access token header, GraphQL errors classified, and cost-based
// pacing from extensions.cost.throttleStatus. Shopify answers a throttled query with HTTP 200 and a
// THROTTLED error, so the bucket we read back is the only reliable signal of how long to wait.
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import { createHash } from 'node:crypto'
import type { BucketMemory, BucketSnapshot } from '../../../core/rate-limit/token-bucket'
import { httpRequest, retryAfterMs } from '../../http/http-client'

export const SHOPIFY_SERVICE = 'Shopify'

export interface ShopifyThrottleStatus {
  maximumAvailable: number
  currentlyAvailable: number
  restoreRate: number
}

interface GraphQLError {
  message: string
  extensions?: { code?: string }
  path?: (string | number)[]
}

export interface GraphQLResponse<T> {
  data?: T
  errors?: GraphQLError[] | string
  extensions?: {
    cost?: {
      requestedQueryCost?: number
      actualQueryCost?: number | null
      throttleStatus?: ShopifyThrottleStatus
    }
  }
}

export interface ShopifyClientConfig {
  /** The GraphQL endpoint: https://{shop}.myshopify.com/admin/api/{version}/graphql.json */
  endpoint: string
  accessToken: string
  timeoutMs: number
  clock: Clock
  /** Keeps the cost bucket across restarts: a restarted process must not spend points the last one used. */
  rateMemory?: BucketMemory
  /** Waits up to this long for the cost bucket to refill are slept through; longer ones throw. */
  maxInlineWaitMs?: number
  sleep?: (ms: number) => Promise<void>
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

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
  return text.slice(0, 200).replace(/\s+/g, ' ').trim()
}

/** Until Shopify's first answer says otherwise: the smallest plan's bucket (points, points a second). */
const ASSUMED_BUCKET = { maximumAvailable: 1000, restoreRate: 50 }

/** A short, stable name for a query document in rate memory. */
const queryKey = (query: string): string => createHash('sha1').update(query).digest('hex').slice(0, 16)

export class ShopifyClient {
  private bucket: (ShopifyThrottleStatus & { at: number }) | undefined
  /** What each query document really cost last time (Shopify's requestedQueryCost). */
  private readonly learned = new Map<string, number>()
  /** Shopify answered 429 with Retry-After: every query (one endpoint) waits until then. */
  private heldUntil = 0
  /** Points spent here for queries still in flight: a throttle status that comes back may not count them yet. */
  private inFlight = 0

  constructor(private readonly cfg: ShopifyClientConfig) {
    const s = this.load('cost')
    if (s && Number.isFinite(s.tokens) && Number.isFinite(s.last))
      this.bucket = { ...ASSUMED_BUCKET, currentlyAvailable: Math.max(0, s.tokens), at: s.last }
    const hold = this.load('hold')?.pausedUntil
    if (hold !== undefined && Number.isFinite(hold)) this.heldUntil = hold
  }

  private load(key: string): BucketSnapshot | undefined {
    try {
      return this.cfg.rateMemory?.load(key)
    } catch {
      return undefined
    }
  }

  private save(key: string, snapshot: BucketSnapshot): void {
    try {
      this.cfg.rateMemory?.save(key, snapshot)
    } catch {
      /* best effort: never fails a request */
    }
  }

  private remember(): void {
    const b = this.bucket
    if (b) this.save('cost', { tokens: b.currentlyAvailable, last: b.at, pausedUntil: 0 })
  }

  /** A query's cost as Shopify last reported it, in this process or (from rate memory) an earlier one. */
  private costOf(query: string): number | undefined {
    const known = this.learned.get(query)
    if (known !== undefined || !this.cfg.rateMemory) return known
    const s = this.load(`query:${queryKey(query)}`)
    if (s && Number.isFinite(s.tokens) && s.tokens > 0) {
      this.learned.set(query, s.tokens)
      return s.tokens
    }
    return undefined
  }

  private learn(query: string, cost: number): void {
    if (this.learned.get(query) === cost) return
    this.learned.set(query, cost)
    this.save(`query:${queryKey(query)}`, { tokens: cost, last: this.cfg.clock.now(), pausedUntil: 0 })
  }

  /** Points available now, estimated from the last throttle status (undefined before the first call). */
  available(): number | undefined {
    const b = this.bucket
    if (!b) return undefined
    const elapsed = (this.cfg.clock.now() - b.at) / 1000
    return Math.min(b.maximumAvailable, b.currentlyAvailable + elapsed * b.restoreRate)
  }

  /**
   * Spends `cost` points now if Shopify's bucket has them: answers what was spent (0 before Shopify's first
   * answer), or how long to wait for them.
   */
  private trySpend(cost: number, what: string): { spent: number } | { waitMs: number } {
    const b = this.bucket
    const avail = this.available()
    if (!b || avail === undefined) return { spent: 0 }
    if (avail >= cost) {
      // Spent now, not when the answer comes: queries sent meanwhile see what is really left.
      this.bucket = { ...b, currentlyAvailable: avail - cost, at: this.cfg.clock.now() }
      this.remember()
      return { spent: cost }
    }
    const wait = Math.ceil(((cost - avail) / b.restoreRate) * 1000)
    if (wait > (this.cfg.maxInlineWaitMs ?? 5000))
      throw new ClassifiedError(
        'retryable',
        'rate_limit.local',
        `Shopify's query-cost bucket needs ${Math.ceil(wait / 1000)} s to refill before ${what}`,
        { retryAfterMs: wait },
      )
    return { waitMs: wait }
  }

  /** Runs one GraphQL document; `expectedCost` lets us wait for the bucket instead of being throttled. */
  async graphql<T>(
    query: string,
    variables: Record<string, unknown>,
    what: string,
    expectedCost = 10,
  ): Promise<T> {
    // After every wait both are checked again: a 429 read while this query waited for points holds it too,
    // and queries waiting side by side each spend after the wait, none on points another took. The query
    // goes out in the same tick as its points are spent.
    let spent: number
    for (;;) {
      const held = this.heldUntil - this.cfg.clock.now()
      if (held > 0) {
        if (held > (this.cfg.maxInlineWaitMs ?? 5000))
          throw new ClassifiedError(
            'retryable',
            'shopify.throttled',
            `Shopify asked to slow down: no query before ${Math.ceil(held / 1000)} s from now (${what})`,
            { retryAfterMs: held },
          )
        await (this.cfg.sleep ?? defaultSleep)(held)
        continue
      }
      const r = this.trySpend(Math.max(expectedCost, this.costOf(query) ?? 0), what)
      if ('spent' in r) {
        spent = r.spent
        break
      }
      await (this.cfg.sleep ?? defaultSleep)(r.waitMs)
    }
    this.inFlight += spent
    let released = false
    const release = () => {
      if (released) return
      released = true
      this.inFlight -= spent
    }
    try {
      return await this.send<T>(query, variables, what, expectedCost, release)
    } finally {
      release()
    }
  }

  private async send<T>(
    query: string,
    variables: Record<string, unknown>,
    what: string,
    expectedCost: number,
    release: () => void,
  ): Promise<T> {
    const res = await httpRequest({
      method: 'POST',
      url: this.cfg.endpoint,
      headers: {
        'X-Shopify-Access-Token': this.cfg.accessToken,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify({ query, variables }),
      timeoutMs: this.cfg.timeoutMs,
      service: SHOPIFY_SERVICE,
    })
    if (res.status === 401 || res.status === 403) {
      const detail = shopifyErrorText(res.text)
      throw new ClassifiedError(
        'needs_seller',
        'shopify.auth',
        `Shopify refused the access token while ${what} (HTTP ${res.status}): ${detail}`,
        {
          hint:
            res.status === 403
              ? 'The app lacks a scope: in Shopify, give the app write_inventory, read_locations, read_orders and write_products, then install it again.'
              : 'The access token is wrong, revoked or expired: copy the Admin API access token again (Shopify admin > Settings > Apps and sales channels > Develop apps > your app > API credentials) and enter it in Connections.',
        },
      )
    }
    if (res.status === 429) {
      const wait = retryAfterMs(res.headers) ?? 1000
      this.heldUntil = Math.max(this.heldUntil, this.cfg.clock.now() + wait)
      this.save('hold', { tokens: 0, last: 0, pausedUntil: this.heldUntil })
      throw new ClassifiedError(
        'retryable',
        'shopify.throttled',
        `Shopify asked to slow down while ${what} (HTTP 429)`,
        { retryAfterMs: wait },
      )
    }
    if (res.status >= 500)
      throw new ClassifiedError(
        'retryable',
        'shopify.server',
        `Shopify failed while ${what} (HTTP ${res.status}): ${shopifyErrorText(res.text)}`,
      )
    if (res.status === 404)
      throw new ClassifiedError(
        'needs_seller',
        'shopify.not_found',
        `Shopify has no Admin API at this address while ${what} (HTTP 404)`,
        { hint: 'Check the shop domain and API version in the Shopify connection.' },
      )
    if (res.status !== 200)
      throw new ClassifiedError(
        'permanent',
        'shopify.rejected',
        `Shopify rejected the request while ${what} (HTTP ${res.status}): ${shopifyErrorText(res.text)}`,
      )
    const body = res.json<GraphQLResponse<T>>()
    release()
    const ts = body.extensions?.cost?.throttleStatus
    if (ts) {
      // Shopify's figure counts this query; the others still in flight may not be in it yet.
      this.bucket = {
        ...ts,
        currentlyAvailable: Math.max(0, ts.currentlyAvailable - this.inFlight),
        at: this.cfg.clock.now(),
      }
      this.remember()
    }
    const requested = body.extensions?.cost?.requestedQueryCost
    if (typeof requested === 'number' && requested > 0) this.learn(query, requested)
    const errors = typeof body.errors === 'string' ? [{ message: body.errors }] : (body.errors ?? [])
    if (errors.length > 0) {
      const throttled = errors.find((e) => e.extensions?.code === 'THROTTLED')
      if (throttled) {
        const need = body.extensions?.cost?.requestedQueryCost ?? expectedCost
        const wait = ts
          ? Math.ceil((Math.max(0, need - ts.currentlyAvailable) / ts.restoreRate) * 1000)
          : 1000
        throw new ClassifiedError(
          'retryable',
          'shopify.throttled',
          `Shopify throttled the query while ${what} (cost ${need}, ${ts?.currentlyAvailable ?? '?'} points left)`,
          { retryAfterMs: Math.max(wait, 100) },
        )
      }
      if (errors.some((e) => e.extensions?.code === 'ACCESS_DENIED'))
        throw new ClassifiedError(
          'needs_seller',
          'shopify.scope',
          `Shopify denied access while ${what}: ${errors.map((e) => e.message).join('; ')}`,
          {
            hint: 'The app lacks a scope: it needs write_inventory, read_locations, read_orders and write_products.',
          },
        )
      if (errors.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR'))
        throw new ClassifiedError(
          'retryable',
          'shopify.server',
          `Shopify failed while ${what}: ${errors.map((e) => e.message).join('; ')}`,
        )
      throw new ClassifiedError(
        'permanent',
        'shopify.graphql',
        `Shopify refused the query while ${what}: ${errors.map((e) => e.message).join('; ')}`,
      )
    }
    if (body.data === undefined)
      throw new ClassifiedError(
        'retryable',
        'shopify.malformed',
        `Shopify answered without data while ${what}`,
      )
    return body.data
  }
}
