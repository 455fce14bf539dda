// What the channel adapter tests push and expect: push items built from listing ids, and the ClassifiedError a
// call throws.
import { ClassifiedError } from '../../main/core/errors'
import type { PushItem } from '../../main/core/ports/channel-adapter'

/** One 'set' of a listing to a quantity. */
export const set = (listingId: string, quantity: number, stamp = 1): PushItem => ({
  listingId,
  quantity,
  action: 'set',
  stamp,
})

/** One item per listing id, the quantity by position. */
export const pushItems = (
  listingIds: string[],
  qty: (i: number) => number,
  stamp = 1,
  action: PushItem['action'] = 'set',
): PushItem[] => listingIds.map((listingId, i) => ({ listingId, quantity: qty(i), action, stamp }))

/** SKU-0 ... SKU-(n-1), the listing ids the simulators are seeded with. */
export const skus = (n: number): string[] => Array.from({ length: n }, (_, i) => `SKU-${i}`)

/** The ClassifiedError `p` rejects with (anything else fails the test). */
export const thrown = async (p: Promise<unknown>): Promise<ClassifiedError> => {
  try {
    await p
  } catch (e) {
    if (e instanceof ClassifiedError) return e
    throw e
  }
  throw new Error('expected a ClassifiedError')
}
