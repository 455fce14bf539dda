// Electron's own install script is skipped (package.json allowScripts: "electron": false) so that
// `npm ci` works on machines that cannot reach GitHub. Here we try the binary download ourselves and only
// warn when it fails: a seller's machine gets Electron, a closed build machine still installs.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
let electronDir
try {
  electronDir = dirname(require.resolve('electron/package.json'))
} catch {
  process.exit(0) // production install without dev dependencies
}
if (process.env.LASTUNIT_SKIP_ELECTRON_DOWNLOAD === '1') {
  console.warn(
    'lastunit: Electron download skipped (LASTUNIT_SKIP_ELECTRON_DOWNLOAD=1); the desktop app will not start, tests and the CLI work.',
  )
  process.exit(0)
}
if (existsSync(join(electronDir, 'path.txt'))) process.exit(0)
const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
  stdio: 'pipe',
  timeout: 180_000,
  env: { ...process.env },
})
if (r.status === 0 && existsSync(join(electronDir, 'path.txt'))) {
  console.log('lastunit: Electron binary installed.')
} else {
  const why =
    (r.stderr?.toString() || r.error?.message || 'unknown error').split('\n').find((l) => l.trim()) ?? ''
  console.warn(
    `lastunit: warning: Electron binary could not be downloaded (${why.trim().slice(0, 120)}); the desktop app will not start here, tests, the CLI and the browser preview work.`,
  )
}
