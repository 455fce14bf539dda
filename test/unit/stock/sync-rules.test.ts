import { describe, expect, it } from 'vitest'
import { planListingCommand } from '../../../main/core/stock/zero-stock'
import { backoffDelay } from '../../../main/core/sync/backoff'
import { evaluateFirstPush } from '../../../main/core/sync/first-push-guard'
import { estimateResync } from '../../../main/core/sync/resync-estimate'

describe('zero-stock actions', () => {
  it('pushes 0 or pauses, and resumes when stock returns', () => {
    expect(planListingCommand(0, 'push_zero', null)).toEqual({ action: 'set', quantity: 0 })
    expect(planListingCommand(0, 'pause', 'set')).toEqual({ action: 'pause', quantity: 0 })
    expect(planListingCommand(3, 'pause', 'pause')).toEqual({ action: 'resume', quantity: 3 })
    expect(planListingCommand(3, 'pause', 'resume')).toEqual({ action: 'set', quantity: 3 })
    expect(planListingCommand(3, 'push_zero', 'pause')).toEqual({ action: 'resume', quantity: 3 })
    expect(() => planListingCommand(-1, 'pause', null)).toThrow(/quantity/)
  })
})

describe('backoff', () => {
  it('grows exponentially with jitter within [ceiling/2, ceiling], capped', () => {
    const opts = { baseMs: 100, maxMs: 1000 }
    expect(backoffDelay(1, () => 0, opts)).toBe(50)
    expect(backoffDelay(1, () => 0.999999, opts)).toBe(100)
    expect(backoffDelay(3, () => 0, opts)).toBe(200)
    expect(backoffDelay(20, () => 0.5, opts)).toBe(750)
    expect(() => backoffDelay(0, Math.random)).toThrow(/attempt/)
  })
})

describe('first-push guard', () => {
  const rows = (n: number, current: number, next: number) =>
    Array.from({ length: n }, (_, i) => ({ listingId: `L${i}`, current, next }))
  it('holds a push that zeroes most of a channel', () => {
    const v = evaluateFirstPush([...rows(6, 10, 0), ...rows(4, 10, 10)])
    expect(v.needsConfirmation).toBe(true)
    expect(v.reason).toBe('6 of 10 listings would be set to 0')
  })
  it('holds a drastic change and lets ordinary pushes through', () => {
    expect(evaluateFirstPush([...rows(6, 10, 40), ...rows(4, 10, 10)]).reason).toBe(
      '6 of 10 listings would change drastically',
    )
    const ok = evaluateFirstPush([...rows(6, 10, 9), ...rows(4, 10, 0)])
    expect(ok.needsConfirmation).toBe(false)
    expect(evaluateFirstPush(rows(3, 10, 0)).needsConfirmation).toBe(false)
  })
})

describe('resync estimate', () => {
  it('counts calls from the bulk size and time from the rate limit', () => {
    const caps = {
      bulkBatchSize: 100,
      rateLimits: [{ scope: 'push' as const, ratePerSecond: 2, burst: 5 }],
      zeroStockActions: [],
      asyncConfirmation: false,
      readBack: true,
      orderPollIntervalMs: 1000,
    }
    expect(estimateResync(1001, caps)).toEqual({ listings: 1001, calls: 11, estimatedMs: 3000 })
    expect(() => estimateResync(-1, caps)).toThrow(/listings/)
  })
})
