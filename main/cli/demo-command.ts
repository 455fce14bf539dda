// `lastunit demo`: the app's demo, headless. The same demo environment the app's "Try the demo" starts (the
// Odoo simulator and the seven channel simulators, a market placing orders), handed to the same Runtime
// the app runs, with its real adapters, in a temporary data folder of its own. Prints the live log and
// ends with a summary measured from both ends: what the engine sent and what the simulators accepted.
import type { Command } from 'commander'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { openDatabase } from '../node/db/database'
import { databaseFile } from '../node/app-info/paths'
import { appVersion } from '../node/app-info/version'
import { createKeyVault } from '../node/secrets/key-vault'
import { vaultSalt } from '../node/secrets/vault-salt'
import { Runtime } from '../node/runtime/runtime'
import type { EngineEvent, EngineStatus } from '../node/engine'
import { redactText } from '../node/redaction'
import type { DemoEnvironment, DemoWatch, MarketEvent } from '../sandbox/demo-env'
import { CliExit, time, untilStopped, type CliContext } from './cli-context'

const MARKET_WORDS: Record<Exclude<MarketEvent['kind'], 'order'>, string> = {
  receipt: 'received',
  scrap: 'scrapped',
  inventory: 'counted',
}

/** A market event in the live log's shape (the engine's lines: time, level, kind, subject, message). */
const marketLine = (e: MarketEvent): string =>
  `${time(e.at)} demo  market   ` +
  (e.kind === 'order'
    ? `${e.channelId}: a buyer orders ${e.quantity} x ${e.sku} (order ${e.orderId})`
    : `Odoo: ${e.sku} ${e.kind === 'inventory' ? `counted at ${e.quantity}` : `${e.quantity} ${MARKET_WORDS[e.kind]}`} in location ${e.locationId}`)

export function registerDemoCommand(program: Command, { io }: CliContext): void {
  program
    .command('demo')
    .description(
      "the app's demo headless: simulated Odoo and seven marketplaces synced by the real adapters, printing the live log",
    )
    .option('--duration <seconds>', 'stop after this many seconds (default 60; Ctrl+C stops earlier)', '60')
    .option('--products <n>', 'products in the simulated catalogue', '40')
    .option('--market <ms>', 'time between two market events (stock moves, orders)', '1000')
    .action(async (o: { duration: string; products: string; market: string }) => {
      const seconds = Number(o.duration)
      const products = Number(o.products)
      const marketMs = Number(o.market)
      if (!Number.isFinite(seconds) || seconds <= 0)
        throw new CliExit(2, `--duration must be a number of seconds > 0, got "${o.duration}"`)
      if (!Number.isInteger(products) || products < 1 || products > 1000)
        throw new CliExit(2, `--products must be a whole number from 1 to 1000, got "${o.products}"`)
      if (!Number.isInteger(marketMs) || marketMs < 50)
        throw new CliExit(2, `--market must be a whole number of milliseconds >= 50, got "${o.market}"`)
      io.out(
        `LastUnit demo: simulated Odoo and seven marketplaces for ${seconds} s, synced by the app's own adapters and engine. Nothing real is touched.`,
      )
      // The simulators load only for the demo: every other command starts without them.
      const { startDemoEnvironment, watchDemo, formatDemoSummary } = await import('../sandbox/demo-env')
      const dataDir = mkdtempSync(join(tmpdir(), 'lastunit-demo-'))
      const db = openDatabase(databaseFile(dataDir))
      const say = (line: string) => io.out(redactText(line))
      let watch: DemoWatch | null = null
      let offMarket: () => void = () => undefined
      const runtime = new Runtime<DemoEnvironment>({
        db,
        vault: createKeyVault(randomBytes(24).toString('base64url'), vaultSalt(db)),
        dataDir,
        host: 'cli',
        version: appVersion(),
        // The same demo the app starts; watched from the simulators' side before the engine runs.
        demo: async (opts) => {
          const env = await startDemoEnvironment({
            ...opts,
            products,
            marketIntervalMs: marketMs,
            // Amazon and bol.com push their orders to a simulated SQS queue, as with "Faster orders".
            fasterOrders: true,
          })
          watch = watchDemo(env)
          offMarket = env.onMarketEvent((e) => say(marketLine(e)))
          return env
        },
      })
      // Pushes are counted per second, not printed one by one; everything else is the live log.
      const pushes = new Map<string, number>()
      const off = runtime.subscribe((e: EngineEvent) => {
        watch?.onEngineEvent(e)
        if (e.type === 'push' && (e.status === 'accepted' || e.status === 'confirmed'))
          pushes.set(e.channelId, (pushes.get(e.channelId) ?? 0) + 1)
        if (
          e.type === 'log' &&
          e.entry.level !== 'debug' &&
          (e.entry.kind !== 'push' || e.entry.level !== 'info')
        )
          say(
            `${time(e.entry.at)} ${e.entry.level.padEnd(5)} ${e.entry.kind.padEnd(8)} ${e.entry.channelId ? `${e.entry.channelId}: ` : ''}${e.entry.listingId ? `${e.entry.listingId} ` : ''}${e.entry.message}`,
          )
        if (e.type === 'alert') say(`${time(Date.now())} ALERT ${e.kind}: ${e.message}`)
      })
      const tally = setInterval(() => {
        if (pushes.size === 0) return
        say(`${time(Date.now())} info  push     sent: ${[...pushes].map(([c, n]) => `${c} ${n}`).join(', ')}`)
        pushes.clear()
      }, 1000)
      const started = Date.now()
      let status: EngineStatus | null = null
      try {
        const r = await runtime.startDemo()
        if (!r.started) throw new CliExit(1, r.message || 'The demo could not start.')
        const ac = new AbortController()
        const timer = setTimeout(() => ac.abort(), Math.max(0, seconds * 1000 - (Date.now() - started)))
        io.signal?.addEventListener('abort', () => ac.abort(), { once: true })
        await untilStopped(ac.signal)
        clearTimeout(timer)
        runtime.demoEnvironment()?.stopMarket()
        status = runtime.engine()?.status() ?? null
      } finally {
        // Stopping drains the outbox: what was queued reaches the simulators before the summary.
        await runtime.stop()
        clearInterval(tally)
        off()
        offMarket()
        db.close()
        rmSync(dataDir, { recursive: true, force: true })
      }
      const w = watch as DemoWatch | null
      if (!w) throw new CliExit(1, 'The demo did not start.')
      w.close()
      const summary = w.summary(status, Date.now() - started)
      io.out(formatDemoSummary(summary))
      if (summary.olderAfterNewer > 0)
        throw new CliExit(1, 'A channel received an older value after a newer one.')
    })
}
