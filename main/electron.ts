// The Electron host's entry point (main/electron/ holds the shell it composes, as main/cli/ holds the CLI's
// commands): only composition. It hands the real Electron objects to startShell (electron/shell.ts), which
// holds the lifecycle and is unit-tested with fakes, and the demo (main/sandbox/demo-env) to the runtime.
import type { BrowserWindow } from 'electron'
import { app, ipcMain, Menu, Notification, powerMonitor, Tray, nativeImage } from 'electron'
import electronUpdater from 'electron-updater'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openDatabase } from './node/db/database'
import { startMaintenance } from './node/maintenance'
import { databaseFile } from './node/app-info/paths'
import { redact } from './node/redaction'
import { createHandlers } from './node/api/handlers'
import { createDispatcher } from './node/api/dispatcher'
import { createSafeStorageVault } from './electron/safe-storage-vault'
import { registerIpc, isAppSender } from './electron/ipc'
import { handleAppProtocol, registerSchemePrivileges } from './electron/protocol'
import { createMainWindow } from './electron/window'
import { electronNativeBinding } from './electron/native-binding'
import { resolveDataDir, startsHidden, HIDDEN_FLAG } from './electron/data-dir'
import { fileShellSettings, shellSettingsFile } from './electron/shell-settings'
import { startShell, type ShellWindow } from './electron/shell'
import { trayIconPath } from './electron/tray'
import { Runtime } from './node/runtime/runtime'
import { runtimeShellSync } from './electron/runtime-shell-sync'
import type { Handlers } from './node/api/handler-types'
import { checkForUpdates } from './electron/updater'
import { startHostStatus } from './node/runtime/host-status'
import { releaseConfirmedHolds } from './node/setup/first-push-command'
import type { TrayMenuItem } from './electron/tray'
import type { DemoEnvironment, DemoEnvironmentOptions } from './sandbox/demo-env'

const here = fileURLToPath(new URL('.', import.meta.url))

registerSchemePrivileges()

const dataDir = resolveDataDir(process.argv, process.env, app.getPath('userData'))
// The single-instance lock is keyed by userData: two data directories (tests) may run side by side.
app.setPath('userData', dataDir)

const wrapWindow = (win: BrowserWindow): ShellWindow => ({
  show: () => win.show(),
  hide: () => win.hide(),
  focus: () => win.focus(),
  restore: () => win.restore(),
  isMinimized: () => win.isMinimized(),
  isDestroyed: () => win.isDestroyed(),
  onClose: (listener) => void win.on('close', listener),
  send: (channel, payload) => win.webContents.send(channel, payload),
})

// Without a listener Electron quits when the last window closes; LastUnit lives on in the tray.
app.on('window-all-closed', () => {})

const log = (level: 'info' | 'warn' | 'error', message: string) => console[level](`[lastunit] ${message}`)

// The runtime (stored configuration -> engine, demo) and the API handlers over it, made once ready.
let runtime: Runtime | null = null
let handlers: Handlers | null = null

const openedAtLogin = process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin

void startShell({
  app: {
    requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
    onSecondInstance: (listener) => void app.on('second-instance', listener),
    onBeforeQuit: (listener) => void app.on('before-quit', listener),
    onActivate: (listener) => void app.on('activate', listener),
    whenReady: () => app.whenReady(),
    quit: () => app.quit(),
    exit: (code) => app.exit(code),
    setLoginItem: (openAtLogin) => app.setLoginItemSettings({ openAtLogin, args: [HIDDEN_FLAG] }),
  },
  onResume: (listener) => void powerMonitor.on('resume', listener),
  dataDir,
  startHidden: startsHidden(process.argv, openedAtLogin),
  openServices: () => {
    const binding = electronNativeBinding(app.getAppPath(), process.versions.electron ?? '', app.isPackaged)
    const open = (file: string) => openDatabase(file, binding ? { nativeBinding: binding } : {})
    const db = open(databaseFile(dataDir))
    const vault = createSafeStorageVault()
    runtime = new Runtime({
      db,
      vault,
      dataDir,
      host: 'electron',
      version: app.getVersion(),
      openDb: open,
      // The composition root hands the demo to the runtime; the simulators load only when it starts.
      demo: async (o: DemoEnvironmentOptions): Promise<DemoEnvironment> =>
        (await import('./sandbox/demo-env')).startDemoEnvironment({ ...o, fasterOrders: true }),
    })
    handlers = createHandlers(runtime.handlerContext())
    // Daily backups with retention, and an owner-only data folder.
    const stopMaintenance = startMaintenance(db, dataDir)
    // The heartbeat `lastunit status` and the headless checklist read (the demo's engine is not the seller's);
    // each beat also lets go of a first push confirmed with `lastunit first-push --confirm`.
    const rt = runtime
    const sellerEngine = () => (rt.demoRunning() ? null : rt.engine())
    const heartbeat = startHostStatus({
      db,
      host: 'electron',
      version: app.getVersion(),
      engine: sellerEngine,
      note: () => rt.statusNote(),
      onBeat: () => {
        const e = sellerEngine()
        if (e) releaseConfirmedHolds(db, e)
      },
    })
    return {
      db,
      vault,
      handlers,
      close: () => {
        heartbeat.stop()
        stopMaintenance()
        db.close()
      },
    }
  },
  registerIpc: (handlers) => {
    handleAppProtocol(join(here, '../renderer'))
    return registerIpc(ipcMain, createDispatcher(handlers, { isTrustedSender: isAppSender }))
  },
  createWindow: (show) => wrapWindow(createMainWindow(join(here, '../preload/index.cjs'), show)),
  createTray: (icon) => new Tray(nativeImage.createFromPath(icon)),
  buildMenu: (template: TrayMenuItem[]) => Menu.buildFromTemplate(template),
  iconFor: (state) => trayIconPath(join(app.getAppPath(), 'assets', 'tray'), state, process.platform),
  notify: ({ title, body, urgent, onClick }) => {
    if (!Notification.isSupported()) return
    const n = new Notification({ title, body, urgency: urgent ? 'critical' : 'normal' })
    if (onClick) n.on('click', onClick)
    n.show()
  },
  syncFactory: ({ log: shellLog }) => {
    if (!runtime || !handlers) throw new Error('services must be open before the engine')
    const h = handlers
    return runtimeShellSync(runtime, { status: () => h.getStatus({}), log: shellLog })
  },
  settings: fileShellSettings(shellSettingsFile(dataDir)),
  log,
})
  .then((shell) => {
    // The Playwright Electron tests (test/electron) reach the tray menu through this; never set in use.
    if (shell && process.env.LASTUNIT_TEST_HOOKS === '1')
      Object.assign(globalThis, {
        lastunitTestHooks: {
          trayMenu: () => shell.tray.currentMenu,
          trayState: () => shell.tray.currentState,
        },
      })
    // electron-updater's autoUpdater is created on first access; a development run never touches it.
    if (shell && app.isPackaged)
      void checkForUpdates({ isPackaged: true, updater: electronUpdater.autoUpdater, log })
  })
  .catch((e: unknown) => {
    console.error('[lastunit] could not start', redact(e))
    app.exit(1)
  })
