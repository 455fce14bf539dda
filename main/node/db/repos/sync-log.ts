// The structured sync log: every push result, poll, order and error, kept for a retention period.
import type { Database, Statement } from 'better-sqlite3'
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

export class SyncLogRepo {
  private readonly sInsert: Statement

  constructor(private readonly db: Database) {
    this.sInsert = db.prepare(
      `INSERT INTO sync_log (at, level, kind, channel_id, listing_id, product_id, status, message, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
  }

  /** Call inside the caller's transaction when the entry belongs to a state change. */
  append(e: SyncLogEntry): void {
    this.sInsert.run(
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

  recent(
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
    const rows = this.db
      .prepare(
        `SELECT * FROM sync_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...args, opts.limit ?? 200) as Array<{
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
  prune(before: number, maxRows: number): number {
    let n = this.db.prepare('DELETE FROM sync_log WHERE at < ?').run(before).changes
    n += this.db
      .prepare('DELETE FROM sync_log WHERE id <= (SELECT id FROM sync_log ORDER BY id DESC LIMIT 1 OFFSET ?)')
      .run(maxRows).changes
    return n
  }
}
