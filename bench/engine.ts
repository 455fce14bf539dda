// npm run bench -- engine
// 10,000 SKUs on 7 simulated channels. The engine runs as it ships: compiled JavaScript on plain node,
// not TypeScript under tsx (loading the engine modules under tsx takes about 60 MB more RSS). Each part is
// bundled by bin/cli-cache.mjs, the builder `lastunit` uses for the CLI (same esbuild options, a cache used
// only while every input is unchanged), and runs in a child `node` process of its own, one after the other:
// - bench/_engine-process.ts: initial sync, Odoo change propagation, full resync and peak RSS, on real time;
// - bench/_engine-orders-process.ts: orders on every channel at its shipped order interval (Amazon 225 s),
//   on a warped clock (BENCH_ENGINE_WARP, default 5), figures in simulated ms; then Amazon's and bol.com's
//   orders with notifications through the SQS simulator (bench/_engine-notified.ts, issue #23).
// The simulators run in child processes of their own: Odoo in one, the channels in another
// (bench/_sim-host-client.ts).
// Each prints its table; this launcher then prints the one JSON line of both.
import { fork } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

interface CliCache {
  cacheDirOf(root: string): string
  cachedBuild(o: {
    root: string
    entry: string
    cacheDir?: string
  }): Promise<{ file: string; rebuilt: boolean }>
}

const root = fileURLToPath(new URL('..', import.meta.url))

async function runPart(entry: string, cacheSuffix: string, resultFile: string): Promise<object> {
  const cache = (await import(pathToFileURL(`${root}bin/cli-cache.mjs`).href)) as CliCache
  // A cache folder of its own beside the CLI's: each folder holds one current build.
  const { file, rebuilt } = await cache.cachedBuild({
    root,
    entry: fileURLToPath(new URL(entry, import.meta.url)),
    cacheDir: `${cache.cacheDirOf(root)}-${cacheSuffix}`,
  })
  const child = fork(file, process.argv.slice(2), {
    execArgv: [],
    env: {
      ...process.env,
      LASTUNIT_BENCH_BUNDLE: `${file}${rebuilt ? ' (built now)' : ''}`,
      LASTUNIT_BENCH_RESULT: resultFile,
    },
    stdio: 'inherit',
  })
  const code = await new Promise<number>((resolve) =>
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
  )
  if (code !== 0) throw new Error(`${entry} exited with ${code}`)
  return JSON.parse(readFileSync(resultFile, 'utf8')) as object
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lastunit-bench-engine-'))
  try {
    const sync = (await runPart('./_engine-process.ts', 'bench-engine', join(dir, 'sync.json'))) as Record<
      string,
      unknown
    >
    const orders = (await runPart(
      './_engine-orders-process.ts',
      'bench-engine-orders',
      join(dir, 'orders.json'),
    )) as Record<string, unknown>
    const { peak_rss_mb, resync_cpu_ms, resync_calls, resync_min_calls, ...front } = sync
    console.log(
      JSON.stringify({
        ...front,
        ...orders,
        resync_cpu_ms,
        resync_calls,
        resync_min_calls,
        peak_rss_mb,
      }),
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e))
    process.exit(1)
  },
)
