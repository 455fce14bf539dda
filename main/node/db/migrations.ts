// Migrations are numbered; the database's user_version is the number of the last one applied. All
// pending migrations run in ONE transaction: either the database reaches the latest version or it stays
// exactly as it was.
import type { Database } from 'better-sqlite3'
import { SCHEMA_V1 } from './schema-v1'
import { SCHEMA_V2_ENGINE } from './schema-v2-engine'
import { SCHEMA_V3_ENGINE_TOKENS } from './schema-v3-engine-tokens'
import { SCHEMA_V4_PUSH_RECHECK } from './schema-v4-push-recheck'
import { SCHEMA_V5_CONFIG_REVISION } from './schema-v5-config-revision'
import { SCHEMA_V6_ORDER_IMPORT } from './schema-v6-order-import'
import { SCHEMA_V7_CONNECTION_TESTS } from './schema-v7-connection-tests'
import { SCHEMA_V8_ORDERS_SCREEN } from './schema-v8-orders-screen'
import { SCHEMA_V9_ONE_OVERSELL } from './schema-v9-one-oversell'
import { SCHEMA_V10_ORDER_QUEUE } from './schema-v10-order-queue'
import { SCHEMA_V11_MFN_HOLDS } from './schema-v11-mfn-holds'

export interface Migration {
  version: number
  name: string
  up: (db: Database) => void
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', up: (db) => db.exec(SCHEMA_V1) },
  { version: 2, name: 'sync engine state', up: (db) => db.exec(SCHEMA_V2_ENGINE) },
  { version: 3, name: 'accepted items by token', up: (db) => db.exec(SCHEMA_V3_ENGINE_TOKENS) },
  { version: 4, name: 'read-back after superseded writes', up: (db) => db.exec(SCHEMA_V4_PUSH_RECHECK) },
  { version: 5, name: 'configuration revisions', up: (db) => db.exec(SCHEMA_V5_CONFIG_REVISION) },
  { version: 6, name: 'order import tables', up: (db) => db.exec(SCHEMA_V6_ORDER_IMPORT) },
  { version: 7, name: 'last connection tests', up: (db) => db.exec(SCHEMA_V7_CONNECTION_TESTS) },
  { version: 8, name: 'orders and resync screens', up: (db) => db.exec(SCHEMA_V8_ORDERS_SCREEN) },
  { version: 9, name: 'one oversell alert kind', up: (db) => db.exec(SCHEMA_V9_ONE_OVERSELL) },
  { version: 10, name: "orders from the seller's queue", up: (db) => db.exec(SCHEMA_V10_ORDER_QUEUE) },
  {
    version: 11,
    name: 'provisional units from Amazon quantity events',
    up: (db) => db.exec(SCHEMA_V11_MFN_HOLDS),
  },
]

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0)

export class DatabaseTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
    readonly file: string,
  ) {
    super(
      `The database ${file} was written by a newer version of LastUnit (schema ${found}, this version knows ` +
        `up to ${supported}). Update LastUnit, or restore a backup made by this version.`,
    )
    this.name = 'DatabaseTooNewError'
  }
}

export class MigrationError extends Error {
  constructor(
    readonly version: number,
    readonly migrationName: string,
    cause: unknown,
  ) {
    super(
      `Migration ${version} (${migrationName}) failed: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        `The database was left unchanged.`,
      { cause },
    )
    this.name = 'MigrationError'
  }
}

export const userVersion = (db: Database): number => db.pragma('user_version', { simple: true }) as number

/** Applies every migration above the current version, in one transaction. Returns the versions applied. */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0)
  const current = userVersion(db)
  if (current > latest) throw new DatabaseTooNewError(current, latest, file)
  const pending = [...migrations].filter((m) => m.version > current).sort((a, b) => a.version - b.version)
  if (pending.length === 0) return []
  let running: Migration | undefined
  try {
    db.transaction(() => {
      for (const m of pending) {
        running = m
        m.up(db)
        db.pragma(`user_version = ${m.version}`)
      }
    })()
  } catch (e) {
    const m = running ?? pending[0]!
    throw new MigrationError(m.version, m.name, e)
  }
  return pending.map((m) => m.version)
}
