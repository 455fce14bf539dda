// The engine arms its Odoo poll and its late-commit sweep with the intervals it is given (the runtime
// passes the seller's stored poll interval): checked with fake timers, so the figures are exact.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { join } from 'node:path'
import { openDatabase } from '../../../main/node/db/database'
import { createEngine } from '../../../main/node/engine'
import { MemoryOdoo } from '../../../main/sandbox/stand-ins/memory-odoo'
import { tempDir } from '../../helpers/app'

let cleanup: () => void = () => undefined
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
  cleanup()
})

async function engineWith(options: { pollIntervalMs: number; lateCommitSweepMs: number }) {
  const t = tempDir()
  const db = openDatabase(join(t.dir, 'lastunit.db'))
  const odoo = new MemoryOdoo()
  odoo.addProduct(1, 'SKU-1')
  odoo.receive(1, 5)
  db.prepare(
    "INSERT INTO channels (id, type, name, base_url, state) VALUES ('c', 'bol', 'c', 'http://127.0.0.1:1', 'live')",
  ).run()
  db.prepare("INSERT INTO sku_mappings (channel_id, listing_id, product_id) VALUES ('c', 'L1', 1)").run()
  const polls = vi.spyOn(odoo, 'pollChanges')
  const sweeps = vi.spyOn(odoo, 'stockByProductLocation')
  const adapter = {
    type: 'bol',
    capabilities: { bulkBatchSize: 1, orderPollIntervalMs: 3_600_000, readBack: false, rateLimits: [] },
    testConnection: async () => ({ ok: true, message: '' }),
    fetchListings: async () => ({ items: [] }),
    push: async () => ({ results: [] }),
    fetchOrders: async () => ({ items: [] }),
  }
  const engine = createEngine({
    db,
    odoo,
    adapters: { c: adapter as never },
    options: { ...options, firstPushGuard: false, fullRecomputeSchedule: null, reconcileSchedule: null },
  })
  cleanup = () => {
    engine.halt()
    db.close()
    t.cleanup()
  }
  await engine.start()
  expect(engine.status().odoo.lastError).toBeNull()
  return { engine, polls, sweeps }
}

describe('engine timers', () => {
  it('polls Odoo at the interval it was given, not the default', async () => {
    const { engine, polls } = await engineWith({ pollIntervalMs: 7000, lateCommitSweepMs: 3_600_000 })
    const atStart = polls.mock.calls.length
    await vi.advanceTimersByTimeAsync(6999)
    expect(polls.mock.calls.length).toBe(atStart)
    await vi.advanceTimersByTimeAsync(1)
    expect(polls.mock.calls.length).toBe(atStart + 1)
    await vi.advanceTimersByTimeAsync(7000)
    expect(polls.mock.calls.length).toBe(atStart + 2)
    expect(engine.status().odoo.pollIntervalMs).toBe(7000)
  })

  it('sweeps for late commits at its own interval, one grouped read each time', async () => {
    const { sweeps } = await engineWith({ pollIntervalMs: 3_600_000, lateCommitSweepMs: 75_000 })
    expect(sweeps.mock.calls.length).toBe(0)
    await vi.advanceTimersByTimeAsync(74_999)
    expect(sweeps.mock.calls.length).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(sweeps.mock.calls.length).toBe(1)
    await vi.advanceTimersByTimeAsync(75_000 * 3)
    expect(sweeps.mock.calls.length).toBe(4)
  })
})
