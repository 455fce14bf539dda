// Client-side pacing per API operation, so an adapter stays inside a channel's documented limits instead of
// learning them from 429s. A short wait is taken inline; a long one (Amazon's createFeed, bol's orders list) is
// handed back to the engine as a retryable error with retryAfterMs, so no worker sleeps for minutes.
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import { TokenBucket, type BucketMemory } from '../../../core/rate-limit/token-bucket'
import type { OperationLimit } from '../../../core/rate-limit/operation-limit'
import { WindowLimit } from '../../../core/rate-limit/window-limit'

/** A token bucket (Amazon's usage plans) or a sliding window ("N per minute", Zalando). */
export type { OperationLimit }

interface Limiter {
  take(cost?: number): number
  wait(cost?: number): number
  pauseFor(ms: number): void
  countLastFromNow?(): void
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
  /** Slack each token bucket keeps for the time between a slot and the wire (TokenBucket's guardMs). */
  guardMs?: number
}

/**
 * The default slack: a call may leave up to this long after its slot (a millisecond tick, a garbage
 * collection) without the calls after it arriving early by the channel's count. 10 ms is 5% of Amazon's
 * 200 ms between listing calls.
 */
export const PACE_GUARD_MS = 10

/**
 * How much later than the limit's window a window-limited unit ("N per minute") is counted as spent: real
 * time, never scaled. The channel counts requests as they arrive, and one sent first may arrive later than
 * the ones after it (a slow connection, a busy gateway); a second of slack keeps N in any window as the
 * channel sees it. It costs under 2% of a minute's window.
 */
export const WINDOW_GUARD_MS = 1_000

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
          ? new WindowLimit(
              l.perWindow,
              l.windowMs / scale,
              opts.clock,
              memory(`${op}:window`),
              WINDOW_GUARD_MS,
            )
          : new TokenBucket(
              l.ratePerSecond * scale,
              l.burst,
              opts.clock,
              memory(op),
              opts.guardMs ?? PACE_GUARD_MS,
            ),
      )
    }
    this.maxInlineWaitMs = opts.maxInlineWaitMs ?? 5_000
    this.doSleep = opts.sleep ?? sleep
  }

  /**
   * Takes a slot of every operation in `ops` at once (unknown operations are not paced). When every slot is
   * free now this happens synchronously and nothing is returned, so the caller sends in the same tick: a
   * request that waited behind other work between its slot and its send would reach the channel closer to
   * the next one than the pacing allowed. Otherwise the returned promise waits and takes them together; no
   * slot is spent while another is still missing. A wait longer than maxInlineWaitMs throws a retryable
   * `rate_limit.local` error with retryAfterMs.
   */
  acquire(ops: string | readonly string[]): Promise<void> | undefined {
    const limiters = this.limitersOf(ops)
    if (limiters.length === 0) return undefined
    const first = this.tryTake(limiters)
    return first === null ? undefined : this.acquireLater(limiters, first)
  }

  private limitersOf(ops: string | readonly string[]): Array<[string, Limiter]> {
    const out: Array<[string, Limiter]> = []
    for (const op of typeof ops === 'string' ? [ops] : ops) {
      const bucket = this.buckets.get(op)
      if (bucket) out.push([op, bucket])
    }
    return out
  }

  /** null when every slot was taken now; else the longest wait and the operation it belongs to. */
  private tryTake(limiters: ReadonlyArray<[string, Limiter]>): { op: string; wait: number } | null {
    let longest: { op: string; wait: number } | null = null
    for (const [op, l] of limiters) {
      const wait = l.wait()
      if (wait > 0 && (longest === null || wait > longest.wait)) longest = { op, wait }
    }
    if (longest) return longest
    for (const [, l] of limiters) l.take()
    return null
  }

  private async acquireLater(
    limiters: ReadonlyArray<[string, Limiter]>,
    first: { op: string; wait: number },
  ): Promise<void> {
    for (
      let next: { op: string; wait: number } | null = first;
      next !== null;
      next = this.tryTake(limiters)
    ) {
      if (next.wait > this.maxInlineWaitMs)
        throw new ClassifiedError(
          'retryable',
          'rate_limit.local',
          `${this.opts.service}: the ${next.op} limit allows the next call in ${Math.ceil(next.wait / 1000)} s`,
          { retryAfterMs: next.wait },
        )
      await this.doSleep(next.wait)
    }
  }

  /**
   * The operation's last call was answered now (or failed): a window limit counts it from now, the latest
   * moment the channel can have counted it (WindowLimit.countLastFromNow). For calls sent one at a time.
   */
  answered(op: string): void {
    this.buckets.get(op)?.countLastFromNow?.()
  }

  /** The channel told us to wait (429 with Retry-After, or remaining 0 until reset). */
  hold(op: string, ms: number): void {
    this.buckets.get(op)?.pauseFor(ms)
  }
}
