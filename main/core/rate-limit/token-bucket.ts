import type { Clock } from '../ports/clock'

/** What a bucket must remember across a restart: a process that died does not reset a channel's limits. */
export interface BucketSnapshot {
  tokens: number
  last: number
  pausedUntil: number
}

/** Where buckets keep their state (SQLite in the app), so a restarted process goes on where the last stopped. */
export interface BucketMemory {
  load(key: string): BucketSnapshot | undefined
  save(key: string, snapshot: BucketSnapshot): void
}

/**
 * A token bucket on an injectable clock. `take()` answers how long to wait before the request may go;
 * tokens are consumed only when the answer is 0. Used by channel workers (client side) and by the
 * simulators (server side), so both agree on what a limit means.
 */
export class TokenBucket {
  private tokens: number
  private last: number
  private pausedUntil = 0

  /**
   * `guardMs`: slack kept for the time between a slot and the wire. A call takes its slot only while the
   * bucket keeps `guardMs` worth of refill beyond it (up to the burst), so a call that leaves that much later
   * than its slot (a millisecond tick, a pause of the process) does not make the calls after it early by the
   * other side's count. Costs nothing at a steady pace; the first burst is that much smaller.
   */
  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly clock: Clock,
    private readonly memory?: { store: BucketMemory; key: string },
    readonly guardMs = 0,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${ratePerSecond}`)
    if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`)
    if (!(guardMs >= 0)) throw new RangeError(`guardMs must be >= 0, got ${guardMs}`)
    this.tokens = burst
    this.last = clock.now()
    const s = memory?.store.load(memory.key)
    if (s && [s.tokens, s.last, s.pausedUntil].every(Number.isFinite)) {
      // Refilled from when it was saved: the calls a killed process made still count against the limit.
      this.tokens = Math.max(0, Math.min(burst, s.tokens))
      this.last = Math.min(s.last, this.last)
      this.pausedUntil = s.pausedUntil
    }
  }

  private remember(): void {
    if (!this.memory) return
    try {
      this.memory.store.save(this.memory.key, {
        tokens: this.tokens,
        last: this.last,
        pausedUntil: this.pausedUntil,
      })
    } catch {
      /* remembering is best effort: it must never fail a request */
    }
  }

  private refill(now: number): void {
    // A time before the last one (a clock read out of order) refills nothing and does not move `last` back:
    // the time in between would otherwise be refilled twice.
    if (now <= this.last) return
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond)
    this.last = now
  }

  /** Milliseconds until `cost` tokens are available (0: taken now). */
  take(cost = 1): number {
    const wait = this.wait(cost)
    if (wait > 0) return wait
    this.tokens -= cost
    this.remember()
    return 0
  }

  /** Milliseconds until `cost` tokens are available, taking nothing (0: available now). */
  wait(cost = 1): number {
    const now = this.clock.now()
    if (now < this.pausedUntil) return this.pausedUntil - now
    this.refill(now)
    const need = Math.max(cost, Math.min(this.burst, cost + (this.ratePerSecond * this.guardMs) / 1000))
    if (this.tokens >= need) return 0
    return Math.ceil(((need - this.tokens) / this.ratePerSecond) * 1000)
  }

  /** Tokens currently available (for rate-limit headers). */
  available(): number {
    this.refill(this.clock.now())
    return Math.floor(this.tokens)
  }

  /** The other side told us to wait (Retry-After, or remaining 0 until reset): hold everything until then. */
  pauseFor(ms: number): void {
    const until = this.clock.now() + Math.max(0, ms)
    if (until > this.pausedUntil) this.pausedUntil = until
    this.tokens = 0
    this.remember()
  }
}
