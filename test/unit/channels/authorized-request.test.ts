import { describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../main/core/errors'
import {
  authorizedRequest,
  jsonWithRetries,
  type AuthorizedRequest,
} from '../../../main/node/channels/authorized-request'
import { TokenCache } from '../../../main/node/channels/token-cache'
import { classifyStatus, type HttpResponse } from '../../../main/node/http/http-client'
import { thrown } from '../../helpers/push-items'

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

/** A request whose answers are scripted in order; it records the tokens it was sent with and the waits taken. */
function scripted(answers: (HttpResponse | Error)[], more: Partial<AuthorizedRequest<HttpResponse>> = {}) {
  let issued = 0
  const tokens = new TokenCache({
    clock: { now: () => 0 },
    fetchToken: async () => ({ accessToken: `t${++issued}`, expiresInSeconds: 3600 }),
  })
  const sent: string[] = []
  const slept: number[] = []
  const run = () =>
    authorizedRequest<HttpResponse>({
      tokens,
      maxAttempts: 3,
      backoffMs: 100,
      maxInlineWaitMs: 10_000,
      send: async (token) => {
        sent.push(token)
        const next = answers.shift()
        if (!next) throw new Error('no more answers scripted')
        if (next instanceof Error) throw next
        return next
      },
      read: (res) => res,
      errorOf: (res) => classifyStatus('Shop', res, 'testing'),
      unavailable: () => new ClassifiedError('retryable', 'test.unavailable', 'never tried'),
      sleep: async (ms) => {
        slept.push(ms)
      },
      ...more,
    })
  return { run, tokens, sent, slept }
}

describe('authorizedRequest', () => {
  it('renews the token once on a 401 and sends again with the new one', async () => {
    const r = scripted([answer(401), answer(200, '{"ok":true}')])
    const res = await r.run()
    expect(res.status).toBe(200)
    expect(r.sent).toEqual(['t1', 't2'])
    expect(r.tokens.fetches).toBe(2)
    expect(r.slept).toEqual([])
  })

  it('renews only once: a second 401 is the seller’s problem, with the channel’s own classification', async () => {
    const r = scripted([answer(401), answer(401), answer(200)])
    const err = await thrown(r.run())
    expect(err.kind).toBe('needs_seller')
    expect(err.code).toBe('http.auth')
    expect(err.message).toBe('Shop refused the credentials while testing (HTTP 401)')
    expect(r.sent).toEqual(['t1', 't2'])
  })

  it('renews on whatever renewOn names a stale token (Amazon: any needs_seller answer)', async () => {
    const r = scripted([answer(403), answer(200)], { renewOn: (_res, err) => err.kind === 'needs_seller' })
    expect((await r.run()).status).toBe(200)
    expect(r.sent).toEqual(['t1', 't2'])
  })

  it('waits as long as Retry-After says (retryAfterMs) before trying a 429 again', async () => {
    const r = scripted([answer(429, '', { 'retry-after': '3' }), answer(200)])
    expect((await r.run()).status).toBe(200)
    expect(r.slept).toEqual([3000])
    expect(r.sent).toEqual(['t1', 't1'])
  })

  it('hands a wait longer than maxInlineWaitMs back as the error, carrying retryAfterMs', async () => {
    const r = scripted([answer(429, '', { 'retry-after': '120' }), answer(200)])
    const err = await thrown(r.run())
    expect(err.kind).toBe('retryable')
    expect(err.code).toBe('http.throttled')
    expect(err.retryAfterMs).toBe(120_000)
    expect(r.sent).toHaveLength(1)
    expect(r.slept).toEqual([])
  })

  it('retries 5xx with exponential backoff and throws the last failure when the attempts run out', async () => {
    const seen: number[] = []
    const r = scripted([answer(500, 'a'), answer(502, 'b'), answer(503, 'c'), answer(200)], {
      onRetryable: (res, _err, attempt) => seen.push(res.status * 10 + attempt),
    })
    const err = await thrown(r.run())
    expect(err.kind).toBe('retryable')
    expect(err.code).toBe('http.server')
    expect(err.message).toBe('Shop failed while testing (HTTP 503): c')
    expect(r.sent).toHaveLength(3)
    expect(r.slept).toEqual([100, 200])
    expect(seen).toEqual([5001, 5022, 5033])
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

  it('retries a garbled 2xx body when read fails retryably', async () => {
    const answers = [answer(200, '<html>'), answer(200, '{"n":1}')]
    const { tokens } = scripted([])
    const n = await authorizedRequest<number>({
      tokens,
      maxAttempts: 3,
      backoffMs: 5,
      send: async () => answers.shift() ?? answer(500),
      read: (res) => res.json<{ n: number }>().n,
      errorOf: (res) => classifyStatus('Shop', res, 'testing'),
      unavailable: () => new ClassifiedError('retryable', 'test.unavailable', 'never tried'),
      sleep: async () => undefined,
    })
    expect(n).toBe(1)
    expect(answers).toEqual([])
  })

  it('uses waitMs when given, and releases the before() slot when the token cannot be had', async () => {
    const waits = scripted([answer(500), answer(200)], { waitMs: (attempt) => attempt * 7 })
    await waits.run()
    expect(waits.slept).toEqual([7])

    const steps: string[] = []
    const refused = new ClassifiedError('needs_seller', 'test.auth', 'refused')
    const r = scripted([answer(200)], {
      tokens: new TokenCache({
        clock: { now: () => 0 },
        fetchToken: async () => {
          throw refused
        },
      }),
      before: async () => {
        steps.push('before')
      },
    })
    await expect(r.run()).rejects.toBe(refused)
    // No token, no request: the pacing slot is not taken either.
    expect(steps).toEqual([])
    expect(r.sent).toEqual([])
  })

  it('takes the pacing slot after the token, each attempt: a renewal does not spend slots while it runs', async () => {
    const steps: string[] = []
    let issued = 0
    const r = scripted([answer(401), answer(200)], {
      tokens: new TokenCache({
        clock: { now: () => 0 },
        fetchToken: async () => {
          steps.push('token')
          await new Promise((res) => setTimeout(res, 5))
          return { accessToken: `t${++issued}`, expiresInSeconds: 3600 }
        },
      }),
      before: async () => {
        steps.push('slot')
      },
    })
    await r.run()
    expect(steps).toEqual(['token', 'slot', 'token', 'slot'])
    expect(r.sent).toEqual(['t1', 't2'])
  })

  it('sends in the same tick as a free slot is taken: no other work runs in between', async () => {
    const steps: string[] = []
    const r = scripted([answer(200)], {
      before: () => {
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

  it('waits for the slot when before() hands back a promise', async () => {
    const steps: string[] = []
    const r = scripted([answer(200)], {
      before: async () => {
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
    const r = scripted([answer(200)], { maxAttempts: 0 })
    expect((await thrown(r.run())).code).toBe('test.unavailable')
  })
})

describe('jsonWithRetries', () => {
  it('sends the call again while the body is garbled, then gives up with the parse failure', async () => {
    const bodies = ['<html>', '{"n":2}']
    let calls = 0
    const call = async () => {
      calls++
      return answer(200, bodies.shift() ?? '{}')
    }
    expect(await jsonWithRetries<{ n: number }>(call, 3, 1)).toEqual({ n: 2 })
    expect(calls).toBe(2)

    calls = 0
    const garbled = async () => {
      calls++
      return answer(200, 'nope')
    }
    expect((await thrown(jsonWithRetries(garbled, 3, 1))).code).toBe('http.malformed')
    expect(calls).toBe(3)
  })

  it('does not retry a failed call: that is the request loop’s job', async () => {
    let calls = 0
    const failing = async (): Promise<HttpResponse> => {
      calls++
      throw new ClassifiedError('permanent', 'x.rejected', 'no')
    }
    expect((await thrown(jsonWithRetries(failing, 3, 1))).code).toBe('x.rejected')
    expect(calls).toBe(1)
  })
})
