// What every `lastunit` command shares: its output, the exit it ends with, the data folder and vault it
// opens, and how it runs the runtime and prints its live log.
import type { Database } from '../node/db/database'
import { defaultDataDir } from '../node/app-info/paths'
import { appVersion } from '../node/app-info/version'
import { createKeyVault, resolvePassphrase, VaultKeyError } from '../node/secrets/key-vault'
import { vaultSalt, verifyVault } from '../node/secrets/vault-salt'
import type { SecretVault } from '../core/ports/secret-vault'
import { Runtime, type RetryTimers, type StartAttempt } from '../node/runtime/runtime'
import type { EngineEvent } from '../node/engine'
import { openStoreWithAdvice } from '../node/maintenance/cli-commands'
import { redactText } from '../node/redaction'

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
  env: NodeJS.ProcessEnv
  /** Stops `run` and `resync` like Ctrl+C does (tests). */
  signal?: AbortSignal
  /** The clock `run` schedules its start retries with (tests). */
  timers?: RetryTimers
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

export interface GlobalOpts {
  dataDir?: string
  keyFile?: string
}

export const openStore = (opts: GlobalOpts, io: CliIo): { db: Database; dataDir: string } => {
  const dataDir = opts.dataDir ?? defaultDataDir(io.env)
  try {
    // A damaged database is refused with advice naming the backup to restore.
    return { db: openStoreWithAdvice(dataDir), dataDir }
  } catch (e) {
    throw new CliExit(1, e instanceof Error ? e.message : String(e))
  }
}

export const openVault = (db: Database, opts: GlobalOpts, io: CliIo): SecretVault => {
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

export const time = (at: number) => new Date(at).toISOString().slice(11, 19)

/** Prints the engine's log lines (info and above) as they happen. */
export const printEvents = (runtime: Runtime, io: CliIo, verbose: boolean) => {
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
export const abortOnStop = (signal?: AbortSignal): { signal: AbortSignal; dispose: () => void } => {
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
export const untilStopped = (signal?: AbortSignal) =>
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

export const startRuntime = async (
  db: Database,
  vault: SecretVault,
  dataDir: string,
  rateScale = 1,
  /** Runs before the engine starts (listeners that must hear its first events). */
  beforeStart?: (runtime: Runtime) => void,
  /**
   * `run`: a start that failed for a reason that passes (Odoo unreachable) is retried for ever, and the
   * runtime is returned while it waits; without it, such a start ends the command.
   */
  retry?: { timers?: RetryTimers; retryMs: number; onStartAttempt: (a: StartAttempt) => void },
): Promise<Runtime> => {
  const runtime = new Runtime({
    db,
    vault,
    dataDir,
    host: 'cli',
    version: appVersion(),
    ...(rateScale !== 1 ? { adapterOptions: { rateScale } } : {}),
    ...(retry
      ? {
          retryMs: retry.retryMs,
          onStartAttempt: retry.onStartAttempt,
          ...(retry.timers ? { timers: retry.timers } : {}),
        }
      : {}),
  })
  beforeStart?.(runtime)
  await runtime.start()
  if (!runtime.engine() && !(retry && runtime.retrying())) {
    const why = runtime.statusNote() ?? 'sync could not start'
    await runtime.stop()
    throw new CliExit(1, `LastUnit cannot sync: ${why}`)
  }
  return runtime
}

/** What a command's registration needs: the output, and the global options once parsed. */
export interface CliContext {
  io: CliIo
  opts: () => GlobalOpts
}
