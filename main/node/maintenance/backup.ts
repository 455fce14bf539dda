// Backups of the store: SQLite's online backup (consistent while the engine writes), owner-only files in
// dataDir/backups, a retention count, a daily automatic run, and a restore that refuses anything it
// cannot vouch for and keeps the current database before replacing it.
import type { Database } from 'better-sqlite3'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { checkDatabaseFile, useRollbackJournal } from '../db/inspect'
import { LATEST_VERSION } from '../db/migrations'

export const BACKUP_DIR = 'backups'
export const DEFAULT_RETENTION = 7
const DAY_MS = 24 * 60 * 60 * 1000
const NAME_RE = /^lastunit-(\d{8}T\d{6}(?:\d{3})?Z)(?:-(auto|manual|pre-restore))?\.db$/

export interface BackupInfo {
  file: string
  name: string
  /** When it was taken (from the name: the file's mtime changes when a seller copies it). */
  takenAt: number
  kind: 'auto' | 'manual' | 'pre-restore'
  bytes: number
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackupError'
  }
}

export const backupDir = (dataDir: string): string => join(dataDir, BACKUP_DIR)

const stampOf = (ms: number): string => new Date(ms).toISOString().replace(/[-:.]/g, '')

const parseStamp = (s: string): number => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z$/.exec(s)
  if (!m) return NaN
  const [, y, mo, d, h, mi, se, ms] = m
  return Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +se!, ms ? +ms : 0)
}

function ensurePrivateDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 })
  try {
    chmodSync(dir, 0o700)
  } catch {
    /* file systems without modes */
  }
}

function makePrivate(file: string): void {
  try {
    chmodSync(file, 0o600)
  } catch {
    /* file systems without modes */
  }
}

/** Backups in dataDir/backups, newest first. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupDir(dataDir)
  if (!existsSync(dir)) return []
  const out: BackupInfo[] = []
  for (const name of readdirSync(dir)) {
    const m = NAME_RE.exec(name)
    if (!m) continue
    const file = join(dir, name)
    out.push({
      file,
      name,
      takenAt: parseStamp(m[1]!),
      kind: (m[2] as BackupInfo['kind'] | undefined) ?? 'manual',
      bytes: statSync(file).size,
    })
  }
  return out.sort((a, b) => b.takenAt - a.takenAt || b.name.localeCompare(a.name))
}

export interface BackupOptions {
  now?: number
  kind?: 'auto' | 'manual'
  /** How many automatic and manual backups to keep; older ones are deleted. */
  retention?: number
}

/** Takes an online backup of an open database. Safe while the engine is writing. */
export async function backupDatabase(
  db: Database,
  dataDir: string,
  opts: BackupOptions = {},
): Promise<BackupInfo> {
  const now = opts.now ?? Date.now()
  const kind = opts.kind ?? 'manual'
  const dir = backupDir(dataDir)
  ensurePrivateDir(dir)
  const name = `lastunit-${stampOf(now)}-${kind}.db`
  const file = join(dir, name)
  // Written under a temporary name and renamed: a crash or a full disk never leaves a half backup that
  // looks like a good one.
  const partial = `${file}.partial`
  try {
    await db.backup(partial)
    makePrivate(partial)
    // The copy inherits WAL mode; switched to a rollback journal it is one self-contained file, and
    // opening it to check it leaves no -wal/-shm files behind.
    useRollbackJournal(partial)
    const problems = checkFile(partial)
    if (problems.length > 0) throw new BackupError(`The new backup failed its check: ${problems.join('; ')}`)
    renameSync(partial, file)
  } catch (e) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true })
    if (e instanceof BackupError) throw e
    throw new BackupError(
      `The backup to ${file} failed: ${e instanceof Error ? e.message : String(e)}. ` +
        'Check that the disk has free space; the database itself was not changed.',
    )
  }
  pruneBackups(dataDir, opts.retention ?? DEFAULT_RETENTION)
  return { file, name, takenAt: now, kind, bytes: statSync(file).size }
}

/** Keeps the `retention` newest automatic and manual backups. Pre-restore copies are kept apart (3). */
export function pruneBackups(dataDir: string, retention: number): string[] {
  const removed: string[] = []
  const all = listBackups(dataDir)
  const regular = all.filter((b) => b.kind !== 'pre-restore')
  const safety = all.filter((b) => b.kind === 'pre-restore')
  for (const b of [...regular.slice(Math.max(1, retention)), ...safety.slice(3)]) {
    rmSync(b.file, { force: true })
    removed.push(b.file)
  }
  return removed
}

/** The daily automatic backup: takes one when the newest automatic one is a day old or missing. */
export async function backupIfDue(
  db: Database,
  dataDir: string,
  opts: { now?: number; retention?: number } = {},
): Promise<BackupInfo | null> {
  const now = opts.now ?? Date.now()
  const lastAuto = listBackups(dataDir).find((b) => b.kind === 'auto')
  if (lastAuto && now - lastAuto.takenAt < DAY_MS) return null
  return backupDatabase(db, dataDir, { now, kind: 'auto', retention: opts.retention ?? DEFAULT_RETENTION })
}

/**
 * Starts the daily backup: one check now and one every hour (a laptop asleep at midnight still gets its
 * backup when it wakes). Errors are reported, never thrown into the engine. Returns a stop function.
 */
export function startAutomaticBackups(
  db: Database,
  dataDir: string,
  opts: {
    retention?: number
    checkEveryMs?: number
    onError?: (e: unknown) => void
    onBackup?: (b: BackupInfo) => void
  } = {},
): () => void {
  let running = false
  const tick = (): void => {
    if (running || !db.open) return
    running = true
    backupIfDue(db, dataDir, opts.retention !== undefined ? { retention: opts.retention } : {})
      .then((b) => {
        if (b) opts.onBackup?.(b)
      })
      .catch((e: unknown) => opts.onError?.(e))
      .finally(() => {
        running = false
      })
  }
  tick()
  const timer = setInterval(tick, opts.checkEveryMs ?? 60 * 60 * 1000)
  timer.unref()
  return () => clearInterval(timer)
}

/** Integrity and schema problems of a database file, opened read-only. Empty when it is sound. */
export function checkFile(file: string, opts: { maxSchema?: number } = {}): string[] {
  if (!existsSync(file)) return [`${file} does not exist`]
  return checkDatabaseFile(file, opts.maxSchema ?? LATEST_VERSION)
}

export interface RestoreResult {
  restoredFrom: string
  /** Where the database that was replaced now is (null when there was none). */
  previousKeptAt: string | null
}

/**
 * Replaces the database file with a backup. The app must not have the database open. Refuses a backup that
 * fails the integrity check or comes from a newer schema; keeps the current database (even a corrupt
 * one: it may still be worth rescuing) in dataDir/backups first.
 */
export function restoreDatabase(
  backupFile: string,
  dbFile: string,
  opts: { now?: number; maxSchema?: number } = {},
): RestoreResult {
  const problems = checkFile(backupFile, opts.maxSchema !== undefined ? { maxSchema: opts.maxSchema } : {})
  if (problems.length > 0)
    throw new BackupError(
      `Refused to restore ${basename(backupFile)}: ${problems.join('; ')}. The current database was not changed.`,
    )
  const dataDir = dirname(dbFile)
  const dir = backupDir(dataDir)
  ensurePrivateDir(dir)
  let previousKeptAt: string | null = null
  if (existsSync(dbFile)) {
    previousKeptAt = join(dir, `lastunit-${stampOf(opts.now ?? Date.now())}-pre-restore.db`)
    // A byte copy, not an online backup: the current file may be the corrupt one being replaced. Its WAL
    // travels with it so nothing committed is lost.
    copyFileSync(dbFile, previousKeptAt)
    makePrivate(previousKeptAt)
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(dbFile + suffix)) {
        copyFileSync(dbFile + suffix, previousKeptAt + suffix)
        makePrivate(previousKeptAt + suffix)
      }
    }
  }
  const incoming = `${dbFile}.restoring`
  copyFileSync(backupFile, incoming)
  makePrivate(incoming)
  // The old WAL belongs to the old file; left in place SQLite would replay it over the restored one.
  for (const suffix of ['-wal', '-shm']) rmSync(dbFile + suffix, { force: true })
  renameSync(incoming, dbFile)
  return { restoredFrom: backupFile, previousKeptAt }
}

/** The newest backup that passes the check, for telling a seller what to restore. */
export function newestGoodBackup(dataDir: string): BackupInfo | null {
  for (const b of listBackups(dataDir)) if (checkFile(b.file).length === 0) return b
  return null
}

/** What to tell the seller when the database fails its check at open. */
export function corruptionAdvice(dataDir: string): string {
  const good = newestGoodBackup(dataDir)
  if (!good)
    return (
      'No usable backup was found in ' +
      backupDir(dataDir) +
      '. Move the damaged file away to start fresh, ' +
      'then import your configuration file.'
    )
  return `Restore the newest good backup, taken ${new Date(good.takenAt).toISOString()}: lastunit restore "${good.file}"`
}
