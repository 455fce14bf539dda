// Opening the store: WAL, foreign keys, a busy timeout, an integrity check, then migrations.
import BetterSqlite3 from 'better-sqlite3'
import type { Database } from 'better-sqlite3'
import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { migrate, type Migration, MIGRATIONS } from './migrations'
import { classifyStorageError, StorageError } from '../maintenance/storage-errors'

export type { Database } from 'better-sqlite3'

export class DatabaseCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `The database ${file} failed its integrity check (${problems.slice(0, 3).join('; ')}). ` +
        `LastUnit did not touch it. Restore a backup with "lastunit restore", or move the file away to start fresh.`,
    )
    this.name = 'DatabaseCorruptError'
  }
}

export interface OpenOptions {
  /** Path to the Electron-ABI build of better-sqlite3, when running under Electron in development. */
  nativeBinding?: string
  migrations?: readonly Migration[]
  readonly?: boolean
  busyTimeoutMs?: number
}

export function openDatabase(file: string, opts: OpenOptions = {}): Database {
  if (file !== ':memory:') {
    const dir = dirname(file)
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 })
  }
  const db = new BetterSqlite3(file, {
    readonly: opts.readonly ?? false,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  })
  try {
    if (file !== ':memory:' && !opts.readonly) {
      // Owner-only: the file holds ciphertext of credentials and the seller's catalogue.
      try {
        chmodSync(file, 0o600)
      } catch {
        /* not fatal on file systems without modes */
      }
    }
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`)
    const check = db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>
    const problems = check.map((r) => r.quick_check).filter((r) => r !== 'ok')
    if (problems.length > 0) throw new DatabaseCorruptError(file, problems)
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
    }
    db.pragma('foreign_keys = ON')
    if (!opts.readonly) migrate(db, file, opts.migrations ?? MIGRATIONS)
    return db
  } catch (e) {
    db.close()
    // A read-only folder, a full disk: said plainly, with the file it is about.
    const storage = classifyStorageError(e)
    if (storage) throw new StorageError(storage.problem, `${storage.message} (${file})`, storage.sqliteCode)
    throw e
  }
}
