// Pure rules of the order import: which lines an Odoo sale order should carry, whether what Odoo holds
// still matches the channel, and the oversell figure. No I/O here so the rules are tested on their own.

export interface ImportLine {
  lineId: string
  listingId: string | null
  productId: number | null
  quantity: number
  cancelledQuantity: number
  unitPrice: number
}

export interface OdooLine {
  productId: number
  quantity: number
  priceUnit: number
}

/** Units still sold on a line: a partial cancellation lowers it, never below zero. */
export const activeQuantity = (l: Pick<ImportLine, 'quantity' | 'cancelledQuantity'>): number =>
  Math.max(0, l.quantity - l.cancelledQuantity)

/** Lines whose listing has no product yet: the order waits for the mapping rather than losing them. */
export const unmappedLines = (lines: readonly ImportLine[]): ImportLine[] =>
  lines.filter((l) => l.productId === null && activeQuantity(l) > 0)

/**
 * The sale order lines for Odoo: one per product and price, fully cancelled lines left out. Merging by
 * product keeps the comparison with what was sent stable whatever order the channel lists its lines in.
 */
export function odooLinesFor(lines: readonly ImportLine[]): OdooLine[] {
  const byKey = new Map<string, OdooLine>()
  for (const l of lines) {
    const q = activeQuantity(l)
    if (l.productId === null || q === 0) continue
    const key = `${l.productId}@${l.unitPrice}`
    const prev = byKey.get(key)
    if (prev) prev.quantity += q
    else byKey.set(key, { productId: l.productId, quantity: q, priceUnit: l.unitPrice })
  }
  return [...byKey.values()].sort((a, b) => a.productId - b.productId || a.priceUnit - b.priceUnit)
}

export const sameLines = (a: readonly OdooLine[], b: readonly OdooLine[]): boolean =>
  a.length === b.length &&
  a.every(
    (x, i) =>
      x.productId === b[i]?.productId && x.quantity === b[i]?.quantity && x.priceUnit === b[i]?.priceUnit,
  )

export type OrderAction = 'skip' | 'wait_mapping' | 'create' | 'cancel' | 'revise' | 'none' | 'drop'

/**
 * What the import must do next for one order, from the channel's view and what Odoo holds. `sent` is the
 * line set of the live Odoo sale order (null: none exists or it is cancelled).
 */
export function nextAction(input: {
  importEnabled: boolean
  channelCancelled: boolean
  lines: readonly ImportLine[]
  sent: readonly OdooLine[] | null
}): OrderAction {
  const wanted = odooLinesFor(input.lines)
  if (input.sent === null) {
    if (!input.importEnabled) return 'skip'
    if (input.channelCancelled || (wanted.length === 0 && unmappedLines(input.lines).length === 0))
      return 'drop'
    if (unmappedLines(input.lines).length > 0) return 'wait_mapping'
    return 'create'
  }
  if (input.channelCancelled || wanted.length === 0) return 'cancel'
  if (unmappedLines(input.lines).length > 0) return 'wait_mapping'
  return sameLines(wanted, input.sent) ? 'none' : 'revise'
}

export interface OversellOrder {
  channelId: string
  orderId: string
  quantity: number
}

export interface Oversell {
  productId: number
  free: number
  ordered: number
  shortfall: number
  orders: OversellOrder[]
  channels: string[]
}

/**
 * Oversold when the units of the open orders exceed the stock there is for them (the caller passes on-hand
 * stock: units Odoo already reserved for these orders still count for them). The
 * orders are listed oldest first so the seller sees which one came last and can be cancelled.
 */
export function detectOversell(
  productId: number,
  free: number,
  orders: readonly OversellOrder[],
): Oversell | null {
  const ordered = orders.reduce((s, o) => s + o.quantity, 0)
  if (ordered <= Math.max(0, free)) return null
  return {
    productId,
    free,
    ordered,
    shortfall: ordered - Math.max(0, free),
    orders: [...orders],
    channels: [...new Set(orders.map((o) => o.channelId))].sort(),
  }
}

export const oversellMessage = (o: Oversell, productLabel: string): string =>
  `${productLabel}: ${o.ordered} units ordered but only ${Math.max(0, o.free)} in stock for them; short by ${o.shortfall}. ` +
  `Orders: ${o.orders.map((x) => `${x.channelId} ${x.orderId} (${x.quantity})`).join(', ')}. ` +
  `Channels: ${o.channels.join(', ')}. Cancel one before the marketplace penalises the late shipment.`
