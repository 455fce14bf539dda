// bol.com's Retry-After holds in the client, against a scripted HTTP server on loopback: the answer to a call
// that was already in flight (with fresh x-ratelimit headers) must not lift a hold a 429 set, and a hold
// outlives the process that received it when the client has rate memory.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../../main/core/errors'
import { systemClock } from '../../../../main/core/ports/clock'
import type { BucketMemory, BucketSnapshot } from '../../../../main/core/rate-limit/token-bucket'
import { BolClient, type BolCall } from '../../../../main/node/channels/bol/bol-client'

interface Scripted {
  status: number
  headers?: Record<string, string>
  delayMs?: number
}

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = undefined
})

/** Answers each offer's PUT from its script, in turn; logs when each PUT arrived. */
const scriptedBol = async (scripts: Record<string, Scripted[]>) => {
  const arrivals: Array<{ offer: string; at: number; status: number }> = []
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (req.url?.startsWith('/token')) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ access_token: 'token-1', expires_in: 299 }))
        return
      }
      const offer = /\/offers\/([^/]+)\/stock/.exec(req.url ?? '')?.[1] ?? '?'
      const next = scripts[offer]?.shift() ?? { status: 202 }
      arrivals.push({ offer, at: Date.now(), status: next.status })
      setTimeout(() => {
        res.writeHead(next.status, { 'content-type': 'application/json', ...(next.headers ?? {}) })
        res.end(
          JSON.stringify(next.status === 429 ? { title: 'Too Many Requests' } : { processStatusId: '1' }),
        )
      }, next.delayMs ?? 0)
    })
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
  const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`
  return { url, arrivals }
}

const client = (url: string, memory?: BucketMemory, maxAttempts = 3) =>
  new BolClient(
    {
      baseUrl: `${url}/retailer`,
      tokenUrl: `${url}/token`,
      credentials: { clientId: 'id', clientSecret: 'secret' },
    },
    {
      timeoutMs: 5_000,
      clock: systemClock,
      maxAttempts,
      backoffMs: 10,
      maxInlineWaitMs: 5_000,
      ...(memory ? { rateMemory: memory } : {}),
    },
  )

const stockCall = (offer: string): BolCall => ({
  endpoint: 'offers-update',
  method: 'PUT',
  path: `/offers/${offer}/stock`,
  body: { amount: 1, managedByRetailer: true },
  version: 'v10',
})

const memory = (): BucketMemory => {
  const data = new Map<string, BucketSnapshot>()
  return { load: (k) => data.get(k), save: (k, s) => void data.set(k, { ...s }) }
}

const budget = { 'x-ratelimit-limit': '25', 'x-ratelimit-remaining': '20', 'x-ratelimit-reset': '60' }

describe('bol.com client Retry-After holds', () => {
  it('an answer that was in flight, with fresh budget headers, does not lift the hold a 429 set', async () => {
    const bol = await scriptedBol({
      a: [
        { status: 429, headers: { 'retry-after': '1' } },
        { status: 202, headers: budget },
      ],
      b: [{ status: 202, headers: budget, delayMs: 150 }],
    })
    const c = client(bol.url)
    await Promise.all([c.call(stockCall('a')), c.call(stockCall('b')).then(() => c.call(stockCall('c')))])
    const throttledAt = bol.arrivals.find((x) => x.status === 429)!.at
    // b was already on its way and its answer brought a budget of 20; c (sent when b returned, 150 ms in) and
    // a's retry were sent after the 429 and wait the full second out.
    const sentLater = bol.arrivals.filter((x) => x.offer === 'c' || (x.offer === 'a' && x.status !== 429))
    expect(sentLater.map((x) => x.offer).sort()).toEqual(['a', 'c'])
    for (const x of sentLater) expect(x.at - throttledAt).toBeGreaterThanOrEqual(950)
  })

  it('a hold outlives the process that was told to wait, when the client has rate memory', async () => {
    const bol = await scriptedBol({ a: [{ status: 429, headers: { 'retry-after': '2' } }] })
    const m = memory()
    const first = client(bol.url, m, 1)
    const err = await first.call(stockCall('a')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ClassifiedError)
    expect((err as ClassifiedError).code).toBe('bol.throttled')
    const throttledAt = bol.arrivals[0]!.at
    // A new process (a new client on the same memory) waits out what the first was told.
    await client(bol.url, m).call(stockCall('b'))
    expect(bol.arrivals[1]!.offer).toBe('b')
    expect(bol.arrivals[1]!.at - throttledAt).toBeGreaterThanOrEqual(1_900)
  })

  it('without rate memory a new process calls at once (what the memory prevents)', async () => {
    const bol = await scriptedBol({ a: [{ status: 429, headers: { 'retry-after': '2' } }] })
    await client(bol.url, undefined, 1)
      .call(stockCall('a'))
      .catch(() => undefined)
    await client(bol.url).call(stockCall('b'))
    expect(bol.arrivals[1]!.at - bol.arrivals[0]!.at).toBeLessThan(1_900)
  })

  it('a hold longer than the inline wait goes back to the engine with the time left', async () => {
    const bol = await scriptedBol({ a: [{ status: 429, headers: { 'retry-after': '30' } }] })
    const c = client(bol.url, memory(), 1)
    await c.call(stockCall('a')).catch(() => undefined)
    const err = await c.call(stockCall('b')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ClassifiedError)
    expect(err).toMatchObject({ kind: 'retryable', code: 'bol.rate_limited' })
    expect((err as ClassifiedError).retryAfterMs).toBeGreaterThan(25_000)
    expect(bol.arrivals.map((x) => x.offer)).toEqual(['a'])
  })
})
