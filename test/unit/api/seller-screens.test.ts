// The handlers behind the orders screen, the dashboard, the live log and the resync screen, over a real
// SQLite store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../../main/node/engine'
import { appendSyncLog } from '../../../main/node/db/repos/sync-log'
import { createTestApp, type TestApp } from '../../helpers/app'

let app: TestApp
const NOW = Date.now()

beforeEach(() => {
  app = createTestApp()
  const db = app.db
  const ch = db.prepare(
    `INSERT INTO channels (id, type, name, base_url, state) VALUES (?, ?, ?, 'https://x.invalid', ?)`,
  )
  ch.run('amz-de', 'amazon', 'Amazon DE', 'live')
  ch.run('bol-nl', 'bol', 'bol.com NL', 'live')
  ch.run('shop', 'shopify', 'My shop', 'setup')
  const p = db.prepare('INSERT INTO products (id, name, default_code) VALUES (?, ?, ?)')
  p.run(12, 'Blue mug', 'LU-12')
  p.run(13, 'Red mug', 'LU-13')
  db.prepare(
    "INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES ('amz-de', 'A-12', 12, 'sku')",
  ).run()
  const o = db.prepare(
    `INSERT INTO orders (channel_id, order_id, status, channel_updated_at, created_at, import_state, odoo_order_id, odoo_order_name, last_error, seen_at)
     VALUES (?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ?, ?, ?, ?, ?)`,
  )
  const l = db.prepare(
    `INSERT INTO order_lines (channel_id, order_id, line_id, listing_id, sku, product_id, quantity, pending_quantity, seen_at)
     VALUES (?, ?, '1', ?, ?, ?, ?, ?, ?)`,
  )
  o.run('amz-de', '111', 'open', 'confirmed', 42, 'S00042', null, NOW)
  l.run('amz-de', '111', 'A-12', 'LU-12', 12, 2, 0, NOW)
  o.run('bol-nl', '222', 'open', 'waiting_mapping', null, null, null, NOW - 1000)
  l.run('bol-nl', '222', 'B-99', 'LU-99', null, 1, 0, NOW - 1000)
  o.run('bol-nl', '333', 'open', 'new', null, null, 'Odoo did not answer in 30000 ms', NOW - 2000)
  l.run('bol-nl', '333', 'B-13', 'LU-13', 13, 1, 1, NOW - 2000)
  o.run('amz-de', '444', 'cancelled', 'cancelled', 43, 'S00043', null, NOW - 3000)
  l.run('amz-de', '444', 'A-12', 'LU-12', 12, 1, 0, NOW - 3000)
})
afterEach(() => app.close())

describe('orders screen', () => {
  it('shows each order with its lines, where it stands, the Odoo sale order name, and the fix of a blocked one', async () => {
    const r = await app.handlers.listOrders({ limit: 50, dayStart: NOW - 60_000 })
    expect(r.total).toBe(4)
    const by = (id: string) => r.rows.find((x) => x.orderId === id)!
    expect(by('111')).toMatchObject({
      state: 'in_odoo',
      odooOrderName: 'S00042',
      channelName: 'Amazon DE',
      detail: 'In Odoo as sale order S00042, confirmed.',
    })
    expect(by('111').lines[0]).toMatchObject({ productSku: 'LU-12', productName: 'Blue mug', quantity: 2 })
    expect(by('222')).toMatchObject({ state: 'blocked', fixScreen: 'mapping' })
    expect(by('222').reason).toContain('B-99 (SKU LU-99) is not mapped to an Odoo product')
    expect(by('222').fix).toContain('SKU mapping')
    expect(by('333').state).toBe('pending')
    expect(by('333').detail).toContain('waiting for Odoo (Odoo did not answer in 30000 ms)')
    expect(by('333').detail).toContain('Its 1 unit is held back on every channel')
    expect(by('444')).toMatchObject({ state: 'cancelled' })
    expect(r.figures).toMatchObject({
      ordersToday: 4,
      unitsToday: 5,
      inOdooToday: 1,
      waitingForOdoo: 2,
      blocked: 1,
    })
  })

  it('searches by SKU, product name and Odoo name, and filters by state', async () => {
    const ids = async (req: Parameters<TestApp['handlers']['listOrders']>[0]) =>
      (await app.handlers.listOrders(req)).rows.map((r) => r.orderId)
    expect(await ids({ limit: 50, search: 'red mug' })).toEqual(['333'])
    expect(await ids({ limit: 50, search: 'S00043' })).toEqual(['444'])
    expect(await ids({ limit: 50, state: 'blocked' })).toEqual(['222'])
    expect(await ids({ limit: 50, search: 'nothing-like-this' })).toEqual([])
  })
})

describe('dashboard', () => {
  it('shows an oversell by SKU and name, with channel names instead of ids', async () => {
    const a = app.db.prepare(
      `INSERT INTO alerts (kind, severity, channel_id, subject, message, raised_at) VALUES (?, 'critical', ?, ?, ?, ?)`,
    )
    a.run('oversell', 'bol-nl', 'product:12', 'LU-12 Blue mug oversold: amz-de 111, bol-nl 9', NOW + 1)
    const d = await app.handlers.getDashboard({ dayStart: NOW - 60_000 })
    const oversells = d.alerts.filter((x) => x.key === 'oversell:product:12')
    expect(oversells).toHaveLength(1)
    expect(oversells[0]!.title).toBe('Oversold: LU-12 Blue mug')
    expect(oversells[0]!.message).toBe('LU-12 Blue mug oversold: Amazon DE 111, bol.com NL 9')
    expect(oversells[0]!.screen).toBe('orders')
    expect(d.figures.oversellsDetected).toBe(1)
  })

  it('flags a saved warehouse selection that counts stock wrongly', async () => {
    const loc = app.db.prepare(
      `INSERT INTO odoo_locations (id, name, complete_name, usage, parent_id, parent_path, warehouse_id, company_id, active)
       VALUES (?, ?, ?, ?, ?, ?, 1, 1, 1)`,
    )
    loc.run(8, 'Stock', 'WH/Stock', 'internal', null, '8/')
    loc.run(9, 'Shelf 1', 'WH/Stock/Shelf 1', 'internal', 8, '8/9/')
    await app.handlers.setWarehouses({ channelId: 'amz-de', locationIds: [8, 9] })
    const d = await app.handlers.getDashboard({})
    const w = d.alerts.find((x) => x.key === 'warehouses:amz-de')!
    expect(w.title).toBe('Amazon DE: the chosen warehouses count stock wrongly')
    expect(w.message).toContain('WH/Stock/Shelf 1 is counted twice')
    // Before saving: the pending ticks are checked the same way.
    const v = await app.handlers.validateWarehouses({ channelId: 'bol-nl', locationIds: [8, 9] })
    expect(v.problems).toHaveLength(1)
    expect(v.locations.find((l) => l.id === 9)?.flag).toBe('double_counted')
  })
})

describe('live log', () => {
  it('names the product of each line, says it in plain words, and reads on from the last id', async () => {
    const log = { append: (e: Parameters<typeof appendSyncLog>[1]) => appendSyncLog(app.db, e) }
    log.append({
      at: NOW,
      level: 'info',
      kind: 'push',
      channelId: 'amz-de',
      listingId: 'A-12',
      status: 'confirmed',
      message: 'set 5 confirmed in 300 ms (stamp 9)',
    })
    log.append({
      at: NOW + 1,
      level: 'info',
      kind: 'order',
      channelId: 'bol-nl',
      status: 'open',
      message: 'order 222 new (open)',
    })
    const page = await app.handlers.browseLog({ limit: 10 })
    expect(page.rows.map((r) => r.text)).toEqual([
      'New order 222 on bol.com NL: every other channel is lowered at once.',
      'Now showing 5: confirmed by Amazon DE, 0.3 s after the change.',
    ])
    expect(page.rows[1]).toMatchObject({
      sku: 'LU-12',
      productName: 'Blue mug',
      channelName: 'Amazon DE',
      statusLabel: 'confirmed',
    })
    expect((await app.handlers.browseLog({ limit: 10, search: 'blue mug' })).rows).toHaveLength(1)
    log.append({
      at: NOW + 2,
      level: 'warn',
      kind: 'alert',
      channelId: 'bol-nl',
      status: 'order_import_blocked',
      message: 'Orders of bol-nl cannot be imported into Odoo: no Odoo customer is set for channel "bol-nl"',
    })
    const alert = (await app.handlers.browseLog({ limit: 1 })).rows[0]!
    expect(alert.text).toBe(
      'Orders of bol.com NL cannot be imported into Odoo: no Odoo customer is set for channel bol.com NL',
    )
    expect(alert.statusLabel).toBe('needs you')
    const after = await app.handlers.browseLog({ limit: 10, afterId: page.rows[1]!.id })
    expect(after.rows.map((r) => r.kind)).toEqual(['alert', 'order'])
    expect((await app.handlers.browseLog({ limit: 10, from: NOW + 1, to: NOW + 2 })).rows).toHaveLength(1)
  })
})

describe('resync screen', () => {
  it('explains why a channel in setup cannot be resynced instead of failing', async () => {
    const engine = {
      status: () => ({
        running: true,
        paused: false,
        odoo: { lastPollAt: null, lastError: null, pollIntervalMs: 1000, changesSeen: 0 },
        channels: [{ channelId: 'amz-de', state: 'running' }],
        resync: null,
      }),
      estimateResync: () => {
        throw new RangeError('resync: channel "shop" is not live in the engine')
      },
    } as unknown as Engine
    const a = createTestApp({ engine: () => engine })
    try {
      a.db
        .prepare(
          `INSERT INTO channels (id, type, name, base_url, state) VALUES ('amz-de', 'amazon', 'Amazon DE', 'https://x.invalid', 'live')`,
        )
        .run()
      a.db
        .prepare(
          `INSERT INTO channels (id, type, name, base_url, state) VALUES ('shop', 'shopify', 'My shop', 'https://x.invalid', 'setup')`,
        )
        .run()
      const r = await a.handlers.getResync({ channels: ['shop'] })
      expect(r.estimate).toBeNull()
      expect(r.unavailable).toContain('My shop is still being set up')
      expect(r.channels).toEqual([
        { channelId: 'amz-de', name: 'Amazon DE', live: true, reason: null },
        expect.objectContaining({ channelId: 'shop', live: false }),
      ])
    } finally {
      a.close()
    }
  })
})
