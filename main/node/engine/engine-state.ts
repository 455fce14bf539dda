// The engine's small durable state (poll cursor, order watermarks, first-push confirmations) and the
// freshness-stamp counter. Stamps are allocated inside the caller's transaction, so a stamp is never
// reused after a crash: the counter and the rows that carry it are committed together.
import type { Database } from 'better-sqlite3'
import { deleteEngineValue, getEngineValue, highestRowStamp, setEngineValue } from '../db/repos/engine-state'

export class EngineState {
  private stamp: number

  constructor(private readonly db: Database) {
    const stored = Number(this.get('stamp') ?? 0)
    this.stamp = Math.max(stored, highestRowStamp(db))
  }

  get(key: string): string | null {
    return getEngineValue(this.db, key)
  }

  set(key: string, value: string): void {
    setEngineValue(this.db, key, value)
  }

  delete(key: string): void {
    deleteEngineValue(this.db, key)
  }

  getJson<T>(key: string): T | null {
    const v = this.get(key)
    return v === null ? null : (JSON.parse(v) as T)
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value))
  }

  /** The next freshness stamp. Call inside the transaction that writes it, and flushStamp() before it ends. */
  nextStamp(): number {
    this.stamp++
    return this.stamp
  }

  /** Persists the counter; in the same transaction as the rows carrying the new stamps. */
  flushStamp(): void {
    setEngineValue(this.db, 'stamp', String(this.stamp))
  }

  lastStamp(): number {
    return this.stamp
  }
}
