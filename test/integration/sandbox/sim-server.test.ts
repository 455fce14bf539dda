// The simulators' HTTP toolkit: a route's gateway check (admit) runs as requests arrive, before injected
// latency, so a limit counted there sees requests at the pace they were sent; storms count
// early retries per operation; the simulator's own 429s are counted per operation.
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { startSimServer, type SimServer } from '../../../main/sandbox/http/sim-server'

let server: SimServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One GET on a connection of its own. */
const get = (url: string): Promise<{ status: number; retryAfter: string | undefined }> =>
  new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume()
      res.on('end', () => {
        const h = res.headers['retry-after']
        resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(h) ? h[0] : h })
      })
    })
    req.on('error', reject)
    req.end()
  })

describe('simulator HTTP toolkit', () => {
  it('admits a request as it arrives, before the injected latency; the handler runs after it', async () => {
    const admittedAt = new Map<string, number>()
    const handledAt = new Map<string, number>()
    server = await startSimServer({
      name: 'test',
      faults: { latencyMs: [300, 300] },
      routes: [
        {
          method: 'POST',
          pattern: '/items/:n',
          admit: (req) => {
            admittedAt.set(req.params.n!, Date.now())
            return req.params.n === 'refused' ? { status: 429, body: { error: 'slow down' } } : undefined
          },
          handler: (req) => {
            handledAt.set(req.params.n!, Date.now())
            return { status: 200, body: { ok: true } }
          },
        },
      ],
    })
    const t0 = Date.now()
    const statuses = await Promise.all(
      ['1', '2', '3'].map((n) =>
        fetch(`${server!.url}/items/${n}`, { method: 'POST', body: '{}' }).then((r) => r.status),
      ),
    )
    expect(statuses).toEqual([200, 200, 200])
    for (const n of ['1', '2', '3'])
      expect(handledAt.get(n)! - admittedAt.get(n)!).toBeGreaterThanOrEqual(290)
    // A refusal at the gateway is answered at once: the slow backend never sees it.
    const t1 = Date.now()
    expect((await fetch(`${server.url}/items/refused`, { method: 'POST', body: '{}' })).status).toBe(429)
    expect(Date.now() - t1).toBeLessThan(290)
    expect(handledAt.has('refused')).toBe(false)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300)
  })

  it('a gateway refusal never reaches the handler, and a 429 there is counted per operation', async () => {
    let handled = 0
    let allowance = 2
    server = await startSimServer({
      name: 'test',
      routes: [
        {
          method: 'GET',
          pattern: '/orders/:id',
          admit: () => (allowance-- > 0 ? undefined : { status: 429, body: { error: 'slow down' } }),
          handler: () => {
            handled++
            return { status: 200, body: {} }
          },
        },
        { method: 'GET', pattern: '/other', handler: () => ({ status: 429, body: {} }) },
      ],
    })
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${server.url}/orders/${i}`)).status)
    statuses.push((await fetch(`${server.url}/other`)).status)
    expect(statuses).toEqual([200, 200, 429, 429, 429])
    expect(handled).toBe(2)
    expect(server.limited).toBe(3)
    expect(server.limitedByOperation).toEqual({ 'GET /orders/:id': 2, 'GET /other': 1 })
  })

  it('counts a request inside a storm’s Retry-After as an early retry of that operation only, not one already on its way', async () => {
    server = await startSimServer({
      name: 'test',
      routes: [
        { method: 'GET', pattern: '/a/:id', handler: () => ({ status: 200, body: {} }) },
        { method: 'GET', pattern: '/b', handler: () => ({ status: 200, body: {} }) },
      ],
    })
    server.faults = { throttleStorm: { retryAfterMs: 1000 } }
    const first = await get(`${server.url}/a/1`)
    expect(first.status).toBe(429)
    expect(first.retryAfter).toBe('1')
    server.faults = {}
    // At once, on another connection: sent before the 429 could have been read.
    expect((await get(`${server.url}/a/2`)).status).toBe(200)
    expect(server.inFlightAtThrottle).toBe(1)
    expect((await get(`${server.url}/b`)).status).toBe(200) // another operation: not held
    // Same operation, too soon; late enough after the grace that only a stall of 350 ms could excuse it.
    await sleep(600)
    expect((await get(`${server.url}/a/3`)).status).toBe(200)
    expect(server.earlyRetries).toBe(1)
    expect(server.earlyRetryLog).toEqual([
      { operation: 'GET /a/:id', at: expect.any(Number), afterMs: expect.any(Number), sameConnection: false },
    ])
    expect(server.earlyRetryLog[0]!.afterMs).toBeLessThan(1000)
    await sleep(750)
    await get(`${server.url}/a/4`)
    expect(server.earlyRetries).toBe(1)
    expect(server.faultCounts.throttle_storm).toBe(1)
  })
})
