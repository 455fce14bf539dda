// Maintenance for a running host (desktop app or `lastunit run`): owner-only permissions on the data
// folder at start, then the daily backup with its retention count.
import type { Database } from 'better-sqlite3'
import { DEFAULT_RETENTION, startAutomaticBackups, type BackupInfo } from './backup'
import { enforcePrivatePermissions } from './permissions'

export {
  backupDatabase,
  backupIfDue,
  BackupError,
  checkFile,
  corruptionAdvice,
  listBackups,
  newestGoodBackup,
  restoreDatabase,
} from './backup'
export { buildDiagnostics, writeDiagnostics } from './diagnostics'
export { enforcePrivatePermissions } from './permissions'
export { classifyStorageError, guardedWrite, StorageError } from './storage-errors'
export { openStoreWithAdvice, registerMaintenanceCommands } from './cli-commands'

export interface MaintenanceOptions {
  retention?: number
  onBackup?: (b: BackupInfo) => void
  onError?: (e: unknown) => void
}

/** Call once the store is open; returns the function to call before closing it. */
export function startMaintenance(db: Database, dataDir: string, opts: MaintenanceOptions = {}): () => void {
  try {
    enforcePrivatePermissions(dataDir)
  } catch (e) {
    opts.onError?.(e)
  }
  return startAutomaticBackups(db, dataDir, {
    retention: opts.retention ?? DEFAULT_RETENTION,
    ...(opts.onBackup ? { onBackup: opts.onBackup } : {}),
    ...(opts.onError ? { onError: opts.onError } : {}),
  })
}
