import { describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../../main/core/errors'
import { TokenCache } from '../../../../main/node/channels/kit/token-cache'

const clockAt = () => {
  const c = { t: 1_000_000, now: () => c.t }
  return c
}

describe('TokenCache', () => {
  it('asks the token endpoint again only after the wait it named (429 with Retry-After)', async () => {
    const clock = clockAt()
    let calls = 0
    let answer: 'throttled' | 'ok' = 'throttled'
    const cache = new TokenCache({
      clock,
      fetchToken: () => {
        calls++
        if (answer === 'throttled')
          return Promise.reject(
            new ClassifiedError('retryable', 'x.token_unavailable', 'token endpoint: HTTP 429', {
              retryAfterMs: 5000,
            }),
          )
        return Promise.resolve({ accessToken: 'tok', expiresInSeconds: 3600 })
      },
    })
    await expect(cache.get()).rejects.toMatchObject({ code: 'x.token_unavailable', retryAfterMs: 5000 })
    clock.t += 2000
    answer = 'ok'
    // Inside the wait: refused without a request, with the time left.
    await expect(cache.get()).rejects.toMatchObject({ kind: 'retryable', retryAfterMs: 3000 })
    await expect(cache.get()).rejects.toThrow('token endpoint: HTTP 429')
    expect(calls).toBe(1)
    clock.t += 3000
    expect(await cache.get()).toBe('tok')
    expect(calls).toBe(2)
  })

  it('retries at once after a failure that named no wait', async () => {
    const clock = clockAt()
    let calls = 0
    const cache = new TokenCache({
      clock,
      fetchToken: () => {
        calls++
        if (calls === 1) return Promise.reject(new ClassifiedError('retryable', 'x.down', 'HTTP 502'))
        return Promise.resolve({ accessToken: 'tok', expiresInSeconds: 3600 })
      },
    })
    await expect(cache.get()).rejects.toThrow('HTTP 502')
    expect(await cache.get()).toBe('tok')
    expect(calls).toBe(2)
  })
})
