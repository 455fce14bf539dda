// The status snapshot a running host (`lastunit run`, the desktop app) keeps in the data folder's database:
// its pid, a heartbeat, and the engine's status at that moment. Another process (`lastunit status`, the
// checklist) reads it to know whether sync runs, and since when it does not. Kept in engine_state under
// host_status:<pid>:<start>, so two hosts on one folder never overwrite each other.
import type { Database } from 'better-sqlite3'
import { deleteEngineValue, engineValuesWithPrefix, setEngineValue } from '../db/repos/engine-state'
import type { Engine, EngineStatus } from '../engine'

export interface HostStatusSnapshot {
  pid: number
  host: 'cli' | 'electron' | 'browser'
  version: string
  startedAt: number
  heartbeatAt: number
  /** Set when the host stopped cleanly. */
  stoppedAt: number | null
  /** A heartbeat older than this means the host is gone (it crashed or the machine slept). */
  staleAfterMs: number
  /** The engine's status at the heartbeat; null while no engine runs (Odoo unreachable, nothing configured). */
  engine: EngineStatus | null
  /** Why no engine runs, in plain words. */
  note: string | null
}

export type SyncHostState =
  | { running: true; snapshot: HostStatusSnapshot; ageMs: number }
  | {
      running: false
      /** The latest host that ran on this folder; null when none ever did. */
      last: HostStatusSnapshot | null
      /** When it stopped (cleanly) or was last seen alive. */
      since: number | null
      clean: boolean
    }

const PREFIX = 'host_status:'
export const DEFAULT_HEARTBEAT_MS = 5000

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const keyOf = (s: Pick<HostStatusSnapshot, 'pid' | 'startedAt'>) => `${PREFIX}${s.pid}:${s.startedAt}`

export function writeHostStatus(db: Database, s: HostStatusSnapshot): void {
  setEngineValue(db, keyOf(s), JSON.stringify(s))
}

export function readHostStatuses(db: Database): HostStatusSnapshot[] {
  const rows = engineValuesWithPrefix(db, PREFIX)
  const out: HostStatusSnapshot[] = []
  for (const v of rows) {
    try {
      out.push(JSON.parse(v) as HostStatusSnapshot)
    } catch {
      /* a row another version wrote differently: ignored */
    }
  }
  return out
}

const isRunning = (s: HostStatusSnapshot, now: number, alive: (pid: number) => boolean) =>
  s.stoppedAt === null && now - s.heartbeatAt <= s.staleAfterMs && alive(s.pid)

/** Whether a host runs sync on this data folder now, read from the snapshots. */
export function syncHostState(
  db: Database,
  opts: { now?: number; alive?: (pid: number) => boolean } = {},
): SyncHostState {
  const now = opts.now ?? Date.now()
  const alive = opts.alive ?? pidAlive
  const all = readHostStatuses(db)
  const running = all.filter((s) => isRunning(s, now, alive)).sort((a, b) => b.heartbeatAt - a.heartbeatAt)[0]
  if (running) return { running: true, snapshot: running, ageMs: Math.max(0, now - running.heartbeatAt) }
  const last = all.sort((a, b) => (b.stoppedAt ?? b.heartbeatAt) - (a.stoppedAt ?? a.heartbeatAt))[0] ?? null
  return {
    running: false,
    last,
    since: last ? (last.stoppedAt ?? last.heartbeatAt) : null,
    clean: !!last?.stoppedAt,
  }
}

export interface HostStatusWriter {
  /** Writes a heartbeat now (also runs on the interval). */
  beat(): void
  /** Records a clean stop and ends the heartbeat. */
  stop(): void
}

/**
 * Starts the heartbeat of a host: one snapshot now, then one every `intervalMs`. Snapshots of hosts that are
 * gone are removed at start (the newest stays, for "not running since").
 */
export function startHostStatus(opts: {
  db: Database
  host: HostStatusSnapshot['host']
  version: string
  engine: () => Engine | null
  note?: () => string | null
  intervalMs?: number
  now?: () => number
  pid?: number
  /** Runs after each heartbeat (the host's own periodic chores). */
  onBeat?: () => void
}): HostStatusWriter {
  const now = opts.now ?? Date.now
  const pid = opts.pid ?? process.pid
  const intervalMs = opts.intervalMs ?? DEFAULT_HEARTBEAT_MS
  const startedAt = now()
  const gone = readHostStatuses(opts.db).filter((s) => !isRunning(s, startedAt, pidAlive))
  gone.sort((a, b) => (b.stoppedAt ?? b.heartbeatAt) - (a.stoppedAt ?? a.heartbeatAt))
  for (const s of gone.slice(1)) deleteEngineValue(opts.db, keyOf(s))
  let stopped = false
  const snapshot = (stoppedAt: number | null): HostStatusSnapshot => {
    const e = stoppedAt === null ? opts.engine() : null
    return {
      pid,
      host: opts.host,
      version: opts.version,
      startedAt,
      heartbeatAt: now(),
      stoppedAt,
      staleAfterMs: intervalMs * 4,
      engine: e ? e.status() : null,
      note: stoppedAt === null ? (opts.note?.() ?? null) : null,
    }
  }
  const beat = () => {
    if (stopped) return
    try {
      writeHostStatus(opts.db, snapshot(null))
      opts.onBeat?.()
    } catch {
      /* a busy or closing database: the next beat writes again */
    }
  }
  beat()
  const timer = setInterval(beat, intervalMs)
  timer.unref?.()
  return {
    beat,
    stop: () => {
      if (stopped) return
      clearInterval(timer)
      try {
        writeHostStatus(opts.db, snapshot(now()))
      } catch {
        /* the database is closing: the stale heartbeat tells the same */
      }
      stopped = true
    },
  }
}
