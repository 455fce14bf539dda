// The support bundle: one JSON file a seller can send. Everything in it passes through redact(), and the
// configuration comes from exportConfig, which already leaves stored secrets out; redaction is the
// second line, for secrets that reached settings, URLs or log text.
import type { Database } from 'better-sqlite3'
import { chmodSync, writeFileSync } from 'node:fs'
import { arch, platform, release } from 'node:os'
import { exportConfig } from '../config/config-service'
import { userVersion } from '../db/migrations'
import { SyncLogRepo } from '../db/repos/sync-log'
import { appVersion } from '../host/version'
import { redact } from '../redaction'
import { listBackups } from './backup'

export interface DiagnosticsBundle {
  format: 'lastunit-diagnostics/1'
  generatedAt: string
  versions: Record<string, string | number>
  database: { schema: number; quickCheck: string[]; pageCount: number; pageSize: number; freePages: number }
  config: unknown
  queue: {
    byChannel: Array<{ channelId: string; queued: number; retrying: number; oldestEnqueuedAt: string | null }>
    pushStatus: Array<{ channelId: string; status: string; count: number }>
    openAlerts: number
  }
  backups: Array<{ name: string; takenAt: string; bytes: number }>
  recentLog: unknown[]
}

const safe = <T>(f: () => T, fallback: T): T => {
  try {
    return f()
  } catch {
    return fallback
  }
}

export function buildDiagnostics(
  db: Database,
  dataDir: string,
  opts: { logLimit?: number; now?: number; knownSecrets?: readonly string[] } = {},
): DiagnosticsBundle {
  const known = opts.knownSecrets ?? []
  const sqlite = safe(() => (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v, 'unknown')
  const quick = safe(
    () =>
      (db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>).map(
        (r) => r.quick_check,
      ),
    ['could not run'],
  )
  const byChannel = safe(
    () =>
      (
        db
          .prepare(
            `SELECT channel_id AS channelId, COUNT(*) AS queued, SUM(attempts > 0) AS retrying,
                    MIN(enqueued_at) AS oldest FROM outbox GROUP BY channel_id ORDER BY channel_id`,
          )
          .all() as Array<{
          channelId: string
          queued: number
          retrying: number | null
          oldest: number | null
        }>
      ).map((r) => ({
        channelId: r.channelId,
        queued: r.queued,
        retrying: r.retrying ?? 0,
        oldestEnqueuedAt: r.oldest === null ? null : new Date(r.oldest).toISOString(),
      })),
    [],
  )
  const pushStatus = safe(
    () =>
      db
        .prepare(
          `SELECT channel_id AS channelId, status, COUNT(*) AS count FROM push_state
           GROUP BY channel_id, status ORDER BY channel_id, status`,
        )
        .all() as Array<{ channelId: string; status: string; count: number }>,
    [],
  )
  const openAlerts = safe(() => (db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n, -1)
  const recentLog = safe(() => new SyncLogRepo(db).recent({ limit: opts.logLimit ?? 500 }), [])
  const bundle: DiagnosticsBundle = {
    format: 'lastunit-diagnostics/1',
    generatedAt: new Date(opts.now ?? Date.now()).toISOString(),
    versions: {
      lastunit: appVersion(),
      node: process.versions.node,
      ...(process.versions.electron ? { electron: process.versions.electron } : {}),
      sqlite,
      platform: `${platform()} ${release()} ${arch()}`,
    },
    database: {
      schema: safe(() => userVersion(db), -1),
      quickCheck: quick,
      pageCount: safe(() => db.pragma('page_count', { simple: true }) as number, -1),
      pageSize: safe(() => db.pragma('page_size', { simple: true }) as number, -1),
      freePages: safe(() => db.pragma('freelist_count', { simple: true }) as number, -1),
    },
    config: safe<unknown>(() => exportConfig(db), { error: 'the configuration could not be read' }),
    queue: { byChannel, pushStatus, openAlerts },
    backups: listBackups(dataDir).map((b) => ({
      name: b.name,
      takenAt: new Date(b.takenAt).toISOString(),
      bytes: b.bytes,
    })),
    recentLog,
  }
  return redact(bundle, known)
}

/** Writes the bundle as JSON, owner-only (it names the seller's shops and products). */
export function writeDiagnostics(file: string, bundle: DiagnosticsBundle): void {
  writeFileSync(file, JSON.stringify(bundle, null, 2) + '\n', { mode: 0o600 })
  try {
    chmodSync(file, 0o600)
  } catch {
    /* file systems without modes */
  }
}
