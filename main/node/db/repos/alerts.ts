// Alerts the seller must see (a channel that needs new credentials, a blocked listing, an oversell).
// One open alert per (kind, subject): raising it again updates it instead of piling up.
import type { Database } from 'better-sqlite3'

export type AlertSeverity = 'info' | 'warning' | 'critical'

export interface Alert {
  id: number
  kind: string
  severity: AlertSeverity
  channelId: string | null
  subject: string
  message: string
  details: Record<string, unknown>
  raisedAt: number
  clearedAt: number | null
}

export class AlertsRepo {
  constructor(private readonly db: Database) {}

  raise(a: {
    kind: string
    severity: AlertSeverity
    channelId: string | null
    subject: string
    message: string
    details?: Record<string, unknown>
    at: number
  }): void {
    this.db
      .prepare(
        `INSERT INTO alerts (kind, severity, channel_id, subject, message, details, raised_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (kind, subject) DO UPDATE SET severity = excluded.severity, message = excluded.message,
           details = excluded.details, raised_at = excluded.raised_at, cleared_at = NULL`,
      )
      .run(a.kind, a.severity, a.channelId, a.subject, a.message, JSON.stringify(a.details ?? {}), a.at)
  }

  clear(kind: string, subject: string, at: number): void {
    this.db
      .prepare('UPDATE alerts SET cleared_at = ? WHERE kind = ? AND subject = ? AND cleared_at IS NULL')
      .run(at, kind, subject)
  }

  active(): Alert[] {
    const rows = this.db
      .prepare('SELECT * FROM alerts WHERE cleared_at IS NULL ORDER BY raised_at DESC')
      .all() as Array<{
      id: number
      kind: string
      severity: AlertSeverity
      channel_id: string | null
      subject: string
      message: string
      details: string
      raised_at: number
      cleared_at: number | null
    }>
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      severity: r.severity,
      channelId: r.channel_id,
      subject: r.subject,
      message: r.message,
      details: JSON.parse(r.details) as Record<string, unknown>,
      raisedAt: r.raised_at,
      clearedAt: r.cleared_at,
    }))
  }
}
