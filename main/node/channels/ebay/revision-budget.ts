// eBay blocks a listing for the rest of the calendar day after 250 revisions. This budget spreads a listing's
// revisions over the day (a burst, then a steady rate) so that quick successive stock changes coalesce into the
// latest value instead of spending the cap by noon. Changes to or from zero always go while any of the cap
// is left: they are the ones that prevent overselling.
import { EBAY_LIMITS } from '../../../core/channels/ebay-limits'

export interface RevisionBudgetOptions {
  /** eBay's cap per listing per calendar day. */
  maxPerDay?: number
  /** Revisions kept back for zero crossings. */
  reserve?: number
  /** Revisions a listing may spend at once before the steady rate applies. */
  burst?: number
  /** Length of a "day"; shorter in tests. With the default, days follow eBay's calendar (US Pacific time). */
  dayMs?: number
}

export type RevisionDecision = { ok: true } | { ok: false; retryInMs: number; reason: string }

const DAY_MS = 86_400_000

const pacificDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Los_Angeles',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

interface Entry {
  day: string
  used: number
  tokens: number
  at: number
}

export class RevisionBudget {
  private readonly entries = new Map<string, Entry>()
  readonly maxPerDay: number
  private readonly reserve: number
  private readonly burst: number
  private readonly dayMs: number
  private readonly custom: boolean

  constructor(o: RevisionBudgetOptions = {}) {
    this.maxPerDay = o.maxPerDay ?? EBAY_LIMITS.revisionsPerDay
    this.reserve = o.reserve ?? EBAY_LIMITS.revisionReserve
    this.burst = o.burst ?? EBAY_LIMITS.revisionBurst
    this.dayMs = o.dayMs ?? DAY_MS
    this.custom = o.dayMs !== undefined
  }

  private dayOf(now: number): string {
    return this.custom ? String(Math.floor(now / this.dayMs)) : pacificDay.format(now)
  }

  private msToNextDay(now: number): number {
    if (this.custom) return this.dayMs - (now % this.dayMs)
    // Pacific midnight moves with daylight saving; probing the hour boundary is good enough.
    const today = pacificDay.format(now)
    let t = now
    while (pacificDay.format(t) === today) t += 3_600_000
    return t - now
  }

  private entry(listing: string, now: number): Entry {
    const day = this.dayOf(now)
    let e = this.entries.get(listing)
    if (!e || e.day !== day) {
      e = { day, used: 0, tokens: this.burst, at: now }
      this.entries.set(listing, e)
    }
    const rate = (this.maxPerDay - this.reserve) / this.dayMs
    e.tokens = Math.min(this.burst, e.tokens + (now - e.at) * rate)
    e.at = now
    return e
  }

  /** May `listing` be revised now? `critical` for changes to or from zero. */
  check(listing: string, critical: boolean, now: number): RevisionDecision {
    const e = this.entry(listing, now)
    if (e.used >= this.maxPerDay)
      return {
        ok: false,
        retryInMs: this.msToNextDay(now),
        reason: `eBay's ${this.maxPerDay} revisions for today are spent`,
      }
    if (critical) return { ok: true }
    if (e.used >= this.maxPerDay - this.reserve)
      return {
        ok: false,
        retryInMs: this.msToNextDay(now),
        reason: `the last ${this.reserve} revisions of today are kept for going to or from zero`,
      }
    if (e.tokens < 1) {
      const rate = (this.maxPerDay - this.reserve) / this.dayMs
      return {
        ok: false,
        retryInMs: Math.ceil((1 - e.tokens) / rate),
        reason: 'changes to this listing are being coalesced',
      }
    }
    return { ok: true }
  }

  /** A revision went through. */
  spend(listing: string, now: number): void {
    const e = this.entry(listing, now)
    e.used++
    e.tokens = Math.max(0, e.tokens - 1)
  }

  usedToday(listing: string, now: number): number {
    return this.entry(listing, now).used
  }
}
