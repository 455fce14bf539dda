// What every channel simulator shares on top of the HTTP toolkit: a full record of the requests it received
// (contract tests check each one against the official spec), rate limits per operation on a scaled clock, and
// a request check that uses the embedded schemas always and the official spec when ../shared/specs exists.
import type { Clock } from '../../core/ports/clock'
import { TokenBucket } from '../../core/rate-limit/token-bucket'
import type { SpecValidator } from '../../node/channels/spec-validation'
import type { SimRequest } from '../http/sim-server'
import { currentStall, startStallWatch } from '../http/stall-watch'

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
 * Requests the simulator's own process could not handle while it stalled arrive here together; a real
 * gateway would have seen them spread over the stall and refilled the bucket meanwhile. So a request that
 * queued in a stall may use, once, what the bucket would have refilled during it (rate x stall), and no
 * more: a client that sends faster than the limit is still refused.
 */
export class SimRateLimits {
  private readonly buckets = new Map<string, TokenBucket>()
  private readonly credit = new Map<string, { stall: number; left: number }>()
  constructor(
    readonly limits: Record<string, SimLimit>,
    readonly timeScale: number,
    clock: Clock,
  ) {
    for (const [op, l] of Object.entries(limits))
      this.buckets.set(op, new TokenBucket(l.ratePerSecond * timeScale, l.burst, clock))
    startStallWatch()
  }
  /** 0 when the call may go, else ms until it could. */
  take(op: string): number {
    const bucket = this.buckets.get(op)
    if (!bucket) return 0
    const wait = bucket.take()
    if (wait === 0) return 0
    const stall = currentStall()
    if (!stall) return wait
    const c = this.credit.get(op)
    const left = c?.stall === stall.id ? c.left : Math.floor((bucket.ratePerSecond * stall.ms) / 1000)
    this.credit.set(op, { stall: stall.id, left: Math.max(0, left - 1) })
    return left >= 1 ? 0 : wait
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
