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

async function engineWith(
  options: { pollIntervalMs: number; lateCommitSweepMs: number },
  orders: { everyMs: number; fetch: () => Promise<{ items: never[] }> } = {
    everyMs: 3_600_000,
    fetch: async () => ({ items: [] }),
  },
) {
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
  // The sweep's grouped read: by product alone when one scope is counted (this set-up), else by product
  // and location. Reads of named products (a poll's changes) are not sweeps.
  const byProduct = vi.spyOn(odoo, 'stockByProduct')
  const byLocation = vi.spyOn(odoo, 'stockByProductLocation')
  const fullReads = () =>
    byProduct.mock.calls.filter((c) => c[1] === undefined).length + byLocation.mock.calls.length
  const adapter = {
    type: 'bol',
    capabilities: { bulkBatchSize: 1, orderPollIntervalMs: orders.everyMs, readBack: false, rateLimits: [] },
    testConnection: async () => ({ ok: true, message: '' }),
    fetchListings: async () => ({ items: [] }),
    push: async () => ({ results: [] }),
    fetchOrders: orders.fetch,
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
  const atStart = fullReads()
  return { engine, polls, sweeps: () => fullReads() - atStart, byLocation }
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
    const { sweeps, byLocation } = await engineWith({ pollIntervalMs: 3_600_000, lateCommitSweepMs: 75_000 })
    expect(sweeps()).toBe(0)
    await vi.advanceTimersByTimeAsync(74_999)
    expect(sweeps()).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(sweeps()).toBe(1)
    await vi.advanceTimersByTimeAsync(75_000 * 3)
    expect(sweeps()).toBe(4)
    // One scope is counted here: Odoo sums by product alone (half the rows, no location tree to read).
    expect(byLocation).not.toHaveBeenCalled()
  })

  it("polls a channel's orders every interval from one poll's start to the next, however long a poll takes", async () => {
    const starts: number[] = []
    await engineWith(
      { pollIntervalMs: 3_600_000, lateCommitSweepMs: 3_600_000 },
      {
        everyMs: 5000,
        // Each poll takes 2 s: a cycle measured from its end would come every 7 s.
        fetch: async () => {
          starts.push(Date.now())
          await new Promise((r) => setTimeout(r, 2000))
          return { items: [] }
        },
      },
    )
    await vi.advanceTimersByTimeAsync(60_000)
    expect(starts.length).toBeGreaterThanOrEqual(10)
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!)
    expect(new Set(gaps)).toEqual(new Set([5000]))
  })
})
