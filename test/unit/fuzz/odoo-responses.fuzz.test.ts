import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isClassifiedError } from '../../../main/core/errors'
import { probeOdooVersion } from '../../../main/node/odoo/version-probe'
import { XmlRpcOdoo } from '../../../main/node/odoo/xmlrpc-rpc'
import { Json2Odoo } from '../../../main/node/odoo/json2-rpc'
import { decodeMethodResponse, encodeMethodCall } from '../../../main/node/odoo/xmlrpc-codec'

const RUNS = 120

let answer = { status: 200, body: '', contentType: 'text/xml' }
let server: Server
let baseUrl: URL
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': answer.contentType })
      res.end(answer.body)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  baseUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
})

// XML-RPC answers: real responses of random values (Odoo's own encoder), faults with odd fields, and
// truncations and corruptions of both.
const validXml = fc.jsonValue({ maxDepth: 3 }).map((v) =>
  encodeMethodCall('x', [v])
    .replace(/<methodCall>\s*<methodName>x<\/methodName>/, '<methodResponse>')
    .replace('</methodCall>', '</methodResponse>'),
)
const faultXml = fc
  .tuple(fc.oneof(fc.integer(), fc.string({ maxLength: 10 })), fc.string({ maxLength: 40 }))
  .map(
    ([code, msg]) =>
      `<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value>${typeof code === 'number' ? `<int>${code}</int>` : `<string>${code}</string>`}</value></member><member><name>faultString</name><value><string>${msg}</string></value></member></struct></value></fault></methodResponse>`,
  )
const intXml = fc.integer({ min: -3, max: 50 }).map((n) =>
  encodeMethodCall('x', [n])
    .replace(/<methodCall>\s*<methodName>x<\/methodName>/, '<methodResponse>')
    .replace('</methodCall>', '</methodResponse>'),
)
const xmlBody = fc.oneof(
  validXml,
  intXml,
  faultXml,
  fc.tuple(fc.oneof(validXml, faultXml), fc.nat()).map(([s, n]) => s.slice(0, n % s.length)),
  fc
    .tuple(
      validXml,
      fc.nat(),
      fc.constantFrom('<', '>', '&', '</value>', '<int>x</int>', '<double>1e</double>'),
    )
    .map(([s, n, junk]) => s.slice(0, n % s.length) + junk + s.slice(n % s.length)),
  fc.constantFrom('', '<html>502</html>', '<?xml version="1.0"?><methodResponse></methodResponse>'),
  fc.string({ maxLength: 60 }),
)
const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .dictionary(
      fc.constantFrom('result', 'error', 'server_version', 'server_version_info', 'id', 'name', 'message'),
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map((o) => JSON.stringify(o)),
  fc
    .jsonValue({ maxDepth: 3 })
    .map((v) => JSON.stringify({ result: { server_version: v, server_version_info: [v] } })),
  fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([v, n]) => {
    const s = JSON.stringify({ result: v })
    return s.slice(0, n % s.length)
  }),
  fc.string({ maxLength: 60 }),
)
const status = fc.constantFrom(200, 200, 200, 200, 400, 401, 403, 404, 429, 500, 502, 503)

const opts = () => ({ baseUrl, database: 'db', login: 'me', secret: 'key-123456', timeoutMs: 1500 })

/** Runs an operation; it must resolve (checked by `check`) or reject with a ClassifiedError. */
async function expectClassified<T>(f: () => Promise<T>, check: (v: T) => void): Promise<'ok' | 'classified'> {
  let v: T
  try {
    v = await f()
  } catch (e) {
    expect(isClassifiedError(e), `threw ${String(e)}`).toBe(true)
    expect((e as Error).message.length).toBeGreaterThan(0)
    return 'classified'
  }
  check(v)
  return 'ok'
}

describe('fuzz: Odoo responses', () => {
  it(`XML-RPC decoding: a decoded value or a fault, never a crash (${RUNS * 2} cases)`, async () => {
    let decoded = 0
    let refused = 0
    await fc.assert(
      fc.asyncProperty(xmlBody, async (xml) => {
        try {
          const r = await decodeMethodResponse(xml)
          expect(typeof r.ok).toBe('boolean')
          decoded++
        } catch (e) {
          // The codec itself may refuse; the transport turns that into a ClassifiedError (next test).
          expect(e).toBeInstanceOf(Error)
          refused++
        }
      }),
      { numRuns: RUNS * 2, seed: 1218 },
    )
    console.log(`Odoo XML-RPC decode fuzz: ${RUNS * 2} cases tried, ${decoded} decoded, ${refused} refused`)
  })

  it(`XML-RPC transport: authenticate and call answer a value or a ClassifiedError (${RUNS} cases)`, async () => {
    const t = { ok: 0, classified: 0 }
    await fc.assert(
      fc.asyncProperty(status, xmlBody, fc.boolean(), async (st, body, auth) => {
        answer = { status: st, body, contentType: 'text/xml' }
        const rpc = new XmlRpcOdoo(opts())
        const r = auth
          ? await expectClassified(
              () => rpc.authenticate(),
              (uid) => expect(Number.isInteger(uid) && uid > 0, `uid ${String(uid)}`).toBe(true),
            )
          : await expectClassified(
              () => rpc.call('stock.quant', 'search_read', { domain: [] }),
              () => undefined,
            )
        t[r]++
      }),
      { numRuns: RUNS, seed: 1219 },
    )
    console.log(`Odoo XML-RPC transport fuzz: ${RUNS} cases tried`, JSON.stringify(t))
  })

  it(`JSON-2 transport and the version probe: a value or a ClassifiedError (${RUNS * 2} cases)`, async () => {
    const t = { ok: 0, classified: 0 }
    await fc.assert(
      fc.asyncProperty(status, jsonBody, fc.constantFrom('auth', 'call', 'probe'), async (st, body, op) => {
        answer = { status: st, body, contentType: 'application/json' }
        const rpc = new Json2Odoo(opts())
        const r =
          op === 'auth'
            ? await expectClassified(
                () => rpc.authenticate(),
                (uid) => expect(Number.isInteger(uid) && uid > 0, `uid ${String(uid)}`).toBe(true),
              )
            : op === 'call'
              ? await expectClassified(
                  () => rpc.call('product.product', 'search_read', { domain: [] }),
                  () => undefined,
                )
              : await expectClassified(
                  () => probeOdooVersion(baseUrl, 1500),
                  (info) => expect(typeof info.serverVersion).toBe('string'),
                )
        t[r]++
      }),
      { numRuns: RUNS * 2, seed: 1220 },
    )
    console.log(`Odoo JSON-2 / version fuzz: ${RUNS * 2} cases tried`, JSON.stringify(t))
  })
})
