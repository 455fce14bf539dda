// The engine's small durable state (poll cursor, order watermarks, first-push confirmations) and the
// freshness-stamp counter. Stamps are allocated inside the caller's transaction, so a stamp is never
// reused after a crash: the counter and the rows that carry it are committed together.
import type { Database, Statement } from 'better-sqlite3'

export class EngineState {
  private readonly sGet: Statement
  private readonly sSet: Statement
  private readonly sDel: Statement
  private stamp: number

  constructor(db: Database) {
    this.sGet = db.prepare('SELECT value FROM engine_state WHERE key = ?')
    this.sSet = db.prepare(
      'INSERT INTO engine_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    this.sDel = db.prepare('DELETE FROM engine_state WHERE key = ?')
    const stored = Number(this.get('stamp') ?? 0)
    const inRows = db
      .prepare(
        'SELECT max(s) AS m FROM (SELECT max(stamp) AS s FROM outbox UNION ALL SELECT max(stamp) FROM push_state)',
      )
      .get() as { m: number | null }
    this.stamp = Math.max(stored, inRows.m ?? 0)
  }

  get(key: string): string | null {
    const r = this.sGet.get(key) as { value: string } | undefined
    return r ? r.value : null
  }

  set(key: string, value: string): void {
    this.sSet.run(key, value)
  }

  delete(key: string): void {
    this.sDel.run(key)
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
    this.sSet.run('stamp', String(this.stamp))
  }

  lastStamp(): number {
    return this.stamp
  }
}
