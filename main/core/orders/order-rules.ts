// Pure rules of the order import: which lines an Odoo sale order should carry, and whether what Odoo
// holds still matches the channel. No I/O here so the rules are tested on their own. (Oversells: the
// engine's one rule, main/node/orders/oversell.ts.)

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
