import { describe, expect, it } from 'vitest'
import type { PushItem } from '../../../../main/core/ports/channel-adapter'
import { newestPerListing, quantityRefusal } from '../../../../main/node/channels/kit/push-results'

const item = (listingId: string, quantity: number, stamp: number): PushItem => ({
  listingId,
  quantity,
  stamp,
  action: 'set',
})

describe('newestPerListing', () => {
  it('sends the newest value per listing and answers the older ones as superseded, whatever their order', () => {
    const { results, send } = newestPerListing(
      [item('A', 1, 1), item('B', 5, 1), item('A', 2, 3), item('A', 3, 2)],
      'unit',
      () => undefined,
    )
    expect(send).toEqual([item('A', 2, 3), item('B', 5, 1)])
    expect(results).toEqual([
      {
        listingId: 'A',
        stamp: 1,
        outcome: 'rejected',
        code: 'superseded',
        message: 'A newer value for this unit is in the same batch',
      },
      {
        listingId: 'A',
        stamp: 2,
        outcome: 'rejected',
        code: 'superseded',
        message: 'A newer value for this unit is in the same batch',
      },
    ])
  })

  it('keeps the first of two values with the same stamp', () => {
    const { results, send } = newestPerListing([item('A', 1, 4), item('A', 2, 4)], 'variant', () => undefined)
    expect(send).toEqual([item('A', 1, 4)])
    expect(results.map((r) => [r.stamp, r.code])).toEqual([[4, 'superseded']])
  })

  it('rejects what check refuses, before it can supersede anything', () => {
    const check = (i: PushItem) =>
      i.listingId === 'bad'
        ? { code: 'x.bad_listing', message: 'no' }
        : quantityRefusal(i, 'x.bad_quantity', i.listingId)
    const { results, send } = newestPerListing(
      [item('bad', 1, 1), item('A', 2, 9), item('A', -1, 10)],
      'listing',
      check,
    )
    expect(send).toEqual([item('A', 2, 9)])
    expect(results).toEqual([
      { listingId: 'bad', stamp: 1, outcome: 'rejected', code: 'x.bad_listing', message: 'no' },
      {
        listingId: 'A',
        stamp: 10,
        outcome: 'rejected',
        code: 'x.bad_quantity',
        message: 'Quantity for A must be a whole number >= 0 (got -1)',
      },
    ])
  })
})

describe('quantityRefusal', () => {
  it('takes whole numbers from 0 up and refuses anything else', () => {
    expect(quantityRefusal(item('A', 0, 1), 'c', 'A')).toBeUndefined()
    expect(quantityRefusal(item('A', 7, 1), 'c', 'A')).toBeUndefined()
    expect(quantityRefusal(item('A', 1.5, 1), 'c', 'EAN A')).toEqual({
      code: 'c',
      message: 'Quantity for EAN A must be a whole number >= 0 (got 1.5)',
    })
  })
})
