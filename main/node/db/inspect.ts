// Looking at a database rather than at its rows: versions, integrity, page counts, and checks of a
// database file that is not the open store (a backup, a file to restore).
import BetterSqlite3 from 'better-sqlite3'
import type { Database } from 'better-sqlite3'
import { LATEST_VERSION } from './migrations'

export const sqliteVersion = (db: Database): string =>
  (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v

/** SQLite's quick check: ['ok'] when the file is sound, else the problems found. */
export const quickCheck = (db: Database): string[] =>
  (db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>).map((r) => r.quick_check)

/** A storage figure of the file, in pages (page_size: in bytes). */
export const storagePragma = (db: Database, name: 'page_count' | 'page_size' | 'freelist_count'): number =>
  db.pragma(name, { simple: true }) as number

/**
 * Integrity and schema problems of a database file, opened read-only. Empty when it is sound and is a
 * LastUnit database this version can open.
 */
export function checkDatabaseFile(file: string, maxSchema: number = LATEST_VERSION): string[] {
  let db: Database | null = null
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
    const rows = db.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok')
    if (problems.length > 0) return problems.slice(0, 5)
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > maxSchema)
      return [
        `it was written by a newer version of LastUnit (schema ${version}, this version knows up to ${maxSchema})`,
      ]
    if (version === 0) return ['it is not a LastUnit database (no schema version)']
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'").get()
    if (!has) return ['it is not a LastUnit database (no settings table)']
    return []
  } catch (e) {
    return [`it cannot be read as a database: ${e instanceof Error ? e.message : String(e)}`]
  } finally {
    db?.close()
  }
}

/**
 * Switches a database file (a fresh backup, which inherits WAL mode) to a rollback journal: it is then
 * one self-contained file, and opening it to check it leaves no -wal/-shm files behind.
 */
export function useRollbackJournal(file: string): void {
  const db = new BetterSqlite3(file)
  try {
    db.pragma('journal_mode = DELETE')
  } finally {
    db.close()
  }
}

/** Another connection (another process: the app, `lastunit run`, another command) has the database open. */
export class DatabaseInUseError extends Error {
  constructor(readonly file: string) {
    super(`${file} is open in another process`)
    this.name = 'DatabaseInUseError'
  }
}

/**
 * Takes the database file for this process alone, for replacing it: fails with DatabaseInUseError while
 * any other connection has it open. The store always runs in WAL mode, where every open connection holds
 * a shared lock on the WAL index for as long as it is open, so leaving WAL mode (which SQLite allows only
 * to the last connection) tells reliably, across processes and on every OS, whether anyone else has it
 * open, busy or idle. On success the WAL is checkpointed into the file (one self-contained file to copy)
 * and an exclusive lock keeps everyone else out until release(). A file SQLite cannot read at all (a
 * corrupt one nobody can open) gives null: there is nothing to lock.
 */
export function lockDatabaseFile(file: string): { release: () => void } | null {
  let db: Database
  try {
    db = new BetterSqlite3(file, { fileMustExist: true })
  } catch {
    return null
  }
  try {
    db.pragma('busy_timeout = 0')
    db.pragma('locking_mode = EXCLUSIVE')
    db.pragma('journal_mode = DELETE')
    db.exec('BEGIN EXCLUSIVE')
  } catch (e) {
    db.close()
    const code = (e as { code?: string }).code ?? ''
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) throw new DatabaseInUseError(file)
    return null
  }
  return {
    release: () => {
      try {
        db.exec('ROLLBACK')
      } catch {
        /* nothing was written */
      }
      db.close()
    },
  }
}
