// What every channel simulator shares on top of the HTTP toolkit: a full record of the requests it received
// (contract tests check each one against the official spec), rate limits per operation on a scaled clock, and
// a request check that uses the embedded schemas always and the official spec when ../shared/specs exists.
import type { Clock } from '../../core/ports/clock'
import { TokenBucket } from '../../core/rate-limit/token-bucket'
import type { SpecValidator } from '../../node/channels/spec-validation'
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
  private readonly buckets = new Map<string, TokenBucket>()
  private at: number | undefined
  /** The latest refusals (at most 200): the operation, how long after it was sent it was handled (null: no send time), and how long after the previous request of that operation it was sent. */
  readonly refusals: Array<{ op: string; handledAfterMs: number | null; gapMs: number | null }> = []
  private readonly lastSent = new Map<string, number>()
  constructor(
    readonly limits: Record<string, SimLimit>,
    readonly timeScale: number,
    private readonly clock: Clock,
  ) {
    const counted: Clock = { now: () => this.at ?? clock.now() }
    for (const [op, l] of Object.entries(limits))
      this.buckets.set(op, new TokenBucket(l.ratePerSecond * timeScale, l.burst, counted))
  }
  /** 0 when the call may go, else ms until it could. `req` gives its send time when it carries one. */
  take(op: string, req?: Pick<SimRequest, 'headers'>): number {
    const bucket = this.buckets.get(op)
    if (!bucket) return 0
    const now = this.clock.now()
    const sent = Number(req?.headers[SENT_AT_HEADER])
    this.at = Number.isFinite(sent) && sent <= now && sent > now - 60_000 ? sent : undefined
    const at = this.at
    try {
      const wait = bucket.take()
      const previous = this.lastSent.get(op)
      if (at !== undefined) this.lastSent.set(op, at)
      if (wait > 0) {
        this.refusals.push({
          op,
          handledAfterMs: at === undefined ? null : now - at,
          gapMs: at === undefined || previous === undefined ? null : at - previous,
        })
        if (this.refusals.length > 200) this.refusals.shift()
      }
      return wait
    } finally {
      this.at = undefined
    }
  }
  available(op: string): number {
    return this.buckets.get(op)?.available() ?? 0
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
