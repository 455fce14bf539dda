import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ResyncRate } from '../../../main/core/sync/resync-rate'

describe('full resync estimate from the measured rate', () => {
  it('starts from the declared limits, then follows the measured pace of each channel', () => {
    const r = new ResyncRate()
    // Declared: 2 s. Really: 10 listings a second, 650 listings (65 s).
    r.begin('zal', 650, 2000, 0)
    expect(r.progress('zal', 500)?.remainingMs).toBe(1500)
    for (let t = 1000; t <= 5000; t += 1000) r.observe('zal', t, t / 100, 650)
    const p = r.progress('zal', 5000)!
    expect(p.ratePerSecond).toBeCloseTo(10, 5)
    expect(p.remainingMs).toBe(60_000)
    // Not "about 1 s left" for a minute: the estimate follows what is left at the pace measured.
    for (let t = 6000; t <= 60_000; t += 1000) r.observe('zal', t, t / 100, 650)
    expect(r.progress('zal', 60_000)!.remainingMs).toBe(5000)
  })

  it('a channel that stalls gets no made-up estimate, and the overall estimate is the slowest channel', () => {
    const r = new ResyncRate()
    r.begin('fast', 100, 1000, 0)
    r.begin('slow', 100, 1000, 0)
    for (let t = 0; t <= 4000; t += 1000) {
      r.observe('fast', t, Math.min(100, t / 20), 100)
      r.observe('slow', t, Math.min(100, t / 200), 100)
    }
    const o = r.overall(4000)
    expect(o.channels.find((c) => c.channelId === 'slow')!.remainingMs).toBe(16_000)
    expect(o.remainingMs).toBe(16_000)
    const stalled = new ResyncRate()
    stalled.begin('x', 100, 1000, 0)
    for (let t = 0; t <= 30_000; t += 1000) stalled.observe('x', t, 0, 100)
    expect(stalled.progress('x', 30_000)!.remainingMs).toBeNull()
    expect(stalled.overall(30_000).remainingMs).toBeNull()
  })

  it('never goes backwards, whatever the measurements say', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 200 }), { minLength: 1, maxLength: 60 }), (dones) => {
        const r = new ResyncRate()
        r.begin('c', 150, 5000, 0)
        let last = 0
        dones.forEach((d, i) => {
          const kept = r.observe('c', (i + 1) * 500, d, 150)
          expect(kept).toBeGreaterThanOrEqual(last)
          expect(kept).toBeLessThanOrEqual(150)
          last = kept
        })
        const p = r.progress('c', dones.length * 500 + 1)!
        expect(p.done).toBe(last)
        if (p.remainingMs !== null) expect(p.remainingMs).toBeGreaterThanOrEqual(0)
      }),
    )
  })
})
