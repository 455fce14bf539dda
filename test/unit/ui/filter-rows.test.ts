import { describe, expect, it } from 'vitest'
import { filterRows, indexRows } from '../../../renderer/src/features/mapping/filter-rows'
import type { MappingRowDto } from '../../../shared/dto'

const row = (over: Partial<MappingRowDto>): MappingRowDto => ({
  channelId: 'bol-nl',
  listingId: 'x',
  sku: null,
  ean: null,
  title: '',
  productId: null,
  productName: null,
  productSku: null,
  source: null,
  ...over,
})

describe('mapping filter', () => {
  const rows = indexRows([
    row({ listingId: 'o-1', sku: 'LU-1', title: 'Blue Hoodie', productId: 1, productName: 'Hoodie' }),
    row({ listingId: 'o-2', sku: 'LU-2', title: 'Red Cap' }),
    row({ channelId: 'amazon-de', listingId: 'B0001', sku: 'LU-1', productId: 1 }),
  ])
  it('needs every word typed, in any field, case-insensitively', () => {
    expect(filterRows(rows, 'lu-1 HOODIE', 'all', '').map((r) => r.listingId)).toEqual(['o-1'])
    expect(filterRows(rows, '  ', 'all', '')).toHaveLength(3)
  })
  it('combines the words with the mapped state and the channel', () => {
    expect(filterRows(rows, 'lu', 'unmapped', '').map((r) => r.listingId)).toEqual(['o-2'])
    expect(filterRows(rows, 'lu-1', 'mapped', 'amazon-de').map((r) => r.listingId)).toEqual(['B0001'])
  })
})
