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
    serverVersion: r.server_version,
  }
}

export const saveOdooConnection = (db: Database, c: Omit<OdooConnectionRow, 'serverVersion'>): void => {
  // Changing the server or database forgets the probed server version. (The poll cursor is the engine's:
  // engine_state 'odoo_cursor'; odoo_connection.poll_cursor, from schema v1, is no longer read or written.)
  const before = getOdooConnection(db)
  const sameServer = before !== null && before.url === c.url && before.database === c.database
  statement(
    db,
    `INSERT INTO odoo_connection (id, url, database, username, transport, allow_insecure_http, timeout_ms, poll_interval_ms, server_version, updated_at)
     VALUES (1, @url, @database, @username, @transport, @allowInsecureHttp, @timeoutMs, @pollIntervalMs, @serverVersion, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
     ON CONFLICT(id) DO UPDATE SET url = excluded.url, database = excluded.database, username = excluded.username,
       transport = excluded.transport, allow_insecure_http = excluded.allow_insecure_http, timeout_ms = excluded.timeout_ms,
       poll_interval_ms = excluded.poll_interval_ms,
       server_version = excluded.server_version, updated_at = excluded.updated_at`,
  ).run({
    ...c,
    allowInsecureHttp: c.allowInsecureHttp ? 1 : 0,
    serverVersion: sameServer ? before.serverVersion : null,
  })
}

export const setOdooServerVersion = (db: Database, version: string): void => {
  statement(db, 'UPDATE odoo_connection SET server_version = ? WHERE id = 1').run(version)
}
