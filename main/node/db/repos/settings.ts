import type { Database } from 'better-sqlite3'
import { statement } from '../statement'

export const getSetting = (db: Database, key: string): string | undefined =>
  (statement(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value

export const setSetting = (db: Database, key: string, value: string): void => {
  statement(
    db,
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value)
}

export const deleteSetting = (db: Database, key: string): void => {
  statement(db, 'DELETE FROM settings WHERE key = ?').run(key)
}

export const getJsonSetting = <T>(db: Database, key: string, fallback: T): T => {
  const raw = getSetting(db, key)
  if (raw === undefined) return fallback
  try {
    return JSON.parse(raw) as T
  } catch {
    return fallback
  }
}

export const setJsonSetting = (db: Database, key: string, value: unknown): void =>
  setSetting(db, key, JSON.stringify(value))
