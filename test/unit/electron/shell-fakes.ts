// Fakes of the Electron objects the shell touches, recording what it does with them.
import { vi } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app'
import type { Handlers } from '../../../main/node/api/handler-types'
import type { AlertDto, EngineEventDto, StatusDto } from '../../../shared/dto'
import type { CatchUpReason, ShellSync } from '../../../main/electron/shell-sync'
import type { PreventableEvent, ShellDeps, ShellNotice, ShellWindow } from '../../../main/electron/shell'
import type { TrayHandle, TrayMenuItem, TrayState } from '../../../main/electron/tray'
import { DEFAULT_SHELL_SETTINGS, type ShellSettings } from '../../../main/electron/shell-settings'

export const preventable = () => {
  let prevented = false
  return {
    preventDefault: () => void (prevented = true),
    get defaultPrevented() {
      return prevented
    },
  }
}

export class FakeWindow implements ShellWindow {
  visible: boolean
  minimized = false
  destroyed = false
  focused = 0
  sent: Array<{ channel: string; payload: unknown }> = []
  private closeListeners: Array<(e: PreventableEvent) => void> = []
  constructor(show: boolean) {
    this.visible = show
  }
  show() {
    this.visible = true
  }
  hide() {
    this.visible = false
  }
  focus() {
    this.focused++
  }
  restore() {
    this.minimized = false
  }
  isMinimized() {
    return this.minimized
  }
  isDestroyed() {
    return this.destroyed
  }
  onClose(l: (e: PreventableEvent) => void) {
    this.closeListeners.push(l)
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload })
  }
  /** What the seller does when clicking the window's close button. */
  close() {
    const e = preventable()
    for (const l of this.closeListeners) l(e)
    if (!e.defaultPrevented) {
      this.visible = false
      this.destroyed = true
    }
    return e
  }
}

export class FakeTray implements TrayHandle {
  image: string
  tooltip = ''
  menu: TrayMenuItem[] = []
  destroyed = false
  clicks: Array<() => void> = []
  constructor(icon: string) {
    this.image = icon
  }
  setImage(p: string) {
    this.image = p
  }
  setToolTip(t: string) {
    this.tooltip = t
  }
  setContextMenu(m: unknown) {
    this.menu = m as TrayMenuItem[]
  }
  on(_e: 'click' | 'double-click', l: () => void) {
    this.clicks.push(l)
  }
  destroy() {
    this.destroyed = true
  }
  item(id: string): TrayMenuItem {
    const i = this.menu.find((m) => m.id === id)
    if (!i) throw new Error(`no menu item ${id}`)
    return i
  }
}

export class FakeApp {
  lock = true
  quits = 0
  exits: number[] = []
  loginItem: boolean | null = null
  private secondInstance: Array<() => void> = []
  private beforeQuit: Array<(e: PreventableEvent) => void> = []
  private activate: Array<() => void> = []
  requestSingleInstanceLock = () => this.lock
  onSecondInstance = (l: () => void) => void this.secondInstance.push(l)
  onBeforeQuit = (l: (e: PreventableEvent) => void) => void this.beforeQuit.push(l)
  onActivate = (l: () => void) => void this.activate.push(l)
  whenReady = async () => {}
  /** Like Electron: quit() emits before-quit, and the app only ends when no listener prevented it. */
  quit = () => {
    this.quits++
    const e = preventable()
    for (const l of this.beforeQuit) l(e)
    if (!e.defaultPrevented) this.ended = true
  }
  ended = false
  exit = (code: number) => void this.exits.push(code)
  setLoginItem = (open: boolean) => void (this.loginItem = open)
  launchSecondInstance() {
    for (const l of this.secondInstance) l()
  }
}

export class FakeShellSync implements ShellSync {
  paused = false
  peak = false
  resyncs: Array<string[] | undefined> = []
  catchUps: CatchUpReason[] = []
  started = false
  stopCalls = 0
  private listeners = new Set<(e: EngineEventDto) => void>()
  private releaseStop: () => void = () => {}
  private stopPromise: Promise<void> | null = null
  /** When true, stop() waits for finishStop() (an outbox still draining). */
  holdStop = false

  status(): StatusDto {
    return {
      state: this.paused ? 'paused' : 'healthy',
      message: 'ok',
      engineRunning: true,
      paused: this.paused,
      peakMode: this.peak,
      openAlerts: 0,
      channels: [],
    }
  }
  /** What the API handlers would do with the engine (tests replace status to simulate states). */
  readonly controlApi = {
    status: (): StatusDto => this.status(),
    setPaused: (p: boolean) => void (this.paused = p),
    setPeakMode: (e: boolean) => void (this.peak = e),
    startResync: (channels?: string[]) => {
      this.resyncs.push(channels)
      return { runId: this.resyncs.length, total: 10, etaMs: 1000 }
    },
  }
  /** When false, the handlers answer as with no engine running. */
  running = () => this.started
  // The real handlers are not driven through this fake (see harness.openServices).
  control = () => null
  start = async () => void (this.started = true)
  stop = () => {
    this.stopCalls++
    this.stopPromise ??= this.holdStop ? new Promise<void>((r) => (this.releaseStop = r)) : Promise.resolve()
    return this.stopPromise
  }
  finishStop() {
    this.releaseStop()
  }
  catchUp = async (reason: CatchUpReason) => void this.catchUps.push(reason)
  subscribe = (l: (e: EngineEventDto) => void) => {
    this.listeners.add(l)
    return () => void this.listeners.delete(l)
  }
  emit(e: EngineEventDto) {
    for (const l of this.listeners) l(e)
  }
  get subscribers() {
    return this.listeners.size
  }
}

export const alert = (kind: string, subject: string, channelId: string | null = null, id = 1): AlertDto => ({
  id,
  kind,
  severity: 'critical',
  channelId,
  subject,
  message: `${kind} on ${subject}`,
  raisedAt: 0,
})

export interface Harness {
  deps: ShellDeps
  app: FakeApp
  sync: FakeShellSync
  windows: FakeWindow[]
  trays: FakeTray[]
  notices: ShellNotice[]
  settings: ShellSettings
  testApp: TestApp | null
  servicesClosed: boolean
  ipcRegistered: boolean
  resume: Array<() => void>
  clock: { now: number }
  ticks: Array<() => void>
  logs: string[]
}

export function harness(over: Partial<ShellDeps> = {}): Harness {
  const h: Harness = {
    app: new FakeApp(),
    sync: new FakeShellSync(),
    windows: [],
    trays: [],
    notices: [],
    settings: { ...DEFAULT_SHELL_SETTINGS },
    testApp: null,
    servicesClosed: false,
    ipcRegistered: false,
    resume: [],
    clock: { now: 1_000_000 },
    ticks: [],
    logs: [],
    deps: undefined as unknown as ShellDeps,
  }
  h.deps = {
    app: h.app,
    onResume: (l) => void h.resume.push(l),
    dataDir: '/tmp/lastunit-test',
    startHidden: false,
    openServices: () => {
      h.testApp = createTestApp({ host: 'electron' })
      const real = h.testApp.handlers
      const e = h.sync
      const statusNow = async (): Promise<StatusDto> =>
        e.running() ? e.controlApi.status() : real.getStatus({})
      // The real handlers for everything but the engine-facing four, which talk to the fake engine as
      // the real ones talk to the sync engine.
      const handlers: Handlers = {
        ...real,
        getStatus: statusNow,
        setPaused: async ({ paused }) => (e.controlApi.setPaused(paused), statusNow()),
        setPeakMode: async ({ enabled }) => (e.controlApi.setPeakMode(enabled), statusNow()),
        startResync: async ({ channels }) => {
          if (!e.running()) throw new Error('Sync is not running')
          return e.controlApi.startResync(channels)
        },
      }
      return {
        db: h.testApp.db,
        vault: h.testApp.vault,
        handlers,
        close: () => {
          h.servicesClosed = true
          h.testApp?.close()
        },
      }
    },
    registerIpc: () => {
      h.ipcRegistered = true
      return () => void (h.ipcRegistered = false)
    },
    createWindow: (show) => {
      const w = new FakeWindow(show)
      h.windows.push(w)
      return w
    },
    createTray: (icon) => {
      const t = new FakeTray(icon)
      h.trays.push(t)
      return t
    },
    buildMenu: (template) => template,
    iconFor: (state: TrayState) => `/icons/tray-${state}.png`,
    notify: (n) => void h.notices.push(n),
    syncFactory: () => h.sync,
    settings: {
      get: () => ({ ...h.settings }),
      update: (patch) => (h.settings = { ...h.settings, ...patch }),
    },
    log: (level, message) => void h.logs.push(`${level}: ${message}`),
    now: () => h.clock.now,
    setInterval: (fn) => {
      h.ticks.push(fn)
      return h.ticks.length
    },
    clearInterval: vi.fn(),
    ...over,
  }
  return h
}

/** Lets promise chains started by a click settle. */
export const settle = () => new Promise((r) => setTimeout(r, 20))
