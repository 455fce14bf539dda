// `npm run bench -- odoo`: the Odoo connector against the simulator (10,000 products, 20,000 internal
// quants), over XML-RPC (Odoo 18) and JSON-2 (Odoo 19). Measures RPC calls, bytes and milliseconds of an
// idle poll, of a poll that finds 100 changed products (with their recompute), and of a full recompute.
// The simulator runs in a child process, so "client CPU" is LastUnit's own time.
// Then the shipped runtime with its shipped defaults, on a clock 10 times faster (bench/_late-commit-process.ts):
// how long a published figure stays wrong after the commit of transactions of 5 s, 75 s and 10 minutes, and
// the calls an idle Odoo receives beyond the polls.
import { execFileSync, fork, type ChildProcess } from 'node:child_process'
import { createOdooGateway } from '../main/node/odoo/create-odoo-gateway'
import type { RpcOdooGateway } from '../main/node/odoo/rpc-gateway'

interface Ready {
  url: string
  database: string
  login: string
  apiKey: string
  roots: number[]
  products: number
  quants: number
  internalQuants: number
}

interface Measure {
  calls: number
  bytes: number
  ms: number
  cpuMs: number
}

const products = Number(process.env.ODOO_BENCH_PRODUCTS ?? 10_000)

function startChild(version: number): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(
    new URL('./_odoo-sim-process.ts', import.meta.url).pathname,
    [String(version), String(products)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, ready: m as Ready }))
    child.once('exit', (code) => reject(new Error(`the simulator process exited with ${code}`)))
  })
}

const ask = (child: ChildProcess, msg: object) =>
  new Promise<unknown>((resolve) => {
    child.once('message', resolve)
    child.send(msg)
  })

async function measure(gw: RpcOdooGateway, fn: () => Promise<unknown>): Promise<Measure> {
  const c0 = gw.stats.calls
  const b0 = gw.stats.bytesSent + gw.stats.bytesReceived
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await fn()
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return {
    calls: gw.stats.calls - c0,
    bytes: gw.stats.bytesSent + gw.stats.bytesReceived - b0,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
  }
}

async function run(version: 18 | 19) {
  const { child, ready } = await startChild(version)
  try {
    const gw = await createOdooGateway({
      url: ready.url,
      database: ready.database,
      login: ready.login,
      secret: ready.apiKey,
      timeoutMs: 60_000,
    })
    await gw.login()
    // Warm up: connections, JIT, and the cursor.
    await gw.stockByProduct(ready.roots)
    let cursor = (await gw.pollChanges(null)).cursor
    await new Promise((r) => setTimeout(r, 1100))
    cursor = (await gw.pollChanges(cursor)).cursor

    const idleRuns: Measure[] = []
    for (let i = 0; i < 5; i++) {
      idleRuns.push(
        await measure(gw, async () => {
          const r = await gw.pollChanges(cursor)
          cursor = r.cursor
          if (r.changedProductIds.length > 0)
            throw new Error(`idle poll reported ${r.changedProductIds.length} changes`)
        }),
      )
    }
    const idle = idleRuns.reduce((a, b) => (a.ms > b.ms ? a : b))

    await ask(child, { cmd: 'change', n: 100 })
    let changedCount = 0
    const changed = await measure(gw, async () => {
      const r = await gw.pollChanges(cursor)
      cursor = r.cursor
      changedCount = r.changedProductIds.length
      await gw.stockByProduct(ready.roots, r.changedProductIds)
    })
    if (changedCount < 100) throw new Error(`the poll found ${changedCount} of 100 changed products`)

    const fulls: Measure[] = []
    let rows = 0
    for (let i = 0; i < 3; i++)
      fulls.push(
        await measure(gw, async () => {
          rows = (await gw.stockByProduct(ready.roots)).length
        }),
      )
    const full = fulls.reduce((a, b) => (a.ms > b.ms ? a : b))
    let sweepRows = 0
    const sweep = await measure(gw, async () => {
      sweepRows = (await gw.stockByProductLocation(ready.roots)).length
    })
    return {
      version,
      transport: gw.transport,
      ready,
      idle,
      changed,
      changedCount,
      full,
      rows,
      sweep,
      sweepRows,
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r))
    child.send({ cmd: 'stop' })
    await exited
  }
}

interface LateCommitResult {
  version: number
  transport: string
  warp: number
  idleMinutes: number
  idleCalls: number
  idlePollCalls: number
  idlePolls: number
  idleExtraPerMinute: number
  callsPerPoll: number
  stale: Array<{ durationMs: number; staleMs: number }>
}

function lateCommits(version: 18 | 19): LateCommitResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', new URL('./_late-commit-process.ts', import.meta.url).pathname, String(version)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 },
  )
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as LateCommitResult
}

const results: Array<Awaited<ReturnType<typeof run>>> = []
for (const v of [18, 19] as const) results.push(await run(v))
console.log('Late commits and idle cost (shipped defaults, simulated clock):')
const late: LateCommitResult[] = []
for (const v of [18, 19] as const) late.push(lateCommits(v))

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`
console.log(
  `\nOdoo connector vs simulator: ${results[0]?.ready.products} products, ${results[0]?.ready.internalQuants} internal quants (${results[0]?.ready.quants} with virtual ones)\n`,
)
console.log('version  transport  operation                     calls      bytes   wall ms   client CPU ms')
for (const r of results) {
  const row = (name: string, m: Measure) =>
    console.log(
      `${String(r.version).padEnd(8)} ${r.transport.padEnd(10)} ${name.padEnd(29)} ${String(m.calls).padStart(5)} ${kb(m.bytes).padStart(10)} ${m.ms.toFixed(1).padStart(9)} ${m.cpuMs.toFixed(1).padStart(15)}`,
    )
  row('idle poll (worst of 5)', r.idle)
  row(`poll + recompute ${r.changedCount} changed`, r.changed)
  row(`full recompute (${r.rows} products)`, r.full)
  row(`late-commit sweep (${r.sweepRows} rows)`, r.sweep)
}
const maxStale = (l: LateCommitResult, d: number) =>
  Math.max(...l.stale.filter((x) => x.durationMs === d).map((x) => x.staleMs))
console.log(
  `\nLate commits: the runtime with its defaults (5 s poll, 60 s overlap, 75 s sweep), clock x${late[0]?.warp}; 5 transactions of each length, staggered 15 s.`,
)
console.log(
  'version  transport  stale after commit, max ms: 5 s tx   75 s tx   10 min tx   idle: calls/min beyond polls   calls/poll',
)
for (const l of late)
  console.log(
    `${String(l.version).padEnd(8)} ${l.transport.padEnd(10)} ${' '.repeat(27)}${String(maxStale(l, 5000)).padStart(7)} ${String(maxStale(l, 75_000)).padStart(9)} ${String(maxStale(l, 600_000)).padStart(11)}   ${l.idleExtraPerMinute.toFixed(2).padStart(28)}   ${l.callsPerPoll.toFixed(1).padStart(10)}`,
  )
console.log(
  `\nJSON: worst of both transports. Targets: idle poll <= 2 calls; full recompute < 3000 ms; late commit stale <= 120000 ms; idle extra calls <= 1 a minute.`,
)
const worst = (f: (r: (typeof results)[number]) => number) => Math.max(...results.map(f))
console.log(
  JSON.stringify({
    idle_poll_calls: worst((r) => r.idle.calls),
    idle_poll_ms: Math.round(worst((r) => r.idle.ms) * 10) / 10,
    changed_poll_calls: worst((r) => r.changed.calls),
    changed_poll_ms: Math.round(worst((r) => r.changed.ms) * 10) / 10,
    full_recompute_ms: Math.round(worst((r) => r.full.ms) * 10) / 10,
    late_commit_max_stale_ms: Math.max(...late.flatMap((l) => [maxStale(l, 75_000), maxStale(l, 600_000)])),
    idle_extra_calls_per_minute: Math.round(Math.max(...late.map((l) => l.idleExtraPerMinute)) * 100) / 100,
  }),
)
