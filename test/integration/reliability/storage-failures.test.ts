import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openDatabase, type Database } from '../../../main/node/db/database'
import { databaseFile } from '../../../main/node/app-info/paths'
import { appendSyncLog } from '../../../main/node/db/repos/sync-log'
import { guardedWrite, StorageError } from '../../../main/node/maintenance/storage-errors'
import { backupDatabase } from '../../../main/node/maintenance/backup'
import { tempDir } from '../../helpers/app'
import { bundleForOtherUser, type OtherUserScript } from '../../helpers/bundle-for-other-user'

const isRoot = process.getuid?.() === 0
const writerSource = fileURLToPath(new URL('./_readonly-writer.ts', import.meta.url))
// Bundled once, outside the checkout: the ordinary user may not be able to enter the checkout's folder.
let writer: OtherUserScript | null = null
afterAll(() => writer?.cleanup())

let dir: string
let cleanup: () => void
let db: Database
beforeEach(() => {
  ;({ dir, cleanup } = tempDir('lastunit-storage-'))
  db = openDatabase(databaseFile(dir))
  db.prepare("INSERT INTO settings (key, value) VALUES ('probe', 'kept')").run()
})
afterEach(() => {
  try {
    chmodSync(dir, 0o700)
  } catch {
    /* already gone */
  }
  if (db.open) db.close()
  cleanup()
})

const quickCheck = (d: Database): string[] =>
  (d.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>).map((r) => r.quick_check)
const count = (d: Database): number =>
  (d.prepare('SELECT COUNT(*) AS n FROM sync_log').get() as { n: number }).n

const catchIt = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error('expected the write to fail')
}

describe('disk full (a size-limited database: PRAGMA max_page_count)', () => {
  it('a write that does not fit fails with a clear error; the transaction is rolled back, the database intact and usable', () => {
    for (let i = 0; i < 50; i++)
      appendSyncLog(db, { at: i, level: 'info', kind: 'push', message: `row ${i}` })
    const pages = db.pragma('page_count', { simple: true }) as number
    db.pragma(`max_page_count = ${pages + 2}`)
    const big = 'z'.repeat(4000)
    const batch = db.transaction((n: number) => {
      for (let i = 0; i < n; i++)
        appendSyncLog(db, { at: 1000 + i, level: 'info', kind: 'push', message: big })
    })
    const e = catchIt(() => guardedWrite(() => batch(200)))
    expect(e).toBeInstanceOf(StorageError)
    expect((e as StorageError).problem).toBe('disk_full')
    expect((e as StorageError).message).toMatch(/disk .* is full.*unchanged/)
    // All or nothing: none of the batch, all of what was there.
    expect(count(db)).toBe(50)
    expect(quickCheck(db)).toEqual(['ok'])
    // Space freed: the same write now succeeds.
    db.pragma('max_page_count = 1073741823')
    batch(200)
    expect(count(db)).toBe(250)
    db.close()
    db = openDatabase(databaseFile(dir))
    expect(quickCheck(db)).toEqual(['ok'])
    expect(count(db)).toBe(250)
  })

  it('a backup that cannot be written leaves no half file that looks like a backup', async () => {
    for (let i = 0; i < 300; i++)
      appendSyncLog(db, { at: i, level: 'info', kind: 'push', message: 'x'.repeat(500) })
    // The backup target is a path whose parent is a file: the write fails as on a full or missing disk.
    await expect(backupDatabase(db, databaseFile(dir), {})).rejects.toThrow(/backup .* failed|ENOTDIR|EEXIST/)
    expect(quickCheck(db)).toEqual(['ok'])
  })
})

describe('read-only database', () => {
  it('opened read-only: writes fail with a clear error and the file is not changed', () => {
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const before = readFileSync(databaseFile(dir))
    db = openDatabase(databaseFile(dir), { readonly: true })
    const e = catchIt(() =>
      guardedWrite(() => appendSyncLog(db, { at: 1, level: 'info', kind: 'push', message: 'x' })),
    )
    expect(e).toBeInstanceOf(StorageError)
    expect((e as StorageError).problem).toBe('read_only')
    expect((e as StorageError).message).toMatch(/read-only .*permissions/)
    expect(quickCheck(db)).toEqual(['ok'])
    db.close()
    expect(readFileSync(databaseFile(dir)).equals(before)).toBe(true)
    db = openDatabase(databaseFile(dir))
    expect(count(db)).toBe(0)
  })

  // File modes do not bind root: as root (CI) the write is tried by a child process running as an ordinary
  // user (uid 65534), as a seller's app would run; otherwise by this process.
  const NOBODY = 65534
  const tryWrite = (): { wrote: boolean; error?: string } => {
    if (!isRoot)
      try {
        const d = openDatabase(databaseFile(dir))
        try {
          guardedWrite(() => d.prepare("INSERT INTO settings (key, value) VALUES ('w', 'w')").run())
        } finally {
          d.close()
        }
        return { wrote: true }
      } catch (e) {
        return { wrote: false, error: (e as Error).message }
      }
    chownSync(dir, NOBODY, NOBODY)
    for (const f of readdirSync(dir)) chownSync(join(dir, f), NOBODY, NOBODY)
    writer ??= bundleForOtherUser(writerSource)
    const r = spawnSync(process.execPath, [writer.script, databaseFile(dir), writer.nativeBinding], {
      uid: NOBODY,
      gid: NOBODY,
      // Nothing of the checkout: not its folder as the working directory either.
      cwd: writer.dir,
      encoding: 'utf8',
      timeout: 60_000,
    })
    const line = r.stdout.trim().split('\n').pop() ?? ''
    if (!line.startsWith('{')) throw new Error(`the read-only writer failed to run: ${r.stderr || r.error}`)
    return JSON.parse(line) as { wrote: boolean; error?: string }
  }

  it('a read-only file: opening for writing fails clearly, nothing is changed', () => {
    db.close()
    chmodSync(databaseFile(dir), 0o400)
    const before = readFileSync(databaseFile(dir))
    const r = tryWrite()
    expect(r.wrote).toBe(false)
    expect(r.error).toMatch(/read-only|readonly|unable to open/i)
    expect(readFileSync(databaseFile(dir)).equals(before)).toBe(true)
    chmodSync(databaseFile(dir), 0o600)
    db = openDatabase(databaseFile(dir))
    expect(quickCheck(db)).toEqual(['ok'])
  })

  it('a read-only folder: the write fails clearly, the database stays intact', () => {
    db.close()
    chmodSync(dir, 0o500)
    const r = tryWrite()
    expect(r.wrote).toBe(false)
    expect(r.error).toBe(
      `The LastUnit database is read-only (check the permissions of the file and its folder). The change was not saved and the database is unchanged. (${databaseFile(dir)})`,
    )
    chmodSync(dir, 0o700)
    db = openDatabase(databaseFile(dir))
    expect(quickCheck(db)).toEqual(['ok'])
  })
})
