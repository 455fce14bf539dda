// Backups of the store: SQLite's online backup (consistent while the engine writes), owner-only files in
// dataDir/backups, a retention count, a daily automatic run, and a restore that refuses anything it
// cannot vouch for and keeps the current database before replacing it.
//
// Each backup has its SHA-256 beside it (`<backup>.db.sha256`, the `sha256sum` format, so `sha256sum -c`
// checks it too). Restore refuses a backup whose content no longer matches it (a flipped bit on disk, a
// truncated copy) and one without a checksum (taken before checksums, or copied without its .sha256
// file) unless the seller says so explicitly (`allowMissingChecksum`, `lastunit restore --without-checksum`);
// either way SQLite's integrity check runs too. Restore also refuses while any other process has the
// database open (lockDatabaseFile), and changes nothing when it refuses.
import type { Database } from 'better-sqlite3'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { checkDatabaseFile, DatabaseInUseError, lockDatabaseFile, useRollbackJournal } from '../db/inspect'
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

/** Where a backup's checksum is kept. */
export const checksumFile = (backupFile: string): string => `${backupFile}.sha256`

/** The SHA-256 of a file's content, read in chunks. */
export function sha256OfFile(file: string): string {
  const hash = createHash('sha256')
  const fd = openSync(file, 'r')
  try {
    const buf = Buffer.allocUnsafe(1 << 20)
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null)
      if (n === 0) break
      hash.update(buf.subarray(0, n))
    }
  } finally {
    closeSync(fd)
  }
  return hash.digest('hex')
}

/** Writes the checksum of a backup beside it (`sha256sum` format), owner-only. */
function writeChecksum(file: string, named = basename(file)): void {
  const side = checksumFile(file)
  writeFileSync(side, `${sha256OfFile(file)}  ${named}\n`, { mode: 0o600 })
  makePrivate(side)
}

/** The checksum stored beside a backup: the hex digest, 'missing', or 'unreadable' (a damaged file). */
export function storedChecksum(backupFile: string): string | 'missing' | 'unreadable' {
  const side = checksumFile(backupFile)
  if (!existsSync(side)) return 'missing'
  try {
    const m = /^([0-9a-f]{64})(?:\s|$)/i.exec(readFileSync(side, 'utf8').trim())
    return m ? m[1]!.toLowerCase() : 'unreadable'
  } catch {
    return 'unreadable'
  }
}

/**
 * Whether a backup's content is what was written: null when its checksum matches, else the problem.
 * `allowMissing` accepts a backup that has no checksum at all (never a mismatch or a damaged one).
 */
export function checksumProblem(backupFile: string, opts: { allowMissing?: boolean } = {}): string | null {
  const stored = storedChecksum(backupFile)
  if (stored === 'missing')
    return opts.allowMissing
      ? null
      : `it has no checksum (${basename(checksumFile(backupFile))} is missing: taken by an older LastUnit, or copied without it), so it cannot be shown to be unchanged. If you trust this file, restore it with --without-checksum; SQLite's integrity check still runs`
  if (stored === 'unreadable')
    return `its checksum file ${basename(checksumFile(backupFile))} is damaged (no SHA-256 in it)`
  const actual = sha256OfFile(backupFile)
  if (actual !== stored)
    return `its content does not match its checksum (SHA-256 ${actual.slice(0, 12)}…, recorded ${stored.slice(0, 12)}…): the file changed after it was taken (damaged on disk or in a copy)`
  return null
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
    // The checksum of the final content, written before the backup takes its name: a backup never
    // appears without its checksum.
    writeChecksum(partial, name)
    renameSync(checksumFile(partial), checksumFile(file))
    renameSync(partial, file)
  } catch (e) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, checksumFile(partial), checksumFile(file)])
      rmSync(f, { force: true })
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
    for (const extra of [checksumFile(b.file), `${b.file}-wal`, `${b.file}-shm`])
      rmSync(extra, { force: true })
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

/** Restore refused while another process has the database open. */
export const IN_USE_MESSAGE =
  'another process has the database open (the LastUnit app, `lastunit run`, or another lastunit command). Quit the app (tray menu: Quit) and stop `lastunit run` (Ctrl+C), then restore again'

/**
 * Replaces the database file with a backup. Refuses, changing nothing, a backup whose checksum does not
 * match (or that has none, unless `allowMissingChecksum`), one that fails the integrity check or comes
 * from a newer schema, and any restore while another process has the database open. Keeps the current
 * database (even a corrupt one: it may still be worth rescuing) in dataDir/backups first.
 */
export function restoreDatabase(
  backupFile: string,
  dbFile: string,
  opts: { now?: number; maxSchema?: number; allowMissingChecksum?: boolean } = {},
): RestoreResult {
  const refuse = (why: string) =>
    new BackupError(
      `Refused to restore ${basename(backupFile)}: ${why}. The current database was not changed.`,
    )
  if (!existsSync(backupFile)) throw refuse(`${backupFile} does not exist`)
  const checksum = checksumProblem(backupFile, { allowMissing: opts.allowMissingChecksum === true })
  if (checksum) throw refuse(checksum)
  const problems = checkFile(backupFile, opts.maxSchema !== undefined ? { maxSchema: opts.maxSchema } : {})
  if (problems.length > 0) throw refuse(problems.join('; '))
  const dataDir = dirname(dbFile)
  const dir = backupDir(dataDir)
  let lock: { release: () => void } | null = null
  if (existsSync(dbFile)) {
    try {
      lock = lockDatabaseFile(dbFile)
    } catch (e) {
      if (e instanceof DatabaseInUseError) throw refuse(IN_USE_MESSAGE)
      throw e
    }
  }
  let previousKeptAt: string | null = null
  try {
    ensurePrivateDir(dir)
    if (existsSync(dbFile)) {
      previousKeptAt = join(dir, `lastunit-${stampOf(opts.now ?? Date.now())}-pre-restore.db`)
      // A byte copy, not an online backup: the current file may be the corrupt one being replaced. Locked,
      // its WAL is already in it; a file too damaged to lock keeps its WAL beside the copy.
      copyFileSync(dbFile, previousKeptAt)
      makePrivate(previousKeptAt)
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(dbFile + suffix)) {
          copyFileSync(dbFile + suffix, previousKeptAt + suffix)
          makePrivate(previousKeptAt + suffix)
        }
      }
      writeChecksum(previousKeptAt)
    }
  } finally {
    // Released before the rename: Windows cannot replace a file that is open.
    lock?.release()
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
  for (const b of listBackups(dataDir))
    if (checksumProblem(b.file, { allowMissing: true }) === null && checkFile(b.file).length === 0) return b
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
  const unchecked = storedChecksum(good.file) === 'missing' ? ' --without-checksum' : ''
  return `Restore the newest good backup, taken ${new Date(good.takenAt).toISOString()}: lastunit restore "${good.file}"${unchecked}`
}
