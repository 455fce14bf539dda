// The traps of ../shared/docs/odoo-facts.md, reproduced by the simulator and survived by the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatOdooDatetime } from '../../../main/core/odoo/odoo-datetime'
import { startOdooSim, type OdooSim } from '../../../main/sandbox/odoo/odoo-sim'
import { gatewayFor, StockMirror, truthFree } from './odoo-test-kit'

describe('late commits against a simulated clock', () => {
  const clock = { t: Date.UTC(2026, 10, 27, 3, 31, 49, 900) }
  let sim: OdooSim
  beforeAll(async () => {
    sim = await startOdooSim({
      version: 18,
      clock: { now: () => clock.t },
      catalogue: { products: 4, historyDays: 0 },
    })
  })
  afterAll(async () => {
    await sim.stop()
  })

  it('write_date is the transaction start truncated to seconds: a naive ">" poll misses the change', async () => {
    const gw = await gatewayFor(sim, { clock: { now: () => clock.t } })
    const stock = sim.catalogue?.warehouses[0]?.lotStockId as number
    const p = sim.catalogue?.productIds[1] as number
    const start = clock.t // 03:31:49.9
    clock.t = Date.UTC(2026, 10, 27, 3, 31, 54, 0)
    const naiveCursor = formatOdooDatetime(clock.t) // a poll at 03:31:54 saw nothing newer
    clock.t = Date.UTC(2026, 10, 27, 3, 31, 55, 980)
    const q = sim.store.transaction(() => sim.store.applyInventory(p, stock, 77), start)
    expect(q.writeDate).toBe('2026-11-27 03:31:49')
    const naive = await gw.execute<unknown[]>('stock.quant', 'search_read', {
      domain: [['write_date', '>', naiveCursor]],
      fields: ['id'],
    })
    expect(naive).toEqual([])
  })

  it('the overlap window catches it; a commit later than the window is repaired by the full recompute', async () => {
    const gw = await gatewayFor(sim, { clock: { now: () => clock.t }, pollOverlapMs: 10_000 })
    const roots = [sim.catalogue?.warehouses[0]?.viewLocationId as number]
    const stock = sim.catalogue?.warehouses[0]?.lotStockId as number
    const p = sim.catalogue?.productIds[2] as number
    const mirror = new StockMirror(gw, roots)
    await mirror.fullRecompute()
    await mirror.poll()
    const startA = clock.t
    clock.t += 8000
    await mirror.poll()
    sim.store.transaction(() => sim.store.applyInventory(p, stock, 5), startA)
    const r = await mirror.poll()
    expect(r.changed).toContain(p)
    expect(mirror.diff(truthFree(sim, roots))).toEqual([])
    // 30 s between start and commit, window 10 s: polling cannot see it, the safety net can.
    const startB = clock.t
    clock.t += 30_000
    await mirror.poll()
    sim.store.transaction(() => sim.store.applyInventory(p, stock, 9), startB)
    await mirror.poll()
    expect(mirror.diff(truthFree(sim, roots))).toHaveLength(1)
    await mirror.fullRecompute()
    expect(mirror.diff(truthFree(sim, roots))).toEqual([])
  })

  it('two changes to one quant in the same second are both seen', async () => {
    const gw = await gatewayFor(sim, { clock: { now: () => clock.t } })
    const roots = [sim.catalogue?.warehouses[1]?.lotStockId as number]
    const p = sim.catalogue?.productIds[3] as number
    const mirror = new StockMirror(gw, roots)
    await mirror.fullRecompute()
    clock.t = Math.floor(clock.t / 1000) * 1000 + 100
    sim.store.transaction(() => sim.store.applyInventory(p, roots[0] as number, 3))
    await mirror.poll()
    clock.t += 500
    sim.store.transaction(() => sim.store.applyInventory(p, roots[0] as number, 4))
    const r = await mirror.poll()
    expect(r.changed).toContain(p)
    expect(mirror.free.get(p)).toBe(4)
  })
})

describe('wire-level traps', () => {
  it('on 19, ">" on a datetime compares whole seconds; the client uses ">=" and still sees the record', async () => {
    const clock = { t: Date.UTC(2026, 10, 27, 10, 0, 0, 200) }
    const sim = await startOdooSim({
      version: 19,
      clock: { now: () => clock.t },
      catalogue: { products: 2, historyDays: 0 },
    })
    try {
      const gw = await gatewayFor(sim, { clock: { now: () => clock.t } })
      const cursor = formatOdooDatetime(clock.t)
      clock.t += 600 // same second
      const stock = sim.catalogue?.warehouses[0]?.lotStockId as number
      sim.store.transaction(() => sim.store.applyInventory(sim.catalogue?.productIds[0] as number, stock, 12))
      const gt = await gw.execute<unknown[]>('stock.quant', 'search_read', {
        domain: [['write_date', '>', cursor]],
        fields: ['id'],
      })
      const ge = await gw.execute<unknown[]>('stock.quant', 'search_read', {
        domain: [['write_date', '>=', cursor]],
        fields: ['id'],
      })
      expect(gt).toHaveLength(0)
      expect(ge.length).toBeGreaterThan(0)
    } finally {
      await sim.stop()
    }
  })

  it('ids beyond 32 bits travel as <i8> and come back as numbers', async () => {
    const sim = await startOdooSim({ version: 17, catalogue: { products: 2, historyDays: 0 } })
    try {
      sim.store.bumpSequence('product.product', 2 ** 32 + 5)
      const big = sim.store.addProduct({
        name: 'Big id',
        defaultCode: 'BIG',
        barcode: null,
        active: true,
        kind: 'goods',
        storable: true,
        companyId: null,
        listPrice: 1,
      })
      const stock = sim.catalogue?.warehouses[0]?.lotStockId as number
      sim.store.transaction(() => sim.store.applyInventory(big.id, stock, 3))
      const gw = await gatewayFor(sim)
      const products = await gw.listProducts()
      expect(products.find((p) => p.defaultCode === 'BIG')?.id).toBe(2 ** 32 + 6)
      const rows = await gw.stockByProduct([stock], [big.id])
      expect(rows).toEqual([{ productId: big.id, onHand: 3, reserved: 0, forecast: null }])
    } finally {
      await sim.stop()
    }
  })

  it('datetimes are UTC whatever the machine time zone', async () => {
    const saved = process.env.TZ
    process.env.TZ = 'Pacific/Kiritimati'
    try {
      expect(new Date(Date.UTC(2026, 0, 1, 0, 0, 0)).getHours()).toBe(14)
      expect(formatOdooDatetime(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe('2026-01-01 00:00:00')
      const sim = await startOdooSim({ version: 18, catalogue: { products: 10, historyDays: 5 } })
      try {
        const gw = await gatewayFor(sim)
        const hist = await gw.salesHistory(2)
        const since = formatOdooDatetime(Date.now() - 2 * 86_400_000)
        let expected = 0
        for (const l of sim.store.saleLines.values()) {
          const o = sim.store.saleOrders.get(l.orderId)
          if (o && o.dateOrder >= since) expected += l.productUomQty
        }
        expect([...hist.values()].reduce((a, b) => a + b, 0)).toBe(expected)
      } finally {
        await sim.stop()
      }
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
  })

  it('storable products by version: detailed_type on 17, is_storable on 18+', async () => {
    for (const version of [17, 18, 19] as const) {
      const sim = await startOdooSim({ version, catalogue: { products: 3, historyDays: 0 } })
      try {
        const gw = await gatewayFor(sim)
        const field = version >= 18 ? 'is_storable' : 'detailed_type'
        const other = version >= 18 ? 'detailed_type' : 'is_storable'
        const ok = await gw.execute<Array<Record<string, unknown>>>('product.product', 'search_read', {
          domain: [],
          fields: [field],
        })
        expect(ok.length).toBe(4)
        await expect(
          gw.execute('product.product', 'search_read', { domain: [], fields: [other] }),
        ).rejects.toThrow(new RegExp(`Invalid field '${other}'`))
        expect((await gw.listProducts()).map((p) => p.defaultCode)).not.toContain('LU-SERVICE')
      } finally {
        await sim.stop()
      }
    }
  })
})

describe('failures in the middle of polling', () => {
  it('with 30% of calls failing and the zero-quant scheduler running, retried polls still miss nothing', async () => {
    const sim = await startOdooSim({
      version: 19,
      zeroQuantCleanupMs: 20,
      catalogue: { products: 6, historyDays: 0 },
    })
    try {
      const gw = await gatewayFor(sim)
      const roots = sim.catalogue?.warehouses.map((w) => w.viewLocationId) ?? []
      const stock = sim.catalogue?.warehouses[0]?.lotStockId as number
      const mirror = new StockMirror(gw, roots)
      await mirror.fullRecompute()
      await mirror.poll()
      let seed = 1
      const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647
      sim.server.faults = { errorRate: 0.3 }
      let failures = 0
      for (let i = 0; i < 30; i++) {
        const p = sim.catalogue?.productIds[i % 6] as number
        sim.store.transaction(() => sim.store.applyInventory(p, stock, Math.floor(rnd() * 4)))
        // A failed poll keeps the old cursor: the next one covers the same window again.
        try {
          await mirror.poll()
        } catch (e) {
          expect((e as Error).message).toMatch(/failed \(HTTP 500\) while stock\.(quant|move)\.\w+/)
          failures++
        }
        await new Promise((r) => setTimeout(r, 5))
      }
      sim.server.faults = {}
      await mirror.poll()
      expect(failures).toBeGreaterThan(0)
      expect(mirror.diff(truthFree(sim, roots))).toEqual([])
    } finally {
      await sim.stop()
    }
  })
})
