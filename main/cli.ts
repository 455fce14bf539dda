// `lastunit`: the headless host. The same engine and the same store as the desktop app, from a command line,
// for a server or a scheduled task. See README "Command line".
import { Command, CommanderError, Option } from 'commander'
import { readFileSync, writeFileSync } from 'node:fs'
import { openDatabase, type Database } from './node/db/database'
import { databaseFile, defaultDataDir } from './node/host/paths'
import { appVersion } from './node/host/version'
import { createKeyVault, resolvePassphrase, VaultKeyError } from './node/secrets/key-vault'
import { vaultSalt, verifyVault } from './node/secrets/vault-salt'
import { exportConfig, importConfig } from './node/config/config-service'
import { createHandlers } from './node/api/handlers'
import type { SecretVault } from './core/ports/secret-vault'

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
  env: NodeJS.ProcessEnv
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
    return { db: openDatabase(databaseFile(dataDir)), dataDir }
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

const notYet = (what: string) =>
  new CliExit(
    3,
    `${what} needs the sync engine, which this build of LastUnit does not include yet. ` +
      `Configuration (config import/export) and status work today.`,
  )

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

  program
    .command('run')
    .description('run the sync engine until stopped (Ctrl+C drains the queue and exits)')
    .action(() => {
      const opts = g()
      const { db } = openStore(opts, io)
      try {
        openVault(db, opts, io)
      } finally {
        db.close()
      }
      throw notYet('"run"')
    })

  program
    .command('status')
    .description('show the configuration and the sync state')
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
        const status = await h.getStatus({})
        const channels = await h.listChannels({})
        const odoo = await h.getOdooConnection({})
        if (o.json) {
          io.out(JSON.stringify({ dataDir, odoo, status, channels }, null, 2))
          return
        }
        io.out(`Data directory: ${dataDir}`)
        io.out(
          odoo
            ? `Odoo: ${odoo.url} (database ${odoo.database}, user ${odoo.username}, API key ${odoo.apiKeySet ? 'set' : 'NOT set'})`
            : 'Odoo: not connected',
        )
        io.out(`Sync: ${status.message}`)
        if (channels.length === 0) io.out('Channels: none')
        for (const c of channels) {
          const missing = c.credentials.filter((x) => !x.set).map((x) => x.name)
          io.out(
            `- ${c.id} (${c.type}, ${c.state}, ${c.environment} ${c.baseUrl})` +
              (missing.length ? ` credentials missing: ${missing.join(', ')}` : ' credentials set'),
          )
        }
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
      let text: string
      try {
        text = readFileSync(file, 'utf8')
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

  program
    .command('resync')
    .description('recompute and push every listing (before peak sales), with progress')
    .option('-c, --channel <id...>', 'only these channels')
    .action(() => {
      throw notYet('"resync"')
    })

  program
    .command('demo')
    .description(
      'run the engine against built-in simulators of Odoo and every channel, printing the live log',
    )
    .option('--duration <seconds>', 'stop after this many seconds')
    .action(() => {
      throw notYet('"demo"')
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
