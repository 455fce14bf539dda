// The Electron host: thin. It opens the store with the OS-keychain vault, wires the shared API handlers to
// ipcMain, serves the UI from app://, and keeps one instance. Tray, notifications and the engine lifecycle
// grow here (see README).
import type { BrowserWindow } from 'electron'
import { app, ipcMain } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openDatabase } from '../node/db/database'
import { databaseFile } from '../node/host/paths'
import { createHandlers } from '../node/api/handlers'
import { createDispatcher } from '../node/api/dispatcher'
import { createSafeStorageVault } from './safe-storage-vault'
import { registerIpc, isAppSender } from './ipc'
import { handleAppProtocol, registerSchemePrivileges } from './protocol'
import { createMainWindow } from './window'
import { electronNativeBinding } from './native-binding'

const here = fileURLToPath(new URL('.', import.meta.url))

registerSchemePrivileges()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  const dataDir = process.env.LASTUNIT_DATA_DIR ?? app.getPath('userData')
  let win: BrowserWindow | null = null

  app.on('second-instance', () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  })

  void app.whenReady().then(() => {
    const appRoot = app.getAppPath()
    const binding = electronNativeBinding(appRoot, process.versions.electron ?? '', app.isPackaged)
    const db = openDatabase(databaseFile(dataDir), binding ? { nativeBinding: binding } : {})
    const handlers = createHandlers({
      db,
      vault: createSafeStorageVault(),
      dataDir,
      host: 'electron',
      version: app.getVersion(),
      engine: () => null,
    })
    registerIpc(ipcMain, createDispatcher(handlers, { isTrustedSender: isAppSender }))
    handleAppProtocol(join(here, '../renderer'))
    win = createMainWindow(join(here, '../preload/index.cjs'), true)
    app.on('before-quit', () => db.close())
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
