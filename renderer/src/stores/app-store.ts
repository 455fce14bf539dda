import { create } from 'zustand'
import type { AppInfoDto, StatusDto } from '../../../shared/dto'
import { ApiError, call, rawApi } from '../lib/api'

export type Screen =
  'dashboard' | 'connections' | 'mapping' | 'buffers' | 'warehouses' | 'log' | 'checklist' | 'resync'

interface AppState {
  connected: boolean
  info: AppInfoDto | null
  status: StatusDto | null
  screen: Screen
  error: string | null
  load: () => Promise<void>
  go: (screen: Screen) => void
  setPaused: (paused: boolean) => Promise<void>
  setPeakMode: (enabled: boolean) => Promise<void>
  startDemo: () => Promise<void>
}

const message = (e: unknown) =>
  e instanceof ApiError ? e.error.message + (e.error.hint ? ` ${e.error.hint}` : '') : String(e)

export const useAppStore = create<AppState>((set) => ({
  connected: false,
  info: null,
  status: null,
  screen: 'dashboard',
  error: null,
  load: async () => {
    if (!rawApi()) {
      set({ connected: false })
      return
    }
    try {
      const [info, status] = await Promise.all([call('getAppInfo', {}), call('getStatus', {})])
      set({ connected: true, info, status, error: null })
    } catch (e) {
      set({ connected: true, error: message(e) })
    }
  },
  go: (screen) => set({ screen }),
  setPaused: async (paused) => {
    try {
      set({ status: await call('setPaused', { paused }), error: null })
    } catch (e) {
      set({ error: message(e) })
    }
  },
  setPeakMode: async (enabled) => {
    try {
      set({ status: await call('setPeakMode', { enabled }), error: null })
    } catch (e) {
      set({ error: message(e) })
    }
  },
  startDemo: async () => {
    try {
      const r = await call('startDemo', {})
      set({ error: r.started ? null : r.message })
    } catch (e) {
      set({ error: message(e) })
    }
  },
}))
