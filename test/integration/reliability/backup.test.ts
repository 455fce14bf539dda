import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  chmodSync,
  copyFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import { DatabaseCorruptError, openDatabase, type Database } from '../../../main/node/db/database'
import { LATEST_VERSION } from '../../../main/node/db/migrations'
import { databaseFile } from '../../../main/node/app-info/paths'
import {
  backupDatabase,
  backupDir,
  backupIfDue,
  checkFile,
  listBackups,
  restoreDatabase,
} from '../../../main/node/maintenance/backup'
import { enforcePrivatePermissions } from '../../../main/node/maintenance/permissions'
import { openStoreWithAdvice, registerMaintenanceCommands } from '../../../main/node/maintenance/cli-commands'
import { tempDir } from '../../helpers/app'

const DAY = 24 * 60 * 60 * 1000
const T0 = Date.UTC(2026, 10, 1, 9, 0, 0)
const modeOf = (f: string): number => statSync(f).mode & 0o777

let dir: string
let cleanup: () => void
let db: Database
beforeEach(() => {
  ;({ dir, cleanup } = tempDir('lastunit-backup-'))
  db = openDatabase(databaseFile(dir))
  db.prepare("INSERT INTO settings (key, value) VALUES ('probe', 'before')").run()
})
afterEach(() => {
  if (db.open) db.close()
  cleanup()
})

const probe = (d: Database): string | undefined =>
  (d.prepare("SELECT value FROM settings WHERE key = 'probe'").get() as { value: string } | undefined)?.value

/** Flips bytes in the middle of a file's b-tree pages, the way a failing disk does. */
function corrupt(file: string): void {
  const buf = readFileSync(file)
  const page = 4096
  for (let off = page + 16; off < buf.length; off += 97) buf[off] = (buf[off]! ^ 0x5a) & 0xff
  writeFileSync(file, buf)
}

describe('backups', () => {
  it('round-trips: a backup restored brings back exactly what was backed up, and keeps the replaced database', async () => {
    const b = await backupDatabase(db, dir, { now: T0 })
    db.prepare("UPDATE settings SET value = 'after' WHERE key = 'probe'").run()
    db.close()
    const r = restoreDatabase(b.file, databaseFile(dir), { now: T0 + 1000 })
    expect(r.previousKeptAt).not.toBeNull()
    const restored = openDatabase(databaseFile(dir))
    expect(probe(restored)).toBe('before')
    restored.close()
    const kept = openDatabase(r.previousKeptAt!, { readonly: true })
    expect(probe(kept)).toBe('after')
    kept.close()
    db = openDatabase(databaseFile(dir))
  })

  it('files are owner-only (0600) and the backup folder is 0700', async () => {
    const b = await backupDatabase(db, dir, { now: T0 })
    expect(modeOf(b.file)).toBe(0o600)
    expect(modeOf(backupDir(dir))).toBe(0o700)
    expect(modeOf(databaseFile(dir))).toBe(0o600)
    // A copy made loose by hand is tightened by the permission sweep.
    chmodSync(b.file, 0o644)
    chmodSync(backupDir(dir), 0o755)
    const fixes = enforcePrivatePermissions(dir)
    expect(fixes.map((f) => f.file)).toEqual(expect.arrayContaining([b.file, backupDir(dir)]))
    expect(modeOf(b.file)).toBe(0o600)
    expect(modeOf(backupDir(dir))).toBe(0o700)
  })

  it('keeps only the retention count, newest first', async () => {
    for (let i = 0; i < 6; i++) await backupDatabase(db, dir, { now: T0 + i * DAY, retention: 3 })
    const left = listBackups(dir)
    expect(left.map((b) => b.takenAt)).toEqual([T0 + 5 * DAY, T0 + 4 * DAY, T0 + 3 * DAY])
    // Each backup is one self-contained file with its checksum: no partial, WAL or shared-memory files
    // left beside them, and no checksum of a pruned one.
    expect(readdirSync(backupDir(dir)).sort()).toEqual(
      left.flatMap((b) => [b.name, `${b.name}.sha256`]).sort(),
    )
  })

  it('the daily backup runs once a day, not more', async () => {
    expect(await backupIfDue(db, dir, { now: T0 })).not.toBeNull()
    expect(await backupIfDue(db, dir, { now: T0 + DAY / 2 })).toBeNull()
    expect(await backupIfDue(db, dir, { now: T0 + DAY })).not.toBeNull()
    expect(listBackups(dir).filter((b) => b.kind === 'auto')).toHaveLength(2)
  })

  it('refuses a corrupted backup and leaves the current database untouched', async () => {
    const b = await backupDatabase(db, dir, { now: T0 })
    // Enough rows that the file has pages past the first to damage.
    const ins = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)')
    for (let i = 0; i < 2000; i++) ins.run(`k${i}`, 'x'.repeat(50))
    const big = await backupDatabase(db, dir, { now: T0 + 1 })
    corrupt(big.file)
    expect(checkFile(big.file).length).toBeGreaterThan(0)
    db.close()
    const before = readFileSync(databaseFile(dir))
    expect(() => restoreDatabase(big.file, databaseFile(dir))).toThrow(/Refused to restore/)
    expect(readFileSync(databaseFile(dir)).equals(before)).toBe(true)
    expect(checkFile(b.file)).toEqual([])
    db = openDatabase(databaseFile(dir))
  })

  it('refuses a backup from a newer schema and a file that is not a database', async () => {
    const b = await backupDatabase(db, dir, { now: T0 })
    const newer = join(dir, 'newer.db')
    copyFileSync(b.file, newer)
    const n = openDatabase(newer, { migrations: [], readonly: true })
    n.close()
    const w = new (await import('better-sqlite3')).default(newer)
    w.pragma(`user_version = ${LATEST_VERSION + 1}`)
    w.close()
    db.close()
    // Copies without their checksum: restored only when the seller says so, and checked all the same.
    const unchecked = { allowMissingChecksum: true }
    expect(() => restoreDatabase(newer, databaseFile(dir), unchecked)).toThrow(/newer version of LastUnit/)
    const junk = join(dir, 'junk.db')
    writeFileSync(junk, 'this is not sqlite at all '.repeat(200))
    expect(() => restoreDatabase(junk, databaseFile(dir), unchecked)).toThrow(/Refused to restore/)
    db = openDatabase(databaseFile(dir))
    expect(probe(db)).toBe('before')
  })

  it('a database failing its check at open is not touched, and the seller is told which backup to restore', async () => {
    const ins = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)')
    for (let i = 0; i < 2000; i++) ins.run(`k${i}`, 'y'.repeat(50))
    const good = await backupDatabase(db, dir, { now: T0 })
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    corrupt(databaseFile(dir))
    const damaged = readFileSync(databaseFile(dir))
    let caught: unknown
    try {
      openStoreWithAdvice(dir)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(DatabaseCorruptError)
    expect((caught as Error).message).toContain(`lastunit restore "${good.file}"`)
    expect(readFileSync(databaseFile(dir)).equals(damaged)).toBe(true)
    // Following the advice works.
    restoreDatabase(good.file, databaseFile(dir))
    db = openDatabase(databaseFile(dir))
    expect(probe(db)).toBe('before')
  })

  it('backup, restore and diagnostics through the commands the CLI registers', async () => {
    db.close()
    const out: string[] = []
    const program = new Command().exitOverride()
    registerMaintenanceCommands(program, {
      io: { out: (l) => out.push(l), err: (l) => out.push(l) },
      dataDir: () => dir,
      fail: (code, message) => {
        throw new Error(`exit ${code}: ${message}`)
      },
    })
    await program.parseAsync(['node', 'lastunit', 'backup'])
    const [b] = listBackups(dir)
    expect(b).toBeDefined()
    expect(out.join('\n')).toContain(b!.file)
    await program.parseAsync(['node', 'lastunit', 'restore', b!.file])
    expect(out.join('\n')).toMatch(/Restored .*kept as/s)
    const diag = join(dir, 'diag.json')
    await program.parseAsync(['node', 'lastunit', 'diagnostics', '--out', diag])
    expect(existsSync(diag)).toBe(true)
    expect(modeOf(diag)).toBe(0o600)
    await expect(program.parseAsync(['node', 'lastunit', 'restore', join(dir, 'nope.db')])).rejects.toThrow(
      /exit 1: Refused to restore/,
    )
    db = openDatabase(databaseFile(dir))
  })
})

describe('startMaintenance (what the hosts call at start)', () => {
  it('tightens loose permissions and takes the daily backup at once, then not again the same day', async () => {
    const { startMaintenance } = await import('../../../main/node/maintenance')
    const d = tempDir('lastunit-maint-')
    try {
      chmodSync(d.dir, 0o755)
      const store = openDatabase(databaseFile(d.dir))
      chmodSync(databaseFile(d.dir), 0o644)
      const taken: string[] = []
      const stop = startMaintenance(store, d.dir, { onBackup: (b) => taken.push(b.file) })
      await vi.waitFor(() => expect(taken).toHaveLength(1), { timeout: 5000 })
      stop()
      expect(modeOf(d.dir)).toBe(0o700)
      expect(modeOf(databaseFile(d.dir))).toBe(0o600)
      expect(listBackups(d.dir).map((b) => b.kind)).toEqual(['auto'])
      // A second start the same day (an app restart) takes no second backup.
      const stop2 = startMaintenance(store, d.dir, { onBackup: (b) => taken.push(b.file) })
      await new Promise((r) => setTimeout(r, 200))
      stop2()
      expect(taken).toHaveLength(1)
      store.close()
    } finally {
      d.cleanup()
    }
  })
})
