// `lastunit checklist CHANNEL [...]`: the pre-launch checklist, its tests and go-live, headless.
import type { Command } from 'commander'
import { runChecklistCommand, CHECKLIST_USAGE } from '../node/checklist/cli'
import { headlessChecklist } from '../node/setup/setup-commands'
import { abortOnStop, CliExit, openStore, openVault, type CliContext } from './cli-context'

export function registerChecklistCommand(program: Command, { io, opts: g }: CliContext): void {
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
}
