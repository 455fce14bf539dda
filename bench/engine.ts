// npm run bench -- engine
// 10,000 SKUs on 7 simulated channels. The engine runs as it ships: compiled JavaScript on plain node,
// not TypeScript under tsx (loading the engine modules under tsx takes about 60 MB more RSS). bench/_engine-process.ts, with the engine
// modules of main/ it imports, is bundled by bin/cli-cache.mjs, the builder `lastunit` uses for the CLI (same
// esbuild options, a cache used only while every input is unchanged), and that bundle runs in a child
// `node` process. It prints the table and the JSON line; the simulators run in a process of their own.
import { fork } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'

interface CliCache {
  cacheDirOf(root: string): string
  cachedBuild(o: {
    root: string
    entry: string
    cacheDir?: string
  }): Promise<{ file: string; rebuilt: boolean }>
}

async function main(): Promise<number> {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const entry = fileURLToPath(new URL('./_engine-process.ts', import.meta.url))
  const cache = (await import(pathToFileURL(`${root}bin/cli-cache.mjs`).href)) as CliCache
  // A cache folder of its own beside the CLI's: each folder holds one current build.
  const { file, rebuilt } = await cache.cachedBuild({
    root,
    entry,
    cacheDir: `${cache.cacheDirOf(root)}-bench-engine`,
  })
  const child = fork(file, process.argv.slice(2), {
    execArgv: [],
    env: { ...process.env, LASTUNIT_BENCH_BUNDLE: `${file}${rebuilt ? ' (built now)' : ''}` },
    stdio: 'inherit',
  })
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))))
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e))
    process.exit(1)
  },
)
