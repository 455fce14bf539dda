// Writes a channel may still apply (sent, never answered), kept in SQLite per channel: a process started
// after a kill holds other values of those listings back until each can no longer land, and when it is
// killed too, inside that window, the next process still knows (the 'sent' push state it started from has
// been superseded by then).
import type { Database } from 'better-sqlite3'
import type { PushAction } from './outbox'
import { deleteEngineValue, getEngineValue, setEngineValue } from './engine-state'

export interface StoredLateWrite {
  listingId: string
  /** -1: two unknown writes of different values, so no value may go before `until`. */
  quantity: number
  action: PushAction
  /** Epoch ms (the engine's clock) after which the write can no longer land. */
  until: number
}

const key = (channelId: string) => `late-writes:${channelId}`

export function loadLateWrites(db: Database, channelId: string): StoredLateWrite[] {
  const v = getEngineValue(db, key(channelId))
  if (!v) return []
  try {
    const rows = JSON.parse(v) as unknown
    return Array.isArray(rows)
      ? (rows as StoredLateWrite[]).filter(
          (r) => typeof r.listingId === 'string' && Number.isFinite(r.quantity) && Number.isFinite(r.until),
        )
      : []
  } catch {
    return []
  }
}

export function saveLateWrites(db: Database, channelId: string, rows: readonly StoredLateWrite[]): void {
  if (rows.length === 0) deleteEngineValue(db, key(channelId))
  else setEngineValue(db, key(channelId), JSON.stringify(rows))
}
