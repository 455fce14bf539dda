import { create } from 'zustand'
import type { AppInfoDto, DashboardDto, EngineEventDto, StatusDto } from '../../../shared/dto'
import { ApiError, call, rawApi } from '../lib/api'

export type Screen =
  | 'dashboard'
  | 'orders'
  | 'connections'
  | 'mapping'
  | 'buffers'
  | 'warehouses'
  | 'log'
  | 'checklist'
  | 'resync'

export interface ResyncProgress {
  runId: number
  done: number
  total: number
  etaMs: number | null
  state: 'running' | 'done' | 'cancelled' | 'failed'
  progress?: Array<{ channelId: string; total: number; done: number; etaMs: number | null }>
}

/** One point of the dashboard chart: when a push was confirmed and how long the change took. */
export interface LatencyPoint {
  at: number
  ms: number
}

const MAX_POINTS = 2000

interface AppState {
  connected: boolean
  info: AppInfoDto | null
  status: StatusDto | null
  /** The dashboard's figures and alerts (each once, in the seller's words). */
  dashboard: DashboardDto | null
  /** When status was last read: the dashboard's clock, so rendering stays pure. */
  now: number
  screen: Screen
  error: string | null
  busy: boolean
  latency: LatencyPoint[]
  /** Newest log line id the latency chart has read. */
  latencyAfter: number | null
  /** Raised on every pushed log event: screens that follow the log re-read it. */
  logTick: number
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

/** The start of the seller's day, for "today" figures. */
export const dayStart = (now = new Date()) =>
  new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime()

const latencyOf = (message: string): number | null => {
  const m = / in (\d+) ms\b/.exec(message)
  return m?.[1] ? Number(m[1]) : null
}

export const useAppStore = create<AppState>((set, get) => ({
  connected: false,
  info: null,
  status: null,
  dashboard: null,
  now: Date.now(),
  screen: 'dashboard',
  error: null,
  busy: false,
  latency: [],
  latencyAfter: null,
  logTick: 0,
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
      const [info, status, dashboard] = await Promise.all([
        call('getAppInfo', {}),
        call('getStatus', {}),
        call('getDashboard', { dayStart: dayStart() }),
      ])
      set({ connected: true, info, status, dashboard, now: Date.now() })
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
  // The latency chart reads the updates channels took, by the log's own ids: never a line twice.
  refreshLog: async () => {
    try {
      const after = get().latencyAfter
      const page = await call('browseLog', {
        status: 'delivered',
        limit: 2000,
        ...(after !== null ? { afterId: after } : {}),
      })
      const newest = page.rows[0]?.id ?? after
      const points = page.rows
        .flatMap((r) => {
          const ms = r.kind === 'push' ? latencyOf(r.message) : null
          return ms === null ? [] : [{ at: r.at, ms }]
        })
        .sort((a, b) => a.at - b.at)
      set({ latency: [...get().latency, ...points].slice(-MAX_POINTS), latencyAfter: newest })
    } catch {
      // The status poll reports a lost engine; the chart keeps what it has.
    }
  },
  onEvents: (events) => {
    let status: StatusDto | null = null
    let resync: ResyncProgress | null = null
    let logs = false
    let alerts = false
    for (const e of events) {
      if (e.type === 'log') logs = true
      else if (e.type === 'status') status = e.status
      else if (e.type === 'alert') alerts = true
      else
        resync = {
          runId: e.runId,
          done: e.done,
          total: e.total,
          etaMs: e.etaMs,
          state: e.state,
          ...(e.progress ? { progress: e.progress } : {}),
        }
    }
    set({
      ...(status ? { status } : {}),
      ...(resync ? { resync } : {}),
      ...(logs ? { logTick: get().logTick + 1 } : {}),
    })
    // Alerts are read back as stored: one per problem, named, never a pushed copy beside the stored one.
    if (alerts) void get().load()
  },
  setResync: (resync) => set({ resync }),
}))
