// The share of a channel's orders limit that burst polls may spend (docs/order-detection.md, "Burst polls").
// Every orders call the intake makes (regular polls, their further pages, burst polls) is counted here, in
// the form the channel publishes its limit: a token bucket (Amazon's searchOrders: burst 20 at 0.0056/s) or
// a window (bol's orders list: 7 in any 3 minutes). A burst is allowed only when it and every regular poll
// after it still fit: a window must also hold the regular polls that fall inside it after the burst (bol's
// 35 s polls put six in one window of 3 minutes, so a burst there needs the seventh slot free for its whole
// window), a bucket must still have a token at each of them.
import type { Clock } from '../ports/clock'
import type { RateLimitSpec } from '../ports/channel-adapter'

/**
 * A burst poll is worth its call only when the channel's next regular poll is further away than this: the
 * Odoo poll is 5 s, so seeing an order sooner than that does not publish anything sooner. Channels polled
 * every 5 s (Zalando, Kaufland, eBay, Shopify) therefore never burst.
 */
export const BURST_MIN_GAIN_MS = 5_000

/** What a budget keeps across a restart: the calls a stopped process made still count against the limit. */
export interface BudgetSnapshot {
  /** Bucket: tokens at `last` (below 0: calls the channel client still holds). */
  tokens?: number
  last?: number
  /** Window: when each call in the current window went (or will go, when the client holds it). */
  calls?: number[]
}

export interface BudgetMemory {
  load(): BudgetSnapshot | undefined
  save(s: BudgetSnapshot): void
}

/** How far a bucket's look-ahead goes: enough regular polls for the bucket to be full again. */
const LOOK_AHEAD_POLLS = 1_000

export class OrderPollBudget {
  private tokens: number
  private last: number
  private calls: number[] = []

  constructor(
    readonly spec: Pick<RateLimitSpec, 'ratePerSecond' | 'burst' | 'windowMs'>,
    private readonly clock: Clock,
    private readonly memory?: BudgetMemory,
  ) {
    if (!(spec.ratePerSecond > 0))
      throw new RangeError(`order poll budget: ratePerSecond must be > 0, got ${spec.ratePerSecond}`)
    if (!(spec.burst >= 1)) throw new RangeError(`order poll budget: burst must be >= 1, got ${spec.burst}`)
    if (spec.windowMs !== undefined && !(spec.windowMs > 0))
      throw new RangeError(`order poll budget: windowMs must be > 0, got ${spec.windowMs}`)
    this.tokens = spec.burst
    this.last = clock.now()
    let s: BudgetSnapshot | undefined
    try {
      s = memory?.load()
    } catch {
      s = undefined
    }
    if (s && Number.isFinite(s.tokens) && Number.isFinite(s.last)) {
      this.tokens = Math.min(spec.burst, s.tokens!)
      this.last = Math.min(s.last!, this.last)
    }
    if (s && Array.isArray(s.calls)) this.calls = s.calls.filter((t) => Number.isFinite(t))
  }

  private get windowed(): boolean {
    return this.spec.windowMs !== undefined
  }

  private refill(now: number): void {
    if (now <= this.last) return
    this.tokens = Math.min(
      this.spec.burst,
      this.tokens + ((now - this.last) / 1000) * this.spec.ratePerSecond,
    )
    this.last = now
  }

  private inWindow(now: number): number[] {
    const w = this.spec.windowMs!
    this.calls = this.calls.filter((t) => t > now - w)
    return this.calls
  }

  private remember(): void {
    try {
      this.memory?.save(this.windowed ? { calls: this.calls } : { tokens: this.tokens, last: this.last })
    } catch {
      /* remembering is best effort: it must never fail a poll */
    }
  }

  /**
   * One orders call is going out. A call past the limit still goes (the channel client's pacer holds it
   * until its slot), so it is counted at that slot: a bucket goes below zero, a window records the call
   * when it fits.
   */
  spent(): void {
    const now = this.clock.now()
    if (this.windowed) {
      const calls = this.inWindow(now)
      const over = calls.length + 1 - this.spec.burst
      // The slot the client gives it: when the oldest calls that make room have left the window.
      const at = over > 0 ? Math.max(now, calls[over - 1]! + this.spec.windowMs!) : now
      calls.push(at)
      calls.sort((a, b) => a - b)
    } else {
      this.refill(now)
      this.tokens -= 1
    }
    this.remember()
  }

  /**
   * Whether one burst call fits now and still leaves every regular poll its call: the next one in
   * `untilNextMs`, then one every `intervalMs`.
   */
  burstFits(untilNextMs: number, intervalMs: number): boolean {
    const now = this.clock.now()
    const interval = Math.max(1, intervalMs)
    if (this.windowed) {
      const w = this.spec.windowMs!
      const calls = [...this.inWindow(now), now]
      if (calls.filter((t) => t > now - w && t <= now).length > this.spec.burst) return false
      // Each regular poll inside the burst's window, counted with the polls before it.
      for (let k = 0; ; k++) {
        const at = now + untilNextMs + k * interval
        if (at - w >= now) return true
        const used = calls.filter((t) => t > at - w && t <= at).length + k + 1
        if (used > this.spec.burst) return false
      }
    }
    this.refill(now)
    let tokens = this.tokens - 1
    if (tokens < 0) return false
    let t = now
    for (let k = 0; k < LOOK_AHEAD_POLLS; k++) {
      const at = now + untilNextMs + k * interval
      tokens = Math.min(this.spec.burst, tokens + ((at - t) / 1000) * this.spec.ratePerSecond) - 1
      t = at
      if (tokens < 0) return false
      if (tokens >= this.spec.burst - 1) return true
    }
    return true
  }

  /** Calls free now (whole calls). */
  available(): number {
    const now = this.clock.now()
    if (this.windowed) return Math.max(0, this.spec.burst - this.inWindow(now).length)
    this.refill(now)
    return Math.max(0, Math.floor(this.tokens))
  }
}

/** The orders limit of a channel's capabilities, or null when it declares none (then it never bursts). */
export function ordersLimitOf(caps: { rateLimits: readonly RateLimitSpec[] }): RateLimitSpec | null {
  const l = caps.rateLimits.find((r) => r.scope === 'orders')
  return l && l.ratePerSecond > 0 && l.burst >= 1 ? l : null
}
