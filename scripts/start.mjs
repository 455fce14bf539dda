// `npm start`: the desktop app when Electron's binary is installed, otherwise the same UI in the browser
// preview (main/preview.ts) with a message saying why. Builds first; prepares the Electron-ABI SQLite build.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const root = new URL('..', import.meta.url).pathname
const bin = (name) => join(root, 'node_modules', '.bin', name)

const electronPath = (() => {
  try {
    const p = require('electron') // the path of the binary, or throws when it was never downloaded
    return typeof p === 'string' && existsSync(p) ? p : null
  } catch {
    return null
  }
})()

const build = spawnSync(bin('electron-vite'), ['build'], { cwd: root, stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

if (electronPath) {
  const { ensureElectronNative } = await import('./ensure-electron-native.mjs')
  try {
    ensureElectronNative()
  } catch (e) {
    console.error(`lastunit: ${e.message}. The app cannot open its database under Electron.`)
    process.exit(1)
  }
  const child = spawn(electronPath, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  console.warn(
    'lastunit: the Electron binary is not installed here (its download failed or was skipped); ' +
      'starting the browser preview of the app instead.',
  )
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'main/preview.ts'), ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
  const stop = () => child.kill('SIGTERM')
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  child.on('exit', (code) => process.exit(code ?? 0))
}
