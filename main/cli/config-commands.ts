// `lastunit config import|export`: the configuration file (see README, "Configuration file").
import type { Command } from 'commander'
import { readFileSync, writeFileSync } from 'node:fs'
import { setupChannelIds } from '../node/db/repos/channels'
import { exportConfig, importConfig } from '../node/config/config-service'
import { CliExit, openStore, openVault, type CliContext } from './cli-context'

export function registerConfigCommands(program: Command, { io, opts: g }: CliContext): void {
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
}
