// A fingerprint of every row of every table, to prove that a refused input changed nothing.
import { createHash } from 'node:crypto'
import type { Database } from 'better-sqlite3'

export function dbFingerprint(db: Database): string {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>
  const h = createHash('sha256')
  for (const { name } of tables) {
    h.update(name)
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all())
      h.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))
  }
  return h.digest('hex')
}
