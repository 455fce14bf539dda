// `lastunit buffers`: the recommendations of the one buffer policy, per listing, from the data folder alone
// (no engine runs, so the shipped order intervals, Amazon's apply delay and the unmeasured push latency).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { runCli } from '../../../main/cli'
import { openDatabase } from '../../../main/node/db/database'
import { recommendBuffers } from '../../../main/core/buffers/buffer-policy'
import { policyChannel } from '../../../main/core/buffers/policy-channels'
import { tempDir } from '../../helpers/app'

let dir: string
let cleanup: () => void
beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  const db = openDatabase(join(dir, 'lastunit.db'))
  try {
    const ch = db.prepare('INSERT INTO channels (id, type, name, base_url) VALUES (?, ?, ?, ?)')
    ch.run('amazon-de', 'amazon', 'Amazon DE', 'https://x.invalid')
    ch.run('bol-nl', 'bol', 'bol NL', 'https://x.invalid')
    const p = db.prepare('INSERT INTO products (id, name, default_code, sales_per_day) VALUES (?, ?, ?, ?)')
    p.run(1, 'Shirt', 'LU-1', 60)
    p.run(2, 'Cap', 'LU-2', 1)
    const m = db.prepare(
      "INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES (?, ?, ?, 'manual')",
    )
    m.run('amazon-de', 'A-1', 1)
    m.run('bol-nl', 'B-1', 1)
  } finally {
    db.close()
  }
})
afterEach(() => cleanup())

async function cli(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(['--data-dir', dir, ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('lastunit buffers', () => {
  it('lists each listing beside what the policy recommends, with what it counts per channel', async () => {
    const r = await cli(['buffers'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('Target: at most 0.10% chance per sell-out')
    expect(r.out).toContain(
      'amazon-de: orders seen within 225 s, push accepted within 30 s, shown within 480 s more (default)',
    )
    expect(r.out).toContain('bol-nl: orders seen within 35 s, push accepted within 30 s (default)')
    expect(r.out).toContain('LU-2 Cap: not mapped on any channel')
    // The same function the app and the market simulation call, on the same inputs.
    const want = recommendBuffers({
      salesPerDay: 60,
      channels: [
        policyChannel({ channelId: 'amazon-de', type: 'amazon', orderPollIntervalMs: null }),
        policyChannel({ channelId: 'bol-nl', type: 'bol', orderPollIntervalMs: null }),
      ],
    })
    const json = await cli(['buffers', '--product', 'LU-1', '--json'])
    expect(json.code).toBe(0)
    const parsed = JSON.parse(json.out) as {
      products: Array<{
        productId: number
        listings: Array<{ channelId: string; current: number; recommended: number }>
      }>
    }
    expect(parsed.products).toHaveLength(1)
    expect(parsed.products[0]?.listings).toEqual([
      expect.objectContaining({
        channelId: 'amazon-de',
        current: 2,
        recommended: want.listings['amazon-de']?.buffer,
      }),
      expect.objectContaining({
        channelId: 'bol-nl',
        current: 2,
        recommended: want.listings['bol-nl']?.buffer,
      }),
    ])
    expect(Object.values(want.listings).some((l) => l.buffer > 0)).toBe(true)
  })

  it('names a product it does not know and exits 1', async () => {
    const r = await cli(['buffers', '--product', 'NOPE'])
    expect(r.code).toBe(1)
    expect(r.err).toBe('lastunit buffers: no active product has the reference or id "NOPE".')
  })
})
