// Property: whatever happens in Odoo (sales and their reservations, cancellations, deliveries with or
// without backorders, receipts, inventory adjustments, returns, scrap, raw quant writes, quant deletion,
// and transactions that commit late with an older write_date), after every poll the stock LastUnit holds
// for every product equals the simulator's ground truth. No change is ever missed.
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { startOdooSim } from '../../../main/sandbox/odoo/odoo-sim'
import type { SimVersion } from '../../../main/sandbox/odoo/sim-models'
import { gatewayFor, StockMirror, truthFree } from './odoo-test-kit'

const OVERLAP_MS = 20_000

type Op =
  | { t: 'advance'; ms: number }
  | { t: 'sale'; p: number; qty: number; late: number }
  | { t: 'deliver'; k: number; backorder: boolean; late: number }
  | { t: 'cancel'; k: number; late: number }
  | { t: 'receive'; p: number; loc: number; qty: number; late: number }
  | { t: 'adjust'; p: number; loc: number; qty: number; late: number }
  | { t: 'scrap'; p: number; loc: number; qty: number; late: number }
  | { t: 'return'; k: number; qty: number; late: number }
  | { t: 'rawWrite'; p: number; loc: number; qty: number }
  | { t: 'unlink' }
  | { t: 'poll' }

const late = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: OVERLAP_MS - 1000 }))
const idx = fc.nat(50)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 4000 }) }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('sale' as const),
      p: idx,
      qty: fc.integer({ min: 1, max: 6 }),
      late,
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ t: fc.constant('deliver' as const), k: idx, backorder: fc.boolean(), late }),
    weight: 2,
  },
  { arbitrary: fc.record({ t: fc.constant('cancel' as const), k: idx, late }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('receive' as const),
      p: idx,
      loc: idx,
      qty: fc.integer({ min: 1, max: 10 }),
      late,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('adjust' as const),
      p: idx,
      loc: idx,
      qty: fc.integer({ min: 0, max: 20 }),
      late,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('scrap' as const),
      p: idx,
      loc: idx,
      qty: fc.integer({ min: 1, max: 3 }),
      late,
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('return' as const),
      k: idx,
      qty: fc.integer({ min: 1, max: 3 }),
      late,
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('rawWrite' as const),
      p: idx,
      loc: idx,
      qty: fc.integer({ min: 0, max: 15 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ t: fc.constant('unlink' as const) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('poll' as const) }), weight: 4 },
)

async function runScenario(version: SimVersion, ops: Op[], rootPick: number): Promise<void> {
  const clock = { t: Date.UTC(2026, 10, 27, 3, 31, 49, 900) }
  const sim = await startOdooSim({
    version,
    clock: { now: () => clock.t },
    catalogue: { products: 5, quantsPerProduct: 2, historyDays: 0, seed: ops.length },
  })
  try {
    const s = sim.store
    const [w1, w2] = sim.catalogue?.warehouses ?? []
    const shelf = sim.catalogue?.shelfId as number
    const internal = [w1?.lotStockId as number, shelf, w2?.lotStockId as number]
    const rootSets = [
      [w1?.viewLocationId as number, w2?.viewLocationId as number],
      [w1?.lotStockId as number, shelf],
      [shelf, w2?.lotStockId as number],
      [w2?.lotStockId as number],
    ]
    const roots = rootSets[rootPick % rootSets.length] as number[]
    const gw = await gatewayFor(sim, { clock: { now: () => clock.t }, pollOverlapMs: OVERLAP_MS })
    const mirror = new StockMirror(gw, roots)
    await mirror.fullRecompute()
    await mirror.poll()
    const products = [...s.products.values()].filter((p) => p.storable && p.active).map((p) => p.id)
    const at = <T>(arr: T[], i: number): T | undefined => (arr.length === 0 ? undefined : arr[i % arr.length])
    const tx = (lateMs: number, fn: () => void) => s.transaction(fn, clock.t - lateMs)
    const check = async (step: number) => {
      const diff = mirror.diff(truthFree(sim, roots))
      if (diff.length > 0)
        throw new Error(`after step ${step} (${JSON.stringify(ops[step])}): ${JSON.stringify(diff)}`)
    }
    for (const [i, op] of ops.entries()) {
      const p = 'p' in op ? (at(products, op.p) as number) : 0
      const loc = 'loc' in op ? (at(internal, op.loc) as number) : 0
      switch (op.t) {
        case 'advance':
          clock.t += op.ms
          break
        case 'sale':
          tx(op.late, () => {
            const so = s.createSaleOrder({
              partnerId: sim.catalogue?.customerPartnerId as number,
              warehouseId: (op.qty % 2 === 0 ? w1?.id : w2?.id) as number,
              clientOrderRef: `prop:${i}`,
              lines: [{ productId: p, qty: op.qty, price: 1 }],
            })
            s.confirmSaleOrder(so.id)
          })
          break
        case 'deliver': {
          const open = [...s.pickings.values()].filter((x) => x.kind === 'outgoing' && x.state === 'assigned')
          const pk = at(open, op.k)
          if (pk) tx(op.late, () => s.finishPicking(pk, op.backorder))
          break
        }
        case 'cancel': {
          const open = [...s.saleOrders.values()].filter((o) => o.state === 'sale')
          const so = at(open, op.k)
          if (so) tx(op.late, () => s.cancelSaleOrder(so.id))
          break
        }
        case 'receive':
          tx(op.late, () => s.receive(p, loc, op.qty))
          break
        case 'adjust':
          tx(op.late, () => s.applyInventory(p, loc, op.qty))
          break
        case 'scrap':
          tx(op.late, () => s.scrap(p, loc, op.qty))
          break
        case 'return': {
          const done = [...s.pickings.values()].filter((x) => x.kind === 'outgoing' && x.state === 'done')
          const pk = at(done, op.k)
          const mv = pk ? s.moves.get(pk.moveIds[0] as number) : undefined
          if (pk && mv && mv.state === 'done')
            tx(op.late, () =>
              s.validateIncoming(
                s.returnPicking(pk.id, new Map([[mv.productId, Math.min(op.qty, mv.quantity)]])),
              ),
            )
          break
        }
        case 'rawWrite': {
          const q = s.quantsAt(p, loc)[0]
          if (q) s.transaction(() => s.writeQuantQuantity(q.id, Math.max(op.qty, q.reserved)))
          break
        }
        case 'unlink':
          s.unlinkZeroQuants()
          break
        case 'poll':
          await mirror.poll()
          await check(i)
          break
      }
    }
    // Let every open window close: one more poll must settle everything.
    await mirror.poll()
    await check(ops.length)
  } finally {
    await sim.stop()
  }
}

describe.each([
  [17, 15],
  [18, 25],
  [19, 25],
] as const)('Odoo %i: polling never misses a change (property)', (version, numRuns) => {
  it('after every poll, every product equals the ground truth', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.nat(3), (ops, rootPick) =>
        runScenario(version, ops, rootPick),
      ),
      { numRuns, seed: 20261127 + version },
    )
  }, 120_000)
})
