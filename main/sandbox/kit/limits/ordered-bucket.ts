// A token bucket that admits requests counted at their send times, which may reach it out of order.
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
