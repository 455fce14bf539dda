// What a full resync changed: the figure each listing showed before the run (its baseline), compared at the
// end with what the channel accepted from the run.
import type { Database } from 'better-sqlite3'

/** Records what every listing of `channels` showed before run `runId`; older baselines are dropped. */
export function snapshotResyncBaseline(db: Database, runId: number, channels: readonly string[]): void {
  db.transaction(() => {
    db.prepare('DELETE FROM resync_baseline WHERE run_id <> ?').run(runId)
    const ins = db.prepare(
      `INSERT OR IGNORE INTO resync_baseline (run_id, channel_id, listing_id, quantity, action)
       SELECT ?, m.channel_id, m.listing_id, s.applied_quantity, s.applied_action
       FROM sku_mappings m LEFT JOIN push_state s ON s.channel_id = m.channel_id AND s.listing_id = m.listing_id
       WHERE m.channel_id = ?`,
    )
    for (const c of channels) ins.run(runId, c)
  })()
}

export interface ResyncChannelSummary {
  channelId: string
  /** The channel now shows another figure than before the run. */
  changed: number
  /** The run sent the figure the listing already showed. */
  unchanged: number
  /** Refused by the channel, or blocked. */
  failed: number
  /** Still on their way (sent, not yet confirmed), or not reached before the run stopped. */
  open: number
}

/** Per channel, for the listings the run covered (its baseline); empty when the run has none. */
export function resyncSummary(db: Database, runId: number, startStamp: number): ResyncChannelSummary[] {
  const rows = db
    .prepare(
      `SELECT b.channel_id AS channelId,
         SUM(CASE WHEN s.status IN ('rejected', 'blocked') THEN 1 ELSE 0 END) AS failed,
         SUM(CASE WHEN s.status NOT IN ('rejected', 'blocked') AND s.stamp >= ? AND s.applied_stamp >= ?
               AND (b.quantity IS NOT s.applied_quantity OR coalesce(b.action, 'set') IS NOT coalesce(s.applied_action, 'set'))
             THEN 1 ELSE 0 END) AS changed,
         SUM(CASE WHEN s.status NOT IN ('rejected', 'blocked') AND s.stamp >= ? AND s.applied_stamp >= ?
               AND b.quantity IS s.applied_quantity AND coalesce(b.action, 'set') IS coalesce(s.applied_action, 'set')
             THEN 1 ELSE 0 END) AS unchanged,
         COUNT(*) AS n
       FROM resync_baseline b LEFT JOIN push_state s ON s.channel_id = b.channel_id AND s.listing_id = b.listing_id
       WHERE b.run_id = ? GROUP BY b.channel_id ORDER BY b.channel_id`,
    )
    .all(startStamp, startStamp, startStamp, startStamp, runId) as Array<{
    channelId: string
    failed: number
    changed: number
    unchanged: number
    n: number
  }>
  return rows.map((r) => ({
    channelId: r.channelId,
    changed: r.changed,
    unchanged: r.unchanged,
    failed: r.failed,
    open: Math.max(0, r.n - r.changed - r.unchanged - r.failed),
  }))
}
