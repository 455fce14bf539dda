// Every error a seller can act on, with its message: wrong URL, wrong database, wrong key, plain HTTP to
// a remote host, Odoo Online without API access, server down, timeouts, proxies' HTML pages and redirects.
import { Agent, request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../main/core/errors'
import { createOdooGateway } from '../../../main/node/odoo/create-odoo-gateway'
import { Json2Odoo } from '../../../main/node/odoo/json2-rpc'
import { checkOdooUrl } from '../../../main/node/odoo/odoo-connection'
import { accessDenied, accessError } from '../../../main/node/odoo/odoo-errors'
import { startSimServer, type SimServer } from '../../../main/sandbox/http/sim-server'
import type { OdooSim } from '../../../main/sandbox/odoo/odoo-sim'
import { xmlResponse } from '../../../main/sandbox/odoo/sim-xmlrpc-response'
import { connectionFor, gatewayFor, startSim } from './odoo-test-kit'

const SECRETS = ['a3f1c0de5b7e4f2a9d8c6b4a2e0f1d3c5b7a9e8f', 'wrong-key-0123456789', 'admin']

/** Runs `fn`, expects a ClassifiedError, and checks no secret leaks into what the seller sees. */
async function failure(fn: () => Promise<unknown>): Promise<ClassifiedError> {
  try {
    await fn()
  } catch (e) {
    expect(e).toBeInstanceOf(ClassifiedError)
    const err = e as ClassifiedError
    for (const s of SECRETS.slice(0, 2)) {
      expect(err.message).not.toContain(s)
      expect(err.hint ?? '').not.toContain(s)
    }
    return err
  }
  throw new Error('expected a failure, the call succeeded')
}

async function connect(sim: OdooSim, extra: Parameters<typeof connectionFor>[1] = {}) {
  const gw = await createOdooGateway(connectionFor(sim, extra))
  await gw.login()
  return gw
}

describe('seller-facing Odoo errors', () => {
  let sim17: OdooSim
  let sim19: OdooSim
  let other: SimServer

  beforeAll(async () => {
    sim17 = await startSim(17, { catalogue: { products: 5, historyDays: 0 } })
    sim19 = await startSim(19, { catalogue: { products: 5, historyDays: 0 } })
    other = await startSimServer({ name: 'not odoo', routes: [] })
  })
  afterAll(async () => {
    await Promise.all([sim17.stop(), sim19.stop(), other.stop()])
  })

  it('wrong URL: something that is not Odoo answers', async () => {
    const err = await failure(() => connect(sim17, { url: other.url }))
    expect(err.code).toBe('odoo.not_odoo')
    expect(err.kind).toBe('needs_seller')
    expect(err.message).toMatch(
      /^No Odoo server answered at 127\.0\.0\.1:\d+ \(HTTP 404 while reading its version\)$/,
    )
    expect(err.hint).toMatch(/the one you open Odoo with in the browser/)
  })

  it('wrong URL: a host that does not exist', async () => {
    const err = await failure(() => connect(sim17, { url: 'https://no-such-odoo.invalid' }))
    expect(err.code).toBe('odoo.host_not_found')
    expect(err.message).toBe('The Odoo host no-such-odoo.invalid was not found')
  })

  it('wrong URL: not a URL at all', async () => {
    const err = await failure(() => connect(sim17, { url: 'mycompany odoo' }))
    expect(err.code).toBe('odoo.bad_url')
    expect(err.message).toBe('The Odoo address "mycompany odoo" is not a valid URL')
  })

  it.each([
    [17, 'xmlrpc'],
    [19, 'json2'],
  ] as const)('wrong database on %i (%s)', async (v, _transport) => {
    const sim = v === 17 ? sim17 : sim19
    const err = await failure(() => connect(sim, { database: 'shop-prod' }))
    expect(err.code).toBe('odoo.wrong_database')
    expect(err.message).toMatch(/^Odoo at 127\.0\.0\.1:\d+ has no database named "shop-prod"$/)
    expect(err.hint).toMatch(/database selector/)
  })

  it.each([
    [17, 'xmlrpc'],
    [19, 'json2'],
  ] as const)('wrong API key on %i (%s)', async (v, _transport) => {
    const sim = v === 17 ? sim17 : sim19
    const err = await failure(() => connect(sim, { secret: 'wrong-key-0123456789' }))
    expect(err.code).toBe('odoo.access_denied')
    expect(err.kind).toBe('needs_seller')
    expect(err.message).toMatch(
      /refused the login of "admin" on database "lastunit": the user or the API key is wrong/,
    )
    expect(err.hint).toMatch(/Preferences, Account Security, New API Key/)
  })

  it('a password works over XML-RPC, not over JSON-2 (which says why)', async () => {
    const gw = await connect(sim17, { secret: sim17.password })
    expect((await gw.listWarehouses()).length).toBe(2)
    const err = await failure(() => connect(sim19, { secret: sim19.password }))
    expect(err.message).toMatch(/JSON-2 needs an API key: a password is not accepted/)
    // Forcing XML-RPC on 19 works with the password, and logs a deprecation on the server.
    const before = sim19.stats.deprecationWarnings
    const gw19 = await connect(sim19, { secret: sim19.password, transport: 'xmlrpc' })
    expect(gw19.transport).toBe('xmlrpc')
    expect((await gw19.listWarehouses()).length).toBe(2)
    expect(sim19.stats.deprecationWarnings).toBeGreaterThan(before)
  })

  it('plain HTTP to a host outside this machine is refused unless explicitly allowed', async () => {
    const err = await failure(() => connect(sim17, { url: 'http://odoo.example.com' }))
    expect(err.code).toBe('odoo.insecure_http')
    expect(err.message).toBe(
      'Refusing to send your Odoo API key over plain HTTP to odoo.example.com: the connection is not encrypted',
    )
    expect(err.hint).toMatch(/Use the https:\/\/ address/)
    expect(checkOdooUrl('http://odoo.example.com', true).host).toBe('odoo.example.com')
    expect(checkOdooUrl('http://127.0.0.1:8069/web#action=1').href).toBe('http://127.0.0.1:8069/')
  })

  it('Odoo Online without API access: the Custom plan hint', () => {
    const denied = accessDenied('acme.odoo.com', 'me@acme.eu', 'acme')
    expect(denied.hint).toMatch(/only available on the Custom plan/)
    const forbidden = accessError('acme.odoo.com', 'product.product.search_read', 'access denied')
    expect(forbidden.message).toBe(
      'Odoo at acme.odoo.com did not allow product.product.search_read: access denied',
    )
    expect(forbidden.hint).toMatch(/Custom plan/)
    expect(accessDenied('odoo.acme.eu', 'me', 'acme').hint).not.toMatch(/Custom plan/)
  })

  it('JSON-2 forced on 18: refused with a clear reason; a raw call gets the login redirect', async () => {
    const sim18 = await startSim(18, { catalogue: false })
    try {
      const err = await failure(() => connect(sim18, { transport: 'json2' }))
      expect(err.code).toBe('odoo.json2_unavailable')
      expect(err.message).toMatch(
        /^Odoo 18\.0 at 127\.0\.0\.1:\d+ has no JSON-2 API \(it arrived in Odoo 19\)/,
      )
      const raw = new Json2Odoo({
        baseUrl: new URL(sim18.url),
        database: sim18.database,
        login: sim18.login,
        secret: sim18.apiKey,
        timeoutMs: 2000,
      })
      const r = await failure(() => raw.call('res.partner', 'search_read', { domain: [] }))
      expect(r.code).toBe('odoo.login_redirect')
      expect(r.message).toMatch(/redirected res\.partner\.search_read to its login page \(\/web\/login\)/)
    } finally {
      await sim18.stop()
    }
  })

  it.each([
    ['16.0', [16, 0, 0, 'final', 0, '']],
    ['saas~16.4', ['saas~16', 4, 0, 'final', 0, '']],
    ['15.0', [15, 0, 0, 'final', 0, '']],
  ])('a server older than 17 (%s) is refused in one sentence, before any login', async (label, info) => {
    // What /web/webclient/version_info answers on such a server; anything else it is asked is counted.
    const asked: string[] = []
    const old = await startSimServer({
      name: `Odoo ${label}`,
      routes: [
        {
          method: 'POST',
          pattern: '/web/webclient/version_info',
          handler: () => ({
            status: 200,
            headers: {},
            body: {
              jsonrpc: '2.0',
              id: 1,
              result: {
                server_version: label,
                server_version_info: info,
                server_serie: label,
                protocol_version: 1,
              },
            },
          }),
        },
      ],
      notFound: (req) => {
        asked.push(req.path)
        return { status: 404, headers: {}, body: 'not found' }
      },
    })
    try {
      for (const transport of ['auto', 'xmlrpc', 'json2'] as const) {
        const err = await failure(() => connect(sim17, { url: old.url, transport }))
        expect(err.code).toBe('odoo.unsupported_version')
        expect(err.kind).toBe('permanent')
        expect(err.message).toBe(
          `LastUnit supports Odoo 17, 18 and 19; the server at ${new URL(old.url).host} runs Odoo ${label}. Upgrade Odoo to connect.`,
        )
      }
      expect(asked).toEqual([])
    } finally {
      await old.stop()
    }
  })

  it('server down: 503 from a proxy, then connection refused', async () => {
    const sim = await startSim(18, { catalogue: { products: 3, historyDays: 0 } })
    const gw = await gatewayFor(sim)
    sim.server.faults = { down: true }
    const down = await failure(() => gw.listWarehouses())
    expect(down.code).toBe('odoo.unavailable')
    expect(down.kind).toBe('retryable')
    expect(down.message).toMatch(
      /is not available right now \(HTTP 503, an error page from a proxy\) while stock\.warehouse\.search_read/,
    )
    await sim.stop()
    // The first call may still ride the dead keep-alive socket; a fresh connection is refused.
    const first = await failure(() => gw.listWarehouses())
    expect(['odoo.connection_lost', 'odoo.unreachable']).toContain(first.code)
    expect(first.kind).toBe('retryable')
    const refused = await failure(() => gw.listWarehouses())
    expect(refused.code).toBe('odoo.unreachable')
    expect(refused.message).toMatch(
      /refused the connection while stock\.warehouse\.search_read: the server looks down/,
    )
  })

  it('timeouts name the call and the limit', async () => {
    const sim = await startSim(19, { catalogue: { products: 3, historyDays: 0 } })
    try {
      const gw = await gatewayFor(sim, { timeoutMs: 300 })
      sim.server.faults = { hangRate: 1 }
      const err = await failure(() => gw.pollChanges(null))
      expect(err.code).toBe('odoo.timeout')
      expect(err.kind).toBe('retryable')
      expect(err.message).toMatch(/did not answer stock\.(quant|move)\.search_read within 300 ms/)
    } finally {
      await sim.stop()
    }
  })

  it('a 200 HTML page (a proxy) or a 502 page instead of an API answer', async () => {
    const sim = await startSim(19, { catalogue: { products: 3, historyDays: 0 } })
    try {
      const gw = await gatewayFor(sim)
      sim.server.faults = { malformedRate: 1 }
      const err = await failure(() => gw.listWarehouses())
      expect(err.code).toBe('odoo.malformed')
      expect(err.message).toMatch(
        /sent something that is not JSON while stock\.warehouse\.search_read \(starts with "<html>/,
      )
    } finally {
      await sim.stop()
    }
    // An XML-RPC server whose object endpoint is hidden behind an HTML page.
    const half = await startSimServer({
      name: 'half odoo',
      routes: [
        {
          method: 'POST',
          pattern: '/web/webclient/version_info',
          handler: () => ({
            status: 200,
            body: { result: { server_version: '17.0', server_version_info: [17, 0, 0, 'final', 0, ''] } },
          }),
        },
        {
          method: 'POST',
          pattern: '/xmlrpc/2/common',
          handler: () => ({ status: 200, headers: { 'content-type': 'text/xml' }, body: xmlResponse(2) }),
        },
        {
          method: 'POST',
          pattern: '/xmlrpc/2/object',
          handler: () => ({
            status: 200,
            headers: { 'content-type': 'text/html' },
            body: '<html><body>Maintenance</body></html>',
          }),
        },
      ],
    })
    try {
      const gw = await createOdooGateway({
        url: half.url,
        database: 'x',
        login: 'a',
        secret: 'wrong-key-0123456789',
      })
      const err = await failure(() => gw.listWarehouses())
      expect(err.code).toBe('odoo.malformed')
      expect(err.message).toMatch(
        /sent something that is not an XML-RPC answer while stock\.warehouse\.search_read \(starts with "<html><body>Maintenance/,
      )
    } finally {
      await half.stop()
    }
    const proxy = await startSimServer({
      name: 'proxy',
      routes: [
        {
          method: '*',
          pattern: '/*',
          handler: () => ({
            status: 502,
            headers: { 'content-type': 'text/html' },
            body: '<html><h1>502 Bad Gateway</h1></html>',
          }),
        },
      ],
    })
    try {
      const err = await failure(() =>
        createOdooGateway({ url: proxy.url, database: 'x', login: 'a', secret: 'wrong-key-0123456789' }),
      )
      expect(err.code).toBe('odoo.unavailable')
      expect(err.message).toMatch(
        /is not available right now \(HTTP 502, an error page from a proxy\) while reading its version/,
      )
    } finally {
      await proxy.stop()
    }
  })

  it('a redirect to a login page or another address', async () => {
    const redirect = await startSimServer({
      name: 'redirector',
      routes: [
        {
          method: '*',
          pattern: '/*',
          handler: () => ({ status: 301, headers: { location: 'https://odoo.acme.eu/web/version_info' } }),
        },
      ],
    })
    try {
      const err = await failure(() =>
        createOdooGateway({ url: redirect.url, database: 'x', login: 'a', secret: 'k' }),
      )
      expect(err.code).toBe('odoo.redirect')
      expect(err.hint).toBe('Use the address the server redirects to (https://odoo.acme.eu).')
    } finally {
      await redirect.stop()
    }
  })

  it('exactly the None-marshal fault counts as success, and only where asked', async () => {
    const gw = await gatewayFor(sim17)
    const p = [...sim17.store.products.values()].find((x) => x.storable)?.id as number
    const stock = sim17.catalogue?.warehouses[0]?.lotStockId as number
    const q = sim17.store.quantsAt(p, stock)[0] ?? sim17.store.createRawQuant(p, stock, 0)
    await gw.execute('stock.quant', 'write', { ids: [q.id], vals: { inventory_quantity: 4 } })
    const err = await failure(() => gw.execute('stock.quant', 'action_apply_inventory', { ids: [q.id] }))
    expect(err.message).toMatch(/cannot marshal None unless allow_none is enabled/)
    // The fault came AFTER the commit: the stock changed anyway.
    expect(sim17.store.quantsAt(p, stock).reduce((s, x) => s + x.quantity, 0)).toBe(4)
    const other = await failure(() =>
      gw.execute('stock.quant', 'action_apply_inventory', { ids: [999999] }, { returnsNone: true }),
    )
    expect(other.message).toMatch(/Record does not exist or has been deleted/)
  })

  it('empty settings are named', async () => {
    const err = await failure(() =>
      createOdooGateway({ url: sim17.url, database: ' ', login: 'admin', secret: 'k' }),
    )
    expect(err.message).toBe('The Odoo database is empty: fill it in the connection settings')
  })
})

/**
 * GETs on one kept-alive connection, one after the other: each retry is sent after the client read the
 * answer before it, and the simulator sees that it came on the connection that carried the 429 (a retry on
 * a new connection may have been on its way through a stall of the simulator's process, and is not counted).
 */
function oneConnection(): {
  get(url: string): Promise<{ status: number; retryAfter: string | undefined; body: unknown }>
  close(): void
} {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  return {
    get: (url) =>
      new Promise((resolve, reject) => {
        request(url, { agent }, (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (text += chunk))
          res.on('end', () => {
            const retryAfter = res.headers['retry-after']
            resolve({ status: res.statusCode ?? 0, retryAfter, body: text ? JSON.parse(text) : undefined })
          })
          res.on('error', reject)
        })
          .on('error', reject)
          .end()
      }),
    close: () => agent.destroy(),
  }
}

describe('sim-server fault modes for the fault campaign', () => {
  it('a throttle storm answers 429 with Retry-After and counts the retries that came too early', async () => {
    const server = await startSimServer({
      name: 'storm',
      routes: [{ method: 'GET', pattern: '/ok', handler: () => ({ status: 200, body: { ok: true } }) }],
      faults: { throttleStorm: { retryAfterMs: 1500 } },
      // Sequential retries: none can have been on its way before the 429.
      inFlightGraceMs: 0,
    })
    const client = oneConnection()
    try {
      const first = await client.get(`${server.url}/ok`)
      expect(first.status).toBe(429)
      expect(first.retryAfter).toBe('2')
      expect(first.body).toEqual({ error: 'Too Many Requests (injected storm)' })
      expect(server.earlyRetries).toBe(0)
      // Retrying at once ignores Retry-After, storm or not.
      expect((await client.get(`${server.url}/ok`)).status).toBe(429)
      server.faults = {}
      expect((await client.get(`${server.url}/ok`)).status).toBe(200)
      expect(server.earlyRetries).toBe(2)
      expect(server.inFlightThroughStall).toBe(0)
      expect(server.faultCounts.throttle_storm).toBe(2)
      expect(server.limited).toBe(0)
      expect(server.requests.map((r) => r.fault ?? r.status)).toEqual([
        'throttle_storm',
        'throttle_storm',
        200,
      ])
    } finally {
      client.close()
      await server.stop()
    }
  })

  it('a storm shorter than a second still asks for one second; a client that waits is not early', async () => {
    const server = await startSimServer({
      name: 'storm',
      routes: [],
      faults: { throttleStorm: { retryAfterMs: 30 } },
    })
    try {
      const first = await fetch(`${server.url}/x`)
      expect(first.headers.get('retry-after')).toBe('1')
      await new Promise((r) => setTimeout(r, 60))
      expect((await fetch(`${server.url}/x`)).status).toBe(429)
      expect(server.earlyRetries).toBe(0)
      expect(server.faultCounts.throttle_storm).toBe(2)
    } finally {
      await server.stop()
    }
  })

  it('dropAfterRate applies the change and then drops the answer; own 429s count as limited', async () => {
    let writes = 0
    const server = await startSimServer({
      name: 'drop',
      routes: [
        { method: 'POST', pattern: '/write', handler: () => ({ status: 200, body: { writes: ++writes } }) },
        {
          method: 'GET',
          pattern: '/limited',
          handler: () => ({ status: 429, body: { error: 'slow down' } }),
        },
      ],
      faults: { dropAfterRate: 1 },
    })
    try {
      await expect(fetch(`${server.url}/write`, { method: 'POST' })).rejects.toThrow()
      expect(writes).toBe(1)
      expect(server.faultCounts.dropped).toBe(1)
      server.faults = {}
      expect((await fetch(`${server.url}/limited`)).status).toBe(429)
      expect(server.limited).toBe(1)
      expect(server.faultCounts.throttle_storm).toBe(0)
      expect(server.faultCounts.down).toBe(0)
    } finally {
      await server.stop()
    }
  })
})
