// A listing's published figure, and every unit of its safety buffer, in words a seller knows: what "free"
// and "pending" are, which rule holds back how many units, and why a channel rule of 3 holds back 4 on a
// product sold on many channels.
import { MANY_CHANNELS, type BufferPart } from './buffer-rules'
import type { VelocityClass } from './velocity-class'

export interface BufferWordsContext {
  /** The channel's name ("Amazon DE"). */
  channel: string
  /** The product as the seller knows it ("LU-00012 Blue mug"). */
  product: string
  /** Its measured sales a day, for the velocity rules. */
  salesPerDay?: number
}

const unitsWord = (n: number) => `${n} ${n === 1 ? 'unit' : 'units'}`

const SPEED: Record<VelocityClass, string> = {
  slow: 'slow sellers (under 5 sales a day)',
  medium: 'medium sellers (5 to 20 sales a day)',
  fast: 'fast sellers (over 20 sales a day)',
}

const sold = (ctx: BufferWordsContext) =>
  ctx.salesPerDay === undefined ? '' : ` (${ctx.product} sells about ${ctx.salesPerDay.toFixed(1)} a day)`

/** One part of a buffer in a sentence. */
export function bufferPartWords(part: BufferPart, ctx: BufferWordsContext, first: boolean): string {
  const n = first ? unitsWord(part.units) : `+${unitsWord(part.units)}`
  switch (part.kind) {
    case 'product_channel':
      return `${n}: your rule for ${ctx.product} on ${ctx.channel}.`
    case 'product':
      return `${n}: your rule for ${ctx.product} on every channel.`
    case 'channel':
      return `${n}: your rule for every product on ${ctx.channel}.`
    case 'many_channels':
      return `${n}: ${ctx.product} is listed on ${part.channelCount} channels. On ${MANY_CHANNELS} or more channels a channel rule holds back one unit more, because more buyers can reach for the same last units at the same moment.`
    case 'velocity_class':
      return `${n}: your rule for ${SPEED[part.velocityClass]}${sold(ctx)}.`
    case 'global':
      return `${n}: your rule for every product.`
    case 'default':
      return `${n}: LastUnit's standard for ${SPEED[part.velocityClass]}${sold(ctx)}; no rule of yours applies.`
    case 'peak':
      return `${n}: peak period ${part.startsOn} to ${part.endsOn}${part.note ? ` (${part.note})` : ''}.`
  }
}

/** Every part of a buffer in sentences; the units they name add up to the buffer. */
export function bufferInWords(parts: readonly BufferPart[], ctx: BufferWordsContext): string[] {
  return parts.filter((p, i) => p.units > 0 || i === 0).map((p, i) => bufferPartWords(p, ctx, i === 0))
}

export interface FigureTerm {
  key: 'basis' | 'pending' | 'buffer' | 'published'
  label: string
  value: number
  /** What the term is, said where it is used. */
  words: string
  /** For the buffer: each rule's units. */
  parts?: string[]
}

export interface FigureInput {
  quantity: number
  basis: 'free' | 'on_hand' | 'forecast'
  basisValue: number
  pending: number
  buffer: number
  capped: boolean
  zeroedBelow: boolean
  /** A kit publishes from its components' stock. */
  kit?: boolean
}

const BASIS_LABEL = { free: 'Free in Odoo', on_hand: 'On hand in Odoo', forecast: 'Forecast in Odoo' }

/** The published figure term by term: "published 4 = free 7 - pending 1 - buffer 2", each term defined. */
export function figureInWords(
  f: FigureInput,
  parts: readonly BufferPart[],
  ctx: BufferWordsContext,
): FigureTerm[] {
  const basisWords =
    f.basis === 'free'
      ? `Units on the shelves of the locations ${ctx.channel} sells from, less what Odoo has already reserved for confirmed orders${f.kit ? ' (for a kit: how many its components make)' : ''}.`
      : f.basis === 'on_hand'
        ? `Every unit on the shelves of the locations ${ctx.channel} sells from, reserved or not (this channel counts on-hand stock, which can oversell).`
        : `What Odoo expects to have after incoming and outgoing moves (this channel counts forecast stock, which can oversell).`
  const terms: FigureTerm[] = [
    { key: 'basis', label: BASIS_LABEL[f.basis], value: f.basisValue, words: basisWords },
    {
      key: 'pending',
      label: 'Pending',
      value: f.pending,
      words:
        'Units sold on any marketplace that Odoo has not reserved yet. LastUnit subtracts them on every channel at once, so a sale on one channel lowers all the others before Odoo sees it.',
    },
    {
      key: 'buffer',
      label: 'Safety buffer',
      value: f.buffer,
      words: 'Units held back so that two channels cannot sell the last unit at the same time.',
      parts: bufferInWords(parts, ctx),
    },
  ]
  const notes: string[] = []
  if (f.basisValue - f.pending - f.buffer < 0) notes.push('never below 0')
  if (f.capped) notes.push('capped at the most this channel may show')
  if (f.zeroedBelow) notes.push('below the threshold this channel shows as 0')
  terms.push({
    key: 'published',
    label: 'Published',
    value: f.quantity,
    words: `What ${ctx.channel} shows buyers: ${f.basisValue} - ${f.pending} - ${f.buffer}${notes.length ? `, ${notes.join(', ')}` : ''}, rounded down.`,
  })
  return terms
}
