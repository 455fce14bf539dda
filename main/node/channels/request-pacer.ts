// Client-side pacing per API operation, so an adapter stays inside a channel's documented limits instead of
// learning them from 429s. A short wait is taken inline; a long one (Amazon's createFeed, bol's orders list) is
// handed back to the engine as a retryable error with retryAfterMs, so no worker sleeps for minutes.
import { ClassifiedError } from '../../core/errors'
import type { Clock } from '../../core/ports/clock'
import { TokenBucket, type BucketMemory } from '../../core/rate-limit/token-bucket'
import { WindowLimit } from '../../core/rate-limit/window-limit'

/** A token bucket (Amazon's usage plans) or a sliding window ("N per minute", Zalando). */
export type OperationLimit =
  { ratePerSecond: number; burst: number } | { perWindow: number; windowMs: number }

interface Limiter {
  take(cost?: number): number
  pauseFor(ms: number): void
}

export interface RequestPacerOptions {
  service: string
  limits: Record<string, OperationLimit>
  clock: Clock
  /** Multiplies every rate (tests and benchmarks run the real limits on a faster clock). */
  rateScale?: number
  /** Waits up to this long are slept through; longer ones throw. */
  maxInlineWaitMs?: number
  sleep?: (ms: number) => Promise<void>
  /** Keeps each operation's bucket across restarts (keyed by operation). */
  memory?: BucketMemory
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export class RequestPacer {
  private readonly buckets = new Map<string, Limiter>()
  private readonly maxInlineWaitMs: number
  private readonly doSleep: (ms: number) => Promise<void>

  constructor(private readonly opts: RequestPacerOptions) {
    const scale = opts.rateScale ?? 1
    for (const [op, l] of Object.entries(opts.limits)) {
      const memory = (key: string) => (opts.memory ? { store: opts.memory, key } : undefined)
      this.buckets.set(
        op,
        'perWindow' in l
          ? new WindowLimit(l.perWindow, l.windowMs / scale, opts.clock, memory(`${op}:window`))
          : new TokenBucket(l.ratePerSecond * scale, l.burst, opts.clock, memory(op)),
      )
    }
    this.maxInlineWaitMs = opts.maxInlineWaitMs ?? 5_000
    this.doSleep = opts.sleep ?? sleep
  }

  /** Waits for a slot of `op` (unknown operations are not paced). */
  async acquire(op: string): Promise<void> {
    const bucket = this.buckets.get(op)
    if (!bucket) return
    for (;;) {
      const wait = bucket.take()
      if (wait === 0) return
      if (wait > this.maxInlineWaitMs)
        throw new ClassifiedError(
          'retryable',
          'rate_limit.local',
          `${this.opts.service}: the ${op} limit allows the next call in ${Math.ceil(wait / 1000)} s`,
          { retryAfterMs: wait },
        )
      await this.doSleep(wait)
    }
  }

  /** The channel told us to wait (429 with Retry-After, or remaining 0 until reset). */
  hold(op: string, ms: number): void {
    this.buckets.get(op)?.pauseFor(ms)
  }
}
