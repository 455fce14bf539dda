// An interruptible wait: workers sleep until a timer or a kick, whichever comes first. Timers only
// tick; what to do next is always read back from SQLite.
export class Sleeper {
  private timer: NodeJS.Timeout | null = null
  private resolve: (() => void) | null = null

  sleep(ms: number | null): Promise<void> {
    this.wake()
    return new Promise<void>((resolve) => {
      this.resolve = resolve
      if (ms !== null) this.timer = setTimeout(() => this.wake(), Math.max(0, ms))
    })
  }

  wake(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const r = this.resolve
    this.resolve = null
    r?.()
  }
}
