// Prepared statements cached per open database, so repositories can be plain functions taking the
// database first without preparing their SQL again on every call (the planner queues 10,000 listings in
// one transaction; the workers settle every item of every batch). A statement is prepared on first use
// and kept until its database is closed and collected.
//
// Raw (arrays) and pluck (first column) modes are part of a statement's state in better-sqlite3, so each
// mode has a cache of its own: one SQL text used in two modes is two statements, and a mode set by one
// caller never leaks into another's results.
//
// Not for statements read with iterate(): a cached statement is busy while an iterator over it is open,
// so those (the bulk reads) are prepared where they run.
import type { Database, Statement } from 'better-sqlite3'

interface Cache {
  rows: Map<string, Statement>
  raw: Map<string, Statement>
  pluck: Map<string, Statement>
}

const caches = new WeakMap<Database, Cache>()

function cacheOf(db: Database): Cache {
  let c = caches.get(db)
  if (!c) caches.set(db, (c = { rows: new Map(), raw: new Map(), pluck: new Map() }))
  return c
}

/** The statement for `sql` on `db`, prepared once; rows come back as objects. */
export function statement(db: Database, sql: string): Statement {
  const m = cacheOf(db).rows
  let s = m.get(sql)
  if (!s) m.set(sql, (s = db.prepare(sql)))
  return s
}

/** statement() in raw mode: each row an array of its columns, in order. */
export function rawStatement(db: Database, sql: string): Statement {
  const m = cacheOf(db).raw
  let s = m.get(sql)
  if (!s) m.set(sql, (s = db.prepare(sql).raw()))
  return s
}

/** statement() in pluck mode: each row its first column. */
export function pluckStatement(db: Database, sql: string): Statement {
  const m = cacheOf(db).pluck
  let s = m.get(sql)
  if (!s) m.set(sql, (s = db.prepare(sql).pluck()))
  return s
}
