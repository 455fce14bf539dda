// The overlap window and de-duplication of the incremental poll.
import { describe, expect, it } from 'vitest'
import { foldStream, isStreamCursor } from '../../../main/core/odoo/poll-window'
import { parseOdooDatetime } from '../../../main/core/odoo/odoo-datetime'

const row = (id: number, writeDate: string, productId: number, fingerprint = '1') => ({
  id,
  writeDate,
  productId,
  fingerprint,
})
const at = (s: string) => parseOdooDatetime(s)

describe('foldStream', () => {
  it('reports new rows, then not again while they stay in the window', () => {
    const a = foldStream(null, [row(1, '2026-11-27 03:31:49', 10)], at('2026-11-27 03:31:54'), 60_000)
    expect([...a.changed]).toEqual([10])
    expect(a.next.since).toBe('2026-11-27 03:30:54')
    const b = foldStream(a.next, [row(1, '2026-11-27 03:31:49', 10)], at('2026-11-27 03:31:59'), 60_000)
    expect([...b.changed]).toEqual([])
  })

  it('a late commit with an older write_date than the last poll is still reported', () => {
    const a = foldStream(null, [], at('2026-11-27 03:31:54'), 60_000)
    const b = foldStream(a.next, [row(7, '2026-11-27 03:31:49', 3)], at('2026-11-27 03:31:56'), 60_000)
    expect([...b.changed]).toEqual([3])
  })

  it('the same write_date with different values (same second) is a change', () => {
    const a = foldStream(null, [row(1, '2026-11-27 03:31:49', 10, '5,0')], at('2026-11-27 03:31:49'), 60_000)
    const b = foldStream(
      a.next,
      [row(1, '2026-11-27 03:31:49', 10, '4,1')],
      at('2026-11-27 03:31:50'),
      60_000,
    )
    expect([...b.changed]).toEqual([10])
  })

  it('forgets rows that left the window and falls back to the newest write_date without a server clock', () => {
    const a = foldStream(null, [row(1, '2026-11-27 03:00:00', 10)], at('2026-11-27 03:31:54'), 60_000)
    expect(a.next.seen).toEqual({})
    const b = foldStream(null, [row(2, '2026-11-27 03:31:49', 11)], null, 10_000)
    expect(b.next.since).toBe('2026-11-27 03:31:39')
    expect(isStreamCursor(b.next)).toBe(true)
    expect(isStreamCursor({ since: 1 })).toBe(false)
  })
})
