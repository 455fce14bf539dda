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
  migrate,
  userVersion,
  type Migration,
} from '../../../main/node/db/migrations'
import { getImportOrder } from '../../../main/node/db/repos/order-import'

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
        'mfn_holds',
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

// Before schema 6 the order import created its two tables itself, on first use (CREATE TABLE IF NOT
// EXISTS, outside the migrations). This is that code's DDL, as it shipped: a database it wrote must reach
// schema 6 keeping its rows.
const OLD_ORDER_IMPORT_ODOO = `
CREATE TABLE IF NOT EXISTS order_import_odoo (
  channel_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  sent_lines TEXT,
  -- An older revision's sale order still to cancel once its replacement is confirmed.
  cancel_ref TEXT,
  PRIMARY KEY (channel_id, order_id),
  FOREIGN KEY (channel_id, order_id) REFERENCES orders(channel_id, order_id) ON DELETE CASCADE
) STRICT;`
const OLD_ORDER_IMPORT_RETRY = `
CREATE TABLE IF NOT EXISTS order_import_retry (
  channel_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  -- Where a retry resumes: the import state the order was in when Odoo refused it.
  resume_state TEXT,
  attempts INTEGER NOT NULL,
  first_failed_at INTEGER NOT NULL,
  next_retry_at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, order_id),
  FOREIGN KEY (channel_id, order_id) REFERENCES orders(channel_id, order_id) ON DELETE CASCADE
) STRICT;`

describe('schema 6: the order import tables come from a migration', () => {
  const upTo5 = MIGRATIONS.filter((m) => m.version <= 5)

  /** A schema 5 database with one order, and the order import's tables as the old code made them. */
  function v5Database(oldTables: string[]): string {
    const file = tempDb()
    const db = openDatabase(file, { migrations: upTo5 })
    expect(userVersion(db)).toBe(5)
    db.prepare(
      "INSERT INTO channels (id, type, name, base_url, state) VALUES ('bol-nl', 'bol', 'bol.com', 'http://127.0.0.1:1', 'live')",
    ).run()
    db.prepare(
      `INSERT INTO orders (channel_id, order_id, status, channel_updated_at, created_at, import_state, last_error, seen_at)
       VALUES ('bol-nl', 'A1', 'open', '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z', 'failed', 'refused', 1)`,
    ).run()
    for (const ddl of oldTables) db.exec(ddl)
    if (oldTables.includes(OLD_ORDER_IMPORT_ODOO))
      db.prepare(
        `INSERT INTO order_import_odoo (channel_id, order_id, revision, sent_lines, cancel_ref)
         VALUES ('bol-nl', 'A1', 2, '[{"productId":7,"quantity":1,"unitPrice":9.5}]', 'bol-nl:A1')`,
      ).run()
    if (oldTables.includes(OLD_ORDER_IMPORT_RETRY))
      db.prepare(
        `INSERT INTO order_import_retry (channel_id, order_id, resume_state, attempts, first_failed_at, next_retry_at)
         VALUES ('bol-nl', 'A1', 'creating', 3, 100, 200)`,
      ).run()
    db.close()
    return file
  }

  it('is the latest migration, and a new database has both tables', () => {
    expect(LATEST_VERSION).toBe(11)
    const db = openDatabase(tempDb())
    expect(tables(db)).toEqual(expect.arrayContaining(['order_import_odoo', 'order_import_retry']))
    db.close()
  })

  it('upgrades a schema 5 database whose tables the old code created, keeping their rows', () => {
    const file = v5Database([OLD_ORDER_IMPORT_ODOO, OLD_ORDER_IMPORT_RETRY])
    const db = openDatabase(file)
    expect(userVersion(db)).toBe(LATEST_VERSION)
    expect(getImportOrder(db, 'bol-nl', 'A1')).toMatchObject({
      importState: 'failed',
      lastError: 'refused',
      revision: 2,
      sent: [{ productId: 7, quantity: 1, unitPrice: 9.5 }],
      cancelRef: 'bol-nl:A1',
      retry: { resumeState: 'creating', attempts: 3, firstFailedAt: 100, nextRetryAt: 200 },
    })
    // Still bound to their orders.
    db.prepare("DELETE FROM orders WHERE order_id = 'A1'").run()
    expect(db.prepare('SELECT COUNT(*) AS n FROM order_import_odoo').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM order_import_retry').get()).toEqual({ n: 0 })
    db.close()
  })

  it('upgrades a schema 5 database that has only the older of the two tables, or neither', () => {
    const onlyOdoo = openDatabase(v5Database([OLD_ORDER_IMPORT_ODOO]))
    expect(userVersion(onlyOdoo)).toBe(LATEST_VERSION)
    expect(getImportOrder(onlyOdoo, 'bol-nl', 'A1')).toMatchObject({ revision: 2, retry: null })
    expect(tables(onlyOdoo)).toContain('order_import_retry')
    onlyOdoo.close()
    const neither = openDatabase(v5Database([]))
    expect(userVersion(neither)).toBe(LATEST_VERSION)
    expect(tables(neither)).toEqual(expect.arrayContaining(['order_import_odoo', 'order_import_retry']))
    expect(getImportOrder(neither, 'bol-nl', 'A1')).toMatchObject({ revision: 1, sent: null, retry: null })
    neither.close()
  })

  it('creates both tables exactly as the old code did', () => {
    const norm = (sql: string) =>
      sql
        .replace(/IF NOT EXISTS /, '')
        .replace(/\s+/g, ' ')
        .trim()
    const schemaOf = (db: BetterSqlite3.Database) =>
      (
        db
          .prepare("SELECT name, sql FROM sqlite_master WHERE name LIKE 'order_import_%' ORDER BY name")
          .all() as Array<{ name: string; sql: string }>
      ).map((r) => ({ name: r.name, sql: norm(r.sql) }))
    const fresh = openDatabase(tempDb())
    const old = openDatabase(v5Database([OLD_ORDER_IMPORT_ODOO, OLD_ORDER_IMPORT_RETRY]))
    expect(schemaOf(fresh)).toEqual(schemaOf(old))
    fresh.close()
    old.close()
  })
})

describe('schema 9: one oversell alert kind', () => {
  it("turns the import's order_oversell rows into oversell rows, keeping the open one where a product has both", () => {
    const db = new BetterSqlite3(':memory:')
    migrate(
      db,
      ':memory:',
      MIGRATIONS.filter((m) => m.version <= 8),
    )
    const add = db.prepare(
      "INSERT INTO alerts (kind, severity, channel_id, subject, message, raised_at, cleared_at) VALUES (?, 'critical', ?, ?, ?, ?, ?)",
    )
    add.run('oversell', 'bol', 'product:1', 'engine, cleared', 100, 150)
    add.run('order_oversell', 'amazon', 'product:1', 'import, open', 120, null)
    add.run('oversell', 'bol', 'product:2', 'engine, open', 100, null)
    add.run('order_oversell', 'bol', 'product:2', 'import, cleared', 200, 250)
    add.run('order_oversell', 'shopify', 'product:3', 'import only', 300, null)
    migrate(db, ':memory:')
    expect(userVersion(db)).toBe(LATEST_VERSION)
    expect(
      db.prepare('SELECT kind, subject, channel_id, message, cleared_at FROM alerts ORDER BY subject').all(),
    ).toEqual([
      {
        kind: 'oversell',
        subject: 'product:1',
        channel_id: 'amazon',
        message: 'import, open',
        cleared_at: null,
      },
      {
        kind: 'oversell',
        subject: 'product:2',
        channel_id: 'bol',
        message: 'engine, open',
        cleared_at: null,
      },
      {
        kind: 'oversell',
        subject: 'product:3',
        channel_id: 'shopify',
        message: 'import only',
        cleared_at: null,
      },
    ])
    db.close()
  })
})
