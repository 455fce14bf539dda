import { describe, expect, it } from 'vitest'
import { parseWooListingId, wooListingId } from '../../../../main/node/channels/woocommerce'

describe('WooCommerce listing ids', () => {
  it('reads simple products and variations', () => {
    expect(parseWooListingId('12')).toEqual({ productId: 12 })
    expect(parseWooListingId('12/34')).toEqual({ productId: 12, variationId: 34 })
  })

  it('refuses anything else', () => {
    for (const bad of ['', '0', '12/', '/34', '12/0', 'a', '12/34/56', '-1'])
      expect(parseWooListingId(bad)).toBeUndefined()
  })

  it('writes what it reads', () => {
    expect(wooListingId(12)).toBe('12')
    expect(wooListingId(12, 34)).toBe('12/34')
    expect(parseWooListingId(wooListingId(7, 8))).toEqual({ productId: 7, variationId: 8 })
  })
})
