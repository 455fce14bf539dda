// The options every channel adapter takes, and how they become its channel client's.
import type { Clock } from '../../../core/ports/clock'
import { systemClock } from '../../../core/ports/clock'
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import type { RetryPolicy } from './request-loop'

export interface ChannelAdapterOptions {
  /** Per request, ms (default 30 s). */
  timeoutMs?: number
  clock?: Clock
  /** Runs the channel's limits faster (simulators on a scaled clock); 1 in production. */
  rateScale?: number
  /** Keeps the channel's rate-limit state (buckets, budgets, holds) across restarts. */
  rateMemory?: BucketMemory
  /** Attempts per call (default 4). */
  maxAttempts?: number
  /** Base of the exponential backoff between attempts (default 1 s). */
  backoffMs?: number
  /** Longest wait (a limit, a Retry-After, a backoff) slept through inline; longer ones go back to the engine. */
  maxInlineWaitMs?: number
  /** How the client waits (tests pass a fake that moves their clock). */
  sleep?: (ms: number) => Promise<void>
}

/** The options with their defaults, as the channel's parts need them. */
export interface ResolvedAdapterOptions {
  timeoutMs: number
  clock: Clock
  rateScale: number
  rateMemory: BucketMemory | undefined
  sleep: ((ms: number) => Promise<void>) | undefined
}

export function resolveAdapterOptions(o: ChannelAdapterOptions): ResolvedAdapterOptions {
  return {
    timeoutMs: o.timeoutMs ?? 30_000,
    clock: o.clock ?? systemClock,
    rateScale: o.rateScale ?? 1,
    rateMemory: o.rateMemory,
    sleep: o.sleep,
  }
}

/** The retry policy the options ask for, over the channel's own defaults. */
export function retryOptions(
  o: ChannelAdapterOptions,
  defaults: Partial<RetryPolicy> = {},
): Partial<RetryPolicy> {
  return {
    ...defaults,
    ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
    ...(o.backoffMs === undefined ? {} : { backoffMs: o.backoffMs }),
    ...(o.maxInlineWaitMs === undefined ? {} : { maxInlineWaitMs: o.maxInlineWaitMs }),
  }
}
