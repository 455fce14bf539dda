// XML-RPC encoding with the `xmlrpc` package's serializer and SAX deserializer, adjusted for Odoo:
// `<i8>` becomes a number (the package leaves it a string), `<dateTime.iso8601>` is read as naive UTC
// (the package would apply the machine's time zone), and faults come back as values, not thrown errors.
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'

interface XmlRpcSerializer {
  serializeMethodCall(method: string, params: unknown[]): string
}

interface XmlRpcDeserializerInstance {
  push(v: unknown): void
  value: boolean
  endI8(data: string): void
  endDateTime(data: string): void
  deserializeMethodResponse(stream: Readable, cb: (err: unknown, value?: unknown) => void): void
  deserializeMethodCall(
    stream: Readable,
    cb: (err: unknown, method?: string, params?: unknown[]) => void,
  ): void
}

type XmlRpcDeserializerCtor = new (encoding?: string) => XmlRpcDeserializerInstance

// Not named `require`: bundlers add their own `require` shim to ESM output, and two would collide.
const loadCjs = createRequire(import.meta.url)
const serializer = loadCjs('xmlrpc/lib/serializer.js') as XmlRpcSerializer
const Deserializer = loadCjs('xmlrpc/lib/deserializer.js') as XmlRpcDeserializerCtor

export interface XmlRpcFault {
  faultCode: unknown
  faultString: string
}

export type XmlRpcResponse = { ok: true; value: unknown } | { ok: false; fault: XmlRpcFault }

export const encodeMethodCall = (method: string, params: unknown[]): string =>
  serializer.serializeMethodCall(method, params)

const ISO = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})/

function odooDeserializer(): XmlRpcDeserializerInstance {
  const d = new Deserializer('utf8')
  d.endI8 = function (this: XmlRpcDeserializerInstance, data: string) {
    const n = Number(data)
    if (!/^-?\d+$/.test(data.trim()) || !Number.isSafeInteger(n))
      throw new Error(`Expected a 64-bit integer (i8) that fits a safe integer, got '${data}'`)
    this.push(n)
    this.value = false
  }
  d.endDateTime = function (this: XmlRpcDeserializerInstance, data: string) {
    const m = ISO.exec(data.trim())
    if (!m) throw new Error(`Expected an ISO 8601 datetime, got '${data}'`)
    this.push(`${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`)
    this.value = false
  }
  return d
}

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

const unescapeXml = (t: string): string =>
  t.indexOf('&') < 0
    ? t
    : t.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
        e[0] === '#'
          ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
          : (ENTITY[e] ?? ''),
      )

function scalar(tag: string, raw: string): unknown {
  const text = raw.trim()
  switch (tag) {
    case 'int':
    case 'i4':
    case 'i8': {
      const n = Number(text)
      if (!/^[-+]?\d+$/.test(text) || !Number.isSafeInteger(n))
        throw new Error(`Expected an integer that fits a safe integer in <${tag}>, got '${text}'`)
      return n
    }
    case 'double': {
      const n = Number(text)
      if (text === '' || Number.isNaN(n)) throw new Error(`Expected a double, got '${text}'`)
      return n
    }
    case 'boolean':
      if (text !== '0' && text !== '1') throw new Error(`Illegal boolean value '${text}'`)
      return text === '1'
    case 'string':
      return raw
    case 'dateTime.iso8601': {
      const m = ISO.exec(text)
      if (!m) throw new Error(`Expected an ISO 8601 datetime, got '${text}'`)
      return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`
    }
    case 'base64':
      return Buffer.from(text, 'base64')
    case 'nil':
      return null
    default:
      throw new Error(`Unknown XML-RPC type <${tag}>`)
  }
}

interface Frame {
  kind: 'array' | 'struct' | 'value' | 'member'
  items?: unknown[]
  obj?: Record<string, unknown>
  name?: string
  value?: unknown
  has?: boolean
  text?: string
}

/** Tag names of XML-RPC, returned without allocating a substring for each tag. */
const KNOWN_TAGS = [
  'value',
  'member',
  'name',
  'string',
  'int',
  'i4',
  'i8',
  'double',
  'boolean',
  'array',
  'data',
  'struct',
  'nil',
  'dateTime.iso8601',
  'base64',
  'param',
  'params',
  'fault',
  'methodResponse',
]

const isNameChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || // a-z
  (c >= 65 && c <= 90) || // A-Z
  (c >= 48 && c <= 57) || // 0-9
  c === 95 || // _
  c === 46 || // .
  c === 58 || // :
  c === 45 // -

function tagName(xml: string, start: number, end: number): string {
  const len = end - start
  for (const t of KNOWN_TAGS) if (t.length === len && xml.startsWith(t, start)) return t
  return xml.slice(start, end)
}

/** Whether xml[from, to) is only XML whitespace. */
function blank(xml: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = xml.charCodeAt(i)
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return false
  }
  return true
}

/**
 * A single-pass decoder for methodResponse bodies. The package's SAX deserializer takes about a second
 * per megabyte; a full recompute of 10,000 products answers well over ten megabytes over XML-RPC. The
 * scanner walks the text with indexOf and character codes: no match object or substring per tag, only
 * the values themselves are allocated.
 */
function decodeResponse(xml: string): XmlRpcResponse {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<methodResponse[\s>]/.test(xml))
    throw new Error('Invalid XML-RPC message: not a methodResponse')
  const stack: Frame[] = []
  let root: unknown
  let haveRoot = false
  let fault = false
  let sawResponse = false
  let scalarTag: string | null = null
  let scalarText = ''
  const put = (v: unknown) => {
    const top = stack[stack.length - 1]
    if (!top) throw new Error('value outside of any container')
    top.value = v
    top.has = true
  }
  const onText = (text: string) => {
    if (scalarTag !== null) scalarText += text
    else {
      const top = stack[stack.length - 1]
      if (top?.kind === 'value') top.text = (top.text ?? '') + text
      else if (top?.kind === 'member' && top.name === undefined && text.trim() !== '')
        throw new Error('text in a member')
    }
  }
  const n = xml.length
  let i = 0
  while (i < n) {
    let lt = xml.indexOf('<', i)
    if (lt < 0) lt = n
    if (lt > i) {
      // Whitespace between container tags is the common case: skipped without a substring.
      const needed = scalarTag !== null || stack[stack.length - 1]?.kind === 'value' || !blank(xml, i, lt)
      if (needed) onText(unescapeXml(xml.slice(i, lt)))
      i = lt
      if (i >= n) break
    }
    const c1 = xml.charCodeAt(lt + 1)
    if (c1 === 63 /* ? */) {
      const end = xml.indexOf('?>', lt + 2)
      if (end < 0) throw new Error('unterminated processing instruction')
      i = end + 2
      continue
    }
    if (c1 === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4)
        if (end < 0) throw new Error('unterminated comment')
        i = end + 3
        continue
      }
      if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9)
        if (end < 0) throw new Error('unterminated CDATA section')
        // CDATA is taken as it is.
        onText(xml.slice(lt + 9, end))
        i = end + 3
        continue
      }
      throw new Error('unexpected markup')
    }
    const close = c1 === 47 /* / */
    const nameStart = close ? lt + 2 : lt + 1
    const first = xml.charCodeAt(nameStart)
    if (!((first >= 97 && first <= 122) || (first >= 65 && first <= 90))) throw new Error('malformed tag')
    let nameEnd = nameStart + 1
    while (nameEnd < n && isNameChar(xml.charCodeAt(nameEnd))) nameEnd++
    const gt = xml.indexOf('>', nameEnd)
    if (gt < 0) throw new Error('unterminated tag')
    const selfClose = !close && xml.charCodeAt(gt - 1) === 47
    const tag = tagName(xml, nameStart, nameEnd)
    i = gt + 1
    if (scalarTag !== null) {
      if (close && tag === scalarTag) {
        put(scalar(scalarTag, scalarText))
        scalarTag = null
        scalarText = ''
        continue
      }
      throw new Error(`unexpected <${tag}> inside <${scalarTag}>`)
    }
    if (!close) {
      switch (tag) {
        case 'methodResponse':
          sawResponse = true
          break
        case 'fault':
          fault = true
          break
        case 'params':
        case 'param':
        case 'data':
          break
        case 'value':
          if (selfClose) put('')
          else stack.push({ kind: 'value' })
          break
        case 'array':
          if (selfClose) put([])
          else stack.push({ kind: 'array', items: [] })
          break
        case 'struct':
          if (selfClose) put({})
          else stack.push({ kind: 'struct', obj: {} })
          break
        case 'member':
          stack.push({ kind: 'member' })
          break
        case 'name': {
          const end = xml.indexOf('</name>', i)
          if (end < 0) throw new Error('unterminated <name>')
          const top = stack[stack.length - 1]
          if (top?.kind !== 'member') throw new Error('<name> outside a member')
          top.name = unescapeXml(xml.slice(i, end))
          i = end + '</name>'.length
          break
        }
        case 'nil':
          if (selfClose) put(null)
          else scalarTag = 'nil'
          break
        default:
          if (selfClose) put(scalar(tag, ''))
          else {
            scalarTag = tag
            scalarText = ''
          }
      }
      continue
    }
    switch (tag) {
      case 'value': {
        const f = stack.pop()
        if (f?.kind !== 'value') throw new Error('unbalanced </value>')
        const v = f.has ? f.value : (f.text ?? '')
        const parent = stack[stack.length - 1]
        if (!parent) {
          if (haveRoot) throw new Error('more than one value in the response')
          root = v
          haveRoot = true
        } else if (parent.kind === 'array') parent.items?.push(v)
        else if (parent.kind === 'member') {
          parent.value = v
          parent.has = true
        } else throw new Error('a value in an unexpected place')
        break
      }
      case 'array':
      case 'struct': {
        const f = stack.pop()
        if (f?.kind !== tag) throw new Error(`unbalanced </${tag}>`)
        put(tag === 'array' ? f.items : f.obj)
        break
      }
      case 'member': {
        const f = stack.pop()
        const parent = stack[stack.length - 1]
        if (f?.kind !== 'member' || parent?.kind !== 'struct' || f.name === undefined)
          throw new Error('malformed struct member')
        // defineProperty, not assignment: a member named "__proto__" must be data, never a prototype.
        Object.defineProperty(parent.obj, f.name, {
          value: f.value,
          enumerable: true,
          writable: true,
          configurable: true,
        })
        break
      }
      default:
        break
    }
  }
  if (!sawResponse || !haveRoot || stack.length > 0 || scalarTag !== null)
    throw new Error('Invalid XML-RPC message')
  if (fault) {
    const f = (root ?? {}) as { faultCode?: unknown; faultString?: unknown }
    return { ok: false, fault: { faultCode: f.faultCode, faultString: String(f.faultString ?? '') } }
  }
  return { ok: true, value: root }
}

/** Parses a methodResponse; rejects with a plain Error when the body is not XML-RPC at all. */
export function decodeMethodResponse(xml: string): Promise<XmlRpcResponse> {
  try {
    return Promise.resolve(decodeResponse(xml))
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)))
  }
}

/** Parses a methodCall (used by the simulator). */
export function decodeMethodCall(xml: string): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    odooDeserializer().deserializeMethodCall(Readable.from([xml]), (err, method, params) => {
      if (err !== null && err !== undefined)
        return reject(err instanceof Error ? err : new Error(String(err)))
      resolve({ method: method ?? '', params: params ?? [] })
    })
  })
}
