// `lastunit run`: the sync engine until stopped, with the heartbeat `lastunit status` reads.
import type { Command } from 'commander'
import type { Database } from '../node/db/database'
import { enabledChannelUrls } from '../node/db/repos/channels'
import { appVersion } from '../node/app-info/version'
import type { EngineEvent } from '../node/engine'
import {
  holdHint,
  holdReason,
  releaseConfirmedHolds,
  runChannelLines,
} from '../node/setup/first-push-command'
import { describeHost } from '../node/setup/headless'
import { startHostStatus, syncHostState } from '../node/runtime/host-status'
import { startMaintenance } from '../node/maintenance'
import { redactText } from '../node/redaction'
import { stampSendTimes } from '../node/http/http-client'
import { formatWait, type StartAttempt } from '../node/runtime/runtime'
import {
  CliExit,
  openStore,
  openVault,
  printEvents,
  startRuntime,
  time,
  untilStopped,
  type CliContext,
} from './cli-context'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** The first wait before `run` tries to start again (then doubling, up to MAX_START_RETRY_MS). */
export const START_RETRY_MS = 5_000

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

export function registerRunCommand(program: Command, { io, opts: g }: CliContext): void {
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
      // The process stays up until a signal: while it waits for Odoo nothing else holds the event loop (the
      // retry timer, the heartbeat and backups do not), and node would end it silently with exit code 0.
      const keepAlive = setInterval(() => undefined, 3_600_000)
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
        // Odoo unreachable at start (or later, before sync ever started): retried for ever with growing
        // waits, each attempt said with what failed and when the next is. Only a signal, or a reason that
        // retrying cannot fix (the configuration, a refused login), ends the command.
        const now = () => (io.timers ?? Date).now()
        let giveUp: (why: string) => void = () => undefined
        const gaveUp = new Promise<string>((resolve) => (giveUp = resolve))
        let announce: () => void = () => undefined
        const onStartAttempt = (a: StartAttempt) => {
          if (a.kind === 'retry')
            io.out(
              redactText(
                `${time(now())} retry start attempt ${a.attempt} failed: ${a.error} Next attempt at ${time(a.nextAt)} (in ${formatWait(a.waitMs)}); Ctrl+C stops.`,
              ),
            )
          else if (a.kind === 'started') {
            io.out(`${time(now())} start attempt ${a.attempt} reached Odoo: sync starts.`)
            announce()
          } else giveUp(a.error)
        }
        const runtime = await startRuntime(
          db,
          vault,
          dataDir,
          rateScale,
          (rt) => {
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
          },
          { retryMs: START_RETRY_MS, onStartAttempt, ...(io.timers ? { timers: io.timers } : {}) },
        )
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
        // Said again once Odoo's first read, which failed at start, succeeds.
        let odooWaiting = false
        announce = () => {
          if (announced) return
          const plan = runChannelLines(db, runtime.engine())
          odooWaiting = plan.odooWait !== null
          io.out(
            plan.syncing > 0
              ? `LastUnit is syncing (data: ${dataDir}). Press Ctrl+C to stop; the queue is drained first.`
              : odooWaiting
                ? `LastUnit is running (data: ${dataDir}) but Odoo is unreachable: its first read failed, and LastUnit retries until Odoo answers. Press Ctrl+C to stop.`
                : `LastUnit is running (data: ${dataDir}) and polls Odoo, but syncs no channel yet. Press Ctrl+C to stop.`,
          )
          for (const l of plan.lines) io.out(l)
          for (const id of plan.held) held.add(id)
          announced = true
        }
        const offOdooBack = runtime.subscribe((e: EngineEvent) => {
          if (!odooWaiting || (e.type !== 'poll' && e.type !== 'channel')) return
          if ((runtime.engine()?.status().channels.length ?? 0) === 0) return
          odooWaiting = false
          io.out(`${time(now())} Odoo answered its first read: sync starts.`)
          announced = false
          announce()
        })
        if (runtime.engine()) announce()
        else
          io.out(
            `LastUnit is running (data: ${dataDir}) and waits for Odoo; sync starts as soon as it answers. Press Ctrl+C to stop.`,
          )
        const fatal = await Promise.race([untilStopped(io.signal).then(() => null), gaveUp])
        if (fatal !== null) {
          await runtime.stop()
          offOdooBack()
          offBeats()
          heartbeat.stop()
          stopMaintenance()
          offHolds()
          off()
          throw new CliExit(1, redactText(`LastUnit cannot sync: ${fatal}`))
        }
        io.out('Stopping: draining the queue...')
        await runtime.stop()
        offOdooBack()
        offBeats()
        heartbeat.stop()
        stopMaintenance()
        offHolds()
        off()
        io.out('Stopped.')
      } finally {
        clearInterval(keepAlive)
        db.close()
      }
    })
}
