// Which safety buffer applies to one product on one channel: the most specific rule wins, peak mode
// adds on top. The result carries its own explanation for the UI and the sync log.
import { VELOCITY_DEFAULT_BUFFER, velocityClass, type VelocityClass } from './velocity-class'

export type BufferScope = 'global' | 'velocity_class' | 'channel' | 'product' | 'product_channel' | 'peak'

export interface BufferRule {
  scope: BufferScope
  buffer: number
  velocityClass?: VelocityClass | null
  channelId?: string | null
  productId?: number | null
  /** Peak mode only: first and last day (YYYY-MM-DD, inclusive). */
  startsOn?: string | null
  endsOn?: string | null
  note?: string | null
}

export interface BufferSubject {
  productId: number
  channelId: string
  salesPerDay: number
  /** On how many channels the product is listed. */
  channelCount: number
  /** Today, YYYY-MM-DD, in the seller's time zone. */
  today: string
}

/** One part of a buffer: the units it adds and why. The parts of a buffer add up to it. */
export type BufferPart =
  | { kind: 'product_channel' | 'product' | 'channel' | 'global'; units: number }
  | { kind: 'velocity_class' | 'default'; units: number; velocityClass: VelocityClass }
  | { kind: 'many_channels'; units: number; channelCount: number }
  | { kind: 'peak'; units: number; startsOn: string; endsOn: string; note: string | null }

export interface ResolvedBuffer {
  buffer: number
  /** The scope of the rule that won ('default' when only the velocity class defaults applied). */
  source: BufferScope | 'default'
  explanation: string
  /** Every unit accounted for: the rule that won, the extra for many channels, peak mode. */
  parts: BufferPart[]
}

/** Products on this many channels or more get one more unit on channel rules. */
export const MANY_CHANNELS = 5

const DAY = /^\d{4}-\d{2}-\d{2}$/

export function validateBufferRule(rule: BufferRule, where = 'buffer rule'): void {
  if (!Number.isInteger(rule.buffer) || rule.buffer < 0)
    throw new RangeError(`${where}: buffer must be a whole number >= 0, got ${rule.buffer}`)
  const need = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`${where}: a ${rule.scope} rule needs ${what}`)
  }
  switch (rule.scope) {
    case 'global':
      return
    case 'velocity_class':
      return need(rule.velocityClass != null, 'a velocity class (slow, medium or fast)')
    case 'channel':
      return need(rule.channelId != null, 'a channel')
    case 'product':
      return need(rule.productId != null, 'a product')
    case 'product_channel':
      return need(rule.productId != null && rule.channelId != null, 'a product and a channel')
    case 'peak':
      need(
        typeof rule.startsOn === 'string' && DAY.test(rule.startsOn),
        'a start day like 2026-11-23 (startsOn)',
      )
      need(typeof rule.endsOn === 'string' && DAY.test(rule.endsOn), 'an end day like 2026-11-30 (endsOn)')
      need((rule.startsOn ?? '') <= (rule.endsOn ?? ''), 'startsOn on or before endsOn')
      need(rule.buffer === 1 || rule.buffer === 2, 'an extra buffer of 1 or 2')
      return
    default:
      throw new RangeError(`${where}: unknown scope ${String((rule as BufferRule).scope)}`)
  }
}

export function resolveBuffer(subject: BufferSubject, rules: readonly BufferRule[]): ResolvedBuffer {
  const cls = velocityClass(subject.salesPerDay)
  const pick = (scope: BufferScope, match: (r: BufferRule) => boolean) =>
    rules.find((r) => r.scope === scope && match(r))
  const productChannel = pick(
    'product_channel',
    (r) => r.productId === subject.productId && r.channelId === subject.channelId,
  )
  const product = pick('product', (r) => r.productId === subject.productId)
  const channel = pick('channel', (r) => r.channelId === subject.channelId)
  const velocity = pick('velocity_class', (r) => r.velocityClass === cls)
  const global = pick('global', () => true)

  let buffer: number
  let source: ResolvedBuffer['source']
  let text: string
  const parts: BufferPart[] = []
  if (productChannel) {
    buffer = productChannel.buffer
    source = 'product_channel'
    text = `product rule for this channel ${buffer}`
    parts.push({ kind: 'product_channel', units: buffer })
  } else if (product) {
    buffer = product.buffer
    source = 'product'
    text = `product rule ${buffer}`
    parts.push({ kind: 'product', units: buffer })
  } else if (channel) {
    const extra = subject.channelCount >= MANY_CHANNELS ? 1 : 0
    buffer = channel.buffer + extra
    source = 'channel'
    text = `channel rule ${channel.buffer}` + (extra ? ` + 1 (on ${subject.channelCount} channels)` : '')
    parts.push({ kind: 'channel', units: channel.buffer })
    if (extra) parts.push({ kind: 'many_channels', units: extra, channelCount: subject.channelCount })
  } else if (velocity) {
    buffer = velocity.buffer
    source = 'velocity_class'
    text = `${cls} seller rule ${buffer}`
    parts.push({ kind: 'velocity_class', units: buffer, velocityClass: cls })
  } else if (global) {
    buffer = global.buffer
    source = 'global'
    text = `global rule ${buffer}`
    parts.push({ kind: 'global', units: buffer })
  } else {
    // With no rule at all, the velocity class defaults (0, 1, 2) apply.
    buffer = VELOCITY_DEFAULT_BUFFER[cls]
    source = 'default'
    text = `${cls} seller default ${buffer}`
    parts.push({ kind: 'default', units: buffer, velocityClass: cls })
  }
  for (const peak of rules) {
    if (peak.scope !== 'peak') continue
    if (peak.channelId != null && peak.channelId !== subject.channelId) continue
    if (peak.productId != null && peak.productId !== subject.productId) continue
    if (!peak.startsOn || !peak.endsOn || subject.today < peak.startsOn || subject.today > peak.endsOn)
      continue
    buffer += peak.buffer
    text += ` + peak ${peak.buffer}${peak.note ? ` (${peak.note})` : ''}`
    parts.push({
      kind: 'peak',
      units: peak.buffer,
      startsOn: peak.startsOn,
      endsOn: peak.endsOn,
      note: peak.note ?? null,
    })
    break
  }
  const total = buffer
  return {
    buffer,
    source,
    get explanation(): string {
      return `buffer ${total} = ${text}`
    },
    parts,
  }
}
