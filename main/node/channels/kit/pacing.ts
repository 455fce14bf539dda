// How the channel client keeps a channel's limits. Per-operation token buckets and sliding windows
// (RequestPacer: Amazon, Zalando, Kaufland) are the common case; bol's header-driven budgets and Shopify's
// cost bucket implement the same interface in their folders.
import { ClassifiedError } from '../../../core/errors'
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import type { HttpResponse } from '../../http/http-client'
import type { ChannelCall } from './channel-call'
import type { RequestPacer } from './request-pacer'

/** One attempt of a call, the same object from its slot to its answer (pacings key their state by it). */
export interface Attempt {
  readonly call: ChannelCall
}

export interface Pacing {
  /**
   * Takes the attempt's slot of every limit it counts against. Undefined when taken now: the client sends
   * in the same tick. A promise waits; a wait longer than the client may sleep throws retryable.
   */
  acquire(a: Attempt): Promise<void> | undefined
  /** Every answer, before it is read (budgets in headers). */
  observe?(a: Attempt, res: HttpResponse): void
  /** The attempt is over, answered or not (in-flight accounting). */
  settle?(a: Attempt): void
  /** The channel answered 429: hold what the attempt counted against for `ms`. */
  hold?(a: Attempt, ms: number): void
}

/** The operations a call counts against: its own, the further ones it names, and those every call spends. */
export const operationsOf = (call: ChannelCall, always: readonly string[] = []): string[] => [
  ...(call.op ? [call.op] : []),
  ...(call.alsoPaces ?? []),
  ...always,
]

/**
 * Paces calls by their operations' limits. `always`: limits every call counts against (Kaufland's 111
 * requests a second per seller). A 429 holds the call's own operation (and those), not the further ones.
 */
export function operationPacing(pacer: RequestPacer, always: readonly string[] = []): Pacing {
  return {
    acquire: (a) => pacer.acquire(operationsOf(a.call, always)),
    hold: (a, ms) => {
      for (const op of [...(a.call.op ? [a.call.op] : []), ...always]) pacer.hold(op, ms)
    },
  }
}

/**
 * For channels that publish no limit to pace by (WooCommerce, eBay's daily quotas): nothing is paced, but a
 * 429's wait holds every call until it has passed, so the calls beside the refused one do not run into it.
 * With `memory` the hold outlives the process: one started while the last one's hold runs (a crash, an
 * update, a restart after a settings change) waits for it too.
 */
export function holdPacing(opts: {
  service: string
  prefix: string
  clock: { now(): number }
  maxInlineWaitMs: number
  sleep: (ms: number) => Promise<void>
  memory?: BucketMemory
}): Pacing {
  let heldUntil = opts.memory?.load(HOLD_KEY)?.pausedUntil ?? 0
  if (!Number.isFinite(heldUntil)) heldUntil = 0
  const wait = (): number | undefined => {
    const left = heldUntil - opts.clock.now()
    if (left <= 0) return undefined
    if (left > opts.maxInlineWaitMs)
      throw new ClassifiedError(
        'retryable',
        `${opts.prefix}.throttled`,
        `${opts.service} asked to wait: no call before ${Math.ceil(left / 1000)} s from now`,
        { retryAfterMs: left },
      )
    return left
  }
  return {
    acquire() {
      const first = wait()
      if (first === undefined) return undefined
      return (async () => {
        for (let w: number | undefined = first; w !== undefined; w = wait()) await opts.sleep(w)
      })()
    },
    hold(_a, ms) {
      const now = opts.clock.now()
      const until = Math.max(heldUntil, now + ms)
      if (until === heldUntil) return
      heldUntil = until
      opts.memory?.save(HOLD_KEY, { tokens: 0, last: now, pausedUntil: until })
    },
  }
}

/** The key a hold is kept under in the channel's rate memory. */
const HOLD_KEY = 'hold'
