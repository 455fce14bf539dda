// The simulators share one Node process. When its event loop stalls (a large Odoo answer, a garbage
// collection), requests that reached the socket meanwhile are handled together afterwards, while a real
// gateway would have seen them spread over that time. The watch measures the process's own stalls, so a
// simulated rate limit can credit what its bucket would have refilled while they queued (see SimRateLimits).
import { performance } from 'node:perf_hooks'

export interface Stall {
  /** Identifies the stall (its start on the performance clock). */
  id: number
  /** How long the loop was held up, ms. */
  ms: number
}

const TICK_MS = 5
/** Delays shorter than this are ordinary scheduling, not a stall. */
const STALL_MS = 20
/** Requests handled this soon after a stall was noticed still queued during it. */
const AFTER_MS = 20

let timer: ReturnType<typeof setInterval> | null = null
let lastTick = 0
let latest: (Stall & { seenAt: number }) | null = null

/** Starts the watch (once per process; the timer does not keep the process alive). */
export function startStallWatch(): void {
  if (timer) return
  lastTick = performance.now()
  timer = setInterval(() => {
    const now = performance.now()
    const lag = now - lastTick - TICK_MS
    if (lag > STALL_MS) latest = { id: lastTick, ms: lag, seenAt: now }
    lastTick = now
  }, TICK_MS)
  timer.unref()
}

/** The stall the current request may have queued in: one in progress, or one that just ended. */
export function currentStall(): Stall | null {
  if (!timer) return null
  const now = performance.now()
  const lag = now - lastTick - TICK_MS
  if (lag > STALL_MS) return { id: lastTick, ms: lag }
  if (latest && now - latest.seenAt <= AFTER_MS) return { id: latest.id, ms: latest.ms }
  return null
}
