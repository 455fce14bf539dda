import { create } from 'zustand'
import type { AlertDto, AppInfoDto, EngineEventDto, LogEntryDto, StatusDto } from '../../../shared/dto'
import { ApiError, call, rawApi } from '../lib/api'

export type Screen =
  'dashboard' | 'connections' | 'mapping' | 'buffers' | 'warehouses' | 'log' | 'checklist' | 'resync'

export interface ResyncProgress {
  runId: number
  done: number
  total: number
  etaMs: number | null
  state: 'running' | 'done' | 'cancelled' | 'failed'
}

/** One point of the dashboard chart: when a push was confirmed and how long the change took. */
export interface LatencyPoint {
  at: number
  ms: number
}

const MAX_LOG = 5000
const MAX_POINTS = 2000

interface AppState {
  connected: boolean
  info: AppInfoDto | null
  status: StatusDto | null
  alerts: AlertDto[]
  /** When status was last read: the dashboard's clock, so rendering stays pure. */
  now: number
  screen: Screen
  error: string | null
  busy: boolean
  /** Newest first. */
  log: LogEntryDto[]
  latency: LatencyPoint[]
  resync: ResyncProgress | null
  /** What holds changes not saved (a screen's name), so leaving it asks first; null when nothing. */
  unsaved: string | null
  /** The screen the seller asked for while something was unsaved: the leave dialog is open. */
  leaving: Screen | null
  setUnsaved: (what: string | null) => void
  /** Leaves for the screen asked for, dropping what was not saved. */
  confirmLeave: () => void
  cancelLeave: () => void
  load: () => Promise<void>
  go: (screen: Screen) => void
  setError: (error: string | null) => void
  setPaused: (paused: boolean) => Promise<void>
  setPeakMode: (enabled: boolean) => Promise<void>
  startDemo: () => Promise<void>
  refreshLog: () => Promise<void>
  onEvents: (events: EngineEventDto[]) => void
  setResync: (r: ResyncProgress | null) => void
}

export const errorText = (e: unknown) =>
  e instanceof ApiError ? e.error.message + (e.error.hint ? ` ${e.error.hint}` : '') : String(e)

const latencyOf = (e: LogEntryDto): number | null => {
  const m = / in (\d+) ms\b/.exec(e.message)
  return (e.status === 'confirmed' || e.status === 'accepted') && m?.[1] ? Number(m[1]) : null
}

// Pushed entries and re-read entries are the same lines: they are told apart by content, not by id.
const logKey = (e: LogEntryDto) => `${e.at}|${e.kind}|${e.channelId}|${e.listingId}|${e.status}|${e.message}`

const mergeLog = (
  current: LogEntryDto[],
  incoming: LogEntryDto[],
): { log: LogEntryDto[]; fresh: LogEntryDto[] } => {
  if (incoming.length === 0) return { log: current, fresh: [] }
  const seen = new Set(current.map(logKey))
  const fresh = incoming.filter((e) => {
    const k = logKey(e)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
  if (fresh.length === 0) return { log: current, fresh }
  return { log: [...fresh, ...current].sort((a, b) => b.at - a.at || b.id - a.id).slice(0, MAX_LOG), fresh }
}

const pointsFrom = (entries: LogEntryDto[]): LatencyPoint[] =>
  entries.flatMap((e) => {
    const ms = latencyOf(e)
    return ms === null ? [] : [{ at: e.at, ms }]
  })

export const useAppStore = create<AppState>((set, get) => ({
  connected: false,
  info: null,
  status: null,
  alerts: [],
  now: Date.now(),
  screen: 'dashboard',
  error: null,
  busy: false,
  log: [],
  latency: [],
  resync: null,
  unsaved: null,
  leaving: null,
  setUnsaved: (unsaved) => set({ unsaved }),
  confirmLeave: () => {
    const to = get().leaving
    set({ leaving: null, unsaved: null, ...(to ? { screen: to, error: null } : {}) })
  },
  cancelLeave: () => set({ leaving: null }),
  load: async () => {
    if (!rawApi()) {
      set({ connected: false })
      return
    }
    try {
      const [info, status, alerts] = await Promise.all([
        call('getAppInfo', {}),
        call('getStatus', {}),
        call('listAlerts', {}),
      ])
      set({ connected: true, info, status, alerts, now: Date.now() })
    } catch (e) {
      set({ connected: true, error: errorText(e) })
    }
  },
  go: (screen) =>
    get().unsaved && screen !== get().screen ? set({ leaving: screen }) : set({ screen, error: null }),
  setError: (error) => set({ error }),
  setPaused: async (paused) => {
    try {
      set({ status: await call('setPaused', { paused }), error: null })
    } catch (e) {
      set({ error: errorText(e) })
    }
  },
  setPeakMode: async (enabled) => {
    try {
      set({ status: await call('setPeakMode', { enabled }), error: null })
    } catch (e) {
      set({ error: errorText(e) })
    }
  },
  startDemo: async () => {
    set({ busy: true })
    try {
      const r = await call('startDemo', {})
      set({ error: r.started ? null : r.message })
      await get().load()
    } catch (e) {
      set({ error: errorText(e) })
    } finally {
      set({ busy: false })
    }
  },
  // Events may be dropped under load (the batcher keeps the newest), so the log is also re-read.
  refreshLog: async () => {
    try {
      const rows = await call('recentLog', { limit: 1000 })
      const { log, fresh } = mergeLog(get().log, rows)
      const points = pointsFrom(fresh).sort((a, b) => a.at - b.at)
      set({ log, latency: [...get().latency, ...points].slice(-MAX_POINTS) })
    } catch {
      // The status poll reports a lost engine; the log keeps what it has.
    }
  },
  onEvents: (events) => {
    const logs: LogEntryDto[] = []
    let status: StatusDto | null = null
    let resync: ResyncProgress | null = null
    const alerts: AlertDto[] = []
    for (const e of events) {
      if (e.type === 'log') logs.push(e.entry)
      else if (e.type === 'status') status = e.status
      else if (e.type === 'alert') alerts.push(e.alert)
      else resync = { runId: e.runId, done: e.done, total: e.total, etaMs: e.etaMs, state: e.state }
    }
    const s = get()
    const { log, fresh } = mergeLog(s.log, logs)
    set({
      log,
      latency: [...s.latency, ...pointsFrom(fresh).sort((a, b) => a.at - b.at)].slice(-MAX_POINTS),
      ...(status ? { status } : {}),
      ...(resync ? { resync } : {}),
      ...(alerts.length
        ? { alerts: [...alerts, ...s.alerts.filter((a) => !alerts.some((x) => x.id === a.id))] }
        : {}),
    })
  },
  setResync: (resync) => set({ resync }),
}))
