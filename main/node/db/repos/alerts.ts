// Alerts the seller must see (a channel that needs new credentials, a blocked listing, an oversell).
// One open alert per (kind, subject): raising it again updates it instead of piling up.
import type { Database } from 'better-sqlite3'
import { statement } from '../statement'

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

export function raiseAlert(
  db: Database,
  a: {
    kind: string
    severity: AlertSeverity
    channelId: string | null
    subject: string
    message: string
    details?: Record<string, unknown>
    at: number
  },
): void {
  statement(
    db,
    `INSERT INTO alerts (kind, severity, channel_id, subject, message, details, raised_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, subject) DO UPDATE SET severity = excluded.severity, message = excluded.message,
       details = excluded.details, raised_at = excluded.raised_at, cleared_at = NULL`,
  ).run(a.kind, a.severity, a.channelId, a.subject, a.message, JSON.stringify(a.details ?? {}), a.at)
}

export function clearAlert(db: Database, kind: string, subject: string, at: number): void {
  statement(db, 'UPDATE alerts SET cleared_at = ? WHERE kind = ? AND subject = ? AND cleared_at IS NULL').run(
    at,
    kind,
    subject,
  )
}

export function activeAlerts(db: Database): Alert[] {
  const rows = statement(
    db,
    'SELECT * FROM alerts WHERE cleared_at IS NULL ORDER BY raised_at DESC',
  ).all() as Array<{
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

export const openAlertCount = (db: Database): number =>
  (statement(db, 'SELECT COUNT(*) AS n FROM alerts WHERE cleared_at IS NULL').get() as { n: number }).n

/** Every alert ever raised and kept, open or cleared. */
export const alertCount = (db: Database): number =>
  (statement(db, 'SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n

/** The open alerts, newest first, without their details (the alerts list). */
export const openAlertSummaries = (
  db: Database,
): Array<Pick<Alert, 'id' | 'kind' | 'severity' | 'channelId' | 'subject' | 'message' | 'raisedAt'>> =>
  statement(
    db,
    `SELECT id, kind, severity, channel_id AS channelId, subject, message, raised_at AS raisedAt
     FROM alerts WHERE cleared_at IS NULL ORDER BY raised_at DESC`,
  ).all() as Array<Pick<Alert, 'id' | 'kind' | 'severity' | 'channelId' | 'subject' | 'message' | 'raisedAt'>>

/** The message of the open alert of this kind and subject; undefined when there is none. */
export const openAlertMessage = (db: Database, kind: string, subject: string): string | undefined =>
  (
    statement(db, 'SELECT message FROM alerts WHERE kind = ? AND subject = ? AND cleared_at IS NULL').get(
      kind,
      subject,
    ) as { message: string } | undefined
  )?.message

export const isAlertOpen = (db: Database, kind: string, subject: string): boolean =>
  !!statement(db, 'SELECT 1 FROM alerts WHERE kind = ? AND subject = ? AND cleared_at IS NULL').get(
    kind,
    subject,
  )

/** The subjects of the open alerts of a kind (to clear them once resolved). */
export const openAlertSubjects = (db: Database, kind: string): string[] =>
  (
    statement(db, 'SELECT subject FROM alerts WHERE kind = ? AND cleared_at IS NULL').all(kind) as Array<{
      subject: string
    }>
  ).map((r) => r.subject)
