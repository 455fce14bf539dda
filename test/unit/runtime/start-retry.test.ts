import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_START_RETRY_MS, nextStartRetry } from '../../../main/node/runtime/runtime'

describe('start-up retry while Odoo cannot be reached', () => {
  it('doubles from 15 s and stays at one minute', () => {
    const waits = [15_000]
    for (let i = 0; i < 6; i++) waits.push(nextStartRetry(waits[waits.length - 1]!))
    expect(waits).toEqual([15_000, 30_000, 60_000, 60_000, 60_000, 60_000, 60_000])
  })

  it('never waits longer than the cap and never shortens a wait below it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * MAX_START_RETRY_MS }), (w) => {
        const next = nextStartRetry(w)
        expect(next).toBeLessThanOrEqual(MAX_START_RETRY_MS)
        expect(next).toBeGreaterThanOrEqual(Math.min(w, MAX_START_RETRY_MS))
      }),
    )
  })
})
