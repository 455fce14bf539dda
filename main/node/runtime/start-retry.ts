// How the runtime waits between start attempts while Odoo cannot be reached: the timers it uses (real, or
// a test's clock), what each attempt reports, and the growing wait.

/** Where start retries take their time from: the real timers, or a test's clock. */
export interface RetryTimers {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const realTimers: RetryTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

/**
 * A start attempt: one that failed and is retried (`retry`: what failed, how long until the next, and
 * when), the start that succeeded after failed ones (`started`), or a retry that failed for a reason
 * retrying cannot fix (`failed`: the configuration, a refused login).
 */
export type StartAttempt =
  | { kind: 'retry'; attempt: number; error: string; waitMs: number; nextAt: number }
  | { kind: 'started'; attempt: number }
  | { kind: 'failed'; attempt: number; error: string }

/** A wait in words: "5 s", "2 min", "1 min 30 s". */
export const formatWait = (ms: number): string => {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`
}

/** The longest wait between two start attempts while Odoo cannot be reached. */
export const MAX_START_RETRY_MS = 60_000

/**
 * The wait before the next start attempt: doubling, but never past a minute. One login a minute costs Odoo
 * nothing, and a short outage must not leave the shop unsynced for minutes after Odoo is back.
 */
export const nextStartRetry = (waitMs: number): number => Math.min(waitMs * 2, MAX_START_RETRY_MS)
