import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { publishedQuantity, basisValue } from '../../../main/core/stock/published-quantity'

const stock = (onHand: number, reserved: number, forecast: number | null = null) => ({
  onHand,
  reserved,
  forecast,
})

describe('publishedQuantity', () => {
  it('explains the figure exactly', () => {
    const r = publishedQuantity({ stock: stock(9, 2), basis: 'free', pending: 1, buffer: 2 })
    expect(r.quantity).toBe(4)
    expect(r.explanation).toBe('published 4 = free 7 - pending 1 - buffer 2')
  })
  it('never goes below 0 and says so', () => {
    const r = publishedQuantity({ stock: stock(3, 0), basis: 'free', pending: 2, buffer: 2 })
    expect(r.quantity).toBe(0)
    expect(r.explanation).toBe('published 0 = free 3 - pending 2 - buffer 2 (never below 0)')
  })
  it('caps at the max published quantity', () => {
    const r = publishedQuantity({
      stock: stock(50, 0),
      basis: 'free',
      pending: 0,
      buffer: 1,
      maxPublished: 10,
    })
    expect(r.quantity).toBe(10)
    expect(r.capped).toBe(true)
    expect(r.explanation).toBe('published 10 = free 50 - pending 0 - buffer 1 (capped at 10 from 49)')
  })
  it('zeroes below the threshold', () => {
    const r = publishedQuantity({ stock: stock(4, 0), basis: 'free', pending: 0, buffer: 1, zeroBelow: 5 })
    expect(r.quantity).toBe(0)
    expect(r.explanation).toBe(
      'published 0 = free 4 - pending 0 - buffer 1 (3 is below the threshold 5, so 0)',
    )
  })
  it('uses the channel basis and names it', () => {
    expect(
      publishedQuantity({ stock: stock(9, 4), basis: 'on_hand', pending: 0, buffer: 0 }).explanation,
    ).toBe('published 9 = on hand 9 - pending 0 - buffer 0')
    expect(
      publishedQuantity({ stock: stock(9, 4, 12), basis: 'forecast', pending: 1, buffer: 0 }).explanation,
    ).toBe('published 11 = forecast 12 - pending 1 - buffer 0')
    // No forecast read: falls back to free, never more.
    expect(basisValue(stock(9, 4), 'forecast')).toBe(5)
  })
  it('counts a negative sum as 0 and rounds down fractions', () => {
    expect(basisValue(stock(-3, 0), 'free')).toBe(0)
    expect(publishedQuantity({ stock: stock(5.5, 0), basis: 'free', pending: 0, buffer: 0 }).quantity).toBe(5)
  })
  it('rejects bad input naming the field', () => {
    expect(() => publishedQuantity({ stock: stock(1, 0), basis: 'free', pending: -1, buffer: 0 })).toThrow(
      /pending must be >= 0/,
    )
    expect(() => publishedQuantity({ stock: stock(NaN, 0), basis: 'free', pending: 0, buffer: 0 })).toThrow(
      /stock.onHand/,
    )
    expect(() =>
      publishedQuantity({ stock: stock(1, 0), basis: 'x' as 'free', pending: 0, buffer: 0 }),
    ).toThrow(/basis must be one of/)
    expect(() =>
      publishedQuantity({ stock: stock(1, 0), basis: 'free', pending: 0, buffer: 0, maxPublished: -2 }),
    ).toThrow(/maxPublished/)
  })

  const input = fc.record({
    onHand: fc.integer({ min: -50, max: 500 }),
    reserved: fc.integer({ min: 0, max: 100 }),
    pending: fc.integer({ min: 0, max: 50 }),
    buffer: fc.integer({ min: 0, max: 10 }),
    max: fc.option(fc.integer({ min: 0, max: 200 })),
    zeroBelow: fc.option(fc.integer({ min: 0, max: 10 })),
  })
  it('is never negative, never above free minus pending, within the cap', () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = publishedQuantity({
          stock: stock(i.onHand, i.reserved),
          basis: 'free',
          pending: i.pending,
          buffer: i.buffer,
          maxPublished: i.max,
          zeroBelow: i.zeroBelow,
        })
        expect(r.quantity).toBeGreaterThanOrEqual(0)
        expect(Number.isInteger(r.quantity)).toBe(true)
        expect(r.quantity).toBeLessThanOrEqual(Math.max(0, i.onHand - i.reserved - i.pending))
        if (i.max !== null) expect(r.quantity).toBeLessThanOrEqual(i.max)
        if (i.zeroBelow !== null && r.quantity > 0) expect(r.quantity).toBeGreaterThanOrEqual(i.zeroBelow)
        expect(r.explanation.startsWith(`published ${r.quantity} = free `)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
  it('is monotone in free stock and antitone in pending and buffer', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 20 }), (i, more) => {
        const q = (onHand: number, pending: number, buffer: number) =>
          publishedQuantity({
            stock: stock(onHand, i.reserved),
            basis: 'free',
            pending,
            buffer,
            maxPublished: i.max,
          }).quantity
        expect(q(i.onHand + more, i.pending, i.buffer)).toBeGreaterThanOrEqual(
          q(i.onHand, i.pending, i.buffer),
        )
        expect(q(i.onHand, i.pending + more, i.buffer)).toBeLessThanOrEqual(q(i.onHand, i.pending, i.buffer))
        expect(q(i.onHand, i.pending, i.buffer + more)).toBeLessThanOrEqual(q(i.onHand, i.pending, i.buffer))
      }),
      { numRuns: 300 },
    )
  })
})
