// The first-push guard: before a push that would zero or drastically change most of a channel's
// catalogue goes out, the seller confirms it after seeing a dry-run diff.
export interface DiffRow {
  listingId: string
  /** What the channel shows now (null when unknown). */
  current: number | null
  next: number
}

export interface GuardOptions {
  /** Share of the catalogue that may go to 0 without confirmation. */
  zeroShare: number
  /** Share of the catalogue that may change drastically without confirmation. */
  drasticShare: number
  /** A change is drastic when |next - current| >= this share of max(current, next) and >= minUnits. */
  drasticRatio: number
  minUnits: number
  /** Catalogues smaller than this are never held. */
  minListings: number
}

export const DEFAULT_GUARD: GuardOptions = {
  zeroShare: 0.5,
  drasticShare: 0.5,
  drasticRatio: 0.5,
  minUnits: 3,
  minListings: 5,
}

export interface GuardVerdict {
  needsConfirmation: boolean
  total: number
  toZero: number
  drastic: number
  unchanged: number
  reason: string
}

export function isDrastic(row: DiffRow, opts: GuardOptions = DEFAULT_GUARD): boolean {
  if (row.current === null) return false
  const delta = Math.abs(row.next - row.current)
  return delta >= opts.minUnits && delta >= opts.drasticRatio * Math.max(row.current, row.next)
}

export function evaluateFirstPush(
  rows: readonly DiffRow[],
  opts: GuardOptions = DEFAULT_GUARD,
): GuardVerdict {
  const total = rows.length
  let toZero = 0
  let drastic = 0
  let unchanged = 0
  for (const r of rows) {
    if (r.next === r.current) unchanged++
    else if (r.next === 0 && (r.current === null || r.current > 0)) toZero++
    else if (isDrastic(r, opts)) drastic++
  }
  const big = total >= opts.minListings
  const zeroHeld = big && toZero > opts.zeroShare * total
  const drasticHeld = big && toZero + drastic > opts.drasticShare * total
  const needsConfirmation = zeroHeld || drasticHeld
  const reason = zeroHeld
    ? `${toZero} of ${total} listings would be set to 0`
    : drasticHeld
      ? `${toZero + drastic} of ${total} listings would change drastically`
      : `${total - unchanged} of ${total} listings change; within the safe limits`
  return { needsConfirmation, total, toZero, drastic, unchanged, reason }
}
