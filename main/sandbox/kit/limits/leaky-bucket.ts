// A leaky bucket of points (Shopify's cost-based limit): a query takes its requested cost up front, the
// bucket restores `restore` points a second up to `max`, and what the query did not use is refunded.
import type { Clock } from '../../../core/ports/clock'

export class LeakyBucket {
  private level: number
  private at: number
  constructor(
    readonly max: number,
    readonly restore: number,
    private readonly clock: Clock,
  ) {
    this.level = max
    this.at = clock.now()
  }
  available(): number {
    const now = this.clock.now()
    this.level = Math.min(this.max, this.level + ((now - this.at) / 1000) * this.restore)
    this.at = now
    return this.level
  }
  take(cost: number): boolean {
    if (this.available() < cost) return false
    this.level -= cost
    return true
  }
  refund(points: number): void {
    this.level = Math.min(this.max, this.available() + points)
  }
  set(points: number): void {
    this.available()
    this.level = points
  }
}
