// better-sqlite3 is a native module built for one ABI. `npm ci` builds it for Node (tests, CLI); `npm start`
// prepares a second build for Electron's ABI under .native/ (scripts/ensure-electron-native.mjs) and the app
// loads that one, so both work in one checkout without manual rebuilds. Packaged apps use the build
// electron-builder made for Electron, in node_modules.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export function electronNativeBinding(
  appRoot: string,
  electronVersion: string,
  packaged: boolean,
): string | undefined {
  if (packaged) return undefined
  const file = join(appRoot, '.native', `electron-${electronVersion}`, 'better_sqlite3.node')
  return existsSync(file) ? file : undefined
}
