// Random interleavings of stock moves, orders, cancellations, Odoo confirmations, pushes, channel faults
// and engine crashes (a new engine on the same database file at any point). After quiescence every
// listing shows exactly the formula's value, no channel ever received an older value after a newer
// one, and nothing was lost across the crashes.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { makeWorld, sleep } from './harness'

type Cmd =
  | { t: 'receive'; p: number; n: number }
  | { t: 'deliver'; p: number; n: number }
  | { t: 'order'; ch: number; p: number; n: number }
  | { t: 'cancel'; i: number }
  | { t: 'confirm'; i: number }
  | { t: 'pollOdoo' }
  | { t: 'pollOrders'; ch: number }
  | { t: 'fault'; ch: number; on: boolean }
  | { t: 'crash'; afterMs: number }
  | { t: 'wait'; ms: number }

const P = fc.integer({ min: 1, max: 3 })
const CH = fc.integer({ min: 0, max: 1 })
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ t: fc.constant('receive' as const), p: P, n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ t: fc.constant('deliver' as const), p: P, n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ t: fc.constant('order' as const), ch: CH, p: P, n: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ t: fc.constant('cancel' as const), i: fc.nat() }),
  fc.record({ t: fc.constant('confirm' as const), i: fc.nat() }),
  fc.record({ t: fc.constant('pollOdoo' as const) }),
  fc.record({ t: fc.constant('pollOrders' as const), ch: CH }),
  fc.record({ t: fc.constant('fault' as const), ch: CH, on: fc.boolean() }),
  fc.record({ t: fc.constant('crash' as const), afterMs: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 20 }) }),
)

interface ModelOrder {
  ch: string
  id: string
  p: number
  n: number
  cancelled: boolean
  confirmed: boolean
}

const CHANNELS = ['bol', 'zal'] as const

describe('engine properties', () => {
  it('converges to the formula on every listing, in order, across crashes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 25 }), async (cmds) => {
        const w = await makeWorld({
          channels: [
            { id: 'bol', caps: { bulkBatchSize: 2 } },
            {
              id: 'zal',
              type: 'zalando',
              zeroAction: 'pause',
              sim: { asyncAcceptance: true, acceptDelayMs: 5 },
              caps: { asyncConfirmation: true, bulkBatchSize: 2 },
            },
          ],
          products: { 1: 3, 2: 1, 3: 0 },
          // A halted engine's request over loopback lands within milliseconds: a short late-write window.
          engine: {
            blockAfter: 1000,
            confirmIntervalMs: 10,
            backoff: { baseMs: 2, maxMs: 20 },
            lateWriteWindowMs: 200,
          },
        })
        const orders: ModelOrder[] = []
        let seq = 0
        try {
          await w.engine.start()
          for (const c of cmds) {
            switch (c.t) {
              case 'receive':
                w.odoo.receive(c.p, c.n)
                break
              case 'deliver':
                w.odoo.deliver(c.p, Math.min(c.n, w.odoo.free(c.p)))
                break
              case 'order': {
                const ch = CHANNELS[c.ch]!
                const id = `O${++seq}`
                w.sims.get(ch)!.createOrder({ listingId: `${ch}-${c.p}`, quantity: c.n, orderId: id })
                orders.push({ ch, id, p: c.p, n: c.n, cancelled: false, confirmed: false })
                break
              }
              case 'cancel': {
                const open = orders.filter((o) => !o.cancelled && !o.confirmed)
                const o = open[c.i % Math.max(1, open.length)]
                if (!o) break
                w.sims.get(o.ch)!.cancelOrder(o.id)
                o.cancelled = true
                break
              }
              case 'confirm': {
                // What the order import does: once the engine recorded the order, Odoo reserves it.
                const open = orders.filter((o) => !o.cancelled && !o.confirmed)
                const o = open[c.i % Math.max(1, open.length)]
                if (!o) break
                const seen = w.db
                  .prepare('SELECT 1 FROM orders WHERE channel_id = ? AND order_id = ?')
                  .get(o.ch, o.id)
                if (!seen) break
                w.odoo.reserve(o.p, o.n)
                w.db
                  .prepare(
                    "UPDATE orders SET import_state = 'confirmed' WHERE channel_id = ? AND order_id = ?",
                  )
                  .run(o.ch, o.id)
                o.confirmed = true
                break
              }
              case 'pollOdoo':
                await w.engine.pollOdoo()
                break
              case 'pollOrders':
                await w.engine.pollOrders(CHANNELS[c.ch]!)
                break
              case 'fault':
                w.sims.get(CHANNELS[c.ch]!)!.server.faults = c.on ? { errorRate: 0.5, latencyMs: [0, 4] } : {}
                break
              case 'crash':
                // Pushes may be in flight: the crash records none of their results.
                void w.engine.pollOdoo().catch(() => undefined)
                await sleep(c.afterMs)
                w.engine.halt()
                await sleep(20)
                await w.restart().start()
                break
              case 'wait':
                await sleep(c.ms)
                break
            }
          }
          for (const s of w.sims.values()) s.server.faults = {}
          for (const ch of CHANNELS) await w.engine.pollOrders(ch)
          await w.engine.pollOdoo()
          expect(await w.engine.idle(15_000)).toBe(true)
          for (const ch of CHANNELS) {
            const sim = w.sims.get(ch)!
            expect(sim.violations).toEqual([])
            for (const p of [1, 2, 3]) {
              const pending = orders
                .filter((o) => o.p === p && !o.cancelled && !o.confirmed)
                .reduce((n, o) => n + o.n, 0)
              const want = Math.max(0, w.odoo.free(p) - pending)
              const l = sim.listing(`${ch}-${p}`)!
              expect({ ch, p, quantity: l.quantity }).toEqual({ ch, p, quantity: want })
              if (ch === 'zal')
                expect({ ch, p, available: l.available }).toEqual({ ch, p, available: want > 0 })
            }
          }
        } finally {
          await w.close()
        }
      }),
      { numRuns: 25 },
    )
  }, 120_000)
})
