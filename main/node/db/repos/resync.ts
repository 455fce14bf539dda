// Full resync runs: which channels, how far, and the stamp they started at, so a run interrupted by a
// restart resumes with what is still missing.
import type { Database } from 'better-sqlite3'
import { statement } from '../statement'

export interface ResyncRun {
  id: number
  channelFilter: string[] | null
  state: 'running' | 'done' | 'cancelled' | 'failed'
  total: number
  done: number
  startedAt: number
  finishedAt: number | null
  startStamp: number
  error: string | null
}

interface Raw {
  id: number
  channel_filter: string | null
  state: ResyncRun['state']
  total: number
  done: number
  started_at: number
  finished_at: number | null
  start_stamp: number | null
  error: string | null
}

const toRun = (r: Raw): ResyncRun => ({
  id: r.id,
  channelFilter: r.channel_filter ? (JSON.parse(r.channel_filter) as string[]) : null,
  state: r.state,
  total: r.total,
  done: r.done,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  startStamp: r.start_stamp ?? 0,
  error: r.error,
})

export function createResyncRun(
  db: Database,
  channelFilter: string[] | null,
  startStamp: number,
  at: number,
): ResyncRun {
  const id = statement(
    db,
    `INSERT INTO resync_runs (channel_filter, state, started_at, start_stamp) VALUES (?, 'running', ?, ?)`,
  ).run(channelFilter ? JSON.stringify(channelFilter) : null, at, startStamp).lastInsertRowid
  return getResyncRun(db, Number(id))!
}

export function getResyncRun(db: Database, id: number): ResyncRun | null {
  const r = statement(db, 'SELECT * FROM resync_runs WHERE id = ?').get(id) as Raw | undefined
  return r ? toRun(r) : null
}

export function runningResyncRuns(db: Database): ResyncRun[] {
  return (statement(db, "SELECT * FROM resync_runs WHERE state = 'running' ORDER BY id").all() as Raw[]).map(
    toRun,
  )
}

export function latestResyncRun(db: Database): ResyncRun | null {
  const r = statement(db, 'SELECT * FROM resync_runs ORDER BY id DESC LIMIT 1').get() as Raw | undefined
  return r ? toRun(r) : null
}

export function setResyncProgress(db: Database, id: number, total: number, done: number): void {
  statement(db, 'UPDATE resync_runs SET total = ?, done = ? WHERE id = ?').run(total, done, id)
}

export function finishResyncRun(
  db: Database,
  id: number,
  state: 'done' | 'cancelled' | 'failed',
  at: number,
  error: string | null = null,
): void {
  statement(db, 'UPDATE resync_runs SET state = ?, finished_at = ?, error = ? WHERE id = ?').run(
    state,
    at,
    error,
    id,
  )
}
