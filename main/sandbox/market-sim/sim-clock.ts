// The simulated clock behind the Clock port: LastUnit's token buckets read it exactly as they read the
// system clock in production.
import type { Clock } from '../../core/ports/clock'

export class SimClock implements Clock {
  private t: number

  constructor(startMs = 0) {
    this.t = startMs
  }

  now(): number {
    return this.t
  }

  /** Time only moves forward. */
  advanceTo(ms: number): void {
    if (ms > this.t) this.t = ms
  }
}
