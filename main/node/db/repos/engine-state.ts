// The engine's small durable key-value state (poll cursor, order watermarks, the freshness-stamp counter,
// first-push confirmations, rate-limit buckets, host heartbeats), and the highest stamp the queue holds.
import type { Database } from 'better-sqlite3'
import { pluckStatement, statement } from '../statement'

const GET = 'SELECT value FROM engine_state WHERE key = ?'
const SET =
  'INSERT INTO engine_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
const DELETE = 'DELETE FROM engine_state WHERE key = ?'

export function getEngineValue(db: Database, key: string): string | null {
  const v = pluckStatement(db, GET).get(key) as string | undefined
  return v ?? null
}

export function setEngineValue(db: Database, key: string, value: string): void {
  statement(db, SET).run(key, value)
}

export function deleteEngineValue(db: Database, key: string): void {
  statement(db, DELETE).run(key)
}

/** The values of every key starting with `prefix`. */
export const engineValuesWithPrefix = (db: Database, prefix: string): string[] =>
  pluckStatement(db, 'SELECT value FROM engine_state WHERE key LIKE ?').all(`${prefix}%`) as string[]

/** The highest freshness stamp carried by a queued row or a push state (0 when there is none). */
export function highestRowStamp(db: Database): number {
  const r = statement(
    db,
    'SELECT max(s) AS m FROM (SELECT max(stamp) AS s FROM outbox UNION ALL SELECT max(stamp) FROM push_state)',
  ).get() as { m: number | null }
  return r.m ?? 0
}
