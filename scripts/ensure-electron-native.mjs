// Prepares better-sqlite3 for Electron's ABI in .native/electron-<version>/, beside (not instead of) the
// Node build that `npm ci` made for the tests and the CLI. The Electron app loads this copy in development
// (main/electron/native-binding.ts); packaged apps get theirs from electron-builder.
import { cpSync, existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const root = new URL('..', import.meta.url).pathname

export function ensureElectronNative() {
  const electronVersion = require('electron/package.json').version
  const target = join(root, '.native', `electron-${electronVersion}`, 'better_sqlite3.node')
  if (existsSync(target)) return target
  const src = dirname(require.resolve('better-sqlite3/package.json'))
  const work = mkdtempSync(join(tmpdir(), 'lastunit-native-'))
  try {
    cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${src}/build`) })
    const bin = (name) => join(root, 'node_modules', '.bin', name)
    console.log(`lastunit: preparing better-sqlite3 for Electron ${electronVersion}...`)
    let r = spawnSync(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion], {
      cwd: work,
      stdio: 'inherit',
    })
    if (r.status !== 0) {
      console.log(
        'lastunit: no prebuilt binary; compiling against Electron headers (needs a C++ toolchain)...',
      )
      r = spawnSync(
        bin('node-gyp'),
        ['rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers'],
        { cwd: work, stdio: 'inherit' },
      )
    }
    const built = join(work, 'build', 'Release', 'better_sqlite3.node')
    if (r.status !== 0 || !existsSync(built)) throw new Error('could not build better-sqlite3 for Electron')
    mkdirSync(dirname(target), { recursive: true })
    copyFileSync(built, target)
    return target
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureElectronNative())
