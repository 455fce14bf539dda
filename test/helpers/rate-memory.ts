import type { BucketMemory, BucketSnapshot } from '../../main/core/rate-limit/token-bucket'

/** A channel's rate memory kept in a Map: what SQLite keeps for the next process, shared by two adapters. */
export function inMemoryRateMemory(): BucketMemory {
  const data = new Map<string, BucketSnapshot>()
  return { load: (k) => data.get(k), save: (k, v) => void data.set(k, v) }
}
