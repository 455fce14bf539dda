// What the Kaufland simulator holds: the seller's units (offers on a storefront) and order units, one per
// piece a buyer ordered.
import type { SimTime } from '../../kit'
import type { KauflandSimUnitInput } from './types'

export interface SimUnit extends Required<KauflandSimUnitInput> {
  id_product: number
  storefront: string
  inserted: string
  changed: string
}

export interface SimOrderUnit {
  id_order_unit: number
  id_order: string
  id_unit: number
  status: 'need_to_be_sent' | 'cancelled' | 'sent'
  created: number
  updated: number
}

/** Kaufland's ISO dates: whole seconds. */
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

export class KauflandState {
  readonly units = new Map<number, SimUnit>()
  readonly orderUnits: SimOrderUnit[] = []
  private nextOrder = 1
  private nextOrderUnit = 5_000_000_000

  constructor(
    readonly time: SimTime,
    readonly storefronts: string[],
  ) {}

  setUnits(list: KauflandSimUnitInput[]): void {
    this.units.clear()
    const now = iso(this.time.now())
    for (const u of list)
      this.units.set(u.id_unit, {
        title: `Product ${u.id_offer}`,
        status: 'AVAILABLE',
        listing_price: 1999,
        ...u,
        id_product: 100_000 + u.id_unit,
        storefront: this.storefronts[0] ?? 'de',
        inserted: now,
        changed: now,
      })
  }

  placeOrder(lines: { id_unit: number; quantity: number }[]): { id_order: string; id_order_units: number[] } {
    const id_order = `MB${String(this.nextOrder++).padStart(5, '0')}`
    const ids: number[] = []
    const now = this.time.now()
    for (const l of lines) {
      const u = this.units.get(l.id_unit)
      if (!u) throw new Error(`Kaufland simulator: no unit ${l.id_unit}`)
      if (u.amount < l.quantity) throw new Error(`Kaufland simulator: unit ${l.id_unit} has only ${u.amount}`)
      u.amount -= l.quantity
      for (let i = 0; i < l.quantity; i++) {
        const id = this.nextOrderUnit++
        this.orderUnits.push({
          id_order_unit: id,
          id_order,
          id_unit: l.id_unit,
          status: 'need_to_be_sent',
          created: now,
          updated: now,
        })
        ids.push(id)
      }
    }
    return { id_order, id_order_units: ids }
  }

  cancelOrderUnit(id: number): void {
    const o = this.orderUnits.find((x) => x.id_order_unit === id)
    if (!o) throw new Error(`Kaufland simulator: no order unit ${id}`)
    o.status = 'cancelled'
    o.updated = this.time.now()
  }
}
