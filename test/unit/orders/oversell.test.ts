// The one oversell rule: promised (pending + what Odoo holds for sales) against on hand.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { KitBook } from '../../../main/core/stock/kit-book'
import { openDatabase } from '../../../main/node/db/database'
import { storeStock } from '../../../main/node/db/repos/stock'
import type { SyncLogEntry } from '../../../main/node/db/repos/sync-log'
import type { EngineAlert } from '../../../main/node/engine/engine-core'
import { OVERSELL_ALERT, OversellWatch, oversellMessage, oversold } from '../../../main/node/orders/oversell'

const figures = fc.record({
  onHand: fc.integer({ min: -5, max: 200 }),
  reserved: fc.integer({ min: 0, max: 200 }),
  pending: fc.integer({ min: 0, max: 200 }),
  released: fc.integer({ min: 0, max: 200 }),
  others: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
})

describe('oversold', () => {
  it('pending units over free stock (reservations of other Odoo sales included)', () => {
    // 10 on hand, 8 reserved by a sale made in Odoo: 2 free. Three units sold on the channels.
    expect(oversold({ onHand: 10, reserved: 8, pending: 3, released: 0 })).toEqual({
      promised: 11,
      have: 10,
      shortfall: 1,
    })
    expect(oversold({ onHand: 10, reserved: 8, pending: 2, released: 0 })).toBeNull()
  })

  it('imported orders Odoo could not reserve still count', () => {
    // 1 on hand; two imported orders of 1 each, Odoo reserved one: nothing pending, still short by 1.
    expect(oversold({ onHand: 1, reserved: 1, pending: 0, released: 2 })).toMatchObject({ shortfall: 1 })
    // Both reserved once stock arrived.
    expect(oversold({ onHand: 5, reserved: 2, pending: 0, released: 2 })).toBeNull()
  })

  it("other sales' demand Odoo could not reserve counts with the imported orders", () => {
    // 5 on hand: a sale in Odoo holds 4 (reserved), an imported order of 3 got the last unit reserved.
    expect(oversold({ onHand: 5, reserved: 5, pending: 0, released: 3 })).toBeNull()
    expect(oversold({ onHand: 5, reserved: 5, pending: 0, released: 3, others: 4 })).toMatchObject({
      promised: 7,
      shortfall: 2,
    })
    // Two more units arrive and are reserved.
    expect(oversold({ onHand: 7, reserved: 7, pending: 0, released: 3, others: 4 })).toBeNull()
  })

  it('nothing sold through LastUnit is never an oversell of its own', () => {
    expect(oversold({ onHand: 1, reserved: 4, pending: 0, released: 0 })).toBeNull()
  })

  it('is exactly pending > free when every imported order is reserved', () => {
    fc.assert(
      fc.property(figures, (f) => {
        fc.pre(
          f.released + (f.others ?? 0) <= f.reserved && f.pending > 0 && f.reserved <= Math.max(0, f.onHand),
        )
        const free = Math.max(0, f.onHand - f.reserved)
        expect(oversold(f) !== null).toBe(f.pending > free)
      }),
    )
  })

  it('shortfall is what is promised beyond on hand, positive exactly when oversold', () => {
    fc.assert(
      fc.property(figures, (f) => {
        const v = oversold(f)
        if (v === null) return
        expect(v.shortfall).toBeGreaterThan(0)
        expect(v.promised - v.have).toBe(v.shortfall)
        expect(v.have).toBe(Math.max(0, f.onHand))
      }),
    )
  })

  it('more stock never makes an oversell, more units sold never clears one', () => {
    fc.assert(
      fc.property(figures, fc.integer({ min: 0, max: 50 }), (f, n) => {
        if (oversold({ ...f, onHand: f.onHand + n }) !== null) expect(oversold(f)).not.toBeNull()
        if (oversold(f) !== null) expect(oversold({ ...f, pending: f.pending + n })).not.toBeNull()
        if (oversold(f) !== null) expect(oversold({ ...f, others: (f.others ?? 0) + n })).not.toBeNull()
      }),
    )
  })

  it('names the orders, kits and channels, and the shortfall', () => {
    const v = oversold({ onHand: 1, reserved: 0, pending: 3, released: 0 })!
    expect(
      oversellMessage('[SKU-5] Mug', v, 1, [
        { channelId: 'bol', orderId: 'B1', quantity: 1 },
        { channelId: 'amazon', orderId: 'A1', quantity: 1, kit: 'Gift set' },
      ]),
    ).toBe(
      '[SKU-5] Mug: 3 units promised but only 1 on hand in Odoo (1 free); short by 2. ' +
        'Orders: bol B1 (1), amazon A1 (1 x kit Gift set). Channels: amazon, bol. ' +
        'Cancel one before the marketplace penalises the late shipment.',
    )
  })
})

describe('OversellWatch: a failed read of Odoo outgoing quantities', () => {
  const NOW = 1_767_225_600_000
  const setup = (outgoing: () => Promise<Map<number, number>>) => {
    const db = openDatabase(':memory:')
    db.prepare(
      `INSERT INTO channels (id, type, name, base_url, state) VALUES ('amz', 'amazon', 'Amazon DE', 'https://x.invalid', 'live')`,
    ).run()
    db.prepare("INSERT INTO products (id, name, default_code) VALUES (12, 'Blue mug', 'LU-12')").run()
    // An imported order of 3 units, confirmed in Odoo and released (counts as Odoo's demand now).
    db.prepare(
      `INSERT INTO orders (channel_id, order_id, status, channel_updated_at, created_at, import_state, seen_at, reserved_in_odoo_at)
       VALUES ('amz', 'A1', 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'confirmed', ?, ?)`,
    ).run(NOW, NOW)
    db.prepare(
      `INSERT INTO order_lines (channel_id, order_id, line_id, listing_id, sku, product_id, quantity, pending_quantity, seen_at)
       VALUES ('amz', 'A1', '1', 'L-12', 'LU-12', 12, 3, 0, ?)`,
    ).run(NOW)
    // 2 on hand, 2 reserved: the order waits for one unit Odoo could not reserve.
    storeStock(db, 'loc:1', [12], [{ productId: 12, onHand: 2, reserved: 2, forecast: null }], NOW)
    const logged: SyncLogEntry[] = []
    const alerts: EngineAlert[] = []
    const watch = new OversellWatch({
      db,
      clock: { now: () => NOW },
      kits: () => KitBook.empty,
      scopeOf: () => 'loc:1',
      raiseAlert: (a) => alerts.push(a),
      log: (e) => logged.push(e),
      outgoing,
    })
    return { db, watch, logged, alerts }
  }

  it('is logged with its error and the rule still runs', async () => {
    const { db, watch, logged, alerts } = setup(() => Promise.reject(new Error('Odoo answered 502')))
    await watch.afterStore(new Set([12]))
    const warn = logged.filter((e) => e.kind === 'oversell')
    expect(warn).toHaveLength(1)
    expect(warn[0]).toMatchObject({ level: 'warn', channelId: 'amz', at: NOW })
    expect(warn[0]!.message).toContain('Odoo answered 502')
    expect(warn[0]!.data).toMatchObject({ productIds: [12], scope: 'loc:1', error: 'Odoo answered 502' })
    // 3 released units on 2 on hand: short by 1, judged without the outgoing figure.
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ kind: OVERSELL_ALERT, subject: 'product:12' })
    expect(alerts[0]!.details).toMatchObject({ shortfall: 1 })
    db.close()
  })

  it('a read that works logs nothing', async () => {
    const { db, watch, logged } = setup(() => Promise.resolve(new Map([[12, 3]])))
    await watch.afterStore(new Set([12]))
    expect(logged).toEqual([])
    db.close()
  })
})
