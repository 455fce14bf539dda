// The simulator answers like eBay: {errors:[{errorId}]} bodies, 207 with per-item results, the 250
// revisions per listing per day, and call quotas answered with 429 errorId 2001.
import { afterEach, describe, expect, it } from 'vitest'
import {
  EBAY_SIM_CREDENTIALS,
  startEbaySimulator,
  type EbaySimulator,
} from '../../../../main/sandbox/channels/ebay'

let sim: EbaySimulator | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const token = async (s: EbaySimulator) => {
  const basic = Buffer.from(`${EBAY_SIM_CREDENTIALS.clientId}:${EBAY_SIM_CREDENTIALS.clientSecret}`).toString(
    'base64',
  )
  const res = await fetch(`${s.url}/identity/v1/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: EBAY_SIM_CREDENTIALS.refreshToken,
    }).toString(),
  })
  return ((await res.json()) as { access_token: string }).access_token
}

const bulk = (s: EbaySimulator, t: string, body: unknown) =>
  fetch(`${s.url}/sell/inventory/v1/bulk_update_price_quantity`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${t}`,
      'content-type': 'application/json',
      'content-language': 'de-DE',
    },
    body: JSON.stringify(body),
  })

describe('eBay simulator', () => {
  it('answers per item with 207, and blocks the revision after the daily cap', async () => {
    sim = await startEbaySimulator({ timeScale: 1, maxRevisionsPerDay: 3 })
    const [offerId] = sim.setListings([{ sku: 'A', quantity: 1 }])
    const t = await token(sim)
    const req = (q: number) => ({
      requests: [
        {
          sku: 'A',
          shipToLocationAvailability: { quantity: q },
          offers: [{ offerId, availableQuantity: q }],
        },
      ],
    })
    for (let q = 1; q <= 3; q++) expect((await bulk(sim, t, req(q))).status).toBe(200)
    const capped = await bulk(sim, t, {
      requests: [...req(9).requests, { sku: 'NOPE', shipToLocationAvailability: { quantity: 1 } }],
    })
    expect(capped.status).toBe(207)
    const body = (await capped.json()) as {
      responses: { sku: string; statusCode: number; errors: { errorId: number }[] }[]
    }
    expect(body.responses.map((r) => [r.sku, r.statusCode])).toEqual([
      ['A', 400],
      ['NOPE', 404],
    ])
    expect(body.responses[0]!.errors[0]!.errorId).toBe(25019)
    expect(sim.listing('A')).toMatchObject({ live: 3, revisionsToday: 3 })
  })

  it('rejects a malformed body naming the field, and a bad token with errorId 1001', async () => {
    sim = await startEbaySimulator({ timeScale: 1000 })
    sim.setListings([{ sku: 'A', quantity: 1 }])
    const t = await token(sim)
    const res = await bulk(sim, t, { requests: [{ sku: 'A', shipToLocationAvailability: { quantity: -1 } }] })
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toMatch(/quantity/)
    const unauth = await bulk(sim, 'nope', { requests: [] })
    expect(unauth.status).toBe(401)
    expect(await unauth.json()).toMatchObject({ errors: [{ errorId: 1001 }] })
  })

  it('answers 429 errorId 2001 when the daily quota is spent', async () => {
    sim = await startEbaySimulator({ timeScale: 1, quotas: { fulfillment: 2 } })
    const t = await token(sim)
    const get = () =>
      fetch(`${sim!.url}/sell/fulfillment/v1/order?limit=10`, { headers: { authorization: `Bearer ${t}` } })
    expect((await get()).status).toBe(200)
    expect((await get()).status).toBe(200)
    const res = await get()
    expect(res.status).toBe(429)
    expect(await res.json()).toMatchObject({ errors: [{ errorId: 2001 }] })
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})
