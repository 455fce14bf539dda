// `lastunit`: the headless host. The same engine and the same store as the desktop app, from a command line,
// for a server or a scheduled task. See README "Command line". One file per command (or group) in main/cli/.
import { Command, CommanderError, Option } from 'commander'
import { defaultDataDir } from './node/app-info/paths'
import { appVersion } from './node/app-info/version'
import { registerSetupCommands } from './node/setup/setup-commands'
import { registerMaintenanceCommands } from './node/maintenance/cli-commands'
import { readAllCredentialValues } from './node/db/repos/credentials'
import {
  CliExit,
  openStore,
  openVault,
  type CliContext,
  type CliIo,
  type GlobalOpts,
} from './cli/cli-context'
import { registerRunCommand } from './cli/run-command'
import { registerStatusCommand } from './cli/status-command'
import { registerConfigCommands } from './cli/config-commands'
import { registerResyncCommand } from './cli/resync-command'
import { registerChecklistCommand } from './cli/checklist-command'
import { registerDemoCommand } from './cli/demo-command'
import { registerBuffersCommand } from './cli/buffers-command'

export { CliExit, type CliIo } from './cli/cli-context'
export { simulatorRateScale } from './cli/run-command'

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
  const ctx: CliContext = { io, opts: g }
  registerRunCommand(program, ctx)
  registerStatusCommand(program, ctx)
  registerConfigCommands(program, ctx)
  registerSetupCommands(program, {
    io,
    open: () => openStore(g(), io),
    vault: (db) => openVault(db, g(), io),
    version: appVersion(),
    fail: (code, message) => {
      throw new CliExit(code, message)
    },
  })
  registerResyncCommand(program, ctx)
  registerChecklistCommand(program, ctx)
  registerBuffersCommand(program, ctx)
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
  registerDemoCommand(program, ctx)

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
