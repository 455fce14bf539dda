import type { Database } from 'better-sqlite3'
import type { OdooPollCursor } from '../../../core/ports/odoo-gateway'
import { statement } from '../statement'

export interface OdooConnectionRow {
  url: string
  database: string
  username: string
  transport: 'auto' | 'xmlrpc' | 'json2'
  allowInsecureHttp: boolean
  timeoutMs: number
  pollIntervalMs: number
  pollCursor: string | null
  serverVersion: string | null
}

interface Raw {
  url: string
  database: string
  username: string
  transport: 'auto' | 'xmlrpc' | 'json2'
  allow_insecure_http: number
  timeout_ms: number
  poll_interval_ms: number
  poll_cursor: string | null
  server_version: string | null
}

export const getOdooConnection = (db: Database): OdooConnectionRow | null => {
  const r = statement(db, 'SELECT * FROM odoo_connection WHERE id = 1').get() as Raw | undefined
  if (!r) return null
  return {
    url: r.url,
    database: r.database,
    username: r.username,
    transport: r.transport,
    allowInsecureHttp: r.allow_insecure_http === 1,
    timeoutMs: r.timeout_ms,
    pollIntervalMs: r.poll_interval_ms,
    pollCursor: r.poll_cursor,
    serverVersion: r.server_version,
  }
}

export const saveOdooConnection = (
  db: Database,
  c: Omit<OdooConnectionRow, 'pollCursor' | 'serverVersion'>,
): void => {
  // Changing the server or database invalidates the poll cursor: start change detection afresh.
  const before = getOdooConnection(db)
  const sameServer = before !== null && before.url === c.url && before.database === c.database
  statement(
    db,
    `INSERT INTO odoo_connection (id, url, database, username, transport, allow_insecure_http, timeout_ms, poll_interval_ms, poll_cursor, server_version, updated_at)
     VALUES (1, @url, @database, @username, @transport, @allowInsecureHttp, @timeoutMs, @pollIntervalMs, @pollCursor, @serverVersion, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
     ON CONFLICT(id) DO UPDATE SET url = excluded.url, database = excluded.database, username = excluded.username,
       transport = excluded.transport, allow_insecure_http = excluded.allow_insecure_http, timeout_ms = excluded.timeout_ms,
       poll_interval_ms = excluded.poll_interval_ms, poll_cursor = excluded.poll_cursor,
       server_version = excluded.server_version, updated_at = excluded.updated_at`,
  ).run({
    ...c,
    allowInsecureHttp: c.allowInsecureHttp ? 1 : 0,
    pollCursor: sameServer ? before.pollCursor : null,
    serverVersion: sameServer ? before.serverVersion : null,
  })
}

export const setOdooPollCursor = (db: Database, cursor: string | null): void => {
  statement(db, 'UPDATE odoo_connection SET poll_cursor = ? WHERE id = 1').run(cursor)
}

export const setOdooServerVersion = (db: Database, version: string): void => {
  statement(db, 'UPDATE odoo_connection SET server_version = ? WHERE id = 1').run(version)
}

// The incremental poll's cursor survives restarts: it lives in odoo_connection.poll_cursor.
export function loadPollCursor(db: Database): OdooPollCursor | null {
  const row = statement(db, 'SELECT poll_cursor FROM odoo_connection WHERE id = 1').get() as
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
  const r = statement(
    db,
    "UPDATE odoo_connection SET poll_cursor = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1",
  ).run(cursor === null ? null : JSON.stringify(cursor))
  if (r.changes !== 1)
    throw new Error(
      'Cannot save the Odoo poll cursor: no Odoo connection is configured (odoo_connection row 1 is missing)',
    )
}
