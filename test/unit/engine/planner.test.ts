// The planner on its own: stored figures in, outbox rows out. Each listing's figure is the published
// quantity of its stock, pending units and buffer; planning again with nothing changed queues nothing.
import type { Database } from 'better-sqlite3'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { BufferRule } from '../../../main/core/buffers/buffer-rules'
import { openDatabase } from '../../../main/node/db/database'
import { outboxRowsOf } from '../../../main/node/db/repos/outbox'
import { blockListing, pushStateQueued } from '../../../main/node/db/repos/push-state'
import type { StoredStock } from '../../../main/node/db/repos/stock'
import type { SyncLogEntry } from '../../../main/node/db/repos/sync-log'
import { Catalog, type ChannelConfig } from '../../../main/node/engine/catalog'
import { EngineState } from '../../../main/node/engine/engine-state'
import { Planner, type PlanOptions } from '../../../main/node/engine/planner'

const SCOPE = '8'

interface World {
  db: Database
  planner: Planner
  stock: Map<number, StoredStock>
  pending: Map<number, number>
  catalog: Catalog
  logs: SyncLogEntry[]
  plan(ids: Iterable<number>, opts?: PlanOptions): Map<string, number>
}

const dbs: Database[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
})

function channel(id: string, over: Partial<ChannelConfig> = {}): ChannelConfig {
  return {
    id,
    type: 'bol',
    name: id,
    basis: 'free',
    zeroAction: 'push_zero',
    maxPublished: null,
    zeroBelow: null,
    orderImport: true,
    locationIds: [8],
    scope: SCOPE,
    ...over,
  }
}

function makeWorld(products: number[], channels: ChannelConfig[], rules: BufferRule[] = []): World {
  const db = openDatabase(':memory:')
  dbs.push(db)
  for (const c of channels)
    db.prepare(
      "INSERT INTO channels (id, type, name, base_url, state, zero_stock_action) VALUES (?, 'bol', ?, 'http://127.0.0.1', 'live', ?)",
    ).run(c.id, c.name, c.zeroAction)
  const catalog = new Catalog(db, new Set(channels.map((c) => c.id)))
  catalog.channels = new Map(channels.map((c) => [c.id, c]))
  catalog.listingsByProduct = new Map(
    products.map((p) => [p, channels.map((c) => ({ channelId: c.id, listingId: `${c.id}-${p}` }))]),
  )
  catalog.rules = rules
  const stock = new Map<number, StoredStock>()
  const pending = new Map<number, number>()
  const logs: SyncLogEntry[] = []
  const state = new EngineState(db)
  const planner = new Planner({
    catalog,
    stock: {
      get: (id, scope) => (scope === SCOPE ? (stock.get(id) ?? null) : null),
      allByScope: () => new Map([[SCOPE, new Map(stock)]]),
    },
    db,
    state,
    salesPerDay: () => new Map(),
    pending: () => pending,
    today: () => '2026-03-01',
    now: () => 1_000,
    log: (e) => logs.push(e),
  })
  return {
    db,
    planner,
    stock,
    pending,
    catalog,
    logs,
    plan: (ids, opts) => db.transaction(() => planner.plan(ids, opts))(),
  }
}

const queuedOf = (w: World, channelId: string) =>
  new Map(outboxRowsOf(w.db, channelId).map((r) => [r.listingId, r]))

const figures = fc.record({
  onHand: fc.integer({ min: -3, max: 60 }),
  reserved: fc.integer({ min: 0, max: 60 }),
  pending: fc.integer({ min: 0, max: 20 }),
  buffer: fc.integer({ min: 0, max: 10 }),
  maxPublished: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
})

describe('Planner', () => {
  it('queues max(0, floor(free - pending) - buffer) for every listing, once per channel', () => {
    const w = makeWorld([1, 2], [channel('a'), channel('b')], [{ scope: 'global', buffer: 2 }])
    w.stock.set(1, { onHand: 10, reserved: 3, forecast: null, computedAt: 0 })
    w.stock.set(2, { onHand: 1, reserved: 0, forecast: null, computedAt: 0 })
    w.pending.set(1, 1)
    expect(w.plan([1, 2])).toEqual(
      new Map([
        ['a', 2],
        ['b', 2],
      ]),
    )
    expect(queuedOf(w, 'a').get('a-1')).toMatchObject({ quantity: 4, action: 'set' })
    expect(queuedOf(w, 'b').get('b-2')).toMatchObject({ quantity: 0, action: 'set' })
    // Stamps only grow.
    const stamps = [...queuedOf(w, 'a').values(), ...queuedOf(w, 'b').values()].map((r) => r.stamp)
    expect(new Set(stamps).size).toBe(4)
  })

  it('never plans a listing whose stock was never read, nor one that is blocked', () => {
    const w = makeWorld([1, 2], [channel('a')])
    w.stock.set(2, { onHand: 5, reserved: 0, forecast: null, computedAt: 0 })
    const row = {
      channelId: 'a',
      listingId: 'a-2',
      quantity: 5,
      action: 'set' as const,
      stamp: 0,
      enqueuedAt: 0,
    }
    pushStateQueued(w.db, { ...row, explanation: null })
    blockListing(w.db, 'a', 'a-2', 'rejected three times')
    expect(w.plan([1, 2])).toEqual(new Map())
  })

  it('pauses at zero on a channel that pauses, and resumes with a positive figure', () => {
    const w = makeWorld([1], [channel('p', { zeroAction: 'pause' })])
    w.stock.set(1, { onHand: 0, reserved: 0, forecast: null, computedAt: 0 })
    w.plan([1])
    expect(queuedOf(w, 'p').get('p-1')).toMatchObject({ action: 'pause' })
    w.stock.set(1, { onHand: 3, reserved: 0, forecast: null, computedAt: 1 })
    w.plan([1])
    expect(queuedOf(w, 'p').get('p-1')).toMatchObject({ quantity: 3, action: 'resume' })
  })

  it('published = max(0, floor(basis - pending) - buffer), never negative, never above the stock or the cap', () => {
    fc.assert(
      fc.property(figures, (f) => {
        const w = makeWorld(
          [1],
          [channel('a', { maxPublished: f.maxPublished })],
          [{ scope: 'global', buffer: f.buffer }],
        )
        w.stock.set(1, { onHand: f.onHand, reserved: f.reserved, forecast: null, computedAt: 0 })
        w.pending.set(1, f.pending)
        w.plan([1])
        const q = queuedOf(w, 'a').get('a-1')!.quantity
        const free = Math.max(0, f.onHand - f.reserved)
        const expected = Math.max(0, Math.floor(free - f.pending) - f.buffer)
        expect(q).toBe(f.maxPublished === null ? expected : Math.min(expected, f.maxPublished))
        expect(q).toBeGreaterThanOrEqual(0)
        expect(q).toBeLessThanOrEqual(free)
        w.db.close()
        dbs.pop()
      }),
      { numRuns: 60 },
    )
  })

  it('planning again with nothing changed queues nothing; bulk and per-listing planning agree', () => {
    fc.assert(
      fc.property(fc.array(figures, { minLength: 1, maxLength: 260 }), (all) => {
        // More than 200 products read the stored state in bulk, fewer listing by listing: same outcome.
        const ids = all.map((_, i) => i + 1)
        const w = makeWorld(ids, [channel('a'), channel('z', { zeroAction: 'pause' })])
        all.forEach((f, i) => {
          w.stock.set(i + 1, { onHand: f.onHand, reserved: f.reserved, forecast: null, computedAt: 0 })
          w.pending.set(i + 1, f.pending)
        })
        w.plan(ids)
        const first = [...queuedOf(w, 'a').values(), ...queuedOf(w, 'z').values()]
        expect(first).toHaveLength(2 * ids.length)
        expect(w.plan(ids)).toEqual(new Map())
        for (const id of ids) expect(w.plan([id])).toEqual(new Map())
        expect([...queuedOf(w, 'a').values(), ...queuedOf(w, 'z').values()]).toEqual(first)
        w.db.close()
        dbs.pop()
      }),
      { numRuns: 15 },
    )
  })

  it('a forced plan queues every listing again with a newer stamp', () => {
    const w = makeWorld([1, 2], [channel('a')])
    for (const id of [1, 2]) w.stock.set(id, { onHand: 4, reserved: 0, forecast: null, computedAt: 0 })
    w.plan([1, 2])
    const before = queuedOf(w, 'a')
    expect(w.plan([1, 2], { force: true })).toEqual(new Map([['a', 2]]))
    for (const [id, row] of queuedOf(w, 'a')) expect(row.stamp).toBeGreaterThan(before.get(id)!.stamp)
  })
})
