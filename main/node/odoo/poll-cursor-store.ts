// The incremental poll's cursor survives restarts: it lives in odoo_connection.poll_cursor.
import type { OdooPollCursor } from '../../core/ports/odoo-gateway'
import type { Database } from '../db/database'

export function loadPollCursor(db: Database): OdooPollCursor | null {
  const row = db.prepare('SELECT poll_cursor FROM odoo_connection WHERE id = 1').get() as
    { poll_cursor: string | null } | undefined
  if (!row?.poll_cursor) return null
  try {
    const v = JSON.parse(row.poll_cursor) as unknown
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as OdooPollCursor) : null
  } catch {
    // A damaged cursor only costs a fresh start (the next full recompute covers the gap).
    return null
  }
}

export function savePollCursor(db: Database, cursor: OdooPollCursor | null): void {
  const r = db
    .prepare(
      "UPDATE odoo_connection SET poll_cursor = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1",
    )
    .run(cursor === null ? null : JSON.stringify(cursor))
  if (r.changes !== 1)
    throw new Error(
      'Cannot save the Odoo poll cursor: no Odoo connection is configured (odoo_connection row 1 is missing)',
    )
}
