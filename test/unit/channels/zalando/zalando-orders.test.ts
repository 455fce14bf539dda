import { describe, expect, it } from 'vitest'
import { mapZalandoOrders } from '../../../../main/node/channels/zalando/zalando-orders'
import type { ZalandoOrdersDocument } from '../../../../main/node/channels/zalando/zalando-types'

const order = (
  id: string,
  status: 'approved' | 'fulfilled',
  items: { id: string; canceled: number; initial: number }[],
): ZalandoOrdersDocument => ({
  data: [
    {
      type: 'Order',
      id,
      attributes: {
        order_number: '1040970000502251',
        order_date: '2026-11-01T10:00:00Z',
        status,
        sales_channel_id: 'sc',
        modified_at: '2026-11-02T10:00:00Z',
        order_lines_price_currency: 'EUR',
      },
      relationships: { order_items: { data: items.map((i) => ({ type: 'OrderItem', id: i.id })) } },
    },
  ],
  included: items.flatMap((i) => [
    {
      type: 'OrderItem',
      id: i.id,
      attributes: {
        article_id: `ZA-${i.id}`,
        external_id: `SKU-${i.id}`,
        quantity_initial: i.initial,
        quantity_reserved: i.initial - i.canceled,
        quantity_shipped: 0,
        quantity_returned: 0,
        quantity_canceled: i.canceled,
      },
      relationships: { order_lines: { data: [{ type: 'OrderLine', id: `${i.id}-l1` }] } },
    },
    {
      type: 'OrderLine',
      id: `${i.id}-l1`,
      attributes: { status: 'reserved' as const, price: { amount: 39.95, currency: 'EUR' } },
    },
  ]),
})

describe('Zalando order mapping', () => {
  it('maps items by external_id (SKU) and article_id, never inventing an EAN', () => {
    const [o] = mapZalandoOrders(order('o1', 'approved', [{ id: 'a', canceled: 0, initial: 2 }]))
    expect(o).toMatchObject({
      orderId: 'o1',
      status: 'open',
      updatedAt: '2026-11-02T10:00:00Z',
      currency: 'EUR',
    })
    expect(o?.lines).toEqual([
      {
        lineId: 'a',
        listingId: null,
        sku: 'SKU-a',
        ean: null,
        externalIds: { article_id: 'ZA-a', external_id: 'SKU-a' },
        quantity: 2,
        cancelledQuantity: 0,
        unitPrice: 39.95,
      },
    ])
  })

  it('derives cancelled, partially cancelled and shipped', () => {
    expect(mapZalandoOrders(order('o', 'approved', [{ id: 'a', canceled: 2, initial: 2 }]))[0]?.status).toBe(
      'cancelled',
    )
    expect(
      mapZalandoOrders(
        order('o', 'approved', [
          { id: 'a', canceled: 1, initial: 2 },
          { id: 'b', canceled: 0, initial: 1 },
        ]),
      )[0]?.status,
    ).toBe('partially_cancelled')
    expect(mapZalandoOrders(order('o', 'fulfilled', [{ id: 'a', canceled: 0, initial: 1 }]))[0]?.status).toBe(
      'shipped',
    )
  })

  it('skips items the document does not include instead of failing', () => {
    const doc = order('o', 'approved', [{ id: 'a', canceled: 0, initial: 1 }])
    doc.included = []
    expect(mapZalandoOrders(doc)[0]?.lines).toEqual([])
  })
})
