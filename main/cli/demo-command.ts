// `lastunit demo`: the engine against the built-in simulators, printing the live log.
import type { Command } from 'commander'
import { CliExit, type CliContext } from './cli-context'

export function registerDemoCommand(program: Command, { io }: CliContext): void {
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
      const { formatDemoSummary, runDemo } = await import('../sandbox/demo')
      const summary = await runDemo({ durationMs: seconds * 1000, products, onLog: (l) => io.out(l) })
      io.out(formatDemoSummary(summary))
      if (summary.olderAfterNewer > 0) throw new CliExit(1, 'An older value was sent after a newer one.')
    })
}
