// Odoo's 429 hold kept in SQLite: a process killed and started again within the wait Odoo named must not
// call Odoo before it ends (the hold in memory died with the process).
import type { Database } from 'better-sqlite3'
import type { OdooHoldMemory } from '../../odoo/odoo-throttle'
import { getEngineValue, setEngineValue } from './engine-state'

/** The hold of each Odoo host, kept in engine_state under odoo-hold:<host> (the end of the wait, epoch ms). */
export function sqliteOdooHoldMemory(db: Database): OdooHoldMemory {
  const key = (host: string) => `odoo-hold:${host}`
  return {
    load(host) {
      const v = Number(getEngineValue(db, key(host)))
      return Number.isFinite(v) && v > 0 ? v : null
    },
    save(host, until) {
      setEngineValue(db, key(host), String(until))
    },
  }
}
