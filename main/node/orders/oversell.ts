// Oversells: more units ordered on the channels than Odoo has for them.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../../core/ports/clock'
import type { KitBook } from '../../core/stock/kit-book'
import { basisValue } from '../../core/stock/published-quantity'
import { clearAlert } from '../db/repos/alerts'
import { getStock } from '../db/repos/stock'
import type { EngineAlert } from '../engine/engine-core'
import { pendingOrdersOf, pendingUnits } from './pending-units'

export interface OversellWatchDeps {
  db: Database
  clock: Clock
  kits(): KitBook
  scopeOf(channelId: string): string | null
  raiseAlert(a: EngineAlert): void
}

export class OversellWatch {
  constructor(private readonly d: OversellWatchDeps) {}

  check(channelId: string, productIds: Iterable<number>): void {
    const { d } = this
    const scope = d.scopeOf(channelId)
    if (scope === null) return
    const kits = d.kits()
    // Kit orders count on their components; a kit is checked itself only when no component counts.
    const pending = pendingUnits(d.db, kits)
    for (const id of productIds) {
      if (kits.defs.get(id)?.components.length) continue
      const stock = getStock(d.db, id, scope)
      if (!stock) continue
      const free = basisValue(stock, 'free')
      const p = pending.get(id) ?? 0
      const subject = `product:${id}`
      if (p > free) {
        const orders = pendingOrdersOf(d.db, kits, id)
        d.raiseAlert({
          kind: 'oversell',
          severity: 'critical',
          subject,
          channelId,
          message: `Product ${id}: ${p} units ordered but only ${free} free in Odoo. Orders: ${orders.map((o) => `${o.channelId} ${o.orderId} (${o.kit ? `${o.pending} x kit ${o.kit}` : o.pending})`).join(', ')}`,
          details: { productId: id, pending: p, free, orders },
        })
      } else clearAlert(d.db, 'oversell', subject, d.clock.now())
    }
  }
}
