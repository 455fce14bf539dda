// The published figure of one listing and the sentence that explains it. Every figure the app shows
// comes from here, so the explanation can never disagree with what was pushed.
export type StockBasis = 'free' | 'on_hand' | 'forecast'

export const STOCK_BASES: readonly StockBasis[] = ['free', 'on_hand', 'forecast']

export interface StockFigures {
  /** Sum of quant quantity over the channel's locations. */
  onHand: number
  /** Sum of quant reserved_quantity over the same quants. */
  reserved: number
  /** Forecast (virtual_available), null when not read. */
  forecast: number | null
}

export interface PublishInput {
  stock: StockFigures
  basis: StockBasis
  /** Units of marketplace orders seen but not yet reserved in Odoo. */
  pending: number
  buffer: number
  maxPublished?: number | null
  zeroBelow?: number | null
  /** Explains the figures further, e.g. a kit's: what its stock is ("kit"), what limits it, what is pending. */
  describe?: { subject?: string; basis?: string; pending?: string }
}

export interface PublishedQuantity {
  quantity: number
  basis: StockBasis
  basisValue: number
  pending: number
  buffer: number
  capped: boolean
  zeroedBelow: boolean
  explanation: string
}

const BASIS_WORD: Record<StockBasis, string> = { free: 'free', on_hand: 'on hand', forecast: 'forecast' }

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000))

const requireFinite = (where: string, v: number): void => {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new RangeError(`${where} must be a finite number, got ${String(v)}`)
}

const requireNonNegative = (where: string, v: number): void => {
  requireFinite(where, v)
  if (v < 0) throw new RangeError(`${where} must be >= 0, got ${v}`)
}

/** The stock figure the basis counts; a negative sum counts as 0. */
export function basisValue(stock: StockFigures, basis: StockBasis): number {
  requireFinite('stock.onHand', stock.onHand)
  requireFinite('stock.reserved', stock.reserved)
  switch (basis) {
    case 'free':
      return Math.max(0, stock.onHand - stock.reserved)
    case 'on_hand':
      return Math.max(0, stock.onHand)
    case 'forecast':
      // Without a forecast read, the safe figure is free stock, never more.
      if (stock.forecast === null) return Math.max(0, stock.onHand - stock.reserved)
      requireFinite('stock.forecast', stock.forecast)
      return Math.max(0, stock.forecast)
    default:
      throw new RangeError(`basis must be one of ${STOCK_BASES.join(', ')}, got ${String(basis)}`)
  }
}

export function publishedQuantity(input: PublishInput): PublishedQuantity {
  requireNonNegative('pending', input.pending)
  requireNonNegative('buffer', input.buffer)
  const max = input.maxPublished ?? null
  const zeroBelow = input.zeroBelow ?? null
  if (max !== null) requireNonNegative('maxPublished', max)
  if (zeroBelow !== null) requireNonNegative('zeroBelow', zeroBelow)
  const base = basisValue(input.stock, input.basis)
  const raw = Math.floor(base - input.pending - input.buffer)
  let quantity = Math.max(0, raw)
  const notes: string[] = []
  if (raw < 0) notes.push('never below 0')
  let capped = false
  if (max !== null && quantity > max) {
    notes.push(`capped at ${fmt(max)} from ${quantity}`)
    quantity = Math.floor(max)
    capped = true
  }
  let zeroedBelow = false
  if (zeroBelow !== null && quantity > 0 && quantity < zeroBelow) {
    notes.push(`${quantity} is below the threshold ${fmt(zeroBelow)}, so 0`)
    quantity = 0
    zeroedBelow = true
  }
  // The sentence is built when read: a full resync computes 70,000 figures and explains none of them.
  const d = input.describe
  const note = (text: string | undefined) => (text ? ` (${text})` : '')
  return {
    quantity,
    basis: input.basis,
    basisValue: base,
    pending: input.pending,
    buffer: input.buffer,
    capped,
    zeroedBelow,
    get explanation(): string {
      return (
        `published ${quantity} = ${d?.subject ? `${d.subject} ` : ''}${BASIS_WORD[input.basis]} ${fmt(base)}` +
        `${note(d?.basis)} - pending ${fmt(input.pending)}${note(d?.pending)} - buffer ${fmt(input.buffer)}` +
        (notes.length > 0 ? ` (${notes.join('; ')})` : '')
      )
    },
  }
}
