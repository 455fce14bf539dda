// LastUnit's own XML-RPC codec, for Odoo's /xmlrpc/2 endpoints: a method-call encoder and a single-pass
// methodResponse decoder. Odoo reads calls with Python's xmlrpc.client (test/unit/odoo/xmlrpc-codec.test.ts
// checks both directions against it); its answers carry `<i8>` for integers beyond 32 bits, naive UTC
// `<dateTime.iso8601>`, and faults, which come back as values here, not thrown errors.
import { setImmediate } from 'node:timers'

export interface XmlRpcFault {
  faultCode: unknown
  faultString: string
}

export type XmlRpcResponse = { ok: true; value: unknown } | { ok: false; fault: XmlRpcFault }

/** Characters XML 1.0 cannot carry at all (Python's parser, expat, refuses them even as references). */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/

/** Half a surrogate pair: not a character, and UTF-8 cannot carry it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

const escapeXml = (s: string, where: string): string => {
  const bad = NOT_XML.exec(s) ?? LONE_SURROGATE.exec(s)
  if (bad)
    throw new TypeError(
      `XML-RPC cannot carry the character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} (in ${where})`,
    )
  // A raw carriage return would reach Odoo as a line feed (XML end-of-line handling): sent as a reference.
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;')
}

function encodeValue(v: unknown, where: string, seen: Set<object>): string {
  if (v === null || v === undefined) return '<value><nil/></value>'
  switch (typeof v) {
    case 'boolean':
      return `<value><boolean>${v ? 1 : 0}</boolean></value>`
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`XML-RPC cannot carry ${v} (in ${where})`)
      // Integers Python reads exactly go as <int> (32 bits) or <i8>; anything else is a double.
      if (Number.isSafeInteger(v))
        return v >= -(2 ** 31) && v < 2 ** 31
          ? `<value><int>${v}</int></value>`
          : `<value><i8>${v}</i8></value>`
      return `<value><double>${v}</double></value>`
    case 'string':
      return `<value><string>${escapeXml(v, where)}</string></value>`
    case 'object': {
      if (seen.has(v)) throw new TypeError(`a value refers to itself (in ${where})`)
      seen.add(v)
      try {
        if (Buffer.isBuffer(v)) return `<value><base64>${v.toString('base64')}</base64></value>`
        if (Array.isArray(v))
          return `<value><array><data>${v.map((x, i) => encodeValue(x, `${where}[${i}]`, seen)).join('')}</data></array></value>`
        const members = Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined)
          .map(
            ([k, x]) =>
              `<member><name>${escapeXml(k, where)}</name>${encodeValue(x, `${where}.${k}`, seen)}</member>`,
          )
          .join('')
        return `<value><struct>${members}</struct></value>`
      } finally {
        seen.delete(v)
      }
    }
    default:
      throw new TypeError(`XML-RPC cannot carry a ${typeof v} (in ${where})`)
  }
}

/** A methodCall document; refuses values XML-RPC cannot carry, naming where they are. */
export function encodeMethodCall(method: string, params: unknown[]): string {
  const body = params.map((p, i) => `<param>${encodeValue(p, `param ${i + 1}`, new Set())}</param>`).join('')
  return `<?xml version="1.0"?>\n<methodCall><methodName>${escapeXml(method, 'the method name')}</methodName><params>${body}</params></methodCall>`
}

const ISO = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})/

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
 * The end of the struct member whose `<value>` starts at or after `from`: the index just past its
 * `</member>`, nested members, comments and CDATA sections counted. For skipping a member unread.
 */
function memberEnd(xml: string, from: number): number {
  let depth = 1
  let i = from
  for (;;) {
    const lt = xml.indexOf('<', i)
    if (lt < 0) throw new Error('unterminated <member>')
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4)
      if (end < 0) throw new Error('unterminated comment')
      i = end + 3
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9)
      if (end < 0) throw new Error('unterminated CDATA section')
      i = end + 3
    } else if (xml.startsWith('<member', lt) && !isNameChar(xml.charCodeAt(lt + 7))) {
      depth++
      i = lt + 7
    } else if (xml.startsWith('</member', lt) && !isNameChar(xml.charCodeAt(lt + 8))) {
      const gt = xml.indexOf('>', lt + 8)
      if (gt < 0) throw new Error('unterminated tag')
      if (--depth === 0) return gt + 1
      i = gt + 1
    } else i = lt + 1
  }
}

export interface DecodeOptions {
  /**
   * Struct members left out of the result, unread: Odoo's read_group answers carry a `__domain` per
   * group that LastUnit never uses and that is most of a 10,000-product stock read's objects.
   */
  skipMembers?: ReadonlySet<string>
  /** Characters decoded between two turns of the event loop (default DECODE_SLICE_CHARS). */
  sliceChars?: number
}

/**
 * A 10,000-product stock read answers ~10 MB of XML, a second or more of decoding on a busy machine: in
 * slices of this many characters (a few milliseconds each), so the engine's timers never wait that long.
 */
export const DECODE_SLICE_CHARS = 256 * 1024

/**
 * A single-pass decoder for methodResponse bodies. A SAX parser takes about a second
 * per megabyte; a full recompute of 10,000 products answers well over ten megabytes over XML-RPC. The
 * scanner walks the text with indexOf and character codes: no match object or substring per tag, only
 * the values themselves are allocated.
 */
async function decodeResponse(xml: string, opts: DecodeOptions): Promise<XmlRpcResponse> {
  const skip = opts.skipMembers
  const slice = opts.sliceChars ?? DECODE_SLICE_CHARS
  let nextPause = slice
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
    if (i >= nextPause) {
      // A long answer is decoded in slices: timers and I/O (order polls, pushes) run between them.
      await new Promise<void>((resolve) => setImmediate(resolve))
      nextPause = i + slice
    }
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
          const name = unescapeXml(xml.slice(i, end))
          i = end + '</name>'.length
          if (skip?.has(name)) {
            // The member is dropped whole: its value is never decoded, and the struct never gets it.
            i = memberEnd(xml, i)
            stack.pop()
            break
          }
          top.name = name
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
export async function decodeMethodResponse(xml: string, opts: DecodeOptions = {}): Promise<XmlRpcResponse> {
  try {
    return await decodeResponse(xml, opts)
  } catch (e) {
    throw e instanceof Error ? e : new Error(String(e))
  }
}
