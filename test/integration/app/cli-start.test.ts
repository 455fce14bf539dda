// How `lastunit` starts in a source checkout (bin/lastunit.mjs, bin/cli-cache.mjs): the CLI bundled by esbuild
// into a cache that runs only while every input is unchanged. The cases run against a tiny checkout in a
// temporary folder (the real CLI would make each case slow), with the real bin files and the real esbuild;
// the last ones run the real CLI.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { tempDir } from '../../helpers/app'

const repo = fileURLToPath(new URL('../../../', import.meta.url))

interface Esbuild {
  build(options: object): Promise<unknown>
  stop?(): unknown
}
interface CliCache {
  cachedBuild(o: {
    root: string
    entry: string
    loadEsbuild?: () => Promise<Esbuild>
  }): Promise<{ file: string; rebuilt: boolean }>
  cacheDirOf(root: string): string
}
const loadCache = async () =>
  (await import(pathToFileURL(join(repo, 'bin', 'cli-cache.mjs')).href)) as CliCache

/** esbuild as the module would load it, counting the loads. */
const counting = () => {
  const counter = {
    loads: 0,
    load: async () => {
      counter.loads++
      return (await import('esbuild')) as unknown as Esbuild
    },
  }
  return counter
}

const GREET = (word: string) => `export const greeting = '${word}'\n`
const CLI = `import { createRequire } from 'node:module'
import { greeting } from './lib/greet'
import { Named as Other } from './lib/named'
// A file read relative to this source file, as main/node/odoo/xmlrpc-codec.ts loads the xmlrpc internals.
const data = createRequire(import.meta.url)('./lib/data.cjs') as { answer: number }
// Two classes of one name: the bundle keeps both names (esbuild would rename one without keepNames).
class Named {}
process.stdout.write(\`\${greeting} \${data.answer} \${Named.name}/\${new Other().constructor.name} \${process.argv.slice(2).join(',')}\\n\`)
process.stderr.write(\`from \${import.meta.url}\\n\`)
process.exitCode = Number(process.argv[2] ?? 0) || 0
`

let base: string
let cleanup: () => void
beforeEach(() => {
  ;({ dir: base, cleanup } = tempDir('lastunit-cli-start-'))
})
afterEach(() => cleanup())

/** A checkout with the real bin/ and esbuild (and tsx, for the fallback), and a two-file CLI. */
function checkout(name = 'repo', { esbuild = true } = {}): string {
  const root = join(base, name)
  mkdirSync(join(root, 'main', 'lib'), { recursive: true })
  mkdirSync(join(root, 'bin'))
  mkdirSync(join(root, 'node_modules'))
  for (const f of ['lastunit.mjs', 'cli-cache.mjs']) cpSync(join(repo, 'bin', f), join(root, 'bin', f))
  const link = (pkg: string) =>
    symlinkSync(join(repo, 'node_modules', pkg), join(root, 'node_modules', pkg), 'junction')
  if (esbuild) link('esbuild')
  link('tsx')
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fixture', type: 'module' }))
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2023' } }))
  writeFileSync(join(root, 'main', 'cli.ts'), CLI)
  writeFileSync(join(root, 'main', 'lib', 'greet.ts'), GREET('hello'))
  writeFileSync(join(root, 'main', 'lib', 'named.ts'), 'export class Named {}\n')
  writeFileSync(join(root, 'main', 'lib', 'data.cjs'), 'module.exports = { answer: 42 }\n')
  return root
}

interface Run {
  code: number | null
  out: string
  err: string
}
/** `node ROOT/bin/lastunit.mjs ...args`, from another working directory. */
function lastunit(root: string, args: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'lastunit.mjs'), ...args], { cwd: base })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

/** The bundle the checkout's cache currently names, and its inode (a rebuild writes a new file). */
async function cached(root: string): Promise<{ file: string; ino: number }> {
  const { cacheDirOf } = await loadCache()
  const dir = cacheDirOf(root)
  const { id } = JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8')) as { id: string }
  const file = join(dir, id, 'cli.mjs')
  return { file, ino: statSync(file).ino }
}

describe('lastunit in a checkout: a cached bundle, never a stale one', () => {
  it('runs the bundle with the arguments, stdio and exit code of the CLI, and source-relative paths', async () => {
    const root = checkout()
    const r = await lastunit(root, ['7', 'x'])
    expect(r).toMatchObject({ code: 7, out: 'hello 42 Named/Named 7,x\n' })
    // import.meta.url is the source file's, as under tsx, not the bundle's.
    expect(r.err).toBe(`from ${pathToFileURL(join(root, 'main', 'cli.ts')).href}\n`)
    const { file } = await cached(root)
    expect(readFileSync(file, 'utf8')).toMatch(/sourceMappingURL=cli\.mjs\.map/)
  })

  it('runs the cached build of an unchanged tree without loading esbuild', async () => {
    const root = checkout()
    const { cachedBuild } = await loadCache()
    const esbuild = counting()
    const entry = join(root, 'main', 'cli.ts')
    const first = await cachedBuild({ root, entry, loadEsbuild: esbuild.load })
    const second = await cachedBuild({ root, entry, loadEsbuild: esbuild.load })
    expect([first.rebuilt, second.rebuilt, esbuild.loads]).toEqual([true, false, 1])
    expect(second.file).toBe(first.file)

    const before = await cached(root)
    expect((await lastunit(root)).out).toBe('hello 42 Named/Named \n')
    expect((await lastunit(root)).out).toBe('hello 42 Named/Named \n')
    expect(await cached(root)).toEqual(before)
  })

  it('rebuilds when a source changes, even with its size and timestamps unchanged', async () => {
    const root = checkout()
    const greet = join(root, 'main', 'lib', 'greet.ts')
    const stamp = new Date('2026-01-02T03:04:05Z') // whole seconds: restored exactly on any file system
    utimesSync(greet, stamp, stamp)
    expect((await lastunit(root)).out).toBe('hello 42 Named/Named \n')
    const before = await cached(root)
    const { size, mtimeMs } = statSync(greet)
    writeFileSync(greet, GREET('howdy'))
    utimesSync(greet, stamp, stamp)
    expect(statSync(greet)).toMatchObject({ size, mtimeMs })

    expect((await lastunit(root)).out).toBe('howdy 42 Named/Named \n')
    expect((await cached(root)).file).not.toBe(before.file)
  })

  it('rebuilds when an input is deleted, renamed, or shadowed by a new file', async () => {
    const root = checkout()
    const lib = join(root, 'main', 'lib')
    expect((await lastunit(root)).out).toBe('hello 42 Named/Named \n')

    // greet.ts moves to greet/index.ts: the same import now resolves to another file.
    mkdirSync(join(lib, 'greet'))
    renameSync(join(lib, 'greet.ts'), join(lib, 'greet', 'index.ts'))
    writeFileSync(join(lib, 'greet', 'index.ts'), GREET('moved'))
    expect((await lastunit(root)).out).toBe('moved 42 Named/Named \n')

    // A new greet.ts takes precedence over greet/index.ts, whose content is unchanged.
    writeFileSync(join(lib, 'greet.ts'), GREET('added'))
    expect((await lastunit(root)).out).toBe('added 42 Named/Named \n')

    // Deleted: the import resolves to greet/index.ts again.
    rmSync(join(lib, 'greet.ts'))
    expect((await lastunit(root)).out).toBe('moved 42 Named/Named \n')

    // A file the CLI reads at run time, not an input of the bundle, is read fresh anyway.
    writeFileSync(join(lib, 'data.cjs'), 'module.exports = { answer: 43 }\n')
    expect((await lastunit(root)).out).toBe('moved 43 Named/Named \n')
  })

  it('rebuilds after the tsconfig or package.json it was built with changes', async () => {
    const root = checkout()
    const { cachedBuild } = await loadCache()
    const entry = join(root, 'main', 'cli.ts')
    expect((await cachedBuild({ root, entry })).rebuilt).toBe(true)
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022' } }))
    expect((await cachedBuild({ root, entry })).rebuilt).toBe(true)
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fixture', type: 'module', x: 1 }))
    expect((await cachedBuild({ root, entry })).rebuilt).toBe(true)
    expect((await cachedBuild({ root, entry })).rebuilt).toBe(false)
  })

  it('does not record as current what changed while esbuild was building', async () => {
    const root = checkout()
    const { cachedBuild } = await loadCache()
    const entry = join(root, 'main', 'cli.ts')
    const lib = join(root, 'main', 'lib')
    // esbuild, with a source edited (then a file added) right after it has read the sources.
    const meddling = (change: () => void) => async () => {
      const real = (await import('esbuild')) as unknown as Esbuild
      return {
        build: async (o: object) => {
          const result = await real.build(o)
          change()
          return result
        },
        stop: () => real.stop?.(),
      }
    }
    await cachedBuild({
      root,
      entry,
      loadEsbuild: meddling(() => writeFileSync(join(lib, 'greet.ts'), GREET('later'))),
    })
    expect((await lastunit(root)).out).toBe('later 42 Named/Named \n')

    writeFileSync(join(lib, 'greet.ts'), GREET('before'))
    await cachedBuild({
      root,
      entry,
      loadEsbuild: meddling(() => writeFileSync(join(lib, 'greet.tsx'), GREET('newer'))),
    })
    // greet.tsx appeared after esbuild resolved `./lib/greet`: the next start sees it and rebuilds.
    expect((await lastunit(root)).out).toBe('newer 42 Named/Named \n')
  })

  it('lets two processes start at once, on a cold cache and after a change', async () => {
    const root = checkout()
    const both = () => Promise.all([lastunit(root, ['1']), lastunit(root, ['2'])])
    for (const word of ['hello', 'changed']) {
      if (word !== 'hello') writeFileSync(join(root, 'main', 'lib', 'greet.ts'), GREET(word))
      const [a, b] = await both()
      expect(a).toMatchObject({ code: 1, out: `${word} 42 Named/Named 1\n` })
      expect(b).toMatchObject({ code: 2, out: `${word} 42 Named/Named 2\n` })
      expect(readdirSync(dirname((await cached(root)).file)).filter((f) => f.endsWith('.tmp'))).toEqual([])
    }
    const { cachedBuild } = await loadCache()
    expect((await cachedBuild({ root, entry: join(root, 'main', 'cli.ts') })).rebuilt).toBe(false)
  })

  it('a copy of the checkout in another folder runs its own sources, not the build it copied', async () => {
    const a = checkout('a')
    expect((await lastunit(a)).out).toBe('hello 42 Named/Named \n')
    const b = join(base, 'b')
    cpSync(a, b, { recursive: true, verbatimSymlinks: true })
    expect(existsSync(join(b, 'node_modules', '.cache', 'lastunit'))).toBe(true) // the cache came along

    const rb = await lastunit(b)
    expect(rb.out).toBe('hello 42 Named/Named \n')
    expect(rb.err).toBe(`from ${pathToFileURL(join(b, 'main', 'cli.ts')).href}\n`)
    writeFileSync(join(a, 'main', 'lib', 'greet.ts'), GREET('only-a'))
    expect((await lastunit(a)).out).toBe('only-a 42 Named/Named \n')
    expect((await lastunit(b)).out).toBe('hello 42 Named/Named \n')
  })

  it('removes builds over an hour old after a rebuild, keeping the one it replaces', async () => {
    const root = checkout()
    await lastunit(root)
    const first = dirname((await cached(root)).file)
    writeFileSync(join(root, 'main', 'lib', 'greet.ts'), GREET('two'))
    await lastunit(root)
    const second = dirname((await cached(root)).file)
    const hoursAgo = new Date(Date.now() - 2 * 3600_000)
    for (const d of [first, second]) utimesSync(d, hoursAgo, hoursAgo)
    writeFileSync(join(root, 'main', 'lib', 'greet.ts'), GREET('three'))
    expect((await lastunit(root)).out).toBe('three 42 Named/Named \n')
    expect([existsSync(first), existsSync(second)]).toEqual([false, true])
  })

  it('falls back to tsx, with one line on stderr, when esbuild is missing', async () => {
    const root = checkout('no-esbuild', { esbuild: false })
    const r = await lastunit(root, ['3'])
    expect(r).toMatchObject({ code: 3, out: 'hello 42 Named/Named 3\n' })
    const lines = r.err.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      /^lastunit: cannot bundle main\/cli\.ts with esbuild \(.*\); running the source through tsx$/,
    )
    expect(lines.slice(1)).toEqual([`from ${pathToFileURL(join(root, 'main', 'cli.ts')).href}`])
  })

  it('names the error on one line when the source does not compile', async () => {
    const root = checkout()
    writeFileSync(join(root, 'main', 'lib', 'greet.ts'), 'export const greeting = (\n')
    const r = await lastunit(root)
    expect(r.code).not.toBe(0)
    expect(r.err.split('\n')[0]).toMatch(
      /^lastunit: cannot bundle main\/cli\.ts with esbuild \(.*greet\.ts:\d+: .+\); running the source through tsx$/,
    )
  })
})

describe('the real CLI through bin/lastunit.mjs', () => {
  it('prints the version of package.json and then starts from the cache', async () => {
    const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string })
      .version
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'lastunit.mjs'), '--version'], {
      cwd: base,
      encoding: 'utf8',
    })
    expect(r).toMatchObject({ status: 0, stdout: `${version}\n` })
    const { cachedBuild } = await loadCache()
    const esbuild = counting()
    const again = await cachedBuild({
      root: repo,
      entry: join(repo, 'main', 'cli.ts'),
      loadEsbuild: esbuild.load,
    })
    expect([again.rebuilt, esbuild.loads]).toEqual([false, 0])
  })
})
