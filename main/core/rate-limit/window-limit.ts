import type { Clock } from '../ports/clock'
import type { BucketMemory } from './token-bucket'

/**
 * A sliding window: at most `limit` units in any `windowMs`. For limits published as "N per minute" (Zalando),
 * which a token bucket of burst N and rate N/minute would break: that allows up to 2N in one minute.
 * `take()` answers how long to wait; units are counted only when the answer is 0. Used by the channel
 * clients and by the simulators, so both agree on what the limit means.
 *
 * With memory, a restarted process goes on with what the last one spent: the memory keeps the units spent
 * in the window and the time of the latest, and a restarted limiter counts them all as spent then (it may
 * wait a little longer than needed, never less).
 *
 * `guardMs` (clients only): each unit counts as spent for the window plus this long, so requests that reach
 * the other side closer together than they were sent (one delayed on the way, the next not) still keep to
 * the limit as the other side counts it, on arrival.
 */
export class WindowLimit {
  private hits: { at: number; cost: number }[] = []
  private pausedUntil = 0

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly clock: Clock,
    private readonly memory?: { store: BucketMemory; key: string },
    readonly guardMs = 0,
  ) {
    if (!(limit >= 1)) throw new RangeError(`limit must be >= 1, got ${limit}`)
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`)
    if (!(guardMs >= 0)) throw new RangeError(`guardMs must be >= 0, got ${guardMs}`)
    let s
    try {
      s = memory?.store.load(memory.key)
    } catch {
      s = undefined
    }
    if (s && [s.tokens, s.last, s.pausedUntil].every(Number.isFinite)) {
      if (s.tokens > 0) this.hits.push({ at: s.last, cost: Math.min(limit, s.tokens) })
      this.pausedUntil = s.pausedUntil
    }
  }

  private live(now: number): number {
    this.hits = this.hits.filter((h) => h.at > now - this.windowMs - this.guardMs)
    return this.hits.reduce((s, h) => s + h.cost, 0)
  }

  private remember(now: number): void {
    if (!this.memory) return
    try {
      this.memory.store.save(this.memory.key, {
        tokens: this.live(now),
        last: this.hits.length > 0 ? Math.max(...this.hits.map((h) => h.at)) : now,
        pausedUntil: this.pausedUntil,
      })
    } catch {
      /* remembering is best effort: it must never fail a request */
    }
  }

  /** Milliseconds until `cost` units fit in the window (0: counted now; a whole window when they never fit). */
  take(cost = 1): number {
    const wait = this.wait(cost)
    if (wait > 0) return wait
    const now = this.clock.now()
    this.hits.push({ at: now, cost })
    this.remember(now)
    return 0
  }

  /** Milliseconds until `cost` units fit in the window, counting nothing (0: they fit now). */
  wait(cost = 1): number {
    const now = this.clock.now()
    if (now < this.pausedUntil) return this.pausedUntil - now
    const used = this.live(now)
    if (used + cost <= this.limit) return 0
    let freed = 0
    for (const h of this.hits) {
      freed += h.cost
      if (used - freed + cost <= this.limit) return h.at + this.windowMs + this.guardMs - now + 1
    }
    return this.windowMs + this.guardMs
  }

  /** Units that still fit in the window now. */
  available(): number {
    return Math.max(0, this.limit - this.live(this.clock.now()))
  }

  /**
   * The last unit counted was answered now: count it from now. The channel counts a request when it
   * arrives, which lies anywhere between its send and its answer; a request held up on its way (a stalled
   * process on either side) would otherwise be counted earlier here than there, and the units after it
   * would fit in a window that, by the channel's count, is already full. For requests sent one at a time
   * (token requests), counting from the answer is exact on the safe side.
   */
  countLastFromNow(): void {
    if (this.hits.length === 0) return
    const now = this.clock.now()
    let last = 0
    for (let i = 1; i < this.hits.length; i++) if (this.hits[i]!.at >= this.hits[last]!.at) last = i
    const h = this.hits[last]!
    if (now <= h.at) return
    this.hits[last] = { at: now, cost: h.cost }
    this.remember(now)
  }

  /** The other side told us to wait (Retry-After): nothing until then. */
  pauseFor(ms: number): void {
    const now = this.clock.now()
    this.pausedUntil = Math.max(this.pausedUntil, now + Math.max(0, ms))
    this.remember(now)
  }
}
