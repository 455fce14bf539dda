// `lastunit backup`, `lastunit restore FILE` and `lastunit diagnostics`, registered on the CLI's program by
// main/cli.ts. They open the store themselves: restore must run with the database closed, and a database
// that fails its check at open must still be restorable.
import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DatabaseCorruptError, openDatabase, type Database } from '../db/database'
import { DatabaseTooNewError } from '../db/migrations'
import { databaseFile } from '../app-info/paths'
import { redactText } from '../redaction'
import { backupDatabase, corruptionAdvice, DEFAULT_RETENTION, listBackups, restoreDatabase } from './backup'
import { buildDiagnostics, writeDiagnostics } from './diagnostics'
import { enforcePrivatePermissions } from './permissions'
import { classifyStorageError } from './storage-errors'

export interface MaintenanceContext {
  io: { out: (line: string) => void; err: (line: string) => void }
  /** The data folder chosen by the global options (--data-dir, $LASTUNIT_DATA_DIR or the default). */
  dataDir: () => string
  /** Ends the command with an exit code and a message (main/cli.ts passes its CliExit). */
  fail: (code: number, message: string) => never
  /**
   * The stored secret values, decrypted when a key is at hand (none: an empty list): the diagnostics
   * bundle is redacted by these values as well as by patterns.
   */
  storedSecrets?: (db: Database) => string[]
}

/** Opens the store, turning a failed integrity check into advice naming the backup to restore. */
export function openStoreWithAdvice(dataDir: string): Database {
  try {
    return openDatabase(databaseFile(dataDir))
  } catch (e) {
    // Damage bad enough makes the check itself fail with SQLITE_CORRUPT or SQLITE_NOTADB rather than
    // report problems; for the seller it is the same situation.
    const code = (e as { code?: unknown } | null)?.code
    const corrupt =
      e instanceof DatabaseCorruptError
        ? e
        : code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB'
          ? new DatabaseCorruptError(databaseFile(dataDir), [e instanceof Error ? e.message : String(code)])
          : null
    if (corrupt) {
      const err = new DatabaseCorruptError(corrupt.file, corrupt.problems)
      err.message = `${corrupt.message}\n${corruptionAdvice(dataDir)}`
      throw err
    }
    if (e instanceof DatabaseTooNewError) throw e
    throw classifyStorageError(e) ?? e
  }
}

const message = (e: unknown): string => redactText(e instanceof Error ? e.message : String(e))

export function registerMaintenanceCommands(program: Command, ctx: MaintenanceContext): void {
  const { io } = ctx
  const open = (): { db: Database; dataDir: string } => {
    const dataDir = ctx.dataDir()
    if (!existsSync(databaseFile(dataDir))) ctx.fail(1, `There is no LastUnit database in ${dataDir}.`)
    try {
      return { db: openStoreWithAdvice(dataDir), dataDir }
    } catch (e) {
      return ctx.fail(1, message(e))
    }
  }

  program
    .command('backup')
    .description('take a backup of the database now (into <data-dir>/backups, owner-only)')
    .option('--keep <n>', `backups to keep (default ${DEFAULT_RETENTION})`, (v) => Number.parseInt(v, 10))
    .option('--list', 'list the backups instead of taking one')
    .action(async (o: { keep?: number; list?: boolean }) => {
      if (o.list) {
        const all = listBackups(ctx.dataDir())
        if (all.length === 0) io.out('No backups yet.')
        for (const b of all)
          io.out(`${new Date(b.takenAt).toISOString()}  ${b.kind.padEnd(11)} ${b.bytes} bytes  ${b.file}`)
        return
      }
      if (o.keep !== undefined && (!Number.isInteger(o.keep) || o.keep < 1))
        ctx.fail(2, '--keep must be a whole number of at least 1.')
      const { db, dataDir } = open()
      try {
        const b = await backupDatabase(db, dataDir, {
          kind: 'manual',
          retention: o.keep ?? DEFAULT_RETENTION,
        })
        enforcePrivatePermissions(dataDir)
        io.out(`Backup written: ${b.file} (${b.bytes} bytes).`)
      } catch (e) {
        ctx.fail(1, message(e))
      } finally {
        db.close()
      }
    })

  program
    .command('restore')
    .argument('<file>', 'the backup file to restore')
    .description(
      'replace the database with a backup (refused while the app or `lastunit run` has it open, or when the backup does not match its checksum)',
    )
    .option(
      '--without-checksum',
      'restore a backup that has no .sha256 file (an older one, or copied without it); it must still pass the integrity check',
    )
    .action((file: string, o: { withoutChecksum?: boolean }) => {
      const dataDir = ctx.dataDir()
      const src = existsSync(file) ? resolve(file) : join(dataDir, 'backups', file)
      try {
        const r = restoreDatabase(src, databaseFile(dataDir), {
          ...(o.withoutChecksum ? { allowMissingChecksum: true } : {}),
        })
        enforcePrivatePermissions(dataDir)
        io.out(`Restored ${r.restoredFrom}.`)
        if (r.previousKeptAt) io.out(`The database it replaced was kept as ${r.previousKeptAt}.`)
      } catch (e) {
        ctx.fail(1, message(e))
      }
    })

  program
    .command('diagnostics')
    .description(
      'write a redacted support bundle (versions, configuration without secrets, recent log, queue)',
    )
    .option('--out <file>', 'where to write it (default: <data-dir>/diagnostics-<time>.json)')
    .action((o: { out?: string }) => {
      const { db, dataDir } = open()
      try {
        const bundle = buildDiagnostics(db, dataDir, { knownSecrets: ctx.storedSecrets?.(db) ?? [] })
        const out = o.out ?? join(dataDir, `diagnostics-${bundle.generatedAt.replace(/[-:.]/g, '')}.json`)
        writeDiagnostics(out, bundle)
        io.out(`Diagnostics written to ${out}. Secrets were removed; please check it before sending it.`)
      } catch (e) {
        ctx.fail(1, message(e))
      } finally {
        db.close()
      }
    })
}
