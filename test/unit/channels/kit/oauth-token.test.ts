import { describe, expect, it } from 'vitest'
import type { Transport } from '../../../../main/node/channels/kit/auth'
import { fetchOAuthToken, type TokenGrant } from '../../../../main/node/channels/kit/oauth-token'
import { RequestPacer } from '../../../../main/node/channels/kit/request-pacer'
import { thrown } from '../../../helpers/push-items'

/** Zalando's token limit on a fake clock: 2 token requests per 60 s window, no slack. */
const setup = () => {
  const clock = { t: 0, now: () => clock.t }
  const pacer = new RequestPacer({
    service: 'Zalando',
    clock,
    limits: { token: { perWindow: 2, windowMs: 60_000 } },
    maxInlineWaitMs: 0,
  })
  const grant: TokenGrant = {
    service: 'Zalando',
    channel: 'Zalando',
    prefix: 'zalando',
    url: 'http://127.0.0.1:1/auth/token',
    headers: {},
    refused: () => 'refused',
    hint: 'check the credentials',
    lifetimeS: 3600,
    pace: () => pacer.acquire('token'),
    answered: () => pacer.answered('token'),
  }
  return { clock, pacer, grant }
}

const answer = (status: number, body: string) => ({
  status,
  headers: new Headers({ 'content-type': 'application/json' }),
  text: body,
  json: <T>() => JSON.parse(body) as T,
})

describe('fetchOAuthToken with a paced token endpoint', () => {
  it('counts a slow token request from its answer: the next ones wait a whole window after it', async () => {
    const { clock, grant } = setup()
    // The first request takes 20 s to be answered (held up on its way: the endpoint may count it that late).
    const slow: Transport = async () => {
      clock.t += 20_000
      return answer(200, '{"access_token":"a","expires_in":7200}')
    }
    const fast: Transport = async () => answer(200, '{"access_token":"b","expires_in":7200}')
    await fetchOAuthToken(slow, grant)
    clock.t = 21_000
    await fetchOAuthToken(fast, grant)
    // Counted from its send (0), the first would have left the window at 60 s; counted from its answer
    // (20 s), a third request must wait until 80 s (and the pacer’s 1 s of slack).
    clock.t = 61_000
    const e = await thrown(fetchOAuthToken(fast, grant))
    expect(e).toMatchObject({ kind: 'retryable', code: 'rate_limit.local' })
    expect(e.retryAfterMs).toBeGreaterThan(18_000)
    clock.t = 81_001
    await expect(fetchOAuthToken(fast, grant)).resolves.toMatchObject({ accessToken: 'b' })
  })

  it('counts a failed token request from when it failed', async () => {
    const { clock, grant } = setup()
    const cut: Transport = async () => {
      clock.t += 30_000
      throw new Error('the connection was closed by the other side')
    }
    await expect(fetchOAuthToken(cut, grant)).rejects.toThrow(/closed/)
    await fetchOAuthToken(async () => answer(200, '{"access_token":"b"}'), grant)
    clock.t = 61_000
    expect(
      await thrown(fetchOAuthToken(async () => answer(200, '{"access_token":"c"}'), grant)),
    ).toMatchObject({
      code: 'rate_limit.local',
    })
    clock.t = 91_001
    await expect(
      fetchOAuthToken(async () => answer(200, '{"access_token":"c"}'), grant),
    ).resolves.toMatchObject({
      accessToken: 'c',
    })
  })
})
