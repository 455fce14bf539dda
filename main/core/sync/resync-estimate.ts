// How long a full resync of one channel takes at its declared limits: the bulk size sets the number
// of calls, the push rate limit (and item limit, where there is one) sets the pace.
import type { ChannelCapabilities } from '../ports/channel-adapter'

export interface ResyncEstimate {
  listings: number
  calls: number
  estimatedMs: number
}

export function estimateResync(listings: number, caps: ChannelCapabilities): ResyncEstimate {
  if (!Number.isInteger(listings) || listings < 0)
    throw new RangeError(`listings must be a whole number >= 0, got ${listings}`)
  if (!Number.isInteger(caps.bulkBatchSize) || caps.bulkBatchSize < 1)
    throw new RangeError(`capabilities.bulkBatchSize must be a whole number >= 1, got ${caps.bulkBatchSize}`)
  const calls = Math.ceil(listings / caps.bulkBatchSize)
  const limit = caps.rateLimits.find((r) => r.scope === 'push')
  if (!limit || calls === 0) return { listings, calls, estimatedMs: 0 }
  const afterBurst = Math.max(0, calls - limit.burst)
  let ms = (afterBurst / limit.ratePerSecond) * 1000
  if (limit.itemsPerSecond) ms = Math.max(ms, (listings / limit.itemsPerSecond) * 1000)
  return { listings, calls, estimatedMs: Math.ceil(ms) }
}
