// Backups carry a SHA-256 of their content; restore refuses a backup that does not match it (or has none,
// unless told explicitly), and refuses while another process has the database open. A refusal changes
// nothing: not the database, not its WAL, and no pre-restore copy appears.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join } from 'node:path'
import { Command } from 'commander'
import { openDatabase, type Database } from '../../../main/node/db/database'
import { databaseFile } from '../../../main/node/app-info/paths'
import {
  backupDatabase,
  backupDir,
  checkFile,
  checksumFile,
  listBackups,
  restoreDatabase,
} from '../../../main/node/maintenance/backup'
import { registerMaintenanceCommands } from '../../../main/node/maintenance/cli-commands'
import { tempDir } from '../../helpers/app'

const T0 = Date.UTC(2026, 10, 1, 9, 0, 0)
const sha256 = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex')

let dir: string
let cleanup: () => void
let db: Database
const children: ChildProcess[] = []
beforeEach(() => {
  ;({ dir, cleanup } = tempDir('lastunit-backup-sum-'))
  db = openDatabase(databaseFile(dir))
  db.prepare("INSERT INTO settings (key, value) VALUES ('probe', 'before-restore-probe')").run()
})
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  if (db.open) db.close()
  cleanup()
})

const probe = (d: Database): string | undefined =>
  (d.prepare("SELECT value FROM settings WHERE key = 'probe'").get() as { value: string } | undefined)?.value

/** The database as it is on disk: main file and WAL, byte for byte. */
const snapshot = () =>
  ['', '-wal']
    .map((s) => (existsSync(databaseFile(dir) + s) ? sha256(databaseFile(dir) + s) : null))
    .join('/')
const preRestoreCopies = () =>
  existsSync(backupDir(dir)) ? readdirSync(backupDir(dir)).filter((n) => n.includes('pre-restore')) : []

/** Flips one byte inside a stored value: SQLite's integrity check cannot see it, the checksum does. */
function flipInValue(file: string, text: string): void {
  const buf = readFileSync(file)
  const at = buf.indexOf(Buffer.from(text))
  expect(at).toBeGreaterThan(0)
  buf[at + 2] = buf[at + 2]! ^ 0x01
  writeFileSync(file, buf)
}

describe('backup checksums', () => {
  it('each backup has its SHA-256 beside it, in the sha256sum format', async () => {
    const b = await backupDatabase(db, dir, { now: T0 })
    expect(readFileSync(checksumFile(b.file), 'utf8')).toBe(`${sha256(b.file)}  ${basename(b.file)}\n`)
  })

  it('flipped bytes in a backup are refused with a clear error, and nothing changes', async () => {
    const b = await backupDatabase(db, dir, { now: T0 })
    db.prepare("UPDATE settings SET value = 'after' WHERE key = 'probe'").run()
    db.close()
    flipInValue(b.file, 'before-restore-probe')
    // The damage is invisible to SQLite itself: only the checksum tells.
    expect(checkFile(b.file)).toEqual([])
    const before = snapshot()
    expect(() => restoreDatabase(b.file, databaseFile(dir), { now: T0 + 1 })).toThrow(
      /Refused to restore .*does not match its checksum.*The current database was not changed/,
    )
    expect(snapshot()).toBe(before)
    expect(preRestoreCopies()).toEqual([])
    db = openDatabase(databaseFile(dir))
    expect(probe(db)).toBe('after')
  })

  it('a damaged checksum file is refused too', async () => {
    const b = await backupDatabase(db, dir, { now: T0 })
    db.close()
    writeFileSync(checksumFile(b.file), 'not a checksum\n')
    expect(() => restoreDatabase(b.file, databaseFile(dir))).toThrow(/checksum file .* is damaged/)
    expect(preRestoreCopies()).toEqual([])
  })

  it('a backup without a checksum is refused unless the seller says so; then the integrity check still runs', async () => {
    const b = await backupDatabase(db, dir, { now: T0 })
    db.prepare("UPDATE settings SET value = 'after' WHERE key = 'probe'").run()
    db.close()
    const old = join(dir, 'old-backup.db')
    copyFileSync(b.file, old) // an older LastUnit's backup: no .sha256
    const before = snapshot()
    expect(() => restoreDatabase(old, databaseFile(dir))).toThrow(/has no checksum.*--without-checksum/)
    expect(snapshot()).toBe(before)
    expect(preRestoreCopies()).toEqual([])

    // Through the command: refused without the option, restored with it.
    const out: string[] = []
    const program = new Command().exitOverride()
    registerMaintenanceCommands(program, {
      io: { out: (l) => out.push(l), err: (l) => out.push(l) },
      dataDir: () => dir,
      fail: (code, message) => {
        throw new Error(`exit ${code}: ${message}`)
      },
    })
    await expect(program.parseAsync(['node', 'lastunit', 'restore', old])).rejects.toThrow(
      /exit 1: Refused to restore old-backup.db: it has no checksum/,
    )
    await program.parseAsync(['node', 'lastunit', 'restore', old, '--without-checksum'])
    expect(out.join('\n')).toMatch(/Restored .*old-backup\.db/)
    db = openDatabase(databaseFile(dir))
    expect(probe(db)).toBe('before-restore-probe')
    db.close()
    // The copy of the replaced database has its own checksum: it can be restored as it is.
    const kept = listBackups(dir).find((x) => x.kind === 'pre-restore')!
    expect(readFileSync(checksumFile(kept.file), 'utf8')).toContain(sha256(kept.file))

    // Without a checksum and damaged: the integrity check refuses it all the same.
    const ins = openDatabase(databaseFile(dir))
    const row = ins.prepare('INSERT INTO settings (key, value) VALUES (?, ?)')
    for (let i = 0; i < 2000; i++) row.run(`k${i}`, 'x'.repeat(50))
    const big = await backupDatabase(ins, dir, { now: T0 + 5 })
    ins.close()
    rmSync(checksumFile(big.file))
    const buf = readFileSync(big.file)
    for (let off = 4096 + 16; off < buf.length; off += 97) buf[off] = (buf[off]! ^ 0x5a) & 0xff
    writeFileSync(big.file, buf)
    expect(() => restoreDatabase(big.file, databaseFile(dir), { allowMissingChecksum: true })).toThrow(
      /Refused to restore/,
    )
    db = openDatabase(databaseFile(dir))
  })
})

describe('restore while the database is in use', () => {
  /** A real child process with the store open the way the app and `lastunit run` have it (WAL), idle. */
  async function holder(file: string): Promise<ChildProcess> {
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3')
    const script = `
      const Db = require(${JSON.stringify(sqlite)})
      const db = new Db(${JSON.stringify(file)})
      db.pragma('busy_timeout = 5000')
      db.pragma('journal_mode = WAL')
      db.prepare('SELECT count(*) FROM settings').get()
      process.stdout.write('open\\n')
      setInterval(() => {}, 1000)`
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(child)
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve())
      child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)))
    })
    return child
  }

  it('is refused while another process has the database open, changing nothing; allowed once it is closed', async () => {
    const b = await backupDatabase(db, dir, { now: T0 })
    db.prepare("UPDATE settings SET value = 'after' WHERE key = 'probe'").run()
    db.close()
    const child = await holder(databaseFile(dir))
    const before = snapshot()
    expect(() => restoreDatabase(b.file, databaseFile(dir), { now: T0 + 1 })).toThrow(
      /Refused to restore .*another process has the database open.*The current database was not changed/,
    )
    expect(snapshot()).toBe(before)
    expect(preRestoreCopies()).toEqual([])

    const gone = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await gone
    const r = restoreDatabase(b.file, databaseFile(dir), { now: T0 + 2 })
    expect(r.previousKeptAt).not.toBeNull()
    db = openDatabase(databaseFile(dir))
    expect(probe(db)).toBe('before-restore-probe')
    const kept = openDatabase(r.previousKeptAt!, { readonly: true })
    expect(probe(kept)).toBe('after')
    kept.close()
  })

  it('is refused while this process itself still has the database open (the app calling restore)', async () => {
    const b = await backupDatabase(db, dir, { now: T0 })
    expect(() => restoreDatabase(b.file, databaseFile(dir))).toThrow(/another process has the database open/)
    expect(probe(db)).toBe('before-restore-probe')
  })
})
