import { describe, expect, it } from 'vitest'
import { kauflandOrderFromUnits } from '../../../../main/node/channels/kaufland/kaufland-orders'
import type {
  KauflandOrderUnit,
  KauflandOrderUnitStatus,
} from '../../../../main/node/channels/kaufland/kaufland-types'

const unit = (
  id: number,
  status: KauflandOrderUnitStatus,
  updated = '2026-11-02T10:00:00Z',
): KauflandOrderUnit => ({
  id_order_unit: id,
  id_order: 'MB7UWLD',
  ts_created_iso: '2026-11-01T10:00:00Z',
  ts_updated_iso: updated,
  status,
  price: 1999,
  id_offer: 'AB-120',
  currency: 'EUR',
  product: { id_product: 5, title: 'Mug', eans: ['4006381333931'] },
})

describe('Kaufland order units to an order', () => {
  it('makes one line of one piece per unit, prices in cents', () => {
    const o = kauflandOrderFromUnits([
      unit(1, 'need_to_be_sent'),
      unit(2, 'need_to_be_sent', '2026-11-03T00:00:00Z'),
    ])
    expect(o).toMatchObject({
      orderId: 'MB7UWLD',
      status: 'open',
      updatedAt: '2026-11-03T00:00:00Z',
      createdAt: '2026-11-01T10:00:00Z',
    })
    expect(o.lines).toHaveLength(2)
    expect(o.lines[0]).toEqual({
      lineId: '1',
      listingId: null,
      sku: 'AB-120',
      ean: '4006381333931',
      externalIds: { id_order_unit: '1', id_product: '5' },
      quantity: 1,
      cancelledQuantity: 0,
      unitPrice: 19.99,
    })
  })

  it('derives the order state from its units', () => {
    expect(kauflandOrderFromUnits([unit(1, 'cancelled'), unit(2, 'cancelled')]).status).toBe('cancelled')
    expect(kauflandOrderFromUnits([unit(1, 'cancelled'), unit(2, 'sent')]).status).toBe('partially_cancelled')
    expect(kauflandOrderFromUnits([unit(1, 'sent'), unit(2, 'received')]).status).toBe('shipped')
    expect(kauflandOrderFromUnits([unit(1, 'sent'), unit(2, 'need_to_be_sent')]).status).toBe('open')
  })

  it('refuses an empty unit list', () => {
    expect(() => kauflandOrderFromUnits([])).toThrow(/at least one/)
  })
})
