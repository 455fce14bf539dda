// bol.com's pacing: driven by bol's own `x-ratelimit-*` headers. When an endpoint's budget is spent, calls to
// it wait for the reset instead of collecting 429s; calls still in flight are counted against the budget an
// answer reports; a 429's Retry-After holds the endpoint apart from the budget, so an answer to a call that
// was already on its way (with fresh headers) cannot lift it. Budgets and holds survive a restart through
// the runtime's bucket memory (snapshot: tokens = remaining, last = resetAt, pausedUntil = hold).
import { ClassifiedError } from '../../../core/errors'
import type { BolEndpoint } from '../../../core/channels/bol-limits'
import type { RateLimitObservation } from '../../../core/ports/channel-adapter'
import type { Clock } from '../../../core/ports/clock'
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import { retryAfterMs, type HttpResponse } from '../../http/http-client'
import type { Attempt, Pacing } from '../kit/pacing'
import { sleep as realSleep } from '../kit/request-pacer'

export interface BolRateBudgetOptions {
  endpoints: readonly BolEndpoint[]
  clock: Clock
  /** Waits for a reset or a hold up to this long inline; longer ones go back to the engine. */
  maxInlineWaitMs: number
  memory?: BucketMemory
  sleep?: (ms: number) => Promise<void>
}

interface Budget {
  remaining: number
  resetAt: number
  limit?: number
  /** The window's end is only guessed (a new window after the last reported one ended). */
  guess?: boolean
}

export class BolRateBudget implements Pacing {
  /** The latest budget bol reported, per endpoint. */
  readonly observed = new Map<string, RateLimitObservation & { at: number }>()
  private readonly budget = new Map<string, Budget>()
  private readonly inFlight = new Map<string, number>()
  /** No call to the endpoint before this (a 429's Retry-After). */
  private readonly holds = new Map<string, number>()
  private readonly doSleep: (ms: number) => Promise<void>

  constructor(private readonly opts: BolRateBudgetOptions) {
    this.doSleep = opts.sleep ?? realSleep
    this.recall()
  }

  private recall(): void {
    const memory = this.opts.memory
    if (!memory) return
    const now = this.opts.clock.now()
    for (const endpoint of this.opts.endpoints) {
      let s
      try {
        s = memory.load(`bol:${endpoint}`)
      } catch {
        s = undefined
      }
      if (!s || ![s.tokens, s.last, s.pausedUntil].every(Number.isFinite)) continue
      if (s.pausedUntil > now) this.holds.set(endpoint, s.pausedUntil)
      if (s.last > now)
        this.budget.set(endpoint, { remaining: Math.max(0, Math.floor(s.tokens)), resetAt: s.last })
    }
  }

  private remember(endpoint: string): void {
    const memory = this.opts.memory
    if (!memory) return
    const b = this.budget.get(endpoint)
    try {
      memory.save(`bol:${endpoint}`, {
        tokens: b?.remaining ?? 0,
        last: b && !b.guess ? b.resetAt : 0,
        pausedUntil: this.holds.get(endpoint) ?? 0,
      })
    } catch {
      /* remembering is best effort: it must never fail a request */
    }
  }

  private tooLong(wait: number, message: string): ClassifiedError | undefined {
    return wait > this.opts.maxInlineWaitMs
      ? new ClassifiedError('retryable', 'bol.rate_limited', message, { retryAfterMs: wait })
      : undefined
  }

  /** Whether the endpoint's budget allows one more call now: spends it and answers undefined, else the wait. */
  private tryTake(endpoint: string): number | 'poll' | undefined {
    const now = this.opts.clock.now()
    const hold = this.holds.get(endpoint) ?? 0
    if (now < hold) {
      const wait = hold - now
      const e = this.tooLong(
        wait,
        `bol.com asked to wait before calling ${endpoint} again: ${Math.ceil(wait / 1000)} s left`,
      )
      if (e) throw e
      return wait
    }
    const b = this.budget.get(endpoint)
    if (b && now >= b.resetAt && b.limit !== undefined) {
      // A new window holds the same allowance; the next answer's headers correct this guess.
      b.remaining = b.limit
      b.resetAt = now + 60_000
      b.guess = true
    }
    if (!b || now >= b.resetAt) return undefined
    if (b.remaining > 0) {
      b.remaining--
      this.remember(endpoint)
      return undefined
    }
    if (b.guess) {
      // The window's end is only guessed: wait for an answer in flight to bring the real headers.
      return (this.inFlight.get(endpoint) ?? 0) === 0 ? undefined : 'poll'
    }
    const wait = b.resetAt - now
    const e = this.tooLong(wait, `bol.com: the ${endpoint} budget resets in ${Math.ceil(wait / 1000)} s`)
    if (e) throw e
    return wait
  }

  /**
   * What a call to the endpoint would find now, spending nothing: how long it would wait (0: it goes at once)
   * and the calls left in bol's current window (null before bol has reported one). The order-event reader
   * picks its call by it (bol-notifications.ts).
   */
  room(endpoint: BolEndpoint): { waitMs: number; remaining: number | null } {
    const now = this.opts.clock.now()
    const held = Math.max(0, (this.holds.get(endpoint) ?? 0) - now)
    const b = this.budget.get(endpoint)
    if (!b) return { waitMs: held, remaining: null }
    if (now >= b.resetAt) return { waitMs: held, remaining: b.limit ?? null }
    if (b.remaining > 0 || b.guess) return { waitMs: held, remaining: Math.max(0, b.remaining) }
    return { waitMs: Math.max(held, b.resetAt - now), remaining: 0 }
  }

  acquire(a: Attempt): Promise<void> | undefined {
    const endpoint = a.call.op
    if (!endpoint) return undefined
    const first = this.tryTake(endpoint)
    if (first === undefined) {
      this.inFlight.set(endpoint, (this.inFlight.get(endpoint) ?? 0) + 1)
      return undefined
    }
    return (async () => {
      for (let wait: number | 'poll' | undefined = first; wait !== undefined; wait = this.tryTake(endpoint))
        await this.doSleep(wait === 'poll' ? 10 : wait)
      this.inFlight.set(endpoint, (this.inFlight.get(endpoint) ?? 0) + 1)
    })()
  }

  settle(a: Attempt): void {
    const endpoint = a.call.op
    if (endpoint) this.inFlight.set(endpoint, Math.max(0, (this.inFlight.get(endpoint) ?? 1) - 1))
  }

  observe(a: Attempt, res: HttpResponse): void {
    const endpoint = a.call.op
    if (!endpoint) return
    const num = (h: string) => {
      const v = res.headers.get(h)
      return v === null || v.trim() === '' || Number.isNaN(Number(v)) ? undefined : Number(v)
    }
    const now = this.opts.clock.now()
    const remaining = num('x-ratelimit-remaining')
    const reset = num('x-ratelimit-reset')
    const limit = num('x-ratelimit-limit')
    const retry = res.status === 429 ? retryAfterMs(res.headers) : undefined
    this.observed.set(endpoint, {
      at: now,
      ...(remaining === undefined ? {} : { remaining }),
      ...(reset === undefined ? {} : { resetInMs: reset * 1000 }),
      ...(retry === undefined ? {} : { retryAfterMs: retry }),
    })
    if (remaining !== undefined && reset !== undefined) {
      // Calls still in flight are not in bol's count yet: spend them from the budget now (this one has
      // been counted by bol and is settled after this observation).
      const inFlight = Math.max(0, (this.inFlight.get(endpoint) ?? 1) - 1)
      this.budget.set(endpoint, {
        remaining: remaining - inFlight,
        resetAt: now + reset * 1000,
        ...(limit === undefined ? {} : { limit }),
      })
    }
    if (retry !== undefined) this.holds.set(endpoint, Math.max(this.holds.get(endpoint) ?? 0, now + retry))
    this.remember(endpoint)
  }
}
