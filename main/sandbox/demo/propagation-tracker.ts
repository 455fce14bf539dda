// Measures how long a change takes to reach each channel: from the moment a product changed (in Odoo
// or by an order elsewhere) to the first different value the channel applied for it afterwards. A
// change that leaves a channel's figure as it was (a buffer, a zero) is never counted.
export class PropagationTracker {
  private readonly waiting = new Map<string, { at: number; before: number | null }>()
  private readonly samples: number[] = []

  /** `before(channel)`: what the channel shows now, when known. */
  changed(
    sku: string,
    at: number,
    channels: readonly string[],
    before: (channel: string) => number | null = () => null,
  ): void {
    for (const c of channels) {
      const key = `${c}\u0000${sku}`
      if (!this.waiting.has(key)) this.waiting.set(key, { at, before: before(c) })
    }
  }

  applied(channel: string, sku: string, at: number, quantity?: number): void {
    const key = `${channel}\u0000${sku}`
    const w = this.waiting.get(key)
    if (w === undefined || (quantity !== undefined && w.before !== null && quantity === w.before)) return
    this.waiting.delete(key)
    this.samples.push(at - w.at)
  }

  get count(): number {
    return this.samples.length
  }

  percentiles(): { p50: number | null; p99: number | null } {
    if (this.samples.length === 0) return { p50: null, p99: null }
    const s = [...this.samples].sort((a, b) => a - b)
    const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!
    return { p50: at(0.5), p99: at(0.99) }
  }
}
