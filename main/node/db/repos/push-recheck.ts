// Listings to read back once the channel's apply window has passed: a write sent or accepted by a
// process that stopped before its outcome was known may still land after the value sent next.
import type { Database } from 'better-sqlite3'
import { pluckStatement, statement } from '../statement'

/** Every listing with a write sent or accepted (not yet confirmed) is read back; its clock starts later. */
export function recheckUnsettledPushes(db: Database): void {
  statement(
    db,
    `INSERT INTO push_recheck (channel_id, listing_id, since)
     SELECT channel_id, listing_id, NULL FROM push_state WHERE status IN ('sent', 'accepted')
     ON CONFLICT (channel_id, listing_id) DO UPDATE SET since = NULL`,
  ).run()
}

/** Starts the clock of the rechecks still waiting for one. */
export function startRecheckClocks(db: Database, now: number): void {
  statement(db, 'UPDATE push_recheck SET since = ? WHERE since IS NULL').run(now)
}

/** Drops a channel's rechecks (it cannot read back). */
export function dropRechecks(db: Database, channelId: string): void {
  statement(db, 'DELETE FROM push_recheck WHERE channel_id = ?').run(channelId)
}

/** Up to `limit` listings of a channel whose recheck clock started at or before `startedBy`. */
export const dueRechecks = (db: Database, channelId: string, startedBy: number, limit: number): string[] =>
  pluckStatement(db, 'SELECT listing_id FROM push_recheck WHERE channel_id = ? AND since <= ? LIMIT ?').all(
    channelId,
    startedBy,
    limit,
  ) as string[]

/** The rechecks of these listings are done, in one transaction. */
export function rechecksDone(db: Database, channelId: string, listingIds: Iterable<string>): void {
  const done = statement(db, 'DELETE FROM push_recheck WHERE channel_id = ? AND listing_id = ?')
  db.transaction(() => {
    for (const id of listingIds) done.run(channelId, id)
  })()
}
