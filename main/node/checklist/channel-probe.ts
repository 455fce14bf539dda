// Reads a listing's live state from the channel itself: read-back where the API has it, else the listing
// as the channel lists it.
import type { ChannelAdapter, ListingState } from '../../core/ports/channel-adapter'

const MAX_PAGES = 200

export async function readListingStates(
  adapter: ChannelAdapter,
  listingIds: string[],
): Promise<ListingState[]> {
  if (listingIds.length === 0) return []
  if (adapter.capabilities.readBack && adapter.readBack) {
    const out: ListingState[] = []
    const size = Math.max(1, Math.min(adapter.capabilities.bulkBatchSize, 100))
    for (let i = 0; i < listingIds.length; i += size)
      out.push(...(await adapter.readBack(listingIds.slice(i, i + size))))
    return out
  }
  const want = new Set(listingIds)
  const out: ListingState[] = []
  let cursor: string | undefined
  for (let page = 0; page < MAX_PAGES && want.size > 0; page++) {
    const p = await adapter.listListings(cursor)
    for (const l of p.items) {
      if (!want.delete(l.listingId)) continue
      const quantity = l.quantity ?? 0
      out.push({ listingId: l.listingId, quantity, available: !l.paused && quantity > 0 })
    }
    if (!p.next) break
    cursor = p.next
  }
  return out
}

export const isUnavailable = (s: ListingState): boolean => !s.available || s.quantity === 0

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Polls `probe` until it returns a value, or gives up at the deadline with null. */
export async function waitFor<T>(
  probe: () => Promise<T | null>,
  timeoutMs: number,
  everyMs = 250,
): Promise<T | null> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await probe()
    if (v !== null) return v
    if (Date.now() >= end) return null
    await sleep(everyMs)
  }
}
