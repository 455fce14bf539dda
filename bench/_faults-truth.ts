// The fault campaign's expected figures, computed with the shipped core functions from what the bench knows
// (Odoo's stock in the simulator, the orders it placed and which of them Odoo confirmed): per listing, the
// buffer that listing's rules give (resolveBuffer over every scope the campaign sets up), the channel's stock
// basis (free or on hand), and for a kit its stock from its components (KitBook, from the kit snapshot the
// shipped Odoo gateway read), then publishedQuantity.
import Database from 'better-sqlite3'
import { resolveBuffer, type BufferRule } from '../main/core/buffers/buffer-rules'
import type { KitBook } from '../main/core/stock/kit-book'
import { publishedQuantity, type StockBasis } from '../main/core/stock/published-quantity'
import type { TruthStep } from '../main/sandbox/fault-campaign/send-order'

export interface ListingSubject {
  channelId: string
  productId: number
}

export interface TruthInputs {
  /** Odoo's stock of a product in the channels' locations. */
  stock(productId: number): { onHand: number; reserved: number }
  /** Units of the bench's orders on a product that Odoo has not confirmed yet. */
  pending(productId: number): number
}

export class CampaignTruth {
  /** Buffers per listing for one day: the rules never change during a campaign, only the day can. */
  private buffers = new Map<string, number>()
  private buffersDay = ''

  constructor(
    readonly rules: readonly BufferRule[],
    readonly basisOf: ReadonlyMap<string, StockBasis>,
    readonly kits: KitBook,
    /** On how many channels each product is mapped (the engine's channel count for the buffer). */
    readonly channelCount: ReadonlyMap<number, number>,
    /** Today as the engine sees it (UTC), for peak rules. */
    readonly today: () => string,
  ) {}

  buffer(s: ListingSubject): number {
    const today = this.today()
    if (today !== this.buffersDay) {
      this.buffers = new Map()
      this.buffersDay = today
    }
    const key = `${s.channelId}|${s.productId}`
    let b = this.buffers.get(key)
    if (b === undefined) this.buffers.set(key, (b = this.resolve(s, today)))
    return b
  }

  private resolve(s: ListingSubject, today: string): number {
    return resolveBuffer(
      {
        productId: s.productId,
        channelId: s.channelId,
        // No velocity-class rule in the campaign: a global rule always applies before the class defaults.
        salesPerDay: 0,
        channelCount: this.channelCount.get(s.productId) ?? 0,
        today,
      },
      this.rules,
    ).buffer
  }

  basis(channelId: string): StockBasis {
    const b = this.basisOf.get(channelId)
    if (!b) throw new RangeError(`faults truth: no stock basis known for channel ${channelId}`)
    return b
  }

  /** The figure the listing of `s` should show. */
  figure(s: ListingSubject, x: TruthInputs): number {
    const basis = this.basis(s.channelId)
    const buffer = this.buffer(s)
    if (this.kits.isKit(s.productId)) {
      const pendingAll = new Map<number, number>()
      for (const id of this.kits.leaves(s.productId)) pendingAll.set(id, x.pending(id))
      const f = this.kits.listingFigures(s.productId, (id) => x.stock(id), this.kits.spread(pendingAll))
      if (!f) throw new RangeError(`faults truth: kit ${s.productId} has no figure`)
      return publishedQuantity({
        stock: f.stock,
        basis,
        pending: basis === 'on_hand' ? f.pending.onHand : f.pending.free,
        buffer,
      }).quantity
    }
    const st = x.stock(s.productId)
    return publishedQuantity({
      stock: { onHand: st.onHand, reserved: st.reserved, forecast: null },
      basis,
      pending: x.pending(s.productId),
      buffer,
    }).quantity
  }
}

/** When the engine first stored each order (its orders table after the campaign), by `channel|order id`. */
export function engineSeenAt(dbFile: string): Map<string, number> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true })
  try {
    const rows = db.prepare('SELECT channel_id, order_id, seen_at FROM orders').all() as Array<{
      channel_id: string
      order_id: string
      seen_at: number
    }>
    return new Map(rows.map((r) => [`${r.channel_id}|${r.order_id}`, r.seen_at]))
  } finally {
    db.close()
  }
}

/**
 * A selling product's truth as LastUnit could know it: each order lowers it from when the engine first
 * stored the order (never before the buyer placed it). A selling product only loses units to the campaign's
 * orders, and Odoo's reservation of an imported order takes exactly the units its pending count gave back,
 * so its figure depends on its stock at the start and the units ordered alone. Orders the engine never
 * stored never lower it.
 */
export function knownTruth(
  model: CampaignTruth,
  s: ListingSubject,
  start: { at: number; stock: { onHand: number; reserved: number } },
  orders: ReadonlyArray<{ quantity: number; placedAt: number; seenAt: number | undefined }>,
): TruthStep[] {
  const figure = (units: number) => model.figure(s, { stock: () => start.stock, pending: () => units })
  const steps: TruthStep[] = [{ at: start.at, value: figure(0) }]
  const known = orders
    .filter((o) => o.seenAt !== undefined)
    .map((o) => ({ at: Math.max(o.placedAt, o.seenAt!), quantity: o.quantity }))
    .sort((a, b) => a.at - b.at)
  let units = 0
  for (const o of known) {
    units += o.quantity
    const value = figure(units)
    if (value !== steps[steps.length - 1]!.value) steps.push({ at: o.at, value })
  }
  return steps
}
