// Runs a test's child script as another user (the read-only storage tests run as root, where file modes
// do not bind, and start the child as an ordinary user). That user may not be able to enter the folder
// the checkout lies in (a home folder, a CI workspace), so the child must not load anything from it:
// the script is bundled with esbuild (its imports included) into a fresh temporary folder readable by
// all, and better-sqlite3's native module is copied beside it (the child opens the database with
// `nativeBinding` pointing at that copy).
import { buildSync } from 'esbuild'
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'

export interface OtherUserScript {
  /** The bundled script: `node <script> ...` runs it without the checkout. */
  script: string
  /** better-sqlite3's native module, copied beside it. */
  nativeBinding: string
  dir: string
  cleanup: () => void
}

export function bundleForOtherUser(entry: string): OtherUserScript {
  const dir = mkdtempSync(join(tmpdir(), 'lastunit-child-'))
  chmodSync(dir, 0o755)
  const script = join(dir, `${basename(entry).replace(/\.ts$/, '')}.mjs`)
  const out = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    // Bundled CommonJS (better-sqlite3's JavaScript) calls require: give the ES module one.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  })
  writeFileSync(script, out.outputFiles[0]!.contents, { mode: 0o644 })
  chmodSync(script, 0o644)
  const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json')
  const nativeBinding = join(dir, 'better_sqlite3.node')
  copyFileSync(join(dirname(pkg), 'build', 'Release', 'better_sqlite3.node'), nativeBinding)
  chmodSync(nativeBinding, 0o755)
  return { script, nativeBinding, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
