// The simulator's side of XML-RPC: reads a methodCall the way Odoo's server does (Python's
// xmlrpc.client.loads): every XML-RPC type, <i8> included, and a clear error for anything else.
const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

const unescape = (t: string): string =>
  t.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
      : (ENTITY[e] ?? ''),
  )

class Reader {
  i = 0
  constructor(private readonly xml: string) {}

  private skipSpace(): void {
    while (this.i < this.xml.length && /\s/.test(this.xml[this.i]!)) this.i++
  }

  fail(what: string): never {
    throw new Error(`Invalid XML-RPC methodCall: ${what} at offset ${this.i}`)
  }

  /** The next tag (skipping whitespace, the XML declaration and comments): name, closing, self-closing. */
  tag(): { name: string; close: boolean; empty: boolean } {
    for (;;) {
      this.skipSpace()
      if (this.xml.startsWith('<?', this.i)) {
        const e = this.xml.indexOf('?>', this.i)
        if (e < 0) this.fail('unterminated declaration')
        this.i = e + 2
        continue
      }
      if (this.xml.startsWith('<!--', this.i)) {
        const e = this.xml.indexOf('-->', this.i)
        if (e < 0) this.fail('unterminated comment')
        this.i = e + 3
        continue
      }
      break
    }
    const m = /^<(\/?)([A-Za-z][\w.:-]*)\s*(\/?)>/.exec(this.xml.slice(this.i, this.i + 64))
    if (!m) this.fail('expected a tag')
    this.i += m[0].length
    return { name: m[2]!, close: m[1] === '/', empty: m[3] === '/' }
  }

  expect(name: string, close = false): void {
    const t = this.tag()
    if (t.name !== name || t.close !== close)
      this.fail(`expected <${close ? '/' : ''}${name}>, got <${t.close ? '/' : ''}${t.name}>`)
  }

  /** Raw text up to the next '<'. */
  text(): string {
    const e = this.xml.indexOf('<', this.i)
    if (e < 0) this.fail('unterminated text')
    const t = this.xml.slice(this.i, e)
    this.i = e
    return unescape(t)
  }

  peekClose(name: string): boolean {
    this.skipSpace()
    return this.xml.startsWith(`</${name}>`, this.i)
  }
}

function scalar(tag: string, text: string): unknown {
  const t = text.trim()
  switch (tag) {
    case 'int':
    case 'i4':
    case 'i8': {
      if (!/^[-+]?\d+$/.test(t) || !Number.isSafeInteger(Number(t))) throw new Error(`bad <${tag}> '${t}'`)
      return Number(t)
    }
    case 'double':
      if (t === '' || Number.isNaN(Number(t))) throw new Error(`bad <double> '${t}'`)
      return Number(t)
    case 'boolean':
      if (t !== '0' && t !== '1') throw new Error(`bad <boolean> '${t}'`)
      return t === '1'
    case 'string':
      return text
    case 'dateTime.iso8601':
      return t
    case 'base64':
      return Buffer.from(t, 'base64')
    default:
      throw new Error(`unknown XML-RPC type <${tag}>`)
  }
}

function readValue(r: Reader): unknown {
  // <value> already read.
  const before = r.i
  const text = r.text()
  if (r.peekClose('value')) {
    r.expect('value', true)
    return text // an untyped value is a string
  }
  r.i = before
  const t = r.tag()
  let v: unknown
  if (t.name === 'nil') {
    if (!t.empty) r.expect('nil', true)
    v = null
  } else if (t.name === 'array') {
    const items: unknown[] = []
    if (!t.empty) {
      const d = r.tag()
      if (d.name !== 'data') r.fail('expected <data>')
      if (!d.empty) {
        while (!r.peekClose('data')) {
          r.expect('value')
          items.push(readValue(r))
        }
        r.expect('data', true)
      }
      r.expect('array', true)
    }
    v = items
  } else if (t.name === 'struct') {
    const obj: Record<string, unknown> = {}
    if (!t.empty) {
      while (!r.peekClose('struct')) {
        r.expect('member')
        r.expect('name')
        const name = r.text()
        r.expect('name', true)
        r.expect('value')
        // defineProperty: a member named "__proto__" stays data.
        Object.defineProperty(obj, name, {
          value: readValue(r),
          enumerable: true,
          writable: true,
          configurable: true,
        })
        r.expect('member', true)
      }
      r.expect('struct', true)
    }
    v = obj
  } else {
    v = scalar(t.name, t.empty ? '' : r.text())
    if (!t.empty) r.expect(t.name, true)
  }
  r.expect('value', true)
  return v
}

/** Parses a methodCall document into its method name and parameters. */
export function decodeMethodCall(xml: string): Promise<{ method: string; params: unknown[] }> {
  try {
    const r = new Reader(xml)
    r.expect('methodCall')
    r.expect('methodName')
    const method = r.text().trim()
    r.expect('methodName', true)
    const params: unknown[] = []
    const t = r.tag()
    if (t.name === 'params' && !t.close) {
      if (!t.empty) {
        while (!r.peekClose('params')) {
          r.expect('param')
          r.expect('value')
          params.push(readValue(r))
          r.expect('param', true)
        }
        r.expect('params', true)
      }
      r.expect('methodCall', true)
    } else if (!(t.name === 'methodCall' && t.close)) r.fail('expected <params>')
    return Promise.resolve({ method, params })
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)))
  }
}
