// LastUnit's XML-RPC codec against Python's own xmlrpc.client, which Odoo uses on the server side to read
// calls and to write answers, and against the Odoo simulator.
import fc from 'fast-check'
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import {
  DECODE_SLICE_CHARS,
  decodeMethodResponse,
  encodeMethodCall,
} from '../../../main/node/odoo/xmlrpc-codec'
import { xmlFault, xmlResponse } from '../../../main/sandbox/odoo/sim-xmlrpc-response'
import { decodeMethodCall } from '../../../main/sandbox/odoo/xmlrpc-method-call'

const python = spawnSync('python3', ['-c', 'import xmlrpc.client'], { encoding: 'utf8' }).status === 0

/** Runs Python's xmlrpc.client on each case: `loads` of our calls, `dumps` of values as Odoo answers. */
function viaPython(mode: 'loads' | 'dumps', cases: unknown[]): unknown[] {
  const script = `
import json, sys, xmlrpc.client
mode = sys.argv[1]
out = []
for c in json.load(sys.stdin):
    if mode == 'loads':
        params, method = xmlrpc.client.loads(c, use_builtin_types=True)
        out.append({'method': method, 'params': list(params)})
    else:
        out.append(xmlrpc.client.dumps((c,), methodresponse=True, allow_none=False))
json.dump(out, sys.stdout)
`
  const r = spawnSync('python3', ['-c', script, mode], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout) as unknown[]
}

// Characters XML 1.0 cannot carry, and lone surrogates: the encoder refuses them (tested below).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/
// eslint-disable-next-line no-control-regex
const NOT_NAME = /[\u0000-\u001f\ud800-\udfff\ufffe\uffff]/

const scalarArb = (bigInts: boolean) =>
  fc.oneof(
    fc.string().filter((s) => !NOT_XML.test(s)),
    fc.boolean(),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    // Beyond 32 bits we send <i8>, which Python reads; Odoo's answers carry such integers as doubles
    // (fields.Integer.convert_to_read), since Python's marshaller refuses them.
    bigInts ? fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }) : fc.constant(0),
    // Integral doubles travel as integers: keep them within what an integer can carry exactly.
    fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .filter((x) => !Object.is(x, -0) && (!Number.isInteger(x) || Number.isSafeInteger(x))),
  )
const valueArbOf = (bigInts: boolean) =>
  fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalarArb(bigInts), tie('array'), tie('struct')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    struct: fc.dictionary(
      fc.string({ minLength: 1 }).filter((s) => !NOT_NAME.test(s)),
      tie('value'),
      { maxKeys: 4 },
    ),
  })).value
const valueArb = valueArbOf(false)

describe.skipIf(!python)("XML-RPC against Python's xmlrpc.client (what Odoo runs)", () => {
  it('Python reads every call we encode back to the same method and parameters', () => {
    const cases = fc.sample(fc.array(valueArbOf(true), { maxLength: 5 }), { numRuns: 300, seed: 7 })
    const xml = cases.map((params) => encodeMethodCall('execute_kw', params))
    const back = viaPython('loads', xml) as Array<{ method: string; params: unknown[] }>
    back.forEach((b, i) => expect(b).toEqual({ method: 'execute_kw', params: cases[i] }))
  })

  it('we read back every answer Python marshals', async () => {
    const cases = fc.sample(valueArb, { numRuns: 300, seed: 11 })
    const xml = viaPython('dumps', cases) as string[]
    for (const [i, x] of xml.entries())
      expect(await decodeMethodResponse(x)).toEqual({ ok: true, value: cases[i] })
  })
})

describe('XML-RPC encoding', () => {
  it('refuses what XML-RPC cannot carry, naming where it is', () => {
    expect(() => encodeMethodCall('x', [{ a: [1, NaN] }])).toThrow(/NaN \(in param 1\.a\[1\]\)/)
    expect(() => encodeMethodCall('x', ['a\u0001b'])).toThrow(/U\+0001 \(in param 1\)/)
    expect(() => encodeMethodCall('x', [{ k: 'a\ud800b' }])).toThrow(/U\+d800 \(in param 1\.k\)/)
    expect(encodeMethodCall('x', ['a\ud83d\ude00b'])).toContain('a\ud83d\ude00b')
    const loop: Record<string, unknown> = {}
    loop.self = loop
    expect(() => encodeMethodCall('x', [loop])).toThrow(/refers to itself/)
  })
})

describe('XML-RPC decoding', () => {
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

describe('XML-RPC members left unread (skipMembers)', () => {
  const SKIP = new Set(['__domain'])
  /** The value with every struct member named in SKIP removed, at any depth. */
  const without = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(without)
    if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v))
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([k]) => !SKIP.has(k))
          .map(([k, x]) => [k, without(x)]),
      )
    return v
  }
  // Structs whose keys are often the skipped name, so skipped members hold arrays, structs and scalars.
  const withDomains = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalarArb(false), tie('array'), tie('struct')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    struct: fc.dictionary(
      fc.oneof(
        fc.constant('__domain'),
        fc.string({ minLength: 1 }).filter((s) => !NOT_NAME.test(s)),
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  })).value

  it('decodes to the full answer minus those members, at any depth', async () => {
    await fc.assert(
      fc.asyncProperty(withDomains, async (v) => {
        const xml = xmlResponse(v)
        const full = await decodeMethodResponse(xml)
        const skipped = await decodeMethodResponse(xml, { skipMembers: SKIP })
        expect(full.ok && skipped.ok).toBe(true)
        if (!full.ok || !skipped.ok) return
        expect(skipped.value).toEqual(without(full.value))
      }),
      { numRuns: 300 },
    )
  })

  it("skips a read_group group's domain whole, comments and CDATA holding </member> included", async () => {
    const xml =
      '<?xml version="1.0"?><methodResponse><params><param><value><array><data>' +
      '<value><struct>' +
      '<member><name>product_id</name><value><array><data><value><int>7</int></value>' +
      '<value><string>Mug</string></value></data></array></value></member>' +
      '<member><name>__domain</name><value><array><data>' +
      '<value><string><![CDATA[</member>]]></string></value><!-- </member> -->' +
      '<value><struct><member><name>x</name><value><int>1</int></value></member></struct></value>' +
      '</data></array></value></member>' +
      '<member><name>quantity</name><value><double>4.0</double></value></member>' +
      '</struct></value></data></array></value></param></params></methodResponse>'
    const r = await decodeMethodResponse(xml, { skipMembers: SKIP })
    expect(r).toEqual({ ok: true, value: [{ product_id: [7, 'Mug'], quantity: 4 }] })
  })

  it('a skipped member that never ends is refused, not read past the end', async () => {
    const xml =
      '<?xml version="1.0"?><methodResponse><params><param><value><struct>' +
      '<member><name>__domain</name><value><array><data>'
    await expect(decodeMethodResponse(xml, { skipMembers: SKIP })).rejects.toThrow(/unterminated <member>/)
  })
})

describe('XML-RPC decoding in slices', () => {
  it('gives the same answer whatever the slice size', async () => {
    await fc.assert(
      fc.asyncProperty(valueArb, fc.integer({ min: 1, max: 64 }), async (v, sliceChars) => {
        const xml = xmlResponse(v)
        expect(await decodeMethodResponse(xml, { sliceChars })).toEqual(await decodeMethodResponse(xml))
      }),
      { numRuns: 200 },
    )
  })

  it('lets the event loop turn while a long answer is decoded', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      product_id: [i + 1, `Product ${i + 1}`],
      location_id: [8, 'WH/Stock'],
      quantity: i % 7,
      reserved_quantity: 0,
      __count: 1,
    }))
    const xml = xmlResponse(rows)
    expect(xml.length).toBeGreaterThan(10 * DECODE_SLICE_CHARS)
    let turns = 0
    let done = false
    const turn = () => {
      turns++
      if (!done) setImmediate(turn)
    }
    setImmediate(turn)
    const r = await decodeMethodResponse(xml)
    done = true
    expect(r.ok && (r.value as unknown[]).length).toBe(20_000)
    // One turn per slice at least (a decoder that never yields lets none happen before it is done).
    expect(turns).toBeGreaterThanOrEqual(Math.floor(xml.length / DECODE_SLICE_CHARS) - 1)
  })
})
