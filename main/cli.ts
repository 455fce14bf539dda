// `lastunit`: the headless host. The same engine and the same store as the desktop app, from a command line,
// for a server or a scheduled task. See README "Command line".
import { Command, CommanderError, Option } from 'commander'
import { readFileSync, writeFileSync } from 'node:fs'
import type { Database } from './node/db/database'
import { enabledChannelUrls, setupChannelIds } from './node/db/repos/channels'
import { defaultDataDir } from './node/host/paths'
import { appVersion } from './node/host/version'
import { createKeyVault, resolvePassphrase, VaultKeyError } from './node/secrets/key-vault'
import { vaultSalt, verifyVault } from './node/secrets/vault-salt'
import { exportConfig, importConfig } from './node/config/config-service'
import { createHandlers } from './node/api/handlers'
import type { SecretVault } from './core/ports/secret-vault'
import { Runtime } from './node/runtime/runtime'
import type { EngineEvent } from './node/engine'
import { runChecklistCommand, CHECKLIST_USAGE } from './node/checklist/cli'
import { headlessChecklist, registerSetupCommands } from './node/setup/setup-commands'
import { holdHint, holdReason, releaseConfirmedHolds, runChannelLines } from './node/setup/first-push-command'
import { describeHost, describeSyncState } from './node/setup/headless'
import { startHostStatus, syncHostState } from './node/runtime/host-status'
import { engineStatusDto } from './node/api/status-dto'
import { todayUtc } from './node/api/peak-mode'
import { openStoreWithAdvice, registerMaintenanceCommands } from './node/maintenance/cli-commands'
import { startMaintenance } from './node/maintenance'
import { redactText } from './node/redaction'
import { readAllCredentialValues } from './node/db/repos/credentials'
import { stampSendTimes } from './node/http/http-client'

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
  env: NodeJS.ProcessEnv
  /** Stops `run` and `resync` like Ctrl+C does (tests). */
  signal?: AbortSignal
}

/** Thrown to end a command with an exit code and a message for the seller. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

interface GlobalOpts {
  dataDir?: string
  keyFile?: string
}

const openStore = (opts: GlobalOpts, io: CliIo): { db: Database; dataDir: string } => {
  const dataDir = opts.dataDir ?? defaultDataDir(io.env)
  try {
    // A damaged database is refused with advice naming the backup to restore.
    return { db: openStoreWithAdvice(dataDir), dataDir }
  } catch (e) {
    throw new CliExit(1, e instanceof Error ? e.message : String(e))
  }
}

const openVault = (db: Database, opts: GlobalOpts, io: CliIo): SecretVault => {
  try {
    const vault = createKeyVault(
      resolvePassphrase({ env: io.env, ...(opts.keyFile ? { keyFile: opts.keyFile } : {}) }),
      vaultSalt(db),
    )
    verifyVault(db, vault)
    return vault
  } catch (e) {
    if (e instanceof VaultKeyError) throw new CliExit(1, e.message)
    throw e
  }
}

const time = (at: number) => new Date(at).toISOString().slice(11, 19)

/** Prints the engine's log lines (info and above) as they happen. */
const printEvents = (runtime: Runtime, io: CliIo, verbose: boolean) => {
  // Channels' error texts can echo request details: every printed line goes through redaction.
  const say = (line: string) => io.out(redactText(line))
  return runtime.subscribe((e: EngineEvent) => {
    if (e.type === 'log' && (verbose || e.entry.level !== 'debug'))
      say(
        `${time(e.entry.at)} ${e.entry.level.padEnd(5)} ${e.entry.kind.padEnd(8)} ${e.entry.channelId ? `${e.entry.channelId}: ` : ''}${e.entry.listingId ? `${e.entry.listingId} ` : ''}${e.entry.message}`,
      )
    if (e.type === 'alert') say(`${time(Date.now())} ALERT ${e.kind}: ${e.message}`)
  })
}

/** A signal that aborts on Ctrl+C or SIGTERM (or when `signal` aborts); dispose() stops listening. */
const abortOnStop = (signal?: AbortSignal): { signal: AbortSignal; dispose: () => void } => {
  const ac = new AbortController()
  const stop = () => ac.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  signal?.addEventListener('abort', stop, { once: true })
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      signal?.removeEventListener('abort', stop)
    },
  }
}

/** Resolves on Ctrl+C or SIGTERM (or when `signal` aborts, in tests). */
const untilStopped = (signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done)
      process.off('SIGTERM', done)
      resolve()
    }
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
    signal?.addEventListener('abort', done, { once: true })
  })

const startRuntime = async (
  db: Database,
  vault: SecretVault,
  dataDir: string,
  rateScale = 1,
  /** Runs before the engine starts (listeners that must hear its first events). */
  beforeStart?: (runtime: Runtime) => void,
): Promise<Runtime> => {
  const runtime = new Runtime({
    db,
    vault,
    dataDir,
    host: 'cli',
    version: appVersion(),
    ...(rateScale !== 1 ? { adapterOptions: { rateScale } } : {}),
  })
  beforeStart?.(runtime)
  await runtime.start()
  if (!runtime.engine()) {
    const why = runtime.statusNote() ?? 'sync could not start'
    await runtime.stop()
    throw new CliExit(1, `LastUnit cannot sync: ${why}`)
  }
  return runtime
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * `--rate-scale`: the simulators run a compressed clock, so the adapters may pace faster. A real
 * marketplace would throttle or suspend an account that is called faster than its limits, so the option
 * is refused unless every channel that syncs points at this machine.
 */
export function simulatorRateScale(db: Database, given: string | undefined): number {
  if (given === undefined) return 1
  const n = Number(given)
  if (!Number.isFinite(n) || n < 1 || n > 1000)
    throw new CliExit(2, `--rate-scale must be a number from 1 to 1000, got "${given}"`)
  const rows = enabledChannelUrls(db)
  for (const r of rows) {
    let host = ''
    try {
      host = new URL(r.baseUrl).hostname
    } catch {
      /* not a URL: refused below */
    }
    if (!LOOPBACK.has(host))
      throw new CliExit(
        2,
        `--rate-scale is only for simulators on this machine: channel "${r.id}" points at ${r.baseUrl}, and a real marketplace must never be called faster than its limits`,
      )
  }
  return n
}

export function buildCli(io: CliIo): Command {
  const program = new Command()
  program
    .name('lastunit')
    .description('LastUnit: real-time stock sync from Odoo to every marketplace (headless).')
    .version(appVersion(), '-v, --version')
    .addOption(
      new Option(
        '-d, --data-dir <dir>',
        "data directory (default: the desktop app's, or $LASTUNIT_DATA_DIR)",
      ),
    )
    .addOption(
      new Option(
        '-k, --key-file <file>',
        'file holding the encryption key for credentials (default: $LASTUNIT_KEY)',
      ),
    )
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride()
    .showHelpAfterError()

  const g = () => program.opts<GlobalOpts>()
  program.addHelpText(
    'after',
    [
      '',
      'Going live headless (each command names the next one):',
      '  lastunit config import setup.json       Odoo and the channels; a channel starts in setup',
      '  lastunit listings fetch CHANNEL         read its listings (nothing is written to it)',
      '  lastunit map auto CHANNEL               map them by SKU, EAN and channel ids',
      '  lastunit checklist CHANNEL              the seven pre-launch checks, with the command for each',
      '  lastunit checklist CHANNEL --zero-stock-test',
      '  lastunit checklist CHANNEL --return-test',
      '  lastunit first-push CHANNEL [--confirm] what going live sends, before it is sent',
      '  lastunit checklist CHANNEL --go-live',
      '  lastunit run                            syncs live channels until stopped',
    ].join('\n'),
  )

  program
    .command('run')
    .description('run the sync engine until stopped (Ctrl+C drains the queue and exits)')
    .option('--verbose', 'also print debug lines')
    .option(
      '--rate-scale <n>',
      "simulators only: run the channels' declared rate limits n times faster (channels on this machine)",
    )
    .action(async (o: { verbose?: boolean; rateScale?: string }) => {
      const opts = g()
      const { db, dataDir } = openStore(opts, io)
      try {
        const rateScale = simulatorRateScale(db, o.rateScale)
        // Two engines on one data folder would push every listing twice.
        const other = syncHostState(db)
        if (other.running)
          throw new CliExit(
            1,
            `LastUnit already syncs this data folder: ${describeHost(other.snapshot, other.ageMs)}. Stop it first; lastunit status shows it.`,
          )
        // Only ever against simulators on this machine: simulatorRateScale refused anything else.
        if (rateScale !== 1) stampSendTimes(true)
        const vault = openVault(db, opts, io)
        // A channel the first-push guard holds: said with the commands that review and release it, in the
        // channel lines below when it is held by then, else when it happens.
        const held = new Set<string>()
        let announced = false
        let offHolds: () => void = () => undefined
        const runtime = await startRuntime(db, vault, dataDir, rateScale, (rt) => {
          offHolds = rt.subscribe((e: EngineEvent) => {
            if (e.type !== 'channel' || !announced) return
            if (e.state === 'awaiting_confirmation' && !held.has(e.channelId)) {
              held.add(e.channelId)
              io.out(
                `${time(Date.now())} hold  ${holdHint(e.channelId, holdReason(rt.engine(), e.channelId))}`,
              )
            } else if (e.state === 'running' && held.delete(e.channelId))
              io.out(`${time(Date.now())} guard ${e.channelId}: the first push was confirmed; sending it.`)
          })
        })
        const stopMaintenance = startMaintenance(db, dataDir, {
          onError: (e) => io.err(`backup: ${redactText(String(e))}`),
        })
        const off = printEvents(runtime, io, !!o.verbose)
        // The heartbeat `lastunit status` reads; each beat also lets go of holds confirmed from another shell.
        const heartbeat = startHostStatus({
          db,
          host: 'cli',
          version: appVersion(),
          engine: () => runtime.engine(),
          note: () => runtime.statusNote(),
          onBeat: () => {
            const e = runtime.engine()
            if (e) releaseConfirmedHolds(db, e)
          },
        })
        // What a second shell reads stays close to what happens: a beat after pushes and polls, at most one a second.
        let lastBeat = Date.now()
        const offBeats = runtime.subscribe((e: EngineEvent) => {
          if (e.type !== 'push' && e.type !== 'poll' && e.type !== 'channel') return
          if (Date.now() - lastBeat < 1000) return
          lastBeat = Date.now()
          heartbeat.beat()
        })
        const plan = runChannelLines(db, runtime.engine())
        io.out(
          plan.syncing > 0
            ? `LastUnit is syncing (data: ${dataDir}). Press Ctrl+C to stop; the queue is drained first.`
            : `LastUnit is running (data: ${dataDir}) and polls Odoo, but syncs no channel yet. Press Ctrl+C to stop.`,
        )
        for (const l of plan.lines) io.out(l)
        for (const id of plan.held) held.add(id)
        announced = true
        await untilStopped(io.signal)
        io.out('Stopping: draining the queue...')
        await runtime.stop()
        offBeats()
        heartbeat.stop()
        stopMaintenance()
        offHolds()
        off()
        io.out('Stopped.')
      } finally {
        db.close()
      }
    })

  program
    .command('status')
    .description(
      'show the configuration and the sync state (of a `lastunit run` or the app running on this data folder)',
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { db, dataDir } = openStore(g(), io)
      try {
        const vault: SecretVault = {
          description: 'not opened (status reads no secrets)',
          encrypt: () => {
            throw new Error('status never writes secrets')
          },
          decrypt: () => {
            throw new Error('status never reads secrets')
          },
        }
        const h = createHandlers({
          db,
          vault,
          dataDir,
          host: 'cli',
          version: appVersion(),
          engine: () => null,
        })
        // Sync runs in another process (`lastunit run`, the app): its heartbeat in the data folder tells.
        const host = syncHostState(db)
        const status =
          host.running && host.snapshot.engine
            ? engineStatusDto(db, host.snapshot.engine, todayUtc())
            : await h.getStatus({})
        const channels = await h.listChannels({})
        const odoo = await h.getOdooConnection({})
        if (o.json) {
          io.out(
            JSON.stringify(
              {
                dataDir,
                odoo,
                sync: host.running
                  ? {
                      running: true,
                      pid: host.snapshot.pid,
                      host: host.snapshot.host,
                      startedAt: host.snapshot.startedAt,
                      heartbeatAt: host.snapshot.heartbeatAt,
                    }
                  : {
                      running: false,
                      since: host.since,
                      clean: host.clean,
                      lastPid: host.last?.pid ?? null,
                    },
                status,
                channels,
              },
              null,
              2,
            ),
          )
          return
        }
        io.out(`Data directory: ${dataDir}`)
        io.out(
          odoo
            ? `Odoo: ${odoo.url} (database ${odoo.database}, user ${odoo.username}, API key ${odoo.apiKeySet ? 'set' : 'NOT set'})`
            : 'Odoo: not connected',
        )
        io.out(`Sync: ${describeSyncState(host)}`)
        if (host.running && host.snapshot.engine) io.out(`  ${status.message}`)
        else if (host.running && host.snapshot.note) io.out(`  ${host.snapshot.note}`)
        if (channels.length === 0) io.out('Channels: none')
        const live = new Map(status.channels.map((c) => [c.id, c]))
        for (const c of channels) {
          const missing = c.credentials.filter((x) => !x.set).map((x) => x.name)
          const now = host.running ? live.get(c.id) : undefined
          io.out(
            `- ${c.id} (${c.type}, ${c.state}, ${c.environment} ${c.baseUrl})` +
              (missing.length ? ` credentials missing: ${missing.join(', ')}` : ' credentials set') +
              (now ? `: ${now.message}` : ''),
          )
          if (c.state === 'setup')
            io.out(`  in setup, nothing is pushed to it. Next: lastunit checklist ${c.id}`)
        }
        if (!host.running && channels.some((c) => c.state === 'live'))
          io.out('Live channels are not synced while sync is not running: start it with lastunit run.')
      } finally {
        db.close()
      }
    })

  const config = program.command('config').description('import or export the configuration file (see README)')
  config
    .command('import')
    .description('validate a configuration file and apply it; nothing changes when any problem is found')
    .argument('<file>', 'the JSON configuration file')
    .option('--dry-run', 'validate only')
    .action((file: string, o: { dryRun?: boolean }) => {
      let text: Buffer
      try {
        // Bytes, not text: invalid UTF-8 is refused with its offset, never replaced.
        text = readFileSync(file)
      } catch (e) {
        throw new CliExit(2, `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
      }
      const { db } = openStore(g(), io)
      try {
        const vault = openVault(db, g(), io)
        const r = importConfig(db, vault, text, { env: io.env, ...(o.dryRun ? { dryRun: true } : {}) })
        if (r.problems.length > 0) {
          io.err(`${file}: ${r.problems.length} problem(s); nothing was changed.`)
          for (const p of r.problems) io.err(`  ${p.path}: ${p.message}`)
          throw new CliExit(1, '')
        }
        io.out(r.summary)
        if (!o.dryRun) {
          const setup = setupChannelIds(db)
          if (setup.length > 0)
            io.out(
              `${setup.length === 1 ? `Channel ${setup[0]} is` : `Channels ${setup.join(', ')} are`} in setup: nothing is pushed until a channel passes its checklist and goes live. Next: lastunit listings fetch${setup.length === 1 ? ` ${setup[0]}` : ''}`,
            )
        }
      } finally {
        db.close()
      }
    })
  config
    .command('export')
    .description('print the current configuration (secrets are never exported: they appear as null)')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action((o: { out?: string }) => {
      const { db } = openStore(g(), io)
      try {
        const json = JSON.stringify(exportConfig(db), null, 2)
        if (o.out) {
          writeFileSync(o.out, json + '\n', { mode: 0o600 })
          io.out(`Configuration written to ${o.out}`)
        } else io.out(json)
      } finally {
        db.close()
      }
    })

  registerSetupCommands(program, {
    io,
    open: () => openStore(g(), io),
    vault: (db) => openVault(db, g(), io),
    version: appVersion(),
    fail: (code, message) => {
      throw new CliExit(code, message)
    },
  })

  program
    .command('resync')
    .description('recompute and push every listing (before peak sales), with progress')
    .option('-c, --channel <id...>', 'only these channels')
    .action(async (o: { channel?: string[] }) => {
      const opts = g()
      const { db, dataDir } = openStore(opts, io)
      try {
        // A second engine next to a running one would push every listing twice.
        const other = syncHostState(db)
        if (other.running)
          throw new CliExit(
            1,
            `LastUnit already syncs this data folder: ${describeHost(other.snapshot, other.ageMs)}. Stop it first, or resync from the app.`,
          )
        const vault = openVault(db, opts, io)
        const runtime = await startRuntime(db, vault, dataDir)
        try {
          const engine = runtime.engine()!
          const unknown = (o.channel ?? []).filter(
            (id) => !engine.status().channels.some((c) => c.channelId === id),
          )
          if (unknown.length > 0) throw new CliExit(2, `No syncing channel named ${unknown.join(', ')}.`)
          const run = await engine.resync(o.channel ? { channels: o.channel } : {})
          io.out(
            `Full resync #${run.id}: ${run.total} listing(s), about ${Math.ceil(run.estimatedMs / 1000)} s at the channels' rate limits.`,
          )
          let last = -1
          const off = runtime.subscribe((e) => {
            if (e.type !== 'resync' || e.run.id !== run.id || e.run.total === 0) return
            const pct = Math.floor((e.run.done / e.run.total) * 100)
            if (pct >= last + 10 || e.run.state !== 'running') {
              last = pct
              io.out(`  ${pct}% (${e.run.done}/${e.run.total})`)
            }
          })
          const stopping = untilStopped(io.signal).then(() => engine.cancelResync(run.id))
          const end = await engine.waitForResync(run.id)
          off()
          void stopping
          await engine.idle(60_000)
          io.out(
            `Resync ${end.state}: ${end.done}/${end.total} listing(s).${end.error ? ` ${end.error}` : ''}`,
          )
          if (end.state !== 'done') throw new CliExit(1, '')
        } finally {
          await runtime.stop()
        }
      } finally {
        db.close()
      }
    })

  program
    .command('checklist')
    .description(
      'the pre-launch checklist of a channel, the zero-stock and return tests, and go-live; exits non-zero when a check fails',
    )
    .argument('<channel>', 'the channel id')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[options...]', CHECKLIST_USAGE.slice(1).join('\n'))
    .action(async (channel: string, rest: string[]) => {
      const opts = g()
      const { db } = openStore(opts, io)
      try {
        const vault = openVault(db, opts, io)
        // Checking never starts the engine (it would push): an engine running elsewhere is read from its
        // heartbeat in the data folder, and without one the check polls Odoo itself once.
        // Ctrl+C ends the return test's wait with a stored result instead of killing the process.
        const stop = rest.includes('--return-test') ? abortOnStop(io.signal) : null
        try {
          const { deps, headless } = headlessChecklist(db, vault, stop?.signal)
          const code = await runChecklistCommand([channel, ...rest], {
            out: io.out,
            err: io.err,
            deps,
            headless,
          })
          if (code !== 0) throw new CliExit(code, '')
        } finally {
          stop?.dispose()
        }
      } finally {
        db.close()
      }
    })

  registerMaintenanceCommands(program, {
    io,
    dataDir: () => g().dataDir ?? defaultDataDir(io.env),
    fail: (code, message) => {
      throw new CliExit(code, message)
    },
    storedSecrets: (db) => {
      try {
        return readAllCredentialValues(db, openVault(db, g(), io))
      } catch {
        return [] // no key (or a wrong one): the patterns still apply
      }
    },
  })

  program
    .command('demo')
    .description(
      'run the engine against built-in simulators of Odoo and every channel, printing the live log',
    )
    .option('--duration <seconds>', 'stop after this many seconds (default 60)', '60')
    .option('--products <n>', 'products in the simulated catalogue', '60')
    .action(async (o: { duration: string; products: string }) => {
      const seconds = Number(o.duration)
      const products = Number(o.products)
      if (!Number.isFinite(seconds) || seconds <= 0)
        throw new CliExit(2, `--duration must be a number of seconds > 0, got "${o.duration}"`)
      if (!Number.isInteger(products) || products < 1 || products > 10_000)
        throw new CliExit(2, `--products must be a whole number from 1 to 10000, got "${o.products}"`)
      io.out(
        `LastUnit demo: simulated Odoo and every channel type for ${seconds} s. Nothing real is touched.`,
      )
      // The simulators load only for the demo: every other command starts without them.
      const { formatDemoSummary, runDemo } = await import('./sandbox/demo')
      const summary = await runDemo({ durationMs: seconds * 1000, products, onLog: (l) => io.out(l) })
      io.out(formatDemoSummary(summary))
      if (summary.olderAfterNewer > 0) throw new CliExit(1, 'An older value was sent after a newer one.')
    })

  return program
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildCli(io)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (e) {
    if (e instanceof CliExit) {
      if (e.message) io.err(e.message)
      return e.code
    }
    if (e instanceof CommanderError) return e.exitCode
    io.err(`lastunit: ${e instanceof Error ? e.message : String(e)}`)
    return 1
  }
}

const isMain = (() => {
  try {
    const entry = process.argv[1] ?? ''
    return /(?:^|[\\/])cli\.(?:ts|js|mjs)$/.test(entry)
  } catch {
    return false
  }
})()

if (isMain) {
  // `lastunit status | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0)
  })
  void runCli(process.argv.slice(2), {
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    env: process.env,
  }).then((code) => {
    process.exitCode = code
  })
}
