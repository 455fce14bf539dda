// The structured sync log: every push result, poll, order and error, kept for a retention period.
import type { Database } from 'better-sqlite3'
import type { LogEntryDto } from '../../../../shared/dto'
import { statement } from '../statement'
import { redact, redactText } from '../../redaction'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface SyncLogEntry {
  at: number
  level: LogLevel
  kind: string
  channelId?: string | null
  listingId?: string | null
  productId?: number | null
  status?: string | null
  message: string
  data?: Record<string, unknown> | null
}

export interface StoredLogEntry extends SyncLogEntry {
  id: number
}

const INSERT = `INSERT INTO sync_log (at, level, kind, channel_id, listing_id, product_id, status, message, data)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

/** Call inside the caller's transaction when the entry belongs to a state change. */
export function appendSyncLog(db: Database, e: SyncLogEntry): void {
  statement(db, INSERT).run(
    e.at,
    e.level,
    e.kind,
    e.channelId ?? null,
    e.listingId ?? null,
    e.productId ?? null,
    e.status ?? null,
    // Redacted at the one place log lines are written: an adapter's error text may quote a token.
    redactText(e.message),
    e.data ? JSON.stringify(redact(e.data)) : null,
  )
}

export function recentSyncLog(
  db: Database,
  opts: { limit?: number; channelId?: string; listingId?: string; kind?: string } = {},
): StoredLogEntry[] {
  const where: string[] = []
  const args: unknown[] = []
  const filters: Array<[string, string | undefined]> = [
    ['channel_id', opts.channelId],
    ['listing_id', opts.listingId],
    ['kind', opts.kind],
  ]
  for (const [column, value] of filters) {
    if (!value) continue
    where.push(`${column} = ?`)
    args.push(value)
  }
  const rows = statement(
    db,
    `SELECT * FROM sync_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
  ).all(...args, opts.limit ?? 200) as Array<{
    id: number
    at: number
    level: LogLevel
    kind: string
    channel_id: string | null
    listing_id: string | null
    product_id: number | null
    status: string | null
    message: string
    data: string | null
  }>
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    level: r.level,
    kind: r.kind,
    channelId: r.channel_id,
    listingId: r.listing_id,
    productId: r.product_id,
    status: r.status,
    message: r.message,
    data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null,
  }))
}

/** Retention: drops entries older than `before` and keeps at most `maxRows`. Returns rows removed. */
export function pruneSyncLog(db: Database, before: number, maxRows: number): number {
  let n = statement(db, 'DELETE FROM sync_log WHERE at < ?').run(before).changes
  n += statement(
    db,
    'DELETE FROM sync_log WHERE id <= (SELECT id FROM sync_log ORDER BY id DESC LIMIT 1 OFFSET ?)',
  ).run(maxRows).changes
  return n
}

/** The live log's newest entries, optionally of one channel or level. */
export function logEntries(
  db: Database,
  opts: { channelId?: string; level?: string; limit: number },
): LogEntryDto[] {
  const where: string[] = []
  const args: (string | number)[] = []
  if (opts.channelId) {
    where.push('channel_id = ?')
    args.push(opts.channelId)
  }
  if (opts.level) {
    where.push('level = ?')
    args.push(opts.level)
  }
  return statement(
    db,
    `SELECT id, at, level, kind, channel_id AS channelId, listing_id AS listingId, product_id AS productId, status, message
     FROM sync_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`,
  ).all(...args, opts.limit) as LogEntryDto[]
}

export interface LogExportRow {
  at: number
  level: string
  kind: string
  channelId: string | null
  listingId: string | null
  productId: number | null
  status: string | null
  message: string
}

/**
 * The live log's newest entries for the CSV export, with the screen's filters: channel, level, status,
 * and a search in the listing id and the message (taken literally: no wildcards).
 */
export function logExportRows(
  db: Database,
  opts: { channelId?: string; level?: string; status?: string; search?: string; limit: number },
): LogExportRow[] {
  const where: string[] = []
  const args: (string | number)[] = []
  const add = (sql: string, v: string | undefined, wrap = (x: string) => x) => {
    if (!v) return
    where.push(sql)
    args.push(wrap(v))
  }
  add('channel_id = ?', opts.channelId)
  add('level = ?', opts.level)
  add('status = ?', opts.status)
  add(
    "(listing_id LIKE ? ESCAPE '\\' OR message LIKE ? ESCAPE '\\')",
    opts.search,
    (x) => `%${x.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
  )
  if (opts.search) args.push(args[args.length - 1]!)
  return statement(
    db,
    `SELECT at, level, kind, channel_id AS channelId, listing_id AS listingId, product_id AS productId, status, message
     FROM sync_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`,
  ).all(...args, opts.limit) as LogExportRow[]
}
