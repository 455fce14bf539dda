// Runs a process's clock `factor` times faster: Date, Date.now, setTimeout and setInterval all see warped
// time, so code that ships with its real defaults (a 5 s poll, a 75 s sweep, a 10-minute cron) can be
// measured over simulated minutes in real seconds. Install it FIRST, then import what is measured
// (dynamically), so every module that captures a timer or Date sees the warped ones. Benchmarks only.
// Processes that exchange timestamps (the engine and the simulators it polls) pass the same `origin`, so
// their warped clocks agree.
export interface TimeWarp {
  factor: number
  /** The real epoch millisecond at which warped and real time agreed. */
  origin: number
  /** Warped milliseconds since the epoch. */
  now(): number
  sleep(ms: number): Promise<void>
}

export function installTimeWarp(factor: number, origin?: number): TimeWarp {
  if (!(factor >= 1)) throw new RangeError(`time warp factor must be >= 1, got ${factor}`)
  const RealDate = Date
  const realNow = RealDate.now.bind(RealDate)
  if (origin !== undefined && !(Number.isFinite(origin) && origin > 0 && origin <= realNow()))
    throw new RangeError(`time warp origin must be a past epoch millisecond, got ${origin}`)
  const realSetTimeout = globalThis.setTimeout
  const realSetInterval = globalThis.setInterval
  const start = origin ?? realNow()
  const now = () => start + Math.round((realNow() - start) * factor)

  class WarpDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now())
      else super(...(args as [string | number | Date]))
    }
    static override now(): number {
      return now()
    }
  }
  globalThis.Date = WarpDate as DateConstructor

  const scale = (ms: unknown) => (typeof ms === 'number' && ms > 0 ? ms / factor : ms)
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) =>
    realSetTimeout(fn, scale(ms) as number, ...rest)) as typeof setTimeout
  globalThis.setInterval = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) =>
    realSetInterval(fn, scale(ms) as number, ...rest)) as typeof setInterval
  return {
    factor,
    origin: start,
    now,
    sleep: (ms) => new Promise((r) => globalThis.setTimeout(r, ms)),
  }
}
