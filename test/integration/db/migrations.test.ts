import { afterEach, describe, expect, it } from 'vitest'
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { openDatabase, DatabaseCorruptError } from '../../../main/node/db/database'
import {
  DatabaseTooNewError,
  LATEST_VERSION,
  MIGRATIONS,
  MigrationError,
  userVersion,
  type Migration,
} from '../../../main/node/db/migrations'

const dirs: string[] = []
const tempDb = () => {
  const d = mkdtempSync(join(tmpdir(), 'lastunit-db-'))
  dirs.push(d)
  return join(d, 'lastunit.db')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const tables = (db: BetterSqlite3.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string
    }[]
  ).map((r) => r.name)

describe('SQLite store', () => {
  it('migrates an empty database to the latest version with the first schema', () => {
    const file = tempDb()
    const db = openDatabase(file)
    expect(userVersion(db)).toBe(LATEST_VERSION)
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'settings',
        'odoo_connection',
        'channels',
        'credentials',
        'products',
        'sku_mappings',
        'buffer_rules',
        'location_rules',
        'outbox',
        'push_state',
        'orders',
        'sync_log',
        'checklist_results',
      ]),
    )
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    db.close()
  })

  it('keeps data across a reopen and does not re-run migrations', () => {
    const file = tempDb()
    const db = openDatabase(file)
    db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run()
    db.close()
    const again = openDatabase(file)
    expect(again.prepare("SELECT value FROM settings WHERE key = 'k'").get()).toEqual({ value: 'v' })
    expect(userVersion(again)).toBe(LATEST_VERSION)
    again.close()
  })

  it('enforces foreign keys', () => {
    const db = openDatabase(tempDb())
    expect(() =>
      db
        .prepare("INSERT INTO sku_mappings (channel_id, listing_id, product_id) VALUES ('nope', 'x', 1)")
        .run(),
    ).toThrow(/FOREIGN KEY/)
    db.close()
  })

  it('leaves the previous version intact when a migration fails', () => {
    const file = tempDb()
    openDatabase(file).close()
    const failing: Migration[] = [
      ...MIGRATIONS,
      {
        version: LATEST_VERSION + 1,
        name: 'adds a table then fails',
        up: (db) => {
          db.exec('CREATE TABLE half_done (x INTEGER)')
          db.exec('INSERT INTO no_such_table VALUES (1)')
        },
      },
    ]
    expect(() => openDatabase(file, { migrations: failing })).toThrow(MigrationError)
    try {
      openDatabase(file, { migrations: failing })
    } catch (e) {
      expect((e as Error).message).toMatch(
        /Migration \d+ \(adds a table then fails\) failed: .*left unchanged/,
      )
    }
    const db = openDatabase(file)
    expect(userVersion(db)).toBe(LATEST_VERSION)
    expect(tables(db)).not.toContain('half_done')
    db.close()
  })

  it('refuses a database written by a newer version, with a clear message, and does not touch it', () => {
    const file = tempDb()
    openDatabase(file).close()
    const raw = new BetterSqlite3(file)
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`)
    raw.close()
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError)
    expect(() => openDatabase(file)).toThrow(/written by a newer version of LastUnit.*Update LastUnit/)
    const check = new BetterSqlite3(file)
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 5)
    check.close()
  })

  it('refuses a file that is not a database', () => {
    const file = tempDb()
    writeFileSync(file, 'this is not sqlite'.repeat(100))
    expect(() => openDatabase(file)).toThrow(/not a database|DatabaseCorruptError|integrity/i)
  })

  it('reports a damaged database through the integrity check', () => {
    const file = tempDb()
    const db = openDatabase(file)
    const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)')
    for (let i = 0; i < 2000; i++) insert.run(`k${i}`, 'x'.repeat(200))
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    // Overwrite a page in the middle of the settings b-tree with garbage.
    const size = statSync(file).size
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, Math.floor(size / 4096 / 2) * 4096)
    closeSync(fd)
    let err: unknown
    try {
      openDatabase(file).close()
    } catch (e) {
      err = e
    }
    expect(err).toBeDefined()
    expect(String((err as Error).message)).toMatch(/integrity check|malformed|not a database/i)
    if (err instanceof DatabaseCorruptError) expect(err.message).toMatch(/lastunit restore/)
  })
})
