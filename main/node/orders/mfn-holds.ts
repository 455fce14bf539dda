// Amazon's MFN quantity events in the order flow (issue #23): a quantity below what LastUnit sent the
// listing, not explained by the Amazon orders of it already recorded, is a sale whose order has not come yet
// (its ORDER_CHANGE late or lost). Its units are held at once as provisional pending units of the listing's
// product, so every other channel is lowered within seconds; the order, when an event or a poll brings it,
// replaces them (db/repos/orders.ts upsertOrder: never counted twice); what no order explained by the end of
// the next order poll that started after the hold is released (the drop was not a sale: an edit in Seller
// Central; reconcile takes it from there). The rule itself: main/core/orders/mfn-quantity.ts.
import { applyQuantityEvent, releaseAfterPoll } from '../../core/orders/mfn-quantity'
import { mfnBaselines, mfnHold, mfnHoldsBefore, ordersOfListing, saveMfnHold } from '../db/repos/mfn-holds'
import type { QuantityEvent } from '../queue/queue-reader'
import type { OrderIntakeDeps } from './order-intake'

const lowerNow = (d: OrderIntakeDeps, productIds: ReadonlySet<number>) => {
  if (productIds.size === 0) return
  const kits = d.kits()
  const touched = kits.withKits(productIds)
  d.lower(new Set([...touched, ...kits.toRead(touched)]))
}

/** Applies one quantity event; returns what it did, in plain words. */
export function recordMfnQuantity(
  d: OrderIntakeDeps,
  channelId: string,
  q: QuantityEvent,
  productOf: (listingId: string) => number | null,
): string {
  const now = d.clock.now()
  let said = ''
  const touched = new Set<number>()
  d.db.transaction(() => {
    const held = mfnHold(d.db, channelId, q.listingId)
    const r = applyQuantityEvent(
      held,
      { quantity: q.quantity, eventAt: q.eventAt, now },
      mfnBaselines(d.db, channelId, q.listingId),
      ordersOfListing(d.db, channelId, q.listingId),
    )
    const productId = held?.productId ?? productOf(q.listingId)
    if (r.kind === 'stale') {
      said = `quantity ${q.quantity} of ${q.listingId} is older than the last one read: nothing changes`
      return
    }
    saveMfnHold(d.db, { channelId, listingId: q.listingId, productId, ...r.hold })
    if (r.kind === 'unchanged') {
      said = r.hold.units
        ? `quantity ${q.quantity} of ${q.listingId}: ${r.hold.units} units stay held`
        : `quantity ${q.quantity} of ${q.listingId} is what LastUnit sent, less the orders recorded: nothing changes`
      return
    }
    if (productId !== null) touched.add(productId)
    said =
      r.added > 0
        ? `Amazon shows ${q.quantity} for ${q.listingId}, ${r.hold.units} fewer than LastUnit sent less the orders recorded: ${r.hold.units} units held as sold until their order arrives (released after the next order poll if none does)`
        : `Amazon shows ${q.quantity} for ${q.listingId}: ${r.hold.units} units stay held (${-r.added} fewer)`
    d.log({
      at: now,
      level: 'info',
      kind: 'order',
      channelId,
      ...(productId !== null ? { productId } : {}),
      status: 'held',
      message: `${said}${productId === null ? '; the listing is not mapped to a product, so nothing is lowered' : ''}`,
      data: { listingId: q.listingId, quantity: q.quantity, held: r.hold.units, eventAt: q.eventAt },
    })
  })()
  lowerNow(d, touched)
  return said
}

/** An order poll of the channel that started at `startedAt` finished: holds no order explained are released. */
export function releaseMfnHolds(d: OrderIntakeDeps, channelId: string, startedAt: number): void {
  const now = d.clock.now()
  const touched = new Set<number>()
  d.db.transaction(() => {
    for (const h of mfnHoldsBefore(d.db, channelId, startedAt)) {
      const r = releaseAfterPoll(h, startedAt)
      if (r.released === 0) continue
      saveMfnHold(d.db, { ...h, ...r.hold! })
      if (h.productId !== null) touched.add(h.productId)
      d.log({
        at: now,
        level: 'warn',
        kind: 'order',
        channelId,
        ...(h.productId !== null ? { productId: h.productId } : {}),
        status: 'released',
        message: `${r.released} units held on ${h.listingId} since its Amazon quantity dropped are released: the order poll that started ${new Date(startedAt).toISOString()} found no order for them, so the drop was not a sale (an edit in Seller Central?); reconcile takes it from there`,
        data: { listingId: h.listingId, units: r.released, heldAt: h.heldAt, pollStartedAt: startedAt },
      })
    }
  })()
  lowerNow(d, touched)
}
