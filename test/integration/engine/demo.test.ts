import { describe, expect, it } from 'vitest'
import { formatDemoSummary, runDemo } from '../../../main/sandbox/demo'

describe('runDemo', () => {
  it('runs the engine against the Odoo simulator and every channel type, and ends with a summary', async () => {
    const lines: string[] = []
    const s = await runDemo({
      durationMs: 3000,
      products: 20,
      eventsPerSecond: 8,
      onLog: (l) => lines.push(l),
    })
    expect(s.channels.map((c) => c.channelId).sort()).toEqual([
      'amazon',
      'bol',
      'ebay',
      'kaufland',
      'shopify',
      'woocommerce',
      'zalando',
    ])
    expect(s.stockMoves + s.orders).toBeGreaterThan(5)
    expect(s.pushes).toBeGreaterThanOrEqual(7 * 19)
    expect(s.olderAfterNewer).toBe(0)
    expect(s.errors).toBe(0)
    expect(lines.some((l) => l.includes('pushes'))).toBe(true)
    expect(formatDemoSummary(s)).toMatch(/^Demo finished after 3\.\d s/)
  })

  it('rejects a bad duration', async () => {
    await expect(runDemo({ durationMs: 0 })).rejects.toThrow(/durationMs must be a number > 0/)
  })
})
