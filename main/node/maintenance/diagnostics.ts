// The support bundle: one JSON file a seller can send. Everything in it passes through redact(), and the
// configuration comes from exportConfig, which already leaves stored secrets out; redaction is the
// second line, for secrets that reached settings, URLs or log text.
import type { Database } from 'better-sqlite3'
import { chmodSync, writeFileSync } from 'node:fs'
import { arch, platform, release } from 'node:os'
import { exportConfig } from '../config/config-service'
import { quickCheck, sqliteVersion, storagePragma } from '../db/inspect'
import { userVersion } from '../db/migrations'
import { alertCount } from '../db/repos/alerts'
import { outboxSummaryByChannel } from '../db/repos/outbox'
import { pushStatusCountsByChannel } from '../db/repos/push-state'
import { recentSyncLog } from '../db/repos/sync-log'
import { appVersion } from '../app-info/version'
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
  const sqlite = safe(() => sqliteVersion(db), 'unknown')
  const quick = safe(() => quickCheck(db), ['could not run'])
  const byChannel = safe(
    () =>
      outboxSummaryByChannel(db).map((r) => ({
        channelId: r.channelId,
        queued: r.queued,
        retrying: r.retrying ?? 0,
        oldestEnqueuedAt: r.oldest === null ? null : new Date(r.oldest).toISOString(),
      })),
    [],
  )
  const pushStatus = safe(() => pushStatusCountsByChannel(db), [])
  const openAlerts = safe(() => alertCount(db), -1)
  const recentLog = safe(() => recentSyncLog(db, { limit: opts.logLimit ?? 500 }), [])
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
      pageCount: safe(() => storagePragma(db, 'page_count'), -1),
      pageSize: safe(() => storagePragma(db, 'page_size'), -1),
      freePages: safe(() => storagePragma(db, 'freelist_count'), -1),
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
