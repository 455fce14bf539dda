// Rate limits per operation at a simulated gateway (Amazon's usage plans): token buckets on the simulator's
// scaled clock, counted at each request's send time when it carries one, with the latest refusals kept.
import type { Clock } from '../../../core/ports/clock'
import type { SimRequest } from '../../http/sim-server'
import { OrderedBucket } from './ordered-bucket'
import { trustedSendTime } from './send-time'

export interface SimLimit {
  ratePerSecond: number
  burst: number
}

/**
 * Rate limits per operation; `timeScale` 10 makes every window ten times shorter.
 *
 * A request that says when it was sent is counted at that time (send-time.ts); without it, the arrival
 * counts. Requests counted at their send times may come out of order: the buckets are OrderedBuckets.
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
    const at = trustedSendTime(req, now)
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
