// Reads the names Odoo gives the sale orders LastUnit created ("S00042") and stores them beside the orders,
// so the orders screen shows the name the seller finds in Odoo. Runs after each order reaches Odoo and on
// a slow timer for any left over (Odoo down at that moment, orders imported by an older version).
import type { Database } from 'better-sqlite3'
import type { OdooGateway } from '../../core/ports/odoo-gateway'
import { ordersWithoutOdooName, setOdooOrderNames } from '../db/repos/order-view'

export interface SaleOrderNameReader {
  /** Reads soon (debounced): an order just reached Odoo. */
  kick(): void
  /** Reads now; answers how many orders got their name. */
  runOnce(): Promise<number>
  stop(): void
}

const BATCH = 200

export function startSaleOrderNameReader(
  db: () => Database,
  odoo: OdooGateway,
  opts: { everyMs?: number; debounceMs?: number } = {},
): SaleOrderNameReader {
  let stopped = false
  let running: Promise<number> | null = null
  let soon: ReturnType<typeof setTimeout> | null = null
  const runOnce = async (): Promise<number> => {
    if (!odoo.saleOrderNames || stopped) return 0
    if (running) return running
    running = (async () => {
      let n = 0
      try {
        for (;;) {
          const ids = ordersWithoutOdooName(db(), BATCH)
          if (ids.length === 0 || stopped) break
          const names = await odoo.saleOrderNames!(ids)
          if (stopped) break
          n += setOdooOrderNames(db(), names)
          // Ids Odoo no longer knows (a sale order deleted there) are not asked for again and again.
          const found = new Set(names.map((x) => x.id))
          const gone = ids.filter((id) => !found.has(id))
          if (gone.length > 0)
            setOdooOrderNames(
              db(),
              gone.map((id) => ({ id, name: `#${id}` })),
            )
          if (ids.length < BATCH) break
        }
      } catch {
        // Odoo unreachable: the timer tries again.
      }
      return n
    })()
    try {
      return await running
    } finally {
      running = null
    }
  }
  const timer = setInterval(() => void runOnce(), opts.everyMs ?? 30_000)
  timer.unref?.()
  return {
    kick() {
      if (stopped || soon) return
      soon = setTimeout(() => {
        soon = null
        void runOnce()
      }, opts.debounceMs ?? 300)
      soon.unref?.()
    },
    runOnce,
    stop() {
      stopped = true
      clearInterval(timer)
      if (soon) clearTimeout(soon)
    },
  }
}
