// Updates through electron-updater from the feed configured in electron-builder.yml (publish). Only
// packaged builds check: a development run has no app-update.yml and must not replace itself.
import type { AppUpdater } from 'electron-updater'

export interface UpdaterDeps {
  isPackaged: boolean
  updater: Pick<AppUpdater, 'checkForUpdatesAndNotify' | 'autoDownload' | 'autoInstallOnAppQuit'>
  log: (level: 'info' | 'warn', message: string) => void
}

export async function checkForUpdates(deps: UpdaterDeps): Promise<boolean> {
  if (!deps.isPackaged) return false
  deps.updater.autoDownload = true
  // Installed when the seller quits, never in the middle of a sync.
  deps.updater.autoInstallOnAppQuit = true
  try {
    await deps.updater.checkForUpdatesAndNotify()
    return true
  } catch (e) {
    deps.log('warn', `update check failed: ${e instanceof Error ? e.message : String(e)}`)
    return false
  }
}
