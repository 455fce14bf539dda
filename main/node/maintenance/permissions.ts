// Owner-only permissions on everything in the data folder that holds the seller's data: the database, its
// WAL and shared-memory files, backups and diagnostics bundles.
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { backupDir } from './backup'

export interface PermissionFix {
  file: string
  from: number
  to: number
}

const DATA_FILE = /^(lastunit.*\.db(-wal|-shm|-journal)?|.*\.db(-wal|-shm)?|diagnostics.*\.json)$/

function tighten(file: string, want: number, fixes: PermissionFix[]): void {
  const mode = statSync(file).mode & 0o777
  if ((mode & ~want) === 0) return
  chmodSync(file, want)
  fixes.push({ file, from: mode, to: want })
}

/** Makes the data folder, backups and data files owner-only. Returns what was changed. */
export function enforcePrivatePermissions(dataDir: string): PermissionFix[] {
  if (process.platform === 'win32' || !existsSync(dataDir)) return []
  const fixes: PermissionFix[] = []
  tighten(dataDir, 0o700, fixes)
  for (const dir of [dataDir, backupDir(dataDir)]) {
    if (!existsSync(dir)) continue
    if (dir !== dataDir) tighten(dir, 0o700, fixes)
    for (const name of readdirSync(dir)) {
      const file = join(dir, name)
      if (statSync(file).isFile() && DATA_FILE.test(name)) tighten(file, 0o600, fixes)
    }
  }
  return fixes
}
