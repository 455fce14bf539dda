// A channel that throttles a poll (its rate limit, or LastUnit's own pacing of it) is not news every time
// the poll runs: an order poll every 2 s against a limit of one call a minute would write a warning every
// 2 s, all day. An episode is logged once when it starts and once when it ends, at info level: throttling
// is the channel working as designed, and LastUnit keeps polling at the pace it allows.
import type { ClassifiedError } from '../errors'

/** Throttling, as the adapters classify it: the channel's 429s and LastUnit's own rate-limit pacing. */
export function isThrottled(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false
  const c = e as Partial<ClassifiedError>
  if (c.kind !== 'retryable' || typeof c.code !== 'string') return false
  return /\.(throttled|rate_limited)$/.test(c.code) || c.code.startsWith('rate_limit.')
}

export interface EpisodeLine {
  level: 'info'
  status: 'throttled' | 'resumed'
  message: string
}

interface Episode {
  since: number
  attempts: number
}

export class ThrottleEpisodes {
  private readonly open = new Map<string, Episode>()

  /**
   * A throttled attempt on `key` (a channel and what was polled). Answers the line to log when this
   * starts an episode, null while one is already open.
   */
  throttled(key: string, at: number, what: string, channel: string): EpisodeLine | null {
    const e = this.open.get(key)
    if (e) {
      e.attempts++
      return null
    }
    this.open.set(key, { since: at, attempts: 1 })
    return {
      level: 'info',
      status: 'throttled',
      message: `${channel} asks LastUnit to slow down ${what} (its rate limit): LastUnit keeps ${what} at the pace ${channel} allows and says here when it is back to normal.`,
    }
  }

  /** A successful attempt: answers the closing line when an episode was open. */
  succeeded(key: string, at: number, what: string, channel: string): EpisodeLine | null {
    const e = this.open.get(key)
    if (!e) return null
    this.open.delete(key)
    const secs = Math.max(0, Math.round((at - e.since) / 1000))
    const took = secs < 120 ? `${secs} s` : `${Math.round(secs / 60)} min`
    return {
      level: 'info',
      status: 'resumed',
      message: `${what[0]!.toUpperCase()}${what.slice(1)} on ${channel} back to normal after ${took} (${e.attempts} ${e.attempts === 1 ? 'attempt was' : 'attempts were'} slowed down).`,
    }
  }

  /** Whether an episode is open on `key`. */
  isOpen(key: string): boolean {
    return this.open.has(key)
  }
}
