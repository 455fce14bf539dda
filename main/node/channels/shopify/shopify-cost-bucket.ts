// Shopify's pacing: a leaky bucket of query-cost points, read back from every answer's
// extensions.cost.throttleStatus (Shopify answers a throttled query with HTTP 200, so the bucket is the only
// reliable signal of how long to wait). A query spends its points when it is sent, not when it is answered,
// so queries sent meanwhile see what is really left; each query's real cost is learned; a 429's Retry-After
// holds every query (one endpoint). Bucket, learned costs and the hold survive a restart.
import { createHash } from 'node:crypto'
import { SHOPIFY_LIMITS, type ShopifyBucket } from '../../../core/channels/shopify-limits'
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import type { BucketMemory, BucketSnapshot } from '../../../core/rate-limit/token-bucket'
import type { HttpResponse } from '../../http/http-client'
import type { Attempt, Pacing } from '../kit/pacing'
import { sleep as realSleep } from '../kit/request-pacer'

export interface ShopifyThrottleStatus extends ShopifyBucket {
  currentlyAvailable: number
}

export interface GraphQLCost {
  requestedQueryCost?: number
  actualQueryCost?: number | null
  throttleStatus?: ShopifyThrottleStatus
}

export interface ShopifyCostBucketOptions {
  clock: Clock
  memory?: BucketMemory
  /** Waits for points or a hold up to this long are slept through; longer ones throw. */
  maxInlineWaitMs: number
  sleep?: (ms: number) => Promise<void>
}

/** A short, stable name for a query document in rate memory. */
const queryKey = (query: string): string => createHash('sha1').update(query).digest('hex').slice(0, 16)

const documentOf = (a: Attempt): string => {
  const q = (a.call.body as { query?: unknown } | undefined)?.query
  return typeof q === 'string' ? q : ''
}

export class ShopifyCostBucket implements Pacing {
  private bucket: (ShopifyThrottleStatus & { at: number }) | undefined
  /** What each query document really cost last time (Shopify's requestedQueryCost). */
  private readonly learned = new Map<string, number>()
  /** Shopify answered 429 with Retry-After: every query waits until then. */
  private heldUntil = 0
  /** Points spent for queries still in flight: a throttle status that comes back may not count them yet. */
  private inFlight = 0
  private readonly spent = new WeakMap<Attempt, number>()
  private readonly doSleep: (ms: number) => Promise<void>

  constructor(private readonly opts: ShopifyCostBucketOptions) {
    this.doSleep = opts.sleep ?? realSleep
    const s = this.load('cost')
    if (s && Number.isFinite(s.tokens) && Number.isFinite(s.last))
      this.bucket = { ...SHOPIFY_LIMITS.assumedBucket, currentlyAvailable: Math.max(0, s.tokens), at: s.last }
    const hold = this.load('hold')?.pausedUntil
    if (hold !== undefined && Number.isFinite(hold)) this.heldUntil = hold
  }

  private load(key: string): BucketSnapshot | undefined {
    try {
      return this.opts.memory?.load(key)
    } catch {
      return undefined
    }
  }

  private save(key: string, snapshot: BucketSnapshot): void {
    try {
      this.opts.memory?.save(key, snapshot)
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
    if (known !== undefined || !this.opts.memory) return known
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
    this.save(`query:${queryKey(query)}`, { tokens: cost, last: this.opts.clock.now(), pausedUntil: 0 })
  }

  /** Points available now, estimated from the last throttle status (undefined before the first answer). */
  available(): number | undefined {
    const b = this.bucket
    if (!b) return undefined
    const elapsed = (this.opts.clock.now() - b.at) / 1000
    return Math.min(b.maximumAvailable, b.currentlyAvailable + elapsed * b.restoreRate)
  }

  /** Spends the attempt's points now when the bucket has them (answers undefined), else the wait. */
  private trySpend(a: Attempt): number | undefined {
    const what = a.call.what
    const held = this.heldUntil - this.opts.clock.now()
    if (held > 0) {
      if (held > this.opts.maxInlineWaitMs)
        throw new ClassifiedError(
          'retryable',
          'shopify.throttled',
          `Shopify asked to slow down: no query before ${Math.ceil(held / 1000)} s from now (${what})`,
          { retryAfterMs: held },
        )
      return held
    }
    const cost = Math.max(a.call.cost ?? 10, this.costOf(documentOf(a)) ?? 0)
    const b = this.bucket
    const avail = this.available()
    if (!b || avail === undefined) return this.spend(a, 0)
    if (avail >= cost) {
      this.bucket = { ...b, currentlyAvailable: avail - cost, at: this.opts.clock.now() }
      this.remember()
      return this.spend(a, cost)
    }
    const wait = Math.ceil(((cost - avail) / b.restoreRate) * 1000)
    if (wait > this.opts.maxInlineWaitMs)
      throw new ClassifiedError(
        'retryable',
        'rate_limit.local',
        `Shopify's query-cost bucket needs ${Math.ceil(wait / 1000)} s to refill before ${what}`,
        { retryAfterMs: wait },
      )
    return wait
  }

  private spend(a: Attempt, points: number): undefined {
    this.spent.set(a, points)
    this.inFlight += points
    return undefined
  }

  // After every wait both are checked again: a 429 read while this query waited for points holds it too,
  // and queries waiting side by side each spend after the wait, none on points another took. The query
  // goes out in the same tick as its points are spent.
  acquire(a: Attempt): Promise<void> | undefined {
    const first = this.trySpend(a)
    if (first === undefined) return undefined
    return (async () => {
      for (let wait: number | undefined = first; wait !== undefined; wait = this.trySpend(a))
        await this.doSleep(wait)
    })()
  }

  settle(a: Attempt): void {
    const points = this.spent.get(a)
    if (points === undefined) return
    this.spent.delete(a)
    this.inFlight -= points
  }

  observe(a: Attempt, res: HttpResponse): void {
    this.settle(a)
    if (res.status !== 200) return
    let cost: GraphQLCost | undefined
    try {
      cost = res.json<{ extensions?: { cost?: GraphQLCost } }>()?.extensions?.cost
    } catch {
      return
    }
    const ts = cost?.throttleStatus
    if (ts) {
      // Shopify's figure counts this query; the others still in flight may not be in it yet.
      this.bucket = {
        ...ts,
        currentlyAvailable: Math.max(0, ts.currentlyAvailable - this.inFlight),
        at: this.opts.clock.now(),
      }
      this.remember()
    }
    const requested = cost?.requestedQueryCost
    if (typeof requested === 'number' && requested > 0) this.learn(documentOf(a), requested)
  }

  hold(_a: Attempt, ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.opts.clock.now() + ms)
    this.save('hold', { tokens: 0, last: 0, pausedUntil: this.heldUntil })
  }
}
