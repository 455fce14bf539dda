// Exponential backoff with full jitter, so many listings failing together do not retry in lockstep.
export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 5 * 60_000 }

/** Delay before retry number `attempt` (1 = first retry); `random` in [0, 1). */
export function backoffDelay(attempt: number, random: () => number, opts = DEFAULT_BACKOFF): number {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be a whole number >= 1, got ${attempt}`)
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt - 1, 30))
  // Half fixed, half jitter: never retry immediately, never all at once.
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}
