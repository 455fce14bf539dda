// The time a full resync still needs, from the rate each channel is measured to go at. The channels'
// declared limits give a first guess before anything is measured; from then on each channel's own pace
// over the last stretch of the run decides, so an estimate of 2 s for a run that takes a minute corrects
// itself within seconds instead of sitting at "about 1 s left". Progress only ever moves forward: work
// queued meanwhile by other changes never makes a bar go back.

export interface ChannelProgress {
  channelId: string
  total: number
  done: number
  /** Milliseconds this channel still needs; null while it is waiting and nothing says how long. */
  remainingMs: number | null
  /** Listings per second over the recent window; null before two measurements. */
  ratePerSecond: number | null
}

interface Sample {
  at: number
  done: number
}

interface Track {
  total: number
  done: number
  samples: Sample[]
  /** The estimate from the declared limits for the whole channel, at the start. */
  declaredMs: number
  startedAt: number
}

export interface ResyncRateOptions {
  /** How far back the measured rate looks (default 20 s). */
  windowMs?: number
  /** Shortest stretch of time a rate is measured over (default 1.5 s). */
  minSpanMs?: number
}

export class ResyncRate {
  private readonly tracks = new Map<string, Track>()
  private readonly windowMs: number
  private readonly minSpanMs: number

  constructor(opts: ResyncRateOptions = {}) {
    this.windowMs = opts.windowMs ?? 20_000
    this.minSpanMs = opts.minSpanMs ?? 1500
  }

  /** Starts (or resumes) a channel: its total and the duration its declared limits give. */
  begin(channelId: string, total: number, declaredMs: number, at: number, done = 0): void {
    const t = this.tracks.get(channelId)
    if (t) {
      t.total = total
      return
    }
    this.tracks.set(channelId, {
      total,
      done: Math.min(done, total),
      samples: [{ at, done: Math.min(done, total) }],
      declaredMs,
      startedAt: at,
    })
  }

  /**
   * A measurement: `done` listings of `total` at `at`. Done never goes back; a total that grows (listings
   * mapped during the run) is taken as it is. Answers the done figure kept.
   */
  observe(channelId: string, at: number, done: number, total: number): number {
    let t = this.tracks.get(channelId)
    if (!t) {
      this.begin(channelId, total, 0, at)
      t = this.tracks.get(channelId)!
    }
    t.total = total
    t.done = Math.min(total, Math.max(t.done, done))
    const last = t.samples[t.samples.length - 1]
    if (!last || at > last.at) t.samples.push({ at, done: t.done })
    else last.done = t.done
    // Keep one sample older than the window, so the window always has a start.
    while (t.samples.length > 2 && t.samples[1]!.at <= at - this.windowMs) t.samples.shift()
    return t.done
  }

  progress(channelId: string, now: number): ChannelProgress | null {
    const t = this.tracks.get(channelId)
    if (!t) return null
    const remaining = Math.max(0, t.total - t.done)
    const rate = this.rate(t, now)
    let remainingMs: number | null
    if (remaining === 0) remainingMs = 0
    else if (rate !== null && rate > 0) remainingMs = Math.ceil((remaining / rate) * 1000)
    else if (t.done === 0 && t.declaredMs > 0 && now - t.startedAt < Math.max(this.minSpanMs, t.declaredMs)) {
      // Nothing measured yet: the declared limits, less the time already spent.
      remainingMs = Math.max(0, t.declaredMs - (now - t.startedAt))
    } else remainingMs = null
    return { channelId, total: t.total, done: t.done, remainingMs, ratePerSecond: rate }
  }

  /** Every channel's progress, and the time the whole run still needs (the slowest channel; null if unknown). */
  overall(now: number): {
    channels: ChannelProgress[]
    remainingMs: number | null
    done: number
    total: number
  } {
    const channels = [...this.tracks.keys()].map((id) => this.progress(id, now)!)
    const open = channels.filter((c) => c.done < c.total)
    const remainingMs =
      open.length === 0
        ? 0
        : open.some((c) => c.remainingMs === null)
          ? null
          : Math.max(...open.map((c) => c.remainingMs!))
    return {
      channels,
      remainingMs,
      done: channels.reduce((n, c) => n + c.done, 0),
      total: channels.reduce((n, c) => n + c.total, 0),
    }
  }

  /** Listings a second over the window (from its oldest sample to now); null when too little is known. */
  private rate(t: Track, now: number): number | null {
    const first = t.samples[0]!
    const last = t.samples[t.samples.length - 1]!
    const span = Math.max(now, last.at) - first.at
    if (span < this.minSpanMs) return null
    const moved = last.done - first.done
    if (moved <= 0) {
      // Nothing moved in the window: the average since the start, if anything moved at all.
      const since = Math.max(now, last.at) - t.startedAt
      return t.done > 0 && since > 0 ? (t.done / since) * 1000 : null
    }
    return (moved / span) * 1000
  }
}
