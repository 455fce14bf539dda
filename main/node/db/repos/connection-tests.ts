// The last connection test of Odoo ('odoo') and of each channel (its id): the result the seller saw,
// when, and whether it tested values typed but not saved.
import type { Database } from 'better-sqlite3'

export interface ConnectionTestRow {
  target: string
  ok: boolean
  message: string
  hint: string | null
  unsaved: boolean
  testedAt: number
}

interface Raw {
  target: string
  ok: number
  message: string
  hint: string | null
  unsaved: number
  tested_at: number
}

const fromRaw = (r: Raw): ConnectionTestRow => ({
  target: r.target,
  ok: r.ok === 1,
  message: r.message,
  hint: r.hint,
  unsaved: r.unsaved === 1,
  testedAt: r.tested_at,
})

export const getConnectionTest = (db: Database, target: string): ConnectionTestRow | null => {
  const r = db.prepare('SELECT * FROM connection_tests WHERE target = ?').get(target) as Raw | undefined
  return r ? fromRaw(r) : null
}

export const saveConnectionTest = (db: Database, t: ConnectionTestRow): void => {
  db.prepare(
    `INSERT INTO connection_tests (target, ok, message, hint, unsaved, tested_at)
     VALUES (@target, @ok, @message, @hint, @unsaved, @testedAt)
     ON CONFLICT (target) DO UPDATE SET ok = excluded.ok, message = excluded.message, hint = excluded.hint,
       unsaved = excluded.unsaved, tested_at = excluded.tested_at`,
  ).run({ ...t, ok: t.ok ? 1 : 0, unsaved: t.unsaved ? 1 : 0 })
}
