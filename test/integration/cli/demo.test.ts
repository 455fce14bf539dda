// `lastunit demo` runs the app's demo: the demo environment's simulators, the real adapters and the
// Runtime, in a temporary data folder, and ends with a summary checked from both ends.
import { existsSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../main/cli'
import { CHANNEL_TYPES } from '../../../shared/channel-types'

/** The longest the demo may take to show every channel pushing and an order in Odoo (it stops sooner). */
const UPPER_BOUND_S = 240

const demoFolders = () => readdirSync(tmpdir()).filter((f) => f.startsWith('lastunit-demo-'))

describe('lastunit demo', () => {
  it(
    'syncs every channel type through the runtime, prints the live log and a summary',
    async () => {
      const out: string[] = []
      const err: string[] = []
      const before = new Set(demoFolders())
      // The demo is stopped (as Ctrl+C does) once the live log shows everything the test looks for, rather
      // than after a fixed time: a loaded machine only takes longer. --duration is the generous upper bound.
      const stop = new AbortController()
      const pushed = new Set<string>()
      const seen = { engine: false, market: false, imported: false }
      const watchLine = (l: string) => {
        if (/info {2}engine {3}engine starting/.test(l)) seen.engine = true
        if (/demo {2}market {3}demo-\w+: a buyer orders 1 x LU-\d+/.test(l)) seen.market = true
        if (/order_import demo-\w+: order \S+ confirmed in Odoo as sale order \d+/.test(l))
          seen.imported = true
        const sent = /info {2}push {5}sent: (.*)$/.exec(l)
        if (sent) for (const m of sent[1]!.matchAll(/demo-(\w+) \d+/g)) pushed.add(m[1]!)
        if (seen.engine && seen.market && seen.imported && CHANNEL_TYPES.every((t) => pushed.has(t)))
          stop.abort()
      }
      const code = await runCli(
        ['demo', '--duration', String(UPPER_BOUND_S), '--products', '6', '--market', '300'],
        {
          out: (l) => {
            out.push(l)
            watchLine(l)
          },
          err: (l) => err.push(l),
          env: {},
          signal: stop.signal,
        },
      )
      expect(code, err.join('\n')).toBe(0)
      const text = out.join('\n')
      // Stopped by what it showed, not by the upper bound.
      expect(stop.signal.aborted, text.slice(-3000)).toBe(true)
      // The live log: the engine's own lines, the market, and pushes per second.
      expect(text).toMatch(/info {2}engine {3}engine starting/)
      expect(text).toMatch(/demo {2}market {3}demo-\w+: a buyer orders 1 x LU-\d+/)
      expect(text).toMatch(/info {2}push {5}sent: demo-/)
      expect(text).toMatch(/order_import demo-\w+: order \S+ confirmed in Odoo as sale order \d+/)
      // The summary: every channel of the demo, each with pushes the simulator accepted, none out of order.
      expect(text).toMatch(/Demo finished after \d+\.\d s: \d+ products/)
      expect(text).toMatch(/older value after a newer one: 0\b/)
      for (const type of CHANNEL_TYPES) {
        const row = text.split('\n').find((l) => l.trimStart().startsWith(`demo-${type} `))
        expect(row, type).toBeDefined()
        const [pushes, calls, received] = row!.trim().split(/\s+/).slice(1, 4).map(Number)
        expect(pushes, type).toBeGreaterThan(0)
        expect(calls, type).toBeGreaterThan(0)
        expect(received, type).toBeGreaterThanOrEqual(pushes!)
      }
      // Its own data folder, removed at the end.
      expect(demoFolders().filter((f) => !before.has(f) && existsSync(`${tmpdir()}/${f}`))).toEqual([])
    },
    (UPPER_BOUND_S + 60) * 1000,
  )

  it('rejects a bad duration, product count or market pace', async () => {
    for (const [args, message] of [
      [['--duration', 'soon'], /--duration must be a number of seconds > 0, got "soon"/],
      [['--products', '0'], /--products must be a whole number from 1 to 1000, got "0"/],
      [['--market', '5'], /--market must be a whole number of milliseconds >= 50, got "5"/],
    ] as const) {
      const err: string[] = []
      const code = await runCli(['demo', ...args], { out: () => undefined, err: (l) => err.push(l), env: {} })
      expect(code).toBe(2)
      expect(err.join('\n')).toMatch(message)
    }
  })
})
