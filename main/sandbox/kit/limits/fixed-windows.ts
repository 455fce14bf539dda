// Fixed windows: `limit` calls per window, per key, on the simulator's scaled clock. A window starts at its
// first call (bol's endpoint budgets) or at multiples of its length since the epoch (`aligned`: eBay's daily
// call quotas, which reset at a fixed time of day).
import type { SimTime } from '../sim-time'

export interface FixedWindow {
  limit: number
  windowSeconds: number
}

export interface WindowTake {
  /** The call is over the limit (and was not counted). */
  over: boolean
  limit: number
  /** Calls left in the window after this one. */
  remaining: number
  /** Seconds on the simulator's clock until the window resets. */
  resetS: number
}

export class FixedWindows {
  private readonly windows = new Map<string, { start: number; used: number }>()

  constructor(
    readonly limits: Readonly<Record<string, FixedWindow>>,
    private readonly time: SimTime,
    private readonly aligned = false,
  ) {}

  /** Counts a call against `key`'s window unless it is full; undefined when `key` has no limit. */
  take(key: string): WindowTake | undefined {
    const l = this.limits[key]
    if (!l) return undefined
    const windowMs = this.time.scaled(l.windowSeconds * 1000)
    const now = this.time.now()
    let w = this.windows.get(key)
    if (this.aligned) {
      const index = Math.floor(now / windowMs)
      if (!w || w.start !== index) {
        w = { start: index, used: 0 }
        this.windows.set(key, w)
      }
    } else if (!w || now - w.start >= windowMs) {
      w = { start: now, used: 0 }
      this.windows.set(key, w)
    }
    const resetS = this.aligned
      ? (windowMs - (now % windowMs)) / 1000
      : Math.max(0, (w.start + windowMs - now) / 1000)
    const over = w.used >= l.limit
    if (!over) w.used++
    return { over, limit: l.limit, remaining: Math.max(0, l.limit - w.used), resetS }
  }
}
