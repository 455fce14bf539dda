import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * The default data directory, the same one the desktop app uses (Electron's userData for "LastUnit"), so
 * the CLI and the app can share a configuration. LASTUNIT_DATA_DIR overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.LASTUNIT_DATA_DIR) return env.LASTUNIT_DATA_DIR
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'LastUnit')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'LastUnit')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'LastUnit')
}

export const databaseFile = (dataDir: string): string => join(dataDir, 'lastunit.db')
