import { describe, expect, it } from 'vitest'
import {
  mapBolOrder,
  type BolItemFacts,
  type BolReducedOrder,
} from '../../../../main/node/channels/bol/bol-orders'

const item = (id: string, over: Partial<BolReducedOrder['orderItems'][number]> = {}) => ({
  orderItemId: id,
  ean: '8712345000001',
  fulfilmentStatus: 'OPEN' as const,
  quantity: 2,
  quantityShipped: 0,
  quantityCancelled: 0,
  cancellationRequest: false,
  latestChangedDateTime: '2026-11-01T10:00:00+01:00',
  ...over,
})

const order = (items: ReturnType<typeof item>[]): BolReducedOrder => ({
  orderId: 'A1',
  orderPlacedDateTime: '2026-11-01T09:00:00+01:00',
  orderItems: items,
})

describe('bol.com order mapping', () => {
  const facts = new Map<string, BolItemFacts>([
    ['1', { offerId: 'off-1', reference: 'SKU-1', unitPrice: 12.5 }],
  ])

  it('takes offer id and reference from the detail facts, EAN and quantities from the list', () => {
    const o = mapBolOrder(order([item('1'), item('2')]), facts)
    expect(o.lines[0]).toMatchObject({
      listingId: 'off-1',
      sku: 'SKU-1',
      ean: '8712345000001',
      unitPrice: 12.5,
      externalIds: { offerId: 'off-1' },
    })
    expect(o.lines[1]).toMatchObject({ listingId: null, sku: null, externalIds: {} })
    expect(o.status).toBe('open')
    expect(o.currency).toBe('EUR')
  })

  it('derives cancelled, partially cancelled and shipped, and the latest change', () => {
    expect(mapBolOrder(order([item('1', { quantityCancelled: 2 })]), facts).status).toBe('cancelled')
    expect(mapBolOrder(order([item('1', { quantityCancelled: 1 }), item('2')]), facts).status).toBe(
      'partially_cancelled',
    )
    const shipped = mapBolOrder(
      order([item('1', { quantityShipped: 2, latestChangedDateTime: '2026-11-02T10:00:00+01:00' })]),
      facts,
    )
    expect(shipped.status).toBe('shipped')
    expect(shipped.updatedAt).toBe('2026-11-02T10:00:00+01:00')
  })
})
