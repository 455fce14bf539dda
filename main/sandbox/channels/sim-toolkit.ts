// What every channel simulator shares on top of the HTTP toolkit: a full record of the requests it received
// (contract tests check each one against the official spec), rate limits per operation on a scaled clock, and
// a request check that uses the embedded schemas always and the official spec when ../shared/specs exists.
import type { Clock } from '../../core/ports/clock'
import { TokenBucket } from '../../core/rate-limit/token-bucket'
import type { SpecValidator } from '../../node/channels/spec-validation'
import type { SimRequest } from '../http/sim-server'

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

/** Rate limits per operation; `timeScale` 10 makes every window ten times shorter. */
export class SimRateLimits {
  private readonly buckets = new Map<string, TokenBucket>()
  constructor(
    readonly limits: Record<string, SimLimit>,
    readonly timeScale: number,
    clock: Clock,
  ) {
    for (const [op, l] of Object.entries(limits))
      this.buckets.set(op, new TokenBucket(l.ratePerSecond * timeScale, l.burst, clock))
  }
  /** 0 when the call may go, else ms until it could. */
  take(op: string): number {
    return this.buckets.get(op)?.take() ?? 0
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
