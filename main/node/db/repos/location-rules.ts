import type { Database } from 'better-sqlite3'
import { statement } from '../statement'

/** The Odoo locations that contribute stock to a channel. */
export const channelLocations = (db: Database, channelId: string): number[] =>
  (
    statement(db, 'SELECT location_id FROM location_rules WHERE channel_id = ? ORDER BY location_id').all(
      channelId,
    ) as {
      location_id: number
    }[]
  ).map((r) => r.location_id)

export const setChannelLocations = (db: Database, channelId: string, locationIds: number[]): void => {
  statement(db, 'DELETE FROM location_rules WHERE channel_id = ?').run(channelId)
  const ins = statement(db, 'INSERT INTO location_rules (channel_id, location_id) VALUES (?, ?)')
  for (const id of new Set(locationIds)) ins.run(channelId, id)
}

/** Every channel's location rules. */
export const allLocationRules = (db: Database): Array<{ channel_id: string; location_id: number }> =>
  statement(db, 'SELECT channel_id, location_id FROM location_rules').all() as Array<{
    channel_id: string
    location_id: number
  }>
