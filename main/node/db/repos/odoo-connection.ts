import type { Database } from 'better-sqlite3'
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
