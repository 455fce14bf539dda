// The shell's own preferences (not sync configuration, which lives in SQLite): whether the seller was
// told that closing the window keeps LastUnit running, and whether it starts at login. A small JSON file
// in the data directory; an unreadable file means defaults, never a crash at startup.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export interface ShellSettings {
  closeNoticeShown: boolean
  startAtLogin: boolean
}

export const DEFAULT_SHELL_SETTINGS: ShellSettings = { closeNoticeShown: false, startAtLogin: false }

export interface ShellSettingsStore {
  get(): ShellSettings
  update(patch: Partial<ShellSettings>): ShellSettings
}

export const shellSettingsFile = (dataDir: string): string => join(dataDir, 'shell-settings.json')

export function fileShellSettings(file: string): ShellSettingsStore {
  let current: ShellSettings = { ...DEFAULT_SHELL_SETTINGS }
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<keyof ShellSettings, unknown>>
    current = {
      closeNoticeShown: raw.closeNoticeShown === true,
      startAtLogin: raw.startAtLogin === true,
    }
  } catch {
    // Missing or damaged: defaults.
  }
  return {
    get: () => ({ ...current }),
    update(patch) {
      current = { ...current, ...patch }
      mkdirSync(dirname(file), { recursive: true })
      // Write then rename, so a crash mid-write cannot leave half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(current, null, 2))
      renameSync(`${file}.tmp`, file)
      return { ...current }
    },
  }
}
