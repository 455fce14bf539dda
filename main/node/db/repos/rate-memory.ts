// Rate-limit buckets kept in SQLite: a process killed and restarted (a crash, an update) must not start
// with full buckets, or its first calls would break limits the last process had already used up.
import type { Database } from 'better-sqlite3'
import type { BucketMemory, BucketSnapshot } from '../../../core/rate-limit/token-bucket'
import { getEngineValue, setEngineValue } from './engine-state'

/** The buckets of one channel (`scope`), kept in engine_state under rate:<scope>:<operation>. */
export function sqliteBucketMemory(db: Database, scope: string): BucketMemory {
  const key = (op: string) => `rate:${scope}:${op}`
  return {
    load(op) {
      const v = getEngineValue(db, key(op))
      if (!v) return undefined
      try {
        return JSON.parse(v) as BucketSnapshot
      } catch {
        return undefined
      }
    },
    save(op, s) {
      setEngineValue(db, key(op), JSON.stringify(s))
    },
  }
}
