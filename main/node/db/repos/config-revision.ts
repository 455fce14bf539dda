// The configuration revisions the triggers of schema 5 raise: read at every poll by the runtime, so a
// change made by any process reaches the running engine.
import type { Database } from 'better-sqlite3'
import { statement } from '../statement'

export interface ConfigRevision {
  /** What the adapters and the Odoo gateway are built from: a change rebuilds the engine. */
  connection: number
  /** What the planner reads: a change reloads the catalogue. */
  catalog: number
}

export const readConfigRevision = (db: Database): ConfigRevision => {
  const rows = statement(db, 'SELECT scope, rev FROM config_revision').all() as Array<{
    scope: keyof ConfigRevision
    rev: number
  }>
  const out: ConfigRevision = { connection: 0, catalog: 0 }
  for (const r of rows) out[r.scope] = r.rev
  return out
}
