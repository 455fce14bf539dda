import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { resolveBuffer, type BufferRule } from '../../../main/core/buffers/buffer-rules'
import { bufferInWords, figureInWords } from '../../../main/core/buffers/buffer-words'

const ctx = { channel: 'Amazon DE', product: 'LU-00012 Blue mug', salesPerDay: 3.2 }
const subject = (channelCount: number, salesPerDay = 3.2) => ({
  productId: 12,
  channelId: 'amazon-de',
  salesPerDay,
  channelCount,
  today: '2026-11-25',
})

describe('every unit of a buffer explained', () => {
  it('a channel rule of 3 on a product sold on 5 channels holds back 4, and says where the fourth comes from', () => {
    const r = resolveBuffer(subject(5), [{ scope: 'channel', channelId: 'amazon-de', buffer: 3 }])
    expect(r.buffer).toBe(4)
    expect(bufferInWords(r.parts, ctx)).toEqual([
      '3 units: your rule for every product on Amazon DE.',
      '+1 unit: LU-00012 Blue mug is listed on 5 channels. On 5 or more channels a channel rule holds back one unit more, because more buyers can reach for the same last units at the same moment.',
    ])
  })

  it('names the default for the sales speed when no rule applies, and peak mode on top', () => {
    const r = resolveBuffer(subject(2, 30), [
      { scope: 'peak', startsOn: '2026-11-23', endsOn: '2026-11-30', buffer: 2, note: 'Black Friday' },
    ])
    expect(r.buffer).toBe(4)
    expect(bufferInWords(r.parts, { ...ctx, salesPerDay: 30 })).toEqual([
      "2 units: LastUnit's standard for fast sellers (over 20 sales a day) (LU-00012 Blue mug sells about 30.0 a day); no rule of yours applies.",
      '+2 units: peak period 2026-11-23 to 2026-11-30 (Black Friday).',
    ])
  })

  it('the parts always add up to the buffer', () => {
    const rule = fc.oneof(
      fc.record({ scope: fc.constant('global' as const), buffer: fc.nat(9) }),
      fc.record({
        scope: fc.constant('channel' as const),
        channelId: fc.constant('amazon-de'),
        buffer: fc.nat(9),
      }),
      fc.record({ scope: fc.constant('product' as const), productId: fc.constant(12), buffer: fc.nat(9) }),
      fc.record({
        scope: fc.constant('velocity_class' as const),
        velocityClass: fc.constantFrom('slow' as const, 'medium' as const, 'fast' as const),
        buffer: fc.nat(9),
      }),
      fc.record({
        scope: fc.constant('peak' as const),
        startsOn: fc.constant('2026-11-20'),
        endsOn: fc.constant('2026-11-30'),
        buffer: fc.constantFrom(1, 2),
      }),
    )
    fc.assert(
      fc.property(
        fc.array(rule, { maxLength: 6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(40),
        (rules, n, v) => {
          const r = resolveBuffer(subject(n, v), rules as BufferRule[])
          expect(r.parts.reduce((s, p) => s + p.units, 0)).toBe(r.buffer)
          const words = bufferInWords(r.parts, ctx).join(' ')
          const named = [...words.matchAll(/(?:^|\s)\+?(\d+) units?:/g)].reduce((s, m) => s + Number(m[1]), 0)
          expect(named).toBe(r.buffer)
        },
      ),
    )
  })

  it('defines free and pending where the figure is explained', () => {
    const r = resolveBuffer(subject(5), [{ scope: 'channel', channelId: 'amazon-de', buffer: 1 }])
    const terms = figureInWords(
      { quantity: 4, basis: 'free', basisValue: 7, pending: 1, buffer: 2, capped: false, zeroedBelow: false },
      r.parts,
      ctx,
    )
    expect(terms.map((t) => [t.key, t.label, t.value])).toEqual([
      ['basis', 'Free in Odoo', 7],
      ['pending', 'Pending', 1],
      ['buffer', 'Safety buffer', 2],
      ['published', 'Published', 4],
    ])
    expect(terms[0]!.words).toMatch(/less what Odoo has already reserved/)
    expect(terms[1]!.words).toMatch(/sold on any marketplace that Odoo has not reserved yet/)
    expect(terms[2]!.parts).toHaveLength(2)
    expect(terms[3]!.words).toBe('What Amazon DE shows buyers: 7 - 1 - 2, rounded down.')
  })
})
