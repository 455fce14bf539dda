// The channel client's request loop: credential, slot and send in that order and in one tick; one renewal of a
// stale credential; retries with the longer of Retry-After and the backoff; long waits handed back; a 429
// holds the limits; everything else classified through the one mapping.
import { describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../../main/core/errors'
import { classifyAnswer, type ErrorVocabulary } from '../../../../main/node/channels/kit/error-mapping'
import { runRequestLoop, type RequestLoop } from '../../../../main/node/channels/kit/request-loop'
import { TokenCache } from '../../../../main/node/channels/kit/token-cache'
import type { HttpResponse } from '../../../../main/node/http/http-client'
import { thrown } from '../../../helpers/push-items'

const answer = (status: number, text = '{}', headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: new Headers(headers),
  text,
  json<T>(): T {
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ClassifiedError('retryable', 'http.malformed', 'not JSON')
    }
  },
})

const shop: ErrorVocabulary = {
  service: 'Shop',
  prefix: 'shop',
  describe: (res) => res.text,
  deniedHint: 'Reconnect the shop.',
  notFound: 'rejected',
}

/** A loop whose answers are scripted in order; it records the tokens it sent with, the waits and the holds. */
function scripted(answers: (HttpResponse | Error)[], more: Partial<RequestLoop<HttpResponse>> = {}) {
  let issued = 0
  const tokens = new TokenCache({
    clock: { now: () => 0 },
    fetchToken: async () => ({ accessToken: `t${++issued}`, expiresInSeconds: 3600 }),
  })
  const sent: string[] = []
  const slept: number[] = []
  const held: number[] = []
  const loop = (): RequestLoop<HttpResponse> => ({
    retry: { maxAttempts: 3, backoffMs: 100, maxBackoffMs: 30_000, maxInlineWaitMs: 10_000 },
    credential: () => tokens.get(),
    send: async (token) => {
      sent.push(token)
      const next = answers.shift()
      if (!next) throw new Error('no more answers scripted')
      if (next instanceof Error) throw next
      return next
    },
    isAnswer: (res) => res.status >= 200 && res.status < 300,
    read: (res) => res,
    classify: (res) => classifyAnswer(shop, res, 'testing'),
    isStale: (res) => res.status === 401,
    renew: (token) => tokens.invalidate(token),
    onThrottled: (_res, ms) => held.push(ms),
    unavailable: () => new ClassifiedError('retryable', 'test.unavailable', 'never tried'),
    sleep: async (ms) => {
      slept.push(ms)
    },
    ...more,
  })
  return { run: () => runRequestLoop(loop()), tokens, sent, slept, held }
}

describe('the channel client request loop', () => {
  it('renews the credential once on a stale answer (401) and sends again with the new one', async () => {
    const r = scripted([answer(401), answer(200, '{"ok":true}')])
    const res = await r.run()
    expect(res.status).toBe(200)
    expect(r.sent).toEqual(['t1', 't2'])
    expect(r.tokens.fetches).toBe(2)
    expect(r.slept).toEqual([])
  })

  it('renews only once: a second 401 is the seller’s problem, with the channel’s own classification', async () => {
    const r = scripted([answer(401, 'expired'), answer(401, 'revoked'), answer(200)])
    const err = await thrown(r.run())
    expect(err).toMatchObject({ kind: 'needs_seller', code: 'shop.auth', hint: 'Reconnect the shop.' })
    expect(err.message).toBe('Shop refused the credentials while testing (HTTP 401): revoked')
    expect(r.sent).toEqual(['t1', 't2'])
  })

  it('renews on whatever the auth strategy calls stale (Amazon: 401 and 403)', async () => {
    const r = scripted([answer(403), answer(200)], {
      isStale: (res) => res.status === 401 || res.status === 403,
    })
    expect((await r.run()).status).toBe(200)
    expect(r.sent).toEqual(['t1', 't2'])
  })

  it('waits as long as Retry-After says before trying a 429 again, and holds the limits that long', async () => {
    const r = scripted([answer(429, '', { 'retry-after': '3' }), answer(200)])
    expect((await r.run()).status).toBe(200)
    expect(r.slept).toEqual([3000])
    expect(r.held).toEqual([3000])
    expect(r.sent).toEqual(['t1', 't1'])
  })

  it('waits the longer of Retry-After and the backoff: a repeated 429 backs off', async () => {
    const r = scripted([
      answer(429, '', { 'retry-after': '0.05' }),
      answer(429, '', { 'retry-after': '0.05' }),
      answer(200),
    ])
    await r.run()
    expect(r.slept).toEqual([100, 200])
  })

  it('hands a wait longer than maxInlineWaitMs back as the error, carrying retryAfterMs', async () => {
    const r = scripted([answer(429, '', { 'retry-after': '120' }), answer(200)])
    const err = await thrown(r.run())
    expect(err).toMatchObject({ kind: 'retryable', code: 'shop.throttled', retryAfterMs: 120_000 })
    expect(r.sent).toHaveLength(1)
    expect(r.slept).toEqual([])
    // The limits are held for the wait all the same: calls beside this one must not run into it.
    expect(r.held).toEqual([120_000])
  })

  it('retries 5xx with exponential backoff and throws the last failure when the attempts run out', async () => {
    const r = scripted([answer(500, 'a'), answer(502, 'b'), answer(503, 'c'), answer(200)])
    const err = await thrown(r.run())
    expect(err).toMatchObject({ kind: 'retryable', code: 'shop.server' })
    expect(err.message).toBe('Shop failed while testing (HTTP 503): c')
    expect(r.sent).toHaveLength(3)
    expect(r.slept).toEqual([100, 200])
    expect(r.held).toEqual([])
  })

  it('recovers when a 5xx is followed by a success', async () => {
    const r = scripted([answer(500), answer(200)])
    expect((await r.run()).status).toBe(200)
    expect(r.slept).toEqual([100])
  })

  it('does not retry a 4xx: it is permanent', async () => {
    const r = scripted([answer(400, 'bad field'), answer(200)])
    const err = await thrown(r.run())
    expect(err.kind).toBe('permanent')
    expect(err.message).toBe('Shop rejected the request while testing (HTTP 400): bad field')
    expect(r.sent).toHaveLength(1)
    expect(r.slept).toEqual([])
  })

  it('retries a retryable network failure but lets any other error through at once', async () => {
    const net = scripted([new ClassifiedError('retryable', 'http.network', 'down'), answer(200)])
    expect((await net.run()).status).toBe(200)
    const bug = scripted([new TypeError('boom'), answer(200)])
    await expect(bug.run()).rejects.toThrow('boom')
    expect(bug.sent).toHaveLength(1)
  })

  it('retries a garbled 2xx body (read fails retryably), and gives up with the parse failure', async () => {
    const r = scripted([answer(200, '<html>'), answer(200, '{"n":1}')], { read: (res) => (res.json(), res) })
    expect((await r.run()).text).toBe('{"n":1}')
    expect(r.slept).toEqual([100])
    const garbled = scripted([answer(200, 'a'), answer(200, 'b'), answer(200, 'c')], {
      read: (res) => (res.json(), res),
    })
    expect((await thrown(garbled.run())).code).toBe('http.malformed')
    expect(garbled.sent).toHaveLength(3)
  })

  it('reads an error the channel reports inside a 2xx answer (inspect), and retries it when retryable', async () => {
    const r = scripted([answer(200, 'THROTTLED'), answer(200, 'ok')], {
      inspect: (res) =>
        res.text === 'THROTTLED'
          ? new ClassifiedError('retryable', 'shop.throttled', 'throttled at 200', { retryAfterMs: 40 })
          : undefined,
    })
    expect((await r.run()).text).toBe('ok')
    expect(r.slept).toEqual([100])
  })

  it('takes no slot when the credential cannot be had', async () => {
    const steps: string[] = []
    const refused = new ClassifiedError('needs_seller', 'test.auth', 'refused')
    const r = scripted([answer(200)], {
      credential: () => Promise.reject(refused),
      pace: () => {
        steps.push('slot')
        return undefined
      },
    })
    await expect(r.run()).rejects.toBe(refused)
    expect(steps).toEqual([])
    expect(r.sent).toEqual([])
  })

  it('takes the pacing slot after the credential, each attempt: a renewal does not spend slots while it runs', async () => {
    const steps: string[] = []
    let issued = 0
    const tokens = new TokenCache({
      clock: { now: () => 0 },
      fetchToken: async () => {
        steps.push('token')
        await new Promise((res) => setTimeout(res, 5))
        return { accessToken: `t${++issued}`, expiresInSeconds: 3600 }
      },
    })
    const r = scripted([answer(401), answer(200)], {
      credential: () => tokens.get(),
      renew: (t) => tokens.invalidate(t),
      pace: () => {
        steps.push('slot')
        return undefined
      },
    })
    await r.run()
    expect(steps).toEqual(['token', 'slot', 'token', 'slot'])
    expect(r.sent).toEqual(['t1', 't2'])
  })

  it('sends in the same tick as a free slot is taken: no other work runs in between', async () => {
    const steps: string[] = []
    const r = scripted([answer(200)], {
      pace: () => {
        steps.push('slot')
        // Work already waiting (another call's answer being read) must not run between slot and send:
        // it would delay this send towards the next one's slot.
        queueMicrotask(() => steps.push('other work'))
        return undefined
      },
      send: async () => {
        steps.push('send')
        return answer(200)
      },
    })
    await r.run()
    expect(steps).toEqual(['slot', 'send', 'other work'])
  })

  it('waits for the slot when the pacing hands back a promise', async () => {
    const steps: string[] = []
    const r = scripted([answer(200)], {
      pace: async () => {
        await new Promise((res) => setTimeout(res, 5))
        steps.push('slot')
      },
      send: async () => {
        steps.push('send')
        return answer(200)
      },
    })
    await r.run()
    expect(steps).toEqual(['slot', 'send'])
  })

  it('names the channel’s own error when no attempt is allowed', async () => {
    const r = scripted([answer(200)], {
      retry: { maxAttempts: 0, backoffMs: 1, maxBackoffMs: 1, maxInlineWaitMs: 1 },
    })
    expect((await thrown(r.run())).code).toBe('test.unavailable')
  })
})
