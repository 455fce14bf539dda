// The simulator answers like bol.com: Problem documents with violations, versioned media types, and
// per-endpoint budgets in x-ratelimit-* headers with 429 and Retry-After.
import { afterEach, describe, expect, it } from 'vitest'
import {
  BOL_SIM_CREDENTIALS,
  startBolSimulator,
  type BolSimulator,
} from '../../../../main/sandbox/channels/bol'

let sim: BolSimulator | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const V11 = 'application/vnd.retailer.v11+json'

const token = async (s: BolSimulator) => {
  const basic = Buffer.from(`${BOL_SIM_CREDENTIALS.clientId}:${BOL_SIM_CREDENTIALS.clientSecret}`).toString(
    'base64',
  )
  const res = await fetch(`${s.tokenUrl}?grant_type=client_credentials`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}` },
  })
  return ((await res.json()) as { access_token: string }).access_token
}

const patch = (s: BolSimulator, t: string, id: string, body: unknown, media = V11) =>
  fetch(`${s.baseUrl}/offers/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${t}`, accept: media, 'content-type': media },
    body: JSON.stringify(body),
  })

describe('bol.com simulator', () => {
  it('answers a malformed update with 400 and violations naming the field', async () => {
    sim = await startBolSimulator({ timeScale: 1000 })
    const [id] = sim.setOffers([{ ean: '8712345000001', amount: 1 }])
    const t = await token(sim)
    const res = await patch(sim, t, id!, { stock: { amount: 1200 } })
    expect(res.status).toBe(400)
    const p = (await res.json()) as { type: string; violations: { name: string; reason: string }[] }
    expect(p.type).toBe('https://api.bol.com/problems')
    const text = JSON.stringify(p.violations)
    expect(text).toMatch(/managedByRetailer/)
    expect(text).toMatch(/amount/)
    expect(
      (await patch(sim, t, 'not-a-uuid', { stock: { amount: 1, managedByRetailer: true } })).status,
    ).toBe(400)
    expect(
      (await patch(sim, t, id!, { stock: { amount: 1, managedByRetailer: true } }, 'application/json'))
        .status,
    ).toBe(406)
    expect((await patch(sim, 'x', id!, { stock: { amount: 1, managedByRetailer: true } })).status).toBe(401)
  })

  it('reports the budget in x-ratelimit headers and answers 429 with Retry-After when it is spent', async () => {
    sim = await startBolSimulator({
      timeScale: 1,
      limits: { 'offers-update': { limit: 2, windowSeconds: 60 } },
    })
    const [id] = sim.setOffers([{ ean: '8712345000001', amount: 1 }])
    const t = await token(sim)
    const body = { stock: { amount: 2, managedByRetailer: true } }
    const first = await patch(sim, t, id!, body)
    expect(first.status).toBe(204)
    expect(first.headers.get('x-ratelimit-limit')).toBe('2')
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1')
    await patch(sim, t, id!, body)
    const third = await patch(sim, t, id!, body)
    expect(third.status).toBe(429)
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(third.headers.get('x-ratelimit-remaining')).toBe('0')
  })

  it('subtracts only later orders when managedByRetailer is true, all open orders when false', async () => {
    sim = await startBolSimulator({ timeScale: 1000 })
    const [a, b] = sim.setOffers([
      { ean: '8712345000001', amount: 10 },
      { ean: '8712345000002', amount: 10 },
    ])
    sim.placeOrder([
      { offerId: a!, quantity: 2 },
      { offerId: b!, quantity: 2 },
    ])
    const t = await token(sim)
    await patch(sim, t, a!, { stock: { amount: 10, managedByRetailer: true } })
    await patch(sim, t, b!, { stock: { amount: 10, managedByRetailer: false } })
    expect(sim.offer(a!)?.correctedStock).toBe(10)
    expect(sim.offer(b!)?.correctedStock).toBe(8)
  })
})
