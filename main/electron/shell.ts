// The desktop shell's lifecycle, with every Electron object injected (main.ts passes the real ones, the
// unit tests fakes): one instance, the engine started with the vault and the data directory, a tray,
// a window that hides on close, batched events for the renderer, desktop notifications, catch-up after
// sleep and at login, and a quit that waits for the engine to drain its outbox.
import type { Database } from 'better-sqlite3'
import type { SecretVault } from '../core/ports/secret-vault'
import type { Handlers } from '../node/api/handler-types'
import { createEventBatcher, type EventBatcher } from '../node/api/event-batcher'
import { AlertNotifier, type DesktopNotification } from '../node/notifications/alert-notifier'
import type { EngineEventDto, StatusDto } from '../../shared/dto'
import { IPC_EVENT_CHANNEL } from '../../shared/ipc-channels'
import type { Engine } from '../node/engine'
import type { CatchUpReason, ShellSync, ShellSyncFactory } from './shell-sync'
import type { ShellSettingsStore } from './shell-settings'
import { SystemTray, type MenuBuilder, type TrayFactory, type TrayState } from './tray'

export interface PreventableEvent {
  preventDefault(): void
}

/** The part of Electron's app the shell uses, as named callbacks (main.ts adapts app.on to them). */
export interface ShellApp {
  requestSingleInstanceLock(): boolean
  onSecondInstance(listener: () => void): void
  onBeforeQuit(listener: (event: PreventableEvent) => void): void
  onActivate(listener: () => void): void
  whenReady(): Promise<void>
  quit(): void
  exit(code: number): void
  setLoginItem(openAtLogin: boolean): void
}

export interface ShellWindow {
  show(): void
  hide(): void
  focus(): void
  restore(): void
  isMinimized(): boolean
  isDestroyed(): boolean
  onClose(listener: (event: PreventableEvent) => void): void
  send(channel: string, payload: unknown): void
}

export interface ShellServices {
  db: Database
  vault: SecretVault
  handlers: Handlers
  close(): void
}

export interface ShellNotice {
  title: string
  body: string
  urgent?: boolean
  onClick?: () => void
}

export interface ShellDeps {
  app: ShellApp
  onResume(listener: () => void): void
  dataDir: string
  /** Started by the login item (or --hidden): no window until the seller opens one. */
  startHidden: boolean
  /** Opens the database and the API handlers; `engine` is how the handlers reach the running engine. */
  openServices(engine: () => Engine | null): ShellServices
  /** Registers the IPC handlers (with sender checks); returns the unregister function. */
  registerIpc(handlers: Handlers): () => void
  createWindow(show: boolean): ShellWindow
  createTray: TrayFactory
  buildMenu: MenuBuilder
  iconFor(state: TrayState): string
  notify(notice: ShellNotice): void
  syncFactory: ShellSyncFactory
  settings: ShellSettingsStore
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
  now?: () => number
  /** How often the tray and the "failing for long" rule look at the status without an event. */
  statusTickMs?: number
  /** Longest a quit waits for the engine to drain before giving up on it. */
  stopTimeoutMs?: number
  setInterval?: (fn: () => void, ms: number) => unknown
  clearInterval?: (handle: unknown) => void
  batcher?: (send: (events: EngineEventDto[]) => void) => EventBatcher
}

export interface Shell {
  readonly sync: ShellSync
  readonly tray: SystemTray
  /** The window, created at startup (hidden when started at login). */
  window(): ShellWindow
  showWindow(): void
  catchUp(reason: CatchUpReason): Promise<void>
  /** Resolves once the shutdown (engine drained, database closed) finished. */
  readonly stopped: Promise<void>
}

export const CLOSE_NOTICE: ShellNotice = {
  title: 'LastUnit is still running',
  body: 'Stock keeps syncing in the background. Open LastUnit or quit it from the tray icon.',
}

export async function startShell(deps: ShellDeps): Promise<Shell | null> {
  const { app } = deps
  if (!app.requestSingleInstanceLock()) {
    // Another LastUnit owns this data directory: it gets focused through 'second-instance'.
    app.quit()
    return null
  }
  const log = deps.log ?? (() => {})
  const now = deps.now ?? Date.now
  const setIntervalFn = deps.setInterval ?? ((fn, ms) => setInterval(fn, ms))
  const clearIntervalFn = deps.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>))

  let win: ShellWindow | null = null
  let quitting = false
  let readyToQuit = false
  let shuttingDown = false
  let resolveStopped: () => void = () => {}
  const stopped = new Promise<void>((r) => (resolveStopped = r))

  const showWindow = () => {
    if (!win || win.isDestroyed()) win = openWindow(true)
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  }
  app.onSecondInstance(showWindow)
  app.onActivate(showWindow)

  await app.whenReady()

  let syncRef: ShellSync | null = null
  const services = deps.openServices(() => syncRef?.control() ?? null)
  const sync = deps.syncFactory({ db: services.db, vault: services.vault, dataDir: deps.dataDir, log })
  syncRef = sync
  const unregisterIpc = deps.registerIpc(services.handlers)

  const batcher = (deps.batcher ?? ((send) => createEventBatcher({ send })))((events) => {
    if (win && !win.isDestroyed()) win.send(IPC_EVENT_CHANNEL, events)
  })
  const notifier = new AlertNotifier()
  const notify = (n: DesktopNotification) =>
    deps.notify({ title: n.title, body: n.body, urgent: n.urgent, onClick: showWindow })

  const currentStatus = () => services.handlers.getStatus({})
  const run = (what: string, p: () => Promise<unknown>) => {
    void p()
      .then(refresh)
      .catch((e: unknown) => log('warn', `${what} failed: ${e instanceof Error ? e.message : String(e)}`))
  }

  const tray = new SystemTray({
    createTray: deps.createTray,
    buildMenu: deps.buildMenu,
    iconFor: deps.iconFor,
    initial: { status: await currentStatus(), startAtLogin: deps.settings.get().startAtLogin },
    actions: {
      open: showWindow,
      resyncNow: () => run('Full resync', () => services.handlers.startResync({})),
      setPaused: (paused) => run('Pause', () => services.handlers.setPaused({ paused })),
      setPeakMode: (enabled) => run('Peak mode', () => services.handlers.setPeakMode({ enabled })),
      setStartAtLogin: (enabled) => {
        app.setLoginItem(enabled)
        tray.update({ startAtLogin: deps.settings.update({ startAtLogin: enabled }).startAtLogin })
      },
      quit: () => app.quit(),
    },
  })

  const onStatus = (status: StatusDto) => {
    tray.update({ status })
    for (const n of notifier.onStatus(status, now())) notify(n)
  }
  async function refresh(): Promise<void> {
    onStatus(await currentStatus())
  }

  const unsubscribe = sync.subscribe((event) => {
    batcher.push(event)
    if (event.type === 'status') onStatus(event.status)
    else if (event.type === 'alert') {
      const n = notifier.onAlert(event.alert, now())
      if (n) notify(n)
    }
  })
  const tick = setIntervalFn(() => run('Status refresh', refresh), deps.statusTickMs ?? 60_000)

  function openWindow(show: boolean): ShellWindow {
    const w = deps.createWindow(show)
    w.onClose((event) => {
      if (quitting) return
      // Closing the window keeps the sync running; the tray is the way out.
      event.preventDefault()
      w.hide()
      if (!deps.settings.get().closeNoticeShown) {
        deps.settings.update({ closeNoticeShown: true })
        deps.notify({ ...CLOSE_NOTICE, onClick: showWindow })
      }
    })
    return w
  }
  win = openWindow(!deps.startHidden)

  const catchUp = (reason: CatchUpReason) => {
    log('info', `catching up (${reason})`)
    return sync.catchUp(reason).then(refresh)
  }
  deps.onResume(() => run('Catch-up after sleep', () => catchUp('resume')))

  app.onBeforeQuit((event) => {
    quitting = true
    if (readyToQuit) return
    // Hold the quit until the engine drained: an accepted push must be recorded, not lost.
    event.preventDefault()
    if (shuttingDown) return
    shuttingDown = true
    void shutdown().then(() => {
      readyToQuit = true
      app.quit()
    })
  })

  async function shutdown(): Promise<void> {
    clearIntervalFn(tick)
    const timeoutMs = deps.stopTimeoutMs ?? 60_000
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      await Promise.race([
        sync.stop(),
        new Promise<void>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`engine did not stop within ${timeoutMs} ms`)), timeoutMs)
        }),
      ])
    } catch (e) {
      log('error', `shutdown: ${e instanceof Error ? e.message : String(e)}`)
    } finally {
      clearTimeout(timer)
    }
    unsubscribe()
    batcher.flush()
    batcher.dispose()
    unregisterIpc()
    tray.destroy()
    services.close()
    resolveStopped()
  }

  try {
    await sync.start()
    if (deps.startHidden) await catchUp('login')
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    log('error', `the engine did not start: ${message}`)
    deps.notify({
      title: 'LastUnit could not start syncing',
      body: message,
      urgent: true,
      onClick: showWindow,
    })
  }
  await refresh().catch(() => {})

  return {
    sync,
    tray,
    window: () => win!,
    showWindow,
    catchUp,
    stopped,
  }
}
