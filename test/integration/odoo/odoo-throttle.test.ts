// Odoo answering 429 with Retry-After (Odoo Online, or a proxy in front of Odoo): both transports hold every
// later call to that server until the wait has passed, without sending it, so no request comes early.
import { afterEach, describe, expect, it } from 'vitest'
import { isClassifiedError } from '../../../main/core/errors'
import { Json2Odoo } from '../../../main/node/odoo/json2-rpc'
import { OdooThrottle } from '../../../main/node/odoo/odoo-throttle'
import { probeOdooVersion } from '../../../main/node/odoo/version-probe'
import { XmlRpcOdoo } from '../../../main/node/odoo/xmlrpc-rpc'
import { startSimServer, type SimServer } from '../../../main/sandbox/http/sim-server'

let server: SimServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

const caught = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected the call to fail')
}

const options = (url: string) => ({
  baseUrl: new URL(url),
  database: 'db',
  login: 'admin',
  secret: 'key',
  timeoutMs: 5000,
})

describe('Odoo 429', () => {
  for (const transport of ['json2', 'xmlrpc'] as const)
    it(`${transport}: a 429 holds every later call for its Retry-After, without a request`, async () => {
      server = await startSimServer({
        name: 'odoo',
        routes: [],
        // Retry-After: 30 (seconds): far longer than the test, on any machine.
        faults: { throttleStorm: { retryAfterMs: 30_000 } },
      })
      const rpc =
        transport === 'json2' ? new Json2Odoo(options(server.url)) : new XmlRpcOdoo(options(server.url))
      const call = () =>
        transport === 'json2'
          ? (rpc as Json2Odoo).call('stock.quant', 'search_read', { domain: [], fields: ['id'] })
          : (rpc as XmlRpcOdoo).authenticate()
      const first = await caught(call())
      expect(isClassifiedError(first) && first.code).toBe('odoo.throttled')
      expect(isClassifiedError(first) && first.kind).toBe('retryable')
      expect(isClassifiedError(first) && first.retryAfterMs).toBe(30_000)
      // Storm over or not, the next calls wait for the time Odoo named: none reaches the server.
      server.faults = {}
      for (let i = 0; i < 3; i++) {
        const again = await caught(call())
        expect(isClassifiedError(again) && again.code).toBe('odoo.throttled')
        expect((again as Error).message).toMatch(/waits \d+ s more/)
      }
      expect(server.requests).toHaveLength(1)
      expect(server.earlyRetries).toBe(0)
    })

  it('the hold ends when the wait has passed (injected clock), and a longer hold is never shortened', () => {
    let t = 1_000_000
    const throttle = new OdooThrottle('odoo.example', () => t)
    const res = (retryAfter: string) =>
      ({ status: 429, headers: new Headers({ 'retry-after': retryAfter }), text: '' }) as never
    throttle.throttled(res('10'), 'reading stock')
    throttle.throttled(res('2'), 'reading stock')
    t += 9_999
    expect(() => throttle.check('reading stock')).toThrow(/slow down/)
    t += 1
    expect(() => throttle.check('reading stock')).not.toThrow()
    // Without Retry-After: 5 s.
    throttle.throttled(res(''), 'reading stock')
    t += 4_999
    expect(() => throttle.check('x')).toThrow()
    t += 1
    expect(() => throttle.check('x')).not.toThrow()
  })
})

describe('Odoo version probe under faults', () => {
  it('a 429 while reading the version is retryable and holds the next calls; a cut-short answer is retryable', async () => {
    server = await startSimServer({
      name: 'odoo',
      routes: [
        {
          method: 'POST',
          pattern: '/web/webclient/version_info',
          handler: () => ({
            status: 200,
            body: {
              jsonrpc: '2.0',
              id: 1,
              result: { server_version: '19.0', server_version_info: [19, 0, 0, 'final', 0, ''] },
            },
          }),
        },
      ],
      faults: { throttleStorm: { retryAfterMs: 30_000 } },
    })
    const url = new URL(server.url)
    const first = await caught(probeOdooVersion(url, 5000))
    expect(isClassifiedError(first) && [first.kind, first.code]).toEqual(['retryable', 'odoo.throttled'])
    server.faults = {}
    const held = await caught(probeOdooVersion(url, 5000))
    expect(isClassifiedError(held) && held.code).toBe('odoo.throttled')
    expect(server.requests).toHaveLength(1)
  })

  it('a truncated version answer is retried, not taken for another kind of server', async () => {
    server = await startSimServer({
      name: 'odoo',
      random: () => 0,
      routes: [
        {
          method: 'POST',
          pattern: '/web/webclient/version_info',
          handler: () => ({
            status: 200,
            body: {
              jsonrpc: '2.0',
              id: 1,
              result: { server_version: '19.0', server_version_info: [19, 0, 0, 'final', 0, ''] },
            },
          }),
        },
      ],
      faults: { truncateRate: 1 },
    })
    const e = await caught(probeOdooVersion(new URL(server.url), 5000))
    expect(isClassifiedError(e) && [e.kind, e.code]).toEqual(['retryable', 'odoo.malformed'])
    server.faults = {}
    expect((await probeOdooVersion(new URL(server.url), 5000)).major).toBe(19)
  })
})
