import { describe, expect, it } from 'vitest'
import {
  buildListingsFeed,
  readProcessingReport,
} from '../../../../main/node/channels/amazon/amazon-listings-feed'
import { mapAmazonOrder, type AmazonOrder } from '../../../../main/node/channels/amazon/amazon-orders'

describe('JSON_LISTINGS_FEED document', () => {
  it('has one PATCH message per SKU, numbered from 1, merging fulfillment_availability', () => {
    const doc = buildListingsFeed(
      [
        { sku: 'A', quantity: 3 },
        { sku: 'B', quantity: 0 },
      ],
      { sellerId: 'S1', productType: 'PRODUCT', fulfillmentChannelCode: 'DEFAULT' },
    ) as { header: unknown; messages: unknown[] }
    expect(doc.header).toEqual({ sellerId: 'S1', version: '2.0', issueLocale: 'en_US' })
    expect(doc.messages[1]).toEqual({
      messageId: 2,
      sku: 'B',
      operationType: 'PATCH',
      productType: 'PRODUCT',
      patches: [
        {
          op: 'merge',
          path: '/attributes/fulfillment_availability',
          value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 0 }],
        },
      ],
    })
  })
})

describe('processing report', () => {
  it('fails only the messages with ERROR issues; warnings do not fail', () => {
    const r = readProcessingReport(
      {
        issues: [
          { messageId: 2, code: '18', severity: 'ERROR', message: 'SKU not found' },
          { messageId: 3, code: '99', severity: 'WARNING', message: 'meh' },
        ],
      },
      3,
    )
    expect(r.get(1)).toEqual({ ok: true })
    expect(r.get(2)).toEqual({ ok: false, code: '18', message: 'SKU not found' })
    expect(r.get(3)).toEqual({ ok: true })
  })

  it('fails every message on a feed-wide error, and refuses a report without issues', () => {
    const r = readProcessingReport(
      { issues: [{ code: '100001', severity: 'ERROR', message: 'bad document' }] },
      2,
    )
    expect([...r.values()].every((o) => !o.ok)).toBe(true)
    expect(() => readProcessingReport({ summary: {} }, 1)).toThrow(/issues/)
  })
})

describe('Amazon order mapping', () => {
  const order = (over: Partial<AmazonOrder> = {}): AmazonOrder => ({
    orderId: '302-1',
    createdTime: '2026-11-01T10:00:00Z',
    lastUpdatedTime: '2026-11-01T11:00:00Z',
    fulfillment: { fulfillmentStatus: 'UNSHIPPED' },
    orderItems: [
      {
        orderItemId: '1',
        quantityOrdered: 2,
        product: {
          sellerSku: 'A',
          asin: 'B0A',
          price: { unitPrice: { amount: '9.90', currencyCode: 'EUR' } },
        },
      },
      { orderItemId: '2', quantityOrdered: 1, product: { sellerSku: 'B' } },
    ],
    ...over,
  })

  it('carries SKU, ASIN, price and currency per line', () => {
    const o = mapAmazonOrder(order())
    expect(o.status).toBe('open')
    expect(o.currency).toBe('EUR')
    expect(o.lines[0]).toMatchObject({
      sku: 'A',
      listingId: 'A',
      externalIds: { asin: 'B0A' },
      quantity: 2,
      unitPrice: 9.9,
      cancelledQuantity: 0,
    })
  })

  it('recognises whole-order and per-item cancellations', () => {
    expect(mapAmazonOrder(order({ fulfillment: { fulfillmentStatus: 'CANCELLED' } })).status).toBe(
      'cancelled',
    )
    const partial = order()
    partial.orderItems[1]!.cancellation = { cancellationExecution: { cancelledBy: 'BUYER' } }
    const o = mapAmazonOrder(partial)
    expect(o.status).toBe('partially_cancelled')
    expect(o.lines.map((l) => l.cancelledQuantity)).toEqual([0, 1])
    expect(mapAmazonOrder(order({ fulfillment: { fulfillmentStatus: 'SHIPPED' } })).status).toBe('shipped')
  })
})
