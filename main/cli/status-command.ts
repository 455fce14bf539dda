// `lastunit status`: the configuration, and the sync state read from the heartbeat of whoever syncs.
import type { Command } from 'commander'
import { appVersion } from '../node/app-info/version'
import { createHandlers } from '../node/api/handlers'
import type { SecretVault } from '../core/ports/secret-vault'
import { describeSyncState } from '../node/setup/headless'
import { syncHostState } from '../node/runtime/host-status'
import { engineStatusDto } from '../node/api/status-dto'
import { todayUtc } from '../node/api/peak-mode'
import { openStore, type CliContext } from './cli-context'

export function registerStatusCommand(program: Command, { io, opts: g }: CliContext): void {
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
}
