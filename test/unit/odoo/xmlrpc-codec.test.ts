// The XML-RPC response decoder against what the `xmlrpc` package and the Odoo simulator emit.
import fc from 'fast-check'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import {
  decodeMethodCall,
  decodeMethodResponse,
  encodeMethodCall,
} from '../../../main/node/odoo/xmlrpc-codec'
import { xmlFault, xmlResponse } from '../../../main/sandbox/odoo/sim-xmlrpc-response'

const require = createRequire(import.meta.url)
const pkg = require('xmlrpc/lib/serializer.js') as { serializeMethodResponse(v: unknown): string }

const scalarArb = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  // Integral doubles travel as <int>: keep them within what an integer can carry exactly.
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .filter((x) => !Object.is(x, -0) && (!Number.isInteger(x) || Number.isSafeInteger(x))),
)
const valueArb = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalarArb, tie('array'), tie('struct')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  struct: fc.dictionary(fc.string({ minLength: 1 }), tie('value'), { maxKeys: 4 }),
})).value

describe('XML-RPC decoding', () => {
  it('reads back anything the xmlrpc package serializes', async () => {
    await fc.assert(
      fc.asyncProperty(valueArb, async (v) => {
        expect(await decodeMethodResponse(pkg.serializeMethodResponse(v))).toEqual({ ok: true, value: v })
      }),
      { numRuns: 300 },
    )
  })

  it('reads back anything the simulated Odoo marshals', async () => {
    await fc.assert(
      fc.asyncProperty(valueArb, async (v) => {
        expect(await decodeMethodResponse(xmlResponse(v))).toEqual({ ok: true, value: v })
      }),
      { numRuns: 300 },
    )
  })

  it('<i8> becomes a number, <nil/> null, dateTime naive UTC, untyped values strings', async () => {
    const xml =
      "<?xml version='1.0'?><methodResponse><params><param><value><array><data>" +
      '<value><i8>4294967301</i8></value><value><nil/></value>' +
      '<value><dateTime.iso8601>20260127T03:31:49</dateTime.iso8601></value>' +
      '<value>plain &amp; &#233;</value><value><string/></value><value><struct/></value>' +
      '</data></array></value></param></params></methodResponse>'
    expect(await decodeMethodResponse(xml)).toEqual({
      ok: true,
      value: [4294967301, null, '2026-01-27 03:31:49', 'plain & é', '', {}],
    })
  })

  it('faults come back as values, with their code', async () => {
    expect(await decodeMethodResponse(xmlFault(3, 'Access Denied'))).toEqual({
      ok: false,
      fault: { faultCode: 3, faultString: 'Access Denied' },
    })
    // A None in a result is Odoo's marshal fault, not a <nil/>.
    const r = await decodeMethodResponse(xmlResponse({ a: undefined }))
    expect(r.ok).toBe(false)
    expect(!r.ok && r.fault.faultString).toMatch(/cannot marshal None unless allow_none is enabled/)
  })

  it('refuses what is not XML-RPC: an HTML page, a cut-off body, an integer too large', async () => {
    await expect(decodeMethodResponse('<html><body>502 Bad Gateway</body></html>')).rejects.toThrow(
      /Invalid XML-RPC/,
    )
    const full = xmlResponse([1, 2, 3])
    await expect(decodeMethodResponse(full.slice(0, full.length / 2))).rejects.toThrow()
    await expect(
      decodeMethodResponse(
        '<methodResponse><params><param><value><i8>99999999999999999999</i8></value></param></params></methodResponse>',
      ),
    ).rejects.toThrow(/safe integer/)
  })

  it('encodes calls the simulator can decode', async () => {
    const params = [
      'db',
      2,
      'key',
      'stock.quant',
      'search_read',
      [],
      { domain: [['write_date', '>=', '2026-01-01 00:00:00']], limit: 5 },
    ]
    expect(await decodeMethodCall(encodeMethodCall('execute_kw', params))).toEqual({
      method: 'execute_kw',
      params,
    })
  })
})

describe('XML-RPC struct members', () => {
  it('a member named __proto__ is plain data and never changes the prototype', async () => {
    const xml =
      '<?xml version="1.0"?><methodResponse><params><param><value><struct>' +
      '<member><name>__proto__</name><value><array><data></data></array></value></member>' +
      '</struct></value></param></params></methodResponse>'
    const r = await decodeMethodResponse(xml)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const v = r.value as Record<string, unknown>
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype)
    expect(Object.keys(v)).toEqual(['__proto__'])
    expect(Array.isArray(v)).toBe(false)
  })
})
