// The live log screen: sync log lines with the channel's name and the product each line is about (its SKU
// and name, from the line itself or from the listing's mapping), filtered and paged by id or by date.
import type { Database } from 'better-sqlite3'

export interface LogViewQuery {
  /** Only lines newer than this id (live updates). */
  afterId?: number
  /** Only lines older than this id (paging back). */
  beforeId?: number
  /** Only lines at or after this time. */
  from?: number
  /** Only lines before this time. */
  to?: number
  channelId?: string
  level?: string
  /** Several statuses: any of them. */
  statuses?: string[]
  /** Every word must appear in the message, the listing, the product's SKU or name, or the channel's name. */
  search?: string
  limit: number
}

export interface LogViewRow {
  id: number
  at: number
  level: 'debug' | 'info' | 'warn' | 'error'
  kind: string
  channelId: string | null
  channelName: string | null
  listingId: string | null
  productId: number | null
  sku: string | null
  productName: string | null
  status: string | null
  message: string
}

const escapeLike = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

const FROM = `FROM sync_log g
  LEFT JOIN channels c ON c.id = g.channel_id
  LEFT JOIN sku_mappings m ON g.product_id IS NULL AND m.channel_id = g.channel_id AND m.listing_id = g.listing_id
  LEFT JOIN products p ON p.id = coalesce(g.product_id, m.product_id)
  LEFT JOIN listings li ON li.channel_id = g.channel_id AND li.listing_id = g.listing_id`

/** Newest first. `hasMore`: older lines match the same filter. */
export function browseLog(db: Database, q: LogViewQuery): { rows: LogViewRow[]; hasMore: boolean } {
  const where: string[] = []
  const args: (string | number)[] = []
  const add = (sql: string, ...v: (string | number)[]) => {
    where.push(sql)
    args.push(...v)
  }
  if (q.afterId !== undefined) add('g.id > ?', q.afterId)
  if (q.beforeId !== undefined) add('g.id < ?', q.beforeId)
  if (q.from !== undefined) add('g.at >= ?', q.from)
  if (q.to !== undefined) add('g.at < ?', q.to)
  if (q.channelId) add('g.channel_id = ?', q.channelId)
  if (q.level) add('g.level = ?', q.level)
  if (q.statuses && q.statuses.length > 0)
    add(`g.status IN (${q.statuses.map(() => '?').join(',')})`, ...q.statuses)
  for (const w of (q.search ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 8)) {
    const like = escapeLike(w)
    add(
      `(g.message LIKE ? ESCAPE '\\' OR coalesce(g.listing_id, '') LIKE ? ESCAPE '\\'
        OR coalesce(p.default_code, '') LIKE ? ESCAPE '\\' OR coalesce(p.name, '') LIKE ? ESCAPE '\\'
        OR coalesce(li.sku, '') LIKE ? ESCAPE '\\' OR coalesce(c.name, '') LIKE ? ESCAPE '\\')`,
      like,
      like,
      like,
      like,
      like,
      like,
    )
  }
  // Live updates read forwards from the last id seen; everything else reads back from the newest.
  const forward = q.afterId !== undefined && q.beforeId === undefined
  const rows = db
    .prepare(
      `SELECT g.id, g.at, g.level, g.kind, g.channel_id AS channelId, c.name AS channelName,
         g.listing_id AS listingId, coalesce(g.product_id, m.product_id) AS productId,
         coalesce(p.default_code, li.sku) AS sku, p.name AS productName, g.status, g.message
       ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY g.id ${forward ? 'ASC' : 'DESC'} LIMIT ?`,
    )
    .all(...args, q.limit + 1) as LogViewRow[]
  const hasMore = rows.length > q.limit
  const page = rows.slice(0, q.limit)
  return { rows: forward ? page.reverse() : page, hasMore }
}

/** The time of the oldest line kept, for the date picker's lower bound. */
export const oldestLogAt = (db: Database): number | null =>
  (db.prepare('SELECT min(at) AS at FROM sync_log').get() as { at: number | null }).at

/** Listings the reconciliation found showing another figure than LastUnit's, since `since` (newest first). */
export const driftedListingsSince = (db: Database, channelId: string, since: number): string[] =>
  db
    .prepare(
      `SELECT DISTINCT listing_id FROM sync_log WHERE kind = 'drift' AND channel_id = ? AND at >= ?
         AND listing_id IS NOT NULL ORDER BY id DESC LIMIT 50`,
    )
    .pluck()
    .all(channelId, since) as string[]
