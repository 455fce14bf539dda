// The simulator answers like SP-API: ErrorList bodies, 403 for bad tokens, 400 InvalidInput naming the field,
// 429 QuotaExceeded with x-amzn-RateLimit-Limit, and ACCEPTED patches applied only after a delay.
import { afterEach, describe, expect, it } from 'vitest'
import {
  AMAZON_SIM_CREDENTIALS,
  startAmazonSimulator,
  type AmazonSimulator,
} from '../../../../main/sandbox/channels/amazon'

let sim: AmazonSimulator | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const UA = 'LastUnitTest/1.0 (Language=TypeScript)'

const token = async (s: AmazonSimulator) => {
  const res = await fetch(`${s.url}/auth/o2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: AMAZON_SIM_CREDENTIALS.refreshToken,
      client_id: AMAZON_SIM_CREDENTIALS.clientId,
      client_secret: AMAZON_SIM_CREDENTIALS.clientSecret,
    }).toString(),
  })
  return ((await res.json()) as { access_token: string }).access_token
}

const patch = (s: AmazonSimulator, t: string, body: unknown, qs = `marketplaceIds=${s.marketplaceId}`) =>
  fetch(`${s.url}/listings/2021-08-01/items/${s.sellerId}/A?${qs}`, {
    method: 'PATCH',
    headers: { 'x-amz-access-token': t, 'user-agent': UA, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

const good = {
  productType: 'PRODUCT',
  patches: [
    {
      op: 'merge',
      path: '/attributes/fulfillment_availability',
      value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }],
    },
  ],
}

describe('Amazon simulator', () => {
  it('refuses a missing or expired token with 403 Unauthorized in an ErrorList', async () => {
    sim = await startAmazonSimulator({ timeScale: 1000 })
    sim.setListings([{ sku: 'A', quantity: 1 }])
    const res = await patch(sim, 'Atza|nope', good)
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ errors: [{ code: 'Unauthorized' }] })
    const t = await token(sim)
    sim.expireTokens()
    const expired = await patch(sim, t, good)
    expect(((await expired.json()) as { errors: { details: string }[] }).errors[0]!.details).toMatch(
      /expired/,
    )
  })

  it('answers a malformed patch with 400 InvalidInput naming what is wrong', async () => {
    sim = await startAmazonSimulator({ timeScale: 1000 })
    sim.setListings([{ sku: 'A', quantity: 1 }])
    const t = await token(sim)
    const res = await patch(
      sim,
      t,
      { patches: [{ op: 'set', path: '/attributes/fulfillment_availability' }] },
      '',
    )
    expect(res.status).toBe(400)
    const body = (await res.json()) as { errors: { code: string; details: string }[] }
    expect(body.errors[0]!.code).toBe('InvalidInput')
    expect(body.errors[0]!.details).toMatch(/productType/)
    expect(body.errors[0]!.details).toMatch(/marketplaceIds/)
    const noCode = await patch(sim, t, {
      ...good,
      patches: [{ ...good.patches[0], value: [{ quantity: 3 }] }],
    })
    expect(await noCode.json()).toMatchObject({
      status: 'INVALID',
      issues: [{ message: expect.stringMatching(/fulfillment_channel_code/) }],
    })
  })

  it('throttles with 429 QuotaExceeded and x-amzn-RateLimit-Limit', async () => {
    sim = await startAmazonSimulator({
      timeScale: 1,
      limits: { patchListingsItem: { ratePerSecond: 0.001, burst: 2 } },
    })
    sim.setListings([{ sku: 'A', quantity: 1 }])
    const t = await token(sim)
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await patch(sim, t, good)).status)
    expect(statuses).toEqual([200, 200, 429])
    const res = await patch(sim, t, good)
    expect(res.headers.get('x-amzn-ratelimit-limit')).toBe('0.001')
    expect(await res.json()).toMatchObject({ errors: [{ code: 'QuotaExceeded' }] })
  })

  it('takes a feed document upload like S3 takes a presigned PUT: again and again until the URL expires', async () => {
    const clock = { t: 1_000_000, now: () => clock.t }
    sim = await startAmazonSimulator({ clock })
    const t = await token(sim)
    const created = await fetch(`${sim.url}/feeds/2021-06-30/documents`, {
      method: 'POST',
      headers: { 'x-amz-access-token': t, 'user-agent': UA, 'content-type': 'application/json' },
      body: JSON.stringify({ contentType: 'application/json; charset=UTF-8' }),
    })
    expect(created.status).toBe(201)
    const { url } = (await created.json()) as { url: string }
    const put = (body: string) =>
      fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json; charset=UTF-8' }, body })
    // A second PUT (the answer to the first was lost) replaces the first.
    expect((await put('{"a":1}')).status).toBe(200)
    expect((await put('{"a":2}')).status).toBe(200)
    expect(await (await fetch(url)).text()).toBe('{"a":2}')
    // "This URL expires after 5 minutes."
    clock.t += 5 * 60_000
    const late = await put('{"a":3}')
    expect(late.status).toBe(403)
    expect(await late.text()).toContain('<Message>Request has expired</Message>')
    // A URL it never issued.
    const unknown = await fetch(url.replace(/documents\/[^?]+/, 'documents/nope'), {
      method: 'PUT',
      body: '{}',
    })
    expect(unknown.status).toBe(403)
    expect(await unknown.text()).toContain('<Code>AccessDenied</Code>')
  })

  it('applies an ACCEPTED patch only after the processing delay', async () => {
    sim = await startAmazonSimulator({ timeScale: 1000, applyDelayMs: 100_000 })
    sim.setListings([{ sku: 'A', quantity: 1 }])
    const t = await token(sim)
    expect(await (await patch(sim, t, good)).json()).toMatchObject({ status: 'ACCEPTED' })
    expect(sim.quantityOf('A')).toBe(1)
    await new Promise((r) => setTimeout(r, 120))
    expect(sim.quantityOf('A')).toBe(3)
  })
})
