// What every channel simulator shares on top of the HTTP toolkit: a full record of the requests it received
// (contract tests check each one against the official spec), rate limits per operation on a scaled clock, and
// a request check that uses the embedded schemas always and the official spec when ../shared/specs exists.
import type { Clock } from '../../core/ports/clock'
import type { SpecValidator } from './spec-validation'
import type { SimRequest } from '../http/sim-server'
import { SENT_AT_HEADER } from '../../node/http/http-client'

export interface RecordedRequest {
  method: string
  /** Path without the simulator's base, as the spec names it. */
  path: string
  query: URLSearchParams
  headers: Record<string, string>
  body: unknown
  /** Which spec file the request belongs to (contract tests pick the validator by it). */
  spec: string | undefined
  /** What the simulator answered (for checking its answers against the spec too). */
  response?: { status: number; body: unknown }
}

export interface SimLimit {
  ratePerSecond: number
  burst: number
}

/**
 * Rate limits per operation; `timeScale` 10 makes every window ten times shorter.
 *
 * The simulators share one process with the fault campaign, which stalls at times (seconds, measured):
 * requests that reached the socket meanwhile are handled together afterwards, as a burst no real gateway
 * would have seen. A request that says when it was sent (SENT_AT_HEADER, set only in runs against the
 * simulators) is counted at that time, as a gateway at the other end of a short wire would count it; the
 * time is trusted only within the last minute and never ahead of now. Without it, the arrival counts.
 */
export class SimRateLimits {
  private readonly buckets = new Map<string, OrderedBucket>()
  /**
   * The latest refusals (at most 200): the operation, when it was counted (its send time, else its arrival),
   * how long after it was sent it was handled (null: no send time), how long after the previous request of
   * that operation it was sent, and the admitted requests of that operation within 100 ms either side
   * (ms relative to it): the pattern that broke the limit.
   */
  readonly refusals: Array<{
    op: string
    at: number
    handledAfterMs: number | null
    gapMs: number | null
    around: number[]
  }> = []
  private readonly lastSent = new Map<string, number>()
  constructor(
    readonly limits: Record<string, SimLimit>,
    readonly timeScale: number,
    private readonly clock: Clock,
  ) {
    for (const [op, l] of Object.entries(limits))
      this.buckets.set(op, new OrderedBucket(l.ratePerSecond * timeScale, l.burst))
  }
  /** 0 when the call may go, else ms until it could. `req` gives its send time when it carries one. */
  take(op: string, req?: Pick<SimRequest, 'headers'>): number {
    const bucket = this.buckets.get(op)
    if (!bucket) return 0
    const now = this.clock.now()
    const sent = Number(req?.headers[SENT_AT_HEADER])
    const at = Number.isFinite(sent) && sent <= now && sent > now - 60_000 ? sent : undefined
    const wait = bucket.take(at ?? now, now)
    const previous = this.lastSent.get(op)
    if (at !== undefined) this.lastSent.set(op, at)
    if (wait > 0) {
      const t = at ?? now
      this.refusals.push({
        op,
        at: t,
        handledAfterMs: at === undefined ? null : now - at,
        gapMs: at === undefined || previous === undefined ? null : at - previous,
        around: bucket.admittedWithin(t - 100, t + 100).map((x) => x - t),
      })
      if (this.refusals.length > 200) this.refusals.shift()
    }
    return wait
  }
}

/**
 * A token bucket (rate, burst) that may be handed its requests out of time order, as a gateway that counts
 * send times sees them after a stall: it keeps the recent admitted times sorted and admits a request only
 * if the whole sequence, with it in its place, still conforms (the generic cell rate algorithm: a request at
 * t conforms when t >= TAT - (burst - 1) x interval, and moves TAT to max(TAT, t) + interval). In time order
 * it is exactly the plain token bucket.
 */
export class OrderedBucket {
  private readonly interval: number
  private readonly tolerance: number
  /** Admitted times, ascending, each with the TAT after it; `base` is the TAT before the first. */
  private times: number[] = []
  private tats: number[] = []
  private base = Number.NEGATIVE_INFINITY

  constructor(ratePerSecond: number, burst: number) {
    if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${ratePerSecond}`)
    if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`)
    this.interval = 1000 / ratePerSecond
    this.tolerance = (burst - 1) * this.interval
  }

  /** Admits a request counted at `t` (0), or answers how long after `now` one at `now` could go. */
  take(t: number, now: number): number {
    this.forget(now - 120_000)
    // Insert after every time <= t (binary search), then replay the GCRA from there.
    let lo = 0
    let hi = this.times.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.times[mid]! <= t) lo = mid + 1
      else hi = mid
    }
    const before = lo === 0 ? this.base : this.tats[lo - 1]!
    const replayed: number[] = []
    let tat = before
    for (const [i, x] of [t, ...this.times.slice(lo)].entries()) {
      if (x < tat - this.tolerance) {
        if (i === 0) return Math.max(1, Math.ceil(tat - this.tolerance - now))
        // An earlier request in its place would make one already admitted non-conforming.
        return Math.max(1, Math.ceil(this.interval))
      }
      tat = Math.max(tat, x) + this.interval
      replayed.push(tat)
    }
    this.times.splice(lo, 0, t)
    this.tats.splice(lo, this.tats.length - lo, ...replayed)
    return 0
  }

  /** Admitted times in [from, to], ascending. */
  admittedWithin(from: number, to: number): number[] {
    return this.times.filter((x) => x >= from && x <= to)
  }

  private forget(before: number): void {
    let n = 0
    while (n < this.times.length && this.times[n]! < before) n++
    if (n === 0) return
    this.base = this.tats[n - 1]!
    this.times.splice(0, n)
    this.tats.splice(0, n)
  }
}

export const headersOf = (req: SimRequest): Record<string, string> =>
  Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  )

/** Problems with a request: embedded schema first, then the official spec when it is loaded. */
export function requestProblems(
  embedded: ((value: unknown) => string[]) | undefined,
  spec: SpecValidator | null,
  req: { method: string; path: string; query: URLSearchParams; body: unknown },
): string[] {
  const problems = embedded ? embedded(req.body) : []
  if (spec) problems.push(...spec.check(req).errors)
  return [...new Set(problems)]
}
