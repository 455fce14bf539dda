// Incremental change detection over a write_date stream. Odoo stamps write_date with the transaction
// START (truncated to seconds) and commits later, so a record may appear with a write_date older than the
// previous poll. Every poll re-reads an overlap window and de-duplicates by (id, write_date) plus the
// record's stock-relevant values: write_date has whole-second resolution, so two changes to one quant in
// the same second (or a late commit that started in the same second) share a write_date.
import { formatOdooDatetime, parseOdooDatetime } from './odoo-datetime'

export interface StreamCursor {
  /** Lower bound (inclusive) of the next read, Odoo UTC datetime. */
  since: string
  /** id -> "write_date|fingerprint" of the records already reported that are still inside the window. */
  seen: Record<string, string>
}

export interface StreamRow {
  id: number
  writeDate: string
  productId: number | null
  /** The values that matter for stock (quantity, reserved, location, state...), joined. */
  fingerprint: string
}

export const DEFAULT_OVERLAP_MS = 60_000

/**
 * Folds the rows of one read into the cursor: returns the products of rows not seen before and the next
 * cursor, whose window starts `overlapMs` before the server's current time (falling back to the newest
 * write_date when the server time is unknown).
 */
export function foldStream(
  cursor: StreamCursor | null,
  rows: StreamRow[],
  serverNowMs: number | null,
  overlapMs: number,
): { changed: Set<number>; next: StreamCursor } {
  const seen = cursor?.seen ?? {}
  const changed = new Set<number>()
  const nextSeen: Record<string, string> = {}
  let newest = cursor ? parseOdooDatetime(cursor.since) + overlapMs : 0
  for (const r of rows) {
    const key = String(r.id)
    const stamp = `${r.writeDate}|${r.fingerprint}`
    if (seen[key] !== stamp && r.productId !== null) changed.add(r.productId)
    nextSeen[key] = stamp
    newest = Math.max(newest, parseOdooDatetime(r.writeDate))
  }
  const anchor = serverNowMs ?? newest
  const since = formatOdooDatetime(Math.max(0, Math.floor(anchor / 1000) * 1000 - overlapMs))
  for (const k of Object.keys(nextSeen)) if ((nextSeen[k] ?? '').slice(0, 19) < since) delete nextSeen[k]
  return { changed, next: { since, seen: nextSeen } }
}

export function isStreamCursor(v: unknown): v is StreamCursor {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return typeof o.since === 'string' && typeof o.seen === 'object' && o.seen !== null
}
