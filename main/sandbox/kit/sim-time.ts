// The simulators' clock: an injectable clock and how many times faster than the real API a simulator runs
// its windows and delays (`timeScale`), so a bench or the demo can compress a day into minutes.
import { systemClock, type Clock } from '../../core/ports/clock'

export interface SimTime extends Clock {
  readonly clock: Clock
  /** 10: every rate window and delay ten times shorter than on the real API. */
  readonly scale: number
  /** A real-API duration (ms) on this simulator's clock. */
  scaled(ms: number): number
  /** A time after `previous`: now, or 1 ms later than `previous` when the clock has not moved past it. */
  after(previous: number): number
}

export function simTime(clock: Clock = systemClock, scale = 1): SimTime {
  return {
    clock,
    scale,
    now: () => clock.now(),
    scaled: (ms) => ms / scale,
    after: (previous) => Math.max(clock.now(), previous + 1),
  }
}
