// `lastunit resync`: recompute and push every listing, with progress.
import type { Command } from 'commander'
import { describeHost } from '../node/setup/headless'
import { syncHostState } from '../node/runtime/host-status'
import { CliExit, openStore, openVault, startRuntime, untilStopped, type CliContext } from './cli-context'

export function registerResyncCommand(program: Command, { io, opts: g }: CliContext): void {
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
          if (engine.status().channels.length === 0) {
            io.out(
              'Nothing to resync: no channel is live yet. Run `lastunit checklist CHANNEL` to take one live.',
            )
            return
          }
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
}
