import { describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../main/core/errors'
import { isThrottled, ThrottleEpisodes } from '../../../main/core/sync/throttle-episodes'

describe('throttled polls are logged once per episode', () => {
  it('tells throttling (the channel or LastUnit pacing it) from other failures', () => {
    expect(isThrottled(new ClassifiedError('retryable', 'amazon.throttled', 'x'))).toBe(true)
    expect(isThrottled(new ClassifiedError('retryable', 'bol.rate_limited', 'x'))).toBe(true)
    expect(isThrottled(new ClassifiedError('retryable', 'rate_limit.local', 'x'))).toBe(true)
    expect(isThrottled(new ClassifiedError('retryable', 'http.timeout', 'x'))).toBe(false)
    expect(isThrottled(new ClassifiedError('needs_seller', 'amazon.throttled', 'x'))).toBe(false)
    expect(isThrottled(new Error('amazon.throttled'))).toBe(false)
  })

  it('a session of polls every 2 s against a slow limit writes two info lines, not one per poll', () => {
    const ep = new ThrottleEpisodes()
    const lines = []
    let t = 0
    for (let i = 0; i < 336; i++, t += 2000) {
      const l = ep.throttled('amz', t, 'order checks', 'Amazon')
      if (l) lines.push(l)
    }
    const end = ep.succeeded('amz', t, 'order checks', 'Amazon')
    if (end) lines.push(end)
    expect(lines).toHaveLength(2)
    expect(lines.every((l) => l.level === 'info')).toBe(true)
    expect(lines[0]!.status).toBe('throttled')
    expect(lines[0]!.message).toContain('Amazon asks LastUnit to slow down order checks')
    expect(lines[1]!).toEqual({
      level: 'info',
      status: 'resumed',
      message: 'Order checks on Amazon back to normal after 11 min (336 attempts were slowed down).',
    })
    // A success outside an episode says nothing; the next throttle opens a new episode.
    expect(ep.succeeded('amz', t, 'order checks', 'Amazon')).toBeNull()
    expect(ep.throttled('amz', t + 1, 'order checks', 'Amazon')).not.toBeNull()
  })

  it('keeps episodes of different channels apart', () => {
    const ep = new ThrottleEpisodes()
    expect(ep.throttled('a', 0, 'order checks', 'A')).not.toBeNull()
    expect(ep.throttled('b', 0, 'order checks', 'B')).not.toBeNull()
    expect(ep.succeeded('a', 5000, 'order checks', 'A')?.message).toContain('after 5 s (1 attempt was')
    expect(ep.isOpen('b')).toBe(true)
  })
})
