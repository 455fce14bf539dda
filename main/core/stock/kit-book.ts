// The kits of one Odoo database and what the engine asks of them: which products a kit's figure reads,
// which kits a product's change touches, a kit's stock (Odoo's qty_available and free_qty for it) from its
// components' stock, and the pending units of kit orders spread over their components. Pure: the engine
// feeds it stored stock and pending units.
import {
  kitFigure,
  resolveKits,
  spreadPending,
  type KitDefinition,
  type KitFigure,
  type KitProduct,
  type KitSnapshot,
} from './kits'

/** Stock as the engine stores it per product and location scope. */
export interface ComponentStock {
  onHand: number
  reserved: number
}

/** A kit's stock in one scope, and what limits it. */
export interface KitStock {
  /** Odoo's qty_available for the kit. */
  onHand: number
  /** Odoo's free_qty for the kit. */
  free: number
  limitingFree: KitFigure['limiting']
  limitingOnHand: KitFigure['limiting']
}

/** What a kit's listing publishes from, per stock basis: the kit's stock, its pending units in kits (the
 * components' pending units, kit orders spread over them, lower the kit), and the words explaining both. */
export interface KitListingFigures {
  stock: { onHand: number; reserved: number; forecast: null }
  pending: { free: number; onHand: number }
  describe: {
    free: { subject: string; basis: string; pending?: string }
    onHand: { subject: string; basis: string; pending?: string }
  }
}

const MAX_DEPTH = 32

/** Pending units per product, and for components which kit orders they come from. */
export class PendingUnits extends Map<number, number> {
  readonly viaKits = new Map<number, Array<{ kitId: number; kits: number; units: number }>>()
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000))

export class KitBook {
  readonly major: number
  readonly defs: ReadonlyMap<number, KitDefinition>
  private readonly products = new Map<number, KitProduct>()
  private readonly leafMemo = new Map<number, number[]>()
  private readonly usedBy = new Map<number, Set<number>>()

  constructor(snapshot: KitSnapshot | null) {
    this.major = snapshot?.major ?? 18
    this.defs = snapshot ? resolveKits(snapshot) : new Map()
    for (const p of snapshot?.products ?? []) this.products.set(p.id, p)
    for (const kitId of this.defs.keys())
      for (const leaf of this.leaves(kitId)) {
        let s = this.usedBy.get(leaf)
        if (!s) this.usedBy.set(leaf, (s = new Set()))
        s.add(kitId)
      }
  }

  static readonly empty = new KitBook(null)

  get size(): number {
    return this.defs.size
  }

  isKit(productId: number): boolean {
    return this.defs.has(productId)
  }

  /** The kit products, for the engine's product list (SKU and EAN look-ups of order lines). */
  kitProducts(): KitProduct[] {
    return [...this.defs.keys()].flatMap((id) => {
      const p = this.products.get(id)
      return p ? [p] : []
    })
  }

  /** How a product is named in explanations: its internal reference, else its name. */
  label(productId: number): string {
    const p = this.products.get(productId)
    return p?.defaultCode ?? p?.name ?? `product ${productId}`
  }

  /** Products whose stock a kit's figure reads: its counted components, through kits among them. */
  leaves(kitId: number): number[] {
    const memo = this.leafMemo.get(kitId)
    if (memo) return memo
    const out = new Set<number>()
    const walk = (id: number, depth: number) => {
      const def = this.defs.get(id)
      if (!def || depth > MAX_DEPTH) return
      for (const c of def.components) {
        if (c.kit && this.defs.has(c.productId)) walk(c.productId, depth + 1)
        else out.add(c.productId)
      }
    }
    walk(kitId, 0)
    const list = [...out].sort((a, b) => a - b)
    this.leafMemo.set(kitId, list)
    return list
  }

  /** Kits whose figure reads the product's stock. */
  kitsUsing(productId: number): number[] {
    return [...(this.usedBy.get(productId) ?? [])]
  }

  /** The products to read from Odoo for `ids`: kits replaced by the products their figure reads. */
  toRead(ids: Iterable<number>): number[] {
    const out = new Set<number>()
    for (const id of ids) {
      if (this.isKit(id)) for (const l of this.leaves(id)) out.add(l)
      else out.add(id)
    }
    return [...out]
  }

  /** `ids` with every kit whose figure reads any of them (or reads what a kit among them reads). */
  withKits(ids: Iterable<number>): Set<number> {
    const out = new Set<number>()
    for (const id of ids) {
      out.add(id)
      for (const k of this.kitsUsing(id)) out.add(k)
      if (this.isKit(id)) for (const l of this.leaves(id)) for (const k of this.kitsUsing(l)) out.add(k)
    }
    return out
  }

  /** Pending units with those of kit orders spread over the components (see spreadPending). */
  spread(pending: ReadonlyMap<number, number>): PendingUnits {
    const out = new PendingUnits(pending)
    if (this.defs.size === 0) return out
    const spread = spreadPending(pending, this.defs, (componentId, kitId, kits, units) => {
      let list = out.viaKits.get(componentId)
      if (!list) out.viaKits.set(componentId, (list = []))
      const same = list.find((x) => x.kitId === kitId)
      if (same) same.units += units
      else list.push({ kitId, kits, units })
    })
    for (const [id, n] of spread) out.set(id, n)
    return out
  }

  /** How a product's pending units came from kit orders, for its explanation (none: undefined). */
  pendingNote(productId: number, pending: ReadonlyMap<number, number>): string | undefined {
    const via = pending instanceof PendingUnits ? pending.viaKits.get(productId) : undefined
    if (!via || via.length === 0) return undefined
    const units = via.reduce((s, v) => s + v.units, 0)
    return `${fmt(units)} for kit orders: ${via.map((v) => `${fmt(v.kits)} x ${this.label(v.kitId)}`).join(', ')}`
  }

  /** A kit's figure from a per-product figure; components that are kits are computed through it. */
  figure(kitId: number, get: (productId: number) => number | null, depth = 0): KitFigure | null {
    const def = this.defs.get(kitId)
    if (!def || depth > MAX_DEPTH) return null
    return kitFigure(
      def,
      (id) => {
        const c = def.components.find((x) => x.productId === id)
        if (c?.kit && this.defs.has(id)) return this.figure(id, get, depth + 1)?.quantity ?? null
        return get(id)
      },
      this.major,
    )
  }

  /**
   * A kit listing's figures from its components' stock and pending units (already spread, see `spread`):
   * the kit's own stock is Odoo's, its pending units are what the components' pending units take from it.
   */
  listingFigures(
    kitId: number,
    get: (productId: number) => ComponentStock | null | undefined,
    pending: ReadonlyMap<number, number>,
  ): KitListingFigures | null {
    const base = this.stock(kitId, get)
    const after = this.stock(kitId, get, (id) => pending.get(id) ?? 0)
    if (!base || !after) return null
    const limit = (l: KitStock['limitingFree'], word: string) =>
      l
        ? `limited by ${this.label(l.productId)}: ${word} ${fmt(l.figure)} / ${fmt(l.perKit)} per kit`
        : 'no stocked component'
    const waiting = this.leaves(kitId).filter((id) => (pending.get(id) ?? 0) > 0)
    const pendingNote =
      waiting.length === 0
        ? undefined
        : `components pending: ${waiting
            .slice(0, 3)
            .map((id) => `${this.label(id)} ${fmt(pending.get(id)!)}`)
            .join(', ')}${waiting.length > 3 ? ', ...' : ''}`
    const withPending = (p: number) => (p > 0 && pendingNote ? { pending: pendingNote } : {})
    const pendingFree = Math.max(0, base.free - after.free)
    const pendingOnHand = Math.max(0, base.onHand - after.onHand)
    return {
      stock: { onHand: base.onHand, reserved: base.onHand - base.free, forecast: null },
      pending: { free: pendingFree, onHand: pendingOnHand },
      describe: {
        free: { subject: 'kit', basis: limit(base.limitingFree, 'free'), ...withPending(pendingFree) },
        onHand: {
          subject: 'kit',
          basis: limit(base.limitingOnHand, 'on hand'),
          ...withPending(pendingOnHand),
        },
      },
    }
  }

  /**
   * The kit's stock from its components' stock (null while a component was never read). `deduct` lowers
   * each component's figure first (pending units not yet reserved in Odoo).
   */
  stock(
    kitId: number,
    get: (productId: number) => ComponentStock | null | undefined,
    deduct: (productId: number) => number = () => 0,
  ): KitStock | null {
    const onHand = this.figure(kitId, (id) => {
      const s = get(id)
      return s ? s.onHand - deduct(id) : null
    })
    const free = this.figure(kitId, (id) => {
      const s = get(id)
      return s ? s.onHand - s.reserved - deduct(id) : null
    })
    if (!onHand || !free) return null
    return {
      onHand: onHand.quantity,
      free: free.quantity,
      limitingFree: free.limiting,
      limitingOnHand: onHand.limiting,
    }
  }
}
