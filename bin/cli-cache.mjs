// The CLI of a source checkout, bundled with esbuild into a cache that is used only while it is provably
// current. `lastunit` (bin/lastunit.mjs) asks for it at every start:
//
// - The cache lives in <root>/node_modules/.cache/lastunit/<hash of the absolute root>/, one folder per
//   checkout: worktrees share node_modules through a symlink, and a copied checkout has other paths.
// - `current.json` names the build and lists what it was built from: every input file with its size and the
//   SHA-256 of the bytes esbuild compiled (read through the plugin below, so what is hashed is what was
//   built), tsconfig.json (and what it extends) and the package.json files above the inputs, the file
//   listing of every folder holding an input or searched by a relative import (a new file can change what
//   an import resolves to), and the key: this file's own hash (the build options live here), the esbuild
//   version, the root and the entry. Listings and configuration files are taken before the build, so a
//   change during it shows at the next start. A start re-reads and re-hashes all of it (about 200 files,
//   tens of milliseconds; no timestamp is trusted) and rebuilds on any difference.
// - A build is written to its own folder named after that manifest (`<id>/cli.mjs`): the folder's content
//   never changes once it is in place (temporary file, then rename), so a process that checked `current.json`
//   runs exactly the build it checked, whatever another process writes meanwhile. After a rebuild, builds
//   over an hour old are removed, except the new one and the one it replaces (bin/lastunit.mjs checks again
//   in the unlikely case the build it checked was removed before it loaded it).
//
// The bundle keeps the source's behaviour: packages stay external (better-sqlite3 and every dependency load
// from node_modules as usual); `import.meta.url`, `import.meta.filename` and `import.meta.dirname` are
// replaced in each module by its source file's values, so paths computed from them (package.json, specs,
// `createRequire`) resolve as they do under tsx; names are kept (esbuild would otherwise rename clashing
// classes and functions); a source map points stack traces at the TypeScript files.
import { createHash, randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const FORMAT = 1
const here = fileURLToPath(import.meta.url)
/** Folders never holding CLI sources, skipped when the tree is listed before a build. */
const SKIP = new Set(['node_modules', 'out', 'dist'])
/** Older builds are removed after a rebuild (a running CLI has read its bundle whole at start). */
const KEEP_MS = 60 * 60 * 1000

const LOADERS = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
  '.json': 'json',
}
const CODE = new Set(['ts', 'tsx', 'js', 'jsx'])
const IMPORT_META = /\bimport\.meta\.(url|filename|dirname)\b/g

/** True when `d` is `root` or a folder under it. */
const inside = (root, d) => {
  const rel = relative(root, d)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}
const sha = (data) => createHash('sha256').update(data).digest('hex')
const listing = (dir) => sha(readdirSync(dir).sort().join('\n'))

/** The cache folder of one checkout. */
export function cacheDirOf(root) {
  const real = realpathSync(root)
  return join(real, 'node_modules', '.cache', 'lastunit', sha(real).slice(0, 16))
}

const esbuildVersion = () => {
  const pkg = createRequire(here).resolve('esbuild/package.json')
  return JSON.parse(readFileSync(pkg, 'utf8')).version
}

/**
 * The bundle of `entry` for the checkout at `root`, rebuilt first when any input changed.
 * Returns its path and whether it was built now. Throws when esbuild cannot build it (the caller falls back to
 * tsx). `cacheDir` and `loadEsbuild` are for tests.
 */
export async function cachedBuild({
  root: rootIn,
  entry: entryIn,
  cacheDir,
  loadEsbuild = () => import('esbuild'),
}) {
  const root = realpathSync(rootIn)
  const entry = relative(root, realpathSync(entryIn))
  const dir = cacheDir ?? cacheDirOf(root)
  const pointer = join(dir, 'current.json')
  const key = { format: FORMAT, builder: sha(readFileSync(here)), esbuild: esbuildVersion(), root, entry }

  const previous = readManifest(pointer)
  const fresh = previous && isCurrent(previous, key, root)
  if (fresh) {
    const file = join(dir, previous.id, 'cli.mjs')
    if (existsSync(file)) return { file, rebuilt: false }
  }
  return { file: await build({ root, entry, dir, pointer, key, previous, loadEsbuild }), rebuilt: true }
}

function readManifest(pointer) {
  try {
    const m = JSON.parse(readFileSync(pointer, 'utf8'))
    return m && typeof m === 'object' && m.inputs && m.dirs && typeof m.id === 'string' ? m : undefined
  } catch {
    return undefined
  }
}

const manifestId = (m) => sha(JSON.stringify([m.key, m.inputs, m.dirs])).slice(0, 24)

/** True when every input still has the content it was built from and no input folder gained or lost a file. */
function isCurrent(m, key, root) {
  try {
    if (JSON.stringify(m.key) !== JSON.stringify(key) || manifestId(m) !== m.id) return false
    for (const [rel, [size, hash]] of Object.entries(m.inputs)) {
      const bytes = readFileSync(join(root, rel))
      if (bytes.length !== size || sha(bytes) !== hash) return false
    }
    for (const [rel, hash] of Object.entries(m.dirs)) if (listing(join(root, rel)) !== hash) return false
    return true
  } catch {
    return false // a file or folder gone, or a damaged manifest
  }
}

/**
 * Before a build: the listing of every folder under root (but node_modules, out, dist and dot folders) and of
 * `extra`, and every package.json in them.
 */
function snapshot(root, extra) {
  const listings = new Map()
  const packages = new Map()
  const walk = (abs) => {
    let entries
    try {
      entries = readdirSync(abs, { withFileTypes: true })
    } catch {
      return
    }
    const names = entries.map((e) => e.name)
    listings.set(relative(root, abs), sha(names.sort().join('\n')))
    if (names.includes('package.json'))
      try {
        packages.set(join(abs, 'package.json'), fileEntry(join(abs, 'package.json')))
      } catch {
        /* a folder named package.json */
      }
    for (const e of entries)
      if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) walk(join(abs, e.name))
  }
  walk(root)
  for (const rel of extra)
    if (!listings.has(rel))
      try {
        listings.set(rel, listing(join(root, rel)))
      } catch {
        /* gone */
      }
  return { listings, packages }
}

/** tsconfig.json and the files it extends (relative ones), which esbuild reads for every TypeScript file. */
function tsconfigChain(root) {
  const files = []
  let file = join(root, 'tsconfig.json')
  while (file && existsSync(file) && !files.includes(file)) {
    files.push(file)
    let ext
    try {
      ext = JSON.parse(readFileSync(file, 'utf8')).extends
    } catch {
      break // not plain JSON: hashed all the same, and esbuild reports it if it cannot read it
    }
    file = typeof ext === 'string' && ext.startsWith('.') ? resolve(dirname(file), ext) : undefined
    if (file && !existsSync(file) && existsSync(`${file}.json`)) file = `${file}.json`
  }
  return files
}

const fileEntry = (abs) => {
  const bytes = readFileSync(abs)
  return [bytes.length, sha(bytes)]
}

async function build({ root, entry, dir, pointer, key, previous, loadEsbuild }) {
  const esbuild = await loadEsbuild()
  // Listed before the build: a file appearing during the build shows as a change at the next start.
  const before = snapshot(root, previous ? Object.keys(previous.dirs) : [])
  // Files esbuild reads besides the modules: hashed before the build, so a change during it is seen later.
  const tsconfigs = tsconfigChain(root)
  const inputs = new Map(tsconfigs.map((f) => [f, fileEntry(f)]))
  // The folders where esbuild looks for the target of a relative import (./x: x.tsx, x.ts, ..., x/index.ts).
  const probed = new Set()

  const plugin = {
    name: 'lastunit-inputs',
    setup(b) {
      b.onResolve({ filter: /^\.\.?(\/|$)/ }, (args) => {
        probed.add(dirname(resolve(args.resolveDir, args.path)))
        return undefined // resolved by esbuild itself
      })
      b.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        const bytes = readFileSync(args.path)
        inputs.set(args.path, [bytes.length, sha(bytes)])
        const loader = LOADERS[extname(args.path)] ?? 'default'
        if (!CODE.has(loader)) return { contents: bytes, loader }
        const text = bytes.toString('utf8')
        const values = {
          url: pathToFileURL(args.path).href,
          filename: args.path,
          dirname: dirname(args.path),
        }
        const contents = text.includes('import.meta')
          ? text.replace(IMPORT_META, (_, prop) => JSON.stringify(values[prop]))
          : text
        return { contents, loader }
      })
    },
  }

  let result
  try {
    result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [join(root, entry)],
      // Nothing is written there (write: false); it names the files in the source map comment.
      outfile: join(root, 'cli.mjs'),
      write: false,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20.19',
      packages: 'external',
      keepNames: true,
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      ...(tsconfigs.length > 0 ? { tsconfig: tsconfigs[0] } : {}),
      plugins: [plugin],
    })
  } finally {
    await esbuild.stop?.()
  }

  // False when the tree changed during the build (or an input was not read through the plugin, which is not
  // expected): the build runs, but is not recorded as current.
  let settled = Object.keys(result.metafile.inputs).every((rel) => inputs.has(resolve(root, rel)))
  // package.json files next to inputs or above them in the checkout (esbuild reads "type", "sideEffects"),
  // as they were before the build.
  const folders = new Set()
  for (const abs of inputs.keys())
    for (let d = dirname(abs); inside(root, d) && !folders.has(d); d = dirname(d)) folders.add(d)
  for (const d of folders) {
    const pkg = join(d, 'package.json')
    if (inputs.has(pkg)) continue
    const entry = before.packages.get(pkg)
    if (entry) inputs.set(pkg, entry)
    else if (existsSync(pkg)) settled = false
  }

  // The listings, as they were before the build, of the folders holding inputs, those between them and the
  // root, and those searched for a relative import: a file added there can change what an import resolves to.
  const dirs = new Map()
  for (const d of new Set([...folders, ...probed])) {
    if (d === root && !probed.has(d)) continue // the root's listing changes often and matters only if probed
    if (!inside(root, d)) continue // outside the checkout: its files are hashed, its listing is not
    const rel = relative(root, d)
    const hash = before.listings.get(rel) // undefined: the folder appeared during the build
    if (hash === undefined) settled = false
    else dirs.set(rel, hash)
  }

  const manifest = {
    key,
    inputs: Object.fromEntries(
      [...inputs].map(([abs, e]) => [relative(root, abs), e]).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
    dirs: Object.fromEntries([...dirs].sort(([a], [b]) => (a < b ? -1 : 1))),
  }
  manifest.id = manifestId(manifest)

  const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'))
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'))
  const buildDir = join(dir, manifest.id)
  mkdirSync(buildDir, { recursive: true })
  if (map) writeAtomic(join(buildDir, 'cli.mjs.map'), absoluteSources(map.text, root))
  const file = join(buildDir, 'cli.mjs')
  writeAtomic(file, js.contents)
  if (settled) writeAtomic(pointer, JSON.stringify(manifest))
  collectGarbage(dir, [manifest.id, previous?.id])
  return file
}

/** Source paths in the map as absolute file URLs: the map sits in the cache, maybe behind a symlink. */
function absoluteSources(text, root) {
  const map = JSON.parse(text)
  map.sources = map.sources.map((s) => pathToFileURL(resolve(root, s)).href)
  delete map.sourceRoot
  return JSON.stringify(map)
}

/** Writes a file whole or not at all: a concurrent reader sees the old file or the new one. */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(tmp, data)
  for (let attempt = 0; ; attempt++)
    try {
      renameSync(tmp, file)
      return
    } catch (e) {
      // Windows refuses to replace a file another process has open for a moment: retry, then give up on
      // a build that is already there (same name, same content).
      if (attempt < 5 && (e.code === 'EPERM' || e.code === 'EBUSY' || e.code === 'EACCES')) continue
      rmSync(tmp, { force: true })
      if (basename(file) === 'cli.mjs' && existsSync(file)) return
      throw e
    }
}

/**
 * Removes this checkout's builds over an hour old but `keep`, temporary files left over an hour ago, and the
 * caches of checkouts that are gone.
 */
function collectGarbage(dir, keep) {
  const now = Date.now()
  const old = (p) => {
    try {
      return now - statSync(p).mtimeMs > KEEP_MS
    } catch {
      return false
    }
  }
  try {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (!keep.includes(name) && name !== 'current.json' && old(p))
        rmSync(p, { recursive: true, force: true })
      else if (keep.includes(name))
        // Temporary files of a process killed while writing.
        for (const f of readdirSync(p)) if (f.endsWith('.tmp') && old(join(p, f))) rmSync(join(p, f))
    }
    const base = dirname(dir)
    for (const name of readdirSync(base)) {
      const other = join(base, name)
      if (other === dir) continue
      const m = readManifest(join(other, 'current.json'))
      if (m && typeof m.key?.root === 'string' && !existsSync(m.key.root) && old(other))
        rmSync(other, { recursive: true, force: true })
    }
  } catch {
    /* housekeeping only */
  }
}
