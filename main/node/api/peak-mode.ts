// Peak mode from the header or the tray: a peak buffer rule covering today. Switching it on adds a rule
// for the next 7 days (unless one already covers today); switching it off ends every rule covering today.
import type { Database } from 'better-sqlite3'
import {
  deletePeakRulesFrom,
  endPeakRulesCovering,
  insertPeakRule,
  peakRulesCovering,
} from '../db/repos/buffer-rules'
import { getSetting } from '../db/repos/settings'

export const MANUAL_PEAK_NOTE = 'Peak mode (switched on from the app)'

export const todayUtc = (now = Date.now()): string => new Date(now).toISOString().slice(0, 10)

const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

export function peakModeActive(db: Database, today: string): boolean {
  return peakRulesCovering(db, today) > 0
}

export function setPeakMode(db: Database, enabled: boolean, today: string): void {
  db.transaction(() => {
    if (enabled) {
      if (peakModeActive(db, today)) return
      const extra = Number(getSetting(db, 'peak.extraBuffer') ?? '1')
      insertPeakRule(
        db,
        Number.isInteger(extra) && extra >= 1 && extra <= 10 ? extra : 1,
        today,
        addDays(today, 6),
        MANUAL_PEAK_NOTE,
      )
    } else {
      deletePeakRulesFrom(db, MANUAL_PEAK_NOTE, today)
      endPeakRulesCovering(db, today, addDays(today, -1))
    }
  })()
}
