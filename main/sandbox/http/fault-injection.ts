// The faults a simulator injects, decided per request in a fixed order so a seeded `random` gives the same
// run twice: latency, a throttle storm, downtime, a hang, a 5xx (before the handler), and after it a dropped
// answer, a truncated or a malformed body. Storms hold each operation until the Retry-After they announced;
// a request to it that comes too soon is counted as an early retry (or as already in flight).

export interface FaultConfig {
  /** Added latency per request, ms (uniform in [min, max]). */
  latencyMs?: [number, number]
  /** Share of requests answered with a 5xx. */
  errorRate?: number
  /** While true, every request is refused with 503 (or the connection is reset when `downMode` is 'reset'). */
  down?: boolean
  downMode?: '503' | 'reset'
  /** Share of successful responses with a body (JSON, or XML-RPC's XML) cut in half. */
  truncateRate?: number
  /** Share of successful responses with a body (JSON, or XML-RPC's XML) replaced with an HTML page. */
  malformedRate?: number
  /** Share of requests that hang until the client times out. */
  hangRate?: number
  /**
   * While set, every request is answered 429 with `Retry-After` (whole seconds, at least 1) before it is handled.
   * A request to the same operation (method and route) that arrives before the announced time has passed
   * counts as an early retry; limits are per operation, so another operation is not held by it.
   */
  throttleStorm?: { retryAfterMs: number }
  /** Share of requests handled in full (state changes applied) whose answer is never sent: the socket is destroyed. */
  dropAfterRate?: number
}

/** The fault names requests are counted under ('latency': a request that was held for injected latency). */
export const FAULT_NAMES = [
  'latency',
  'down',
  'hang',
  'error',
  'truncated',
  'malformed',
  'throttle_storm',
  'dropped',
] as const

/** What happens to a request before its handler runs (after any latency and storm). */
export type FaultBefore = 'down' | 'hang' | 'error' | undefined

/** The fault a request gets before its handler, if any: downtime, then a hang, then a 5xx. */
export function faultBefore(f: FaultConfig, random: () => number): FaultBefore {
  if (f.down) return 'down'
  if (f.hangRate && random() < f.hangRate) return 'hang'
  if (f.errorRate && random() < f.errorRate) return 'error'
  return undefined
}

/** The injected latency of one request, ms (0 without). */
export function latencyOf(f: FaultConfig, random: () => number): number {
  if (!f.latencyMs) return 0
  const [lo, hi] = f.latencyMs
  return lo + random() * Math.max(0, hi - lo)
}

/**
 * What happens to an answer the handler gave: dropped after the work was done, truncated, or malformed
 * (the last two only for a successful answer with a body, `okBody`).
 */
export function faultAfter(
  f: FaultConfig,
  random: () => number,
  okBody: boolean,
): 'dropped' | 'truncated' | 'malformed' | undefined {
  if (f.dropAfterRate && random() < f.dropAfterRate) return 'dropped'
  const truncate = okBody && !!f.truncateRate && random() < f.truncateRate
  if (truncate) return 'truncated'
  if (okBody && !!f.malformedRate && random() < f.malformedRate) return 'malformed'
  return undefined
}

export interface EarlyRetry {
  operation: string
  /** When the simulator handled it (ms since the epoch). */
  at: number
  afterMs: number
  sameConnection: boolean
}

/**
 * When this process's event loop stalled: a request handled right after a stall may have reached the socket
 * at any moment during it. One monitor per process (every simulator of a process shares its event loop).
 */
export class LoopStalls {
  private last = Date.now()
  /** The latest stalls of `minMs` or more: [start, end]. */
  private readonly stalls: Array<{ start: number; end: number }> = []
  private readonly timer: ReturnType<typeof setInterval>

  constructor(
    private readonly tickMs = 5,
    private readonly minMs = 25,
  ) {
    this.timer = setInterval(() => {
      const now = Date.now()
      if (now - this.last >= this.tickMs + this.minMs) {
        this.stalls.push({ start: this.last, end: now })
        if (this.stalls.length > 100) this.stalls.shift()
      }
      this.last = now
    }, tickMs)
    this.timer.unref()
  }

  /**
   * The earliest moment a request handled at `at` can have arrived: the start of a stall that ended shortly
   * before (or is still going on: the loop has not turned since), else `at`.
   */
  earliestArrival(at: number): number {
    if (at - this.last >= this.tickMs + this.minMs) return this.last
    for (let i = this.stalls.length - 1; i >= 0; i--) {
      const s = this.stalls[i]!
      if (s.end <= at && at - s.end <= this.tickMs + this.minMs) return s.start
      if (s.end < at - 1_000) break
    }
    return at
  }
}

let processStalls: LoopStalls | undefined
/** The process's one stall monitor, started by the first simulator that asks. */
export const loopStalls = (): LoopStalls => (processStalls ??= new LoopStalls())

/**
 * The holds storms put on operations, and the requests that came before a hold ended: on the connection
 * that carried the 429, or on another one later than `inFlightGraceMs` after it (an early retry); on another
 * connection sooner than that (already on its way when the 429 was written).
 */
export class StormHolds {
  earlyRetries = 0
  inFlightAtThrottle = 0
  /**
   * Requests on another connection handled later than the grace only because this process stalled: they
   * may have arrived within it (their arrival time is not known better than that). Not early retries.
   */
  inFlightThroughStall = 0
  /** The latest early retries (at most 200). */
  readonly earlyRetryLog: EarlyRetry[] = []
  /** Per operation (method and route pattern): no request before `until`, as the last storm 429 said. */
  private readonly holdUntil = new Map<string, { until: number; writtenAt: number; socket: unknown }>()

  constructor(private readonly inFlightGraceMs: number) {}

  /**
   * Notes a request to `operation` handled at `at` on `socket`, against the hold a storm left. `earliest`:
   * the earliest moment it can have arrived (before `at` when this process had just stalled). A request on
   * the connection that carried the 429 was sent after the client read it: early whenever it comes before
   * the hold ends.
   */
  arrive(operation: string, at: number, socket: unknown, earliest = at): void {
    const hold = this.holdUntil.get(operation)
    if (!hold || at >= hold.until) return
    const sameConnection = hold.socket === socket
    const afterMs = at - hold.writtenAt
    if (!sameConnection && afterMs <= this.inFlightGraceMs) this.inFlightAtThrottle++
    else if (!sameConnection && earliest - hold.writtenAt <= this.inFlightGraceMs) this.inFlightThroughStall++
    else {
      this.earlyRetries++
      this.earlyRetryLog.push({ operation, at, afterMs, sameConnection })
      if (this.earlyRetryLog.length > 200) this.earlyRetryLog.shift()
    }
  }

  /** A storm's 429 written now on `socket`: the operation is held for `retryAfterMs` (never shortened). */
  hold(operation: string, now: number, retryAfterMs: number, socket: unknown): void {
    const until = Math.max(this.holdUntil.get(operation)?.until ?? 0, now + retryAfterMs)
    this.holdUntil.set(operation, { until, writtenAt: now, socket })
  }
}
