// Rate limits per operation at a simulated gateway (Amazon's usage plans): token buckets on the simulator's
// scaled clock, counted when each request ARRIVES at the gateway (as Amazon's API gateway counts them; what
// a client says about when it sent a request is not believed), with the latest refusals kept.
import type { Clock } from '../../../core/ports/clock'
import { OrderedBucket } from './ordered-bucket'

export interface SimLimit {
  ratePerSecond: number
  burst: number
}

/** Rate limits per operation; `timeScale` 10 makes every window ten times shorter. */
export class SimRateLimits {
  private readonly buckets = new Map<string, OrderedBucket>()
  /**
   * The latest refusals (at most 200): the operation, when it arrived, how long after the previous request
   * of that operation it arrived, and the admitted requests of that operation within 100 ms either side
   * (ms relative to it): the pattern that broke the limit.
   */
  readonly refusals: Array<{ op: string; at: number; gapMs: number | null; around: number[] }> = []
  private readonly lastArrived = new Map<string, number>()
  constructor(
    readonly limits: Record<string, SimLimit>,
    readonly timeScale: number,
    private readonly clock: Clock,
  ) {
    for (const [op, l] of Object.entries(limits))
      this.buckets.set(op, new OrderedBucket(l.ratePerSecond * timeScale, l.burst))
  }
  /** 0 when a call of `op` arriving now may go, else ms until one could. */
  take(op: string): number {
    const bucket = this.buckets.get(op)
    if (!bucket) return 0
    const now = this.clock.now()
    const wait = bucket.take(now, now)
    const previous = this.lastArrived.get(op)
    this.lastArrived.set(op, now)
    if (wait > 0) {
      this.refusals.push({
        op,
        at: now,
        gapMs: previous === undefined ? null : now - previous,
        around: bucket.admittedWithin(now - 100, now + 100).map((x) => x - now),
      })
      if (this.refusals.length > 200) this.refusals.shift()
    }
    return wait
  }
}
