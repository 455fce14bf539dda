import { describe, expect, it } from 'vitest'
import { resolveBuffer, validateBufferRule, type BufferRule } from '../../../main/core/buffers/buffer-rules'
import { velocityClass } from '../../../main/core/buffers/velocity-class'

const subject = { productId: 7, channelId: 'bol', salesPerDay: 1, channelCount: 2, today: '2026-11-27' }

describe('velocity classes', () => {
  it('splits at 5 and 20 sales a day', () => {
    expect(velocityClass(4.9)).toBe('slow')
    expect(velocityClass(5)).toBe('medium')
    expect(velocityClass(20)).toBe('medium')
    expect(velocityClass(20.1)).toBe('fast')
    expect(() => velocityClass(-1)).toThrow(/salesPerDay/)
  })
})

describe('resolveBuffer', () => {
  it('falls back to the velocity class defaults 0, 1, 2', () => {
    expect(resolveBuffer(subject, [])).toEqual({
      buffer: 0,
      source: 'default',
      explanation: 'buffer 0 = slow seller default 0',
      parts: [{ kind: 'default', units: 0, velocityClass: 'slow' }],
    })
    expect(resolveBuffer({ ...subject, salesPerDay: 10 }, []).explanation).toBe(
      'buffer 1 = medium seller default 1',
    )
    expect(resolveBuffer({ ...subject, salesPerDay: 30 }, []).explanation).toBe(
      'buffer 2 = fast seller default 2',
    )
  })
  const all: BufferRule[] = [
    { scope: 'global', buffer: 3 },
    { scope: 'velocity_class', velocityClass: 'slow', buffer: 4 },
    { scope: 'channel', channelId: 'bol', buffer: 5 },
    { scope: 'product', productId: 7, buffer: 6 },
    { scope: 'product_channel', productId: 7, channelId: 'bol', buffer: 8 },
  ]
  it('lets the most specific scope win, at every level', () => {
    expect(resolveBuffer(subject, all).explanation).toBe('buffer 8 = product rule for this channel 8')
    expect(resolveBuffer(subject, all.slice(0, 4)).explanation).toBe('buffer 6 = product rule 6')
    expect(resolveBuffer(subject, all.slice(0, 3)).explanation).toBe('buffer 5 = channel rule 5')
    expect(resolveBuffer(subject, all.slice(0, 2)).explanation).toBe('buffer 4 = slow seller rule 4')
    expect(resolveBuffer(subject, all.slice(0, 1)).explanation).toBe('buffer 3 = global rule 3')
    // Rules for other products, channels and classes do not apply.
    expect(
      resolveBuffer({ ...subject, productId: 8, channelId: 'amazon', salesPerDay: 10 }, all).explanation,
    ).toBe('buffer 3 = global rule 3')
  })
  it('adds 1 to channel rules for products on 5 or more channels', () => {
    const r = resolveBuffer({ ...subject, channelCount: 5 }, all.slice(0, 3))
    expect(r.explanation).toBe('buffer 6 = channel rule 5 + 1 (on 5 channels)')
    expect(resolveBuffer({ ...subject, channelCount: 4 }, all.slice(0, 3)).buffer).toBe(5)
  })
  it('adds peak mode inside its date range only', () => {
    const peak: BufferRule = {
      scope: 'peak',
      buffer: 2,
      startsOn: '2026-11-23',
      endsOn: '2026-11-30',
      note: 'Black Friday',
    }
    expect(resolveBuffer(subject, [...all.slice(0, 1), peak]).explanation).toBe(
      'buffer 5 = global rule 3 + peak 2 (Black Friday)',
    )
    expect(resolveBuffer({ ...subject, today: '2026-12-01' }, [...all.slice(0, 1), peak]).buffer).toBe(3)
    expect(resolveBuffer({ ...subject, today: '2026-11-23' }, [peak]).buffer).toBe(2)
  })
  it('validates rules and names what is missing', () => {
    expect(() => validateBufferRule({ scope: 'channel', buffer: 1 })).toThrow(/channel rule needs a channel/)
    expect(() => validateBufferRule({ scope: 'global', buffer: -1 })).toThrow(
      /buffer must be a whole number >= 0/,
    )
    expect(() =>
      validateBufferRule({ scope: 'peak', buffer: 3, startsOn: '2026-11-01', endsOn: '2026-11-02' }),
    ).toThrow(/1 or 2/)
    expect(() =>
      validateBufferRule({ scope: 'peak', buffer: 1, startsOn: 'nov', endsOn: '2026-11-02' }),
    ).toThrow(/startsOn/)
    expect(() => validateBufferRule({ scope: 'product_channel', buffer: 1, productId: 1 })).toThrow(
      /a product and a channel/,
    )
  })
})
