// The fault campaign's expected figures: the buffer of the most specific rule per listing (with the
// many-channels unit and peak days), the channel's stock basis, and a kit's figure from its components.
import { describe, expect, it } from 'vitest'
import type { BufferRule } from '../../../main/core/buffers/buffer-rules'
import { KitBook } from '../../../main/core/stock/kit-book'
import type { KitProduct } from '../../../main/core/stock/kits'
import { CampaignTruth, knownTruth } from '../../../bench/_faults-truth'

const product = (id: number): KitProduct => ({
  id,
  templateId: id,
  service: false,
  storable: true,
  uomId: 1,
  attributeValueIds: [],
  name: `P${id}`,
  defaultCode: `P${id}`,
  barcode: null,
  active: true,
  companyId: null,
})

// Kit 1 = 2 x product 3 + 1 x product 5.
const kits = new KitBook({
  major: 19,
  boms: [
    {
      id: 1,
      templateId: 1,
      productId: null,
      quantity: 1,
      uomId: 1,
      companyId: null,
      pickingTypeId: null,
      lines: [
        { id: 1, productId: 3, quantity: 2, uomId: 1, attributeValueIds: [] },
        { id: 2, productId: 5, quantity: 1, uomId: 1, attributeValueIds: [] },
      ],
    },
  ],
  products: [product(1), product(3), product(5), product(7)],
  uoms: [{ id: 1, factor: 1, rounding: 0.01, categoryId: null }],
  attributeValues: [],
})

const rules: BufferRule[] = [
  { scope: 'global', buffer: 1 },
  { scope: 'channel', channelId: 'bol', buffer: 2 },
  { scope: 'peak', channelId: 'ebay', buffer: 1, startsOn: '2026-12-04', endsOn: '2026-12-06' },
  { scope: 'product', productId: 7, buffer: 3 },
  { scope: 'product_channel', productId: 7, channelId: 'amazon', buffer: 0 },
]
const truth = new CampaignTruth(
  rules,
  new Map([
    ['amazon', 'free'],
    ['bol', 'free'],
    ['ebay', 'free'],
    ['shopify', 'on_hand'],
  ]),
  kits,
  new Map([
    [1, 7],
    [3, 7],
    [5, 7],
    [7, 3],
  ]),
  () => '2026-12-05',
)
const stock = new Map([
  [3, { onHand: 21, reserved: 1 }],
  [5, { onHand: 30, reserved: 0 }],
  [7, { onHand: 10, reserved: 4 }],
])
const inputs = {
  stock: (id: number) => stock.get(id) ?? { onHand: 0, reserved: 0 },
  pending: (id: number) => (id === 7 ? 1 : 0),
}

describe('CampaignTruth', () => {
  it('applies the most specific buffer rule of each listing', () => {
    expect(truth.buffer({ channelId: 'amazon', productId: 3 })).toBe(1) // global
    expect(truth.buffer({ channelId: 'bol', productId: 3 })).toBe(3) // channel 2 + 1 for 7 channels
    expect(truth.buffer({ channelId: 'ebay', productId: 3 })).toBe(2) // global + peak
    expect(truth.buffer({ channelId: 'bol', productId: 7 })).toBe(3) // product rule beats the channel rule
    expect(truth.buffer({ channelId: 'amazon', productId: 7 })).toBe(0) // product on this channel
  })

  it('publishes free or on-hand stock less pending units and the buffer; a kit from its components', () => {
    // Product 7: free 6, on hand 10, 1 pending.
    expect(truth.figure({ channelId: 'amazon', productId: 7 }, inputs)).toBe(5)
    expect(truth.figure({ channelId: 'shopify', productId: 7 }, inputs)).toBe(6)
    // Kit 1: free = min(20 / 2, 30 / 1) = 10; on hand = min(21 / 2, 30) = 10.
    expect(truth.figure({ channelId: 'amazon', productId: 1 }, inputs)).toBe(9)
    expect(truth.figure({ channelId: 'bol', productId: 1 }, inputs)).toBe(7)
    expect(truth.figure({ channelId: 'shopify', productId: 1 }, inputs)).toBe(9)
  })

  it('refuses a channel whose basis it does not know', () => {
    expect(() => truth.figure({ channelId: 'zalando', productId: 3 }, inputs)).toThrow(
      /no stock basis known for channel zalando/,
    )
  })
})

describe('knownTruth: a selling product as LastUnit could know it', () => {
  // Product 7 on amazon: free 6, buffer 0.
  const start = { at: 0, stock: { onHand: 10, reserved: 4 } }
  const subject = { channelId: 'amazon', productId: 7 }

  it('lowers the figure when the engine stored each order, in that order, never before it was placed', () => {
    const steps = knownTruth(truth, subject, start, [
      { quantity: 2, placedAt: 10, seenAt: 50 },
      { quantity: 1, placedAt: 20, seenAt: 30 },
      // Stored "before" it was placed (clocks): counted from its placing.
      { quantity: 1, placedAt: 60, seenAt: 55 },
    ])
    expect(steps).toEqual([
      { at: 0, value: 6 },
      { at: 30, value: 5 },
      { at: 50, value: 3 },
      { at: 60, value: 2 },
    ])
  })

  it('never lowers it for an order the engine did not store, and stops at 0', () => {
    expect(
      knownTruth(truth, subject, start, [
        { quantity: 2, placedAt: 10, seenAt: undefined },
        { quantity: 9, placedAt: 20, seenAt: 25 },
      ]),
    ).toEqual([
      { at: 0, value: 6 },
      { at: 25, value: 0 },
    ])
  })
})
