// How Python binds a call to a function, as Odoo's dispatch relies on it: CPython's own binding (the
// XML-RPC path calls `method(recs, *args, **kwargs)`; its TypeError texts are CPython 3.10+'s, from
// Python/ceval.c initialize_locals, too_many_positional, missing_arguments and format_missing) and
// inspect.Signature.bind (the JSON-2 route of Odoo 19 checks a call with it first; its texts are
// Lib/inspect.py Signature._bind). A signature is written as in the Python source, e.g.
// `BaseModel.search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs)`.

/** A Python exception the simulated Odoo raises, with the frames its traceback shows. */
export interface PyFrame {
  /** Path inside the Odoo source tree, e.g. `odoo/api.py` or `addons/sale/models/sale_order.py`. */
  file: string
  line: number
  func: string
  code: string
}

export interface PyParam {
  name: string
  kind: 'positional' | 'kwonly'
  hasDefault: boolean
}

export interface PySignature {
  /** As CPython names the function in its TypeErrors (`__qualname__`), e.g. `SaleOrder.write`. */
  qualname: string
  /** Parameters after `self`, in order. */
  params: PyParam[]
  /** Name of `*args`, when the function has one. */
  varargs: string | null
  /** Name of `**kwargs`, when the function has one. */
  varkw: string | null
}

/** A Python exception, named by its class (`TypeError`, `IndexError`, ...), with Python's own message. */
export class PyException extends Error {
  constructor(
    readonly pyClass: string,
    message: string,
    readonly frames: PyFrame[] = [],
  ) {
    super(message)
    this.name = 'PyException'
  }
}

/** Parses `Qual.name(self, a, b=None, *args, c=1, **kw)`; the first parameter (self) is dropped. */
export function parseSignature(def: string): PySignature {
  const m = /^([\w.<>]+)\((.*)\)$/.exec(def.trim())
  if (!m) throw new Error(`not a Python signature: ${def}`)
  const parts = splitTopLevel(m[2] as string)
  if (parts[0] !== 'self') throw new Error(`a method signature starts with self: ${def}`)
  const sig: PySignature = { qualname: m[1] as string, params: [], varargs: null, varkw: null }
  let kwonly = false
  for (const p of parts.slice(1)) {
    if (p === '*') kwonly = true
    else if (p.startsWith('**')) sig.varkw = p.slice(2)
    else if (p.startsWith('*')) {
      sig.varargs = p.slice(1)
      kwonly = true
    } else {
      const eq = p.indexOf('=')
      sig.params.push({
        name: (eq < 0 ? p : p.slice(0, eq)).trim(),
        kind: kwonly ? 'kwonly' : 'positional',
        hasDefault: eq >= 0,
      })
    }
  }
  return sig
}

function splitTopLevel(s: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of s) {
    if ('([{'.includes(ch)) depth++
    if (')]}'.includes(ch)) depth--
    if (ch === ',' && depth === 0) {
      out.push(cur.trim())
      cur = ''
    } else cur += ch
  }
  if (cur.trim()) out.push(cur.trim())
  return out
}

const UNSET = Symbol('unset')

/** The names Python lists in a "missing N required ... arguments" message. */
function formatNames(names: string[]): string {
  const q = names.map((n) => `'${n}'`)
  if (q.length === 1) return q[0] as string
  if (q.length === 2) return `${q[0]} and ${q[1]}`
  return `${q.slice(0, -2).join(', ')}, ${q[q.length - 2]}, and ${q[q.length - 1]}`
}

export interface BoundCall {
  /** Every parameter that received a value, by name; `*args` as an array, `**kwargs` as an object. */
  values: Record<string, unknown>
}

/**
 * Binds `f(self, *positional, **keywords)` the way CPython does, raising its TypeError texts. The
 * counts in the messages include `self`, as Python's do.
 */
export function cpythonBind(
  sig: PySignature,
  positional: readonly unknown[],
  keywords: ReadonlyArray<readonly [string, unknown]>,
): BoundCall {
  const q = sig.qualname
  const pos = sig.params.filter((p) => p.kind === 'positional')
  const kwo = sig.params.filter((p) => p.kind === 'kwonly')
  const all = [...pos, ...kwo]
  const slots: unknown[] = all.map(() => UNSET)
  const values: Record<string, unknown> = {}
  const n = Math.min(positional.length, pos.length)
  for (let i = 0; i < n; i++) slots[i] = positional[i]
  if (sig.varargs) values[sig.varargs] = positional.slice(pos.length)
  const extra: Record<string, unknown> = {}
  for (const [k, v] of keywords) {
    const j = all.findIndex((p) => p.name === k)
    if (j < 0) {
      if (!sig.varkw) throw new PyException('TypeError', `${q}() got an unexpected keyword argument '${k}'`)
      extra[k] = v
      continue
    }
    if (slots[j] !== UNSET)
      throw new PyException('TypeError', `${q}() got multiple values for argument '${k}'`)
    slots[j] = v
  }
  const argcount = pos.length + 1
  const given = positional.length + 1
  if (positional.length > pos.length && !sig.varargs) {
    const defcount = pos.filter((p) => p.hasDefault).length
    const kwonlyGiven = kwo.filter((_, i) => slots[pos.length + i] !== UNSET).length
    const plural = defcount > 0 || argcount !== 1
    const range = defcount > 0 ? `from ${argcount - defcount} to ${argcount}` : `${argcount}`
    const kwPart = kwonlyGiven
      ? ` positional argument${given !== 1 ? 's' : ''} (and ${kwonlyGiven} keyword-only argument${kwonlyGiven !== 1 ? 's' : ''})`
      : ''
    throw new PyException(
      'TypeError',
      `${q}() takes ${range} positional argument${plural ? 's' : ''} but ${given}${kwPart} ${given === 1 && !kwonlyGiven ? 'was' : 'were'} given`,
    )
  }
  const missingPos = pos.filter((p, i) => !p.hasDefault && slots[i] === UNSET).map((p) => p.name)
  if (missingPos.length > 0)
    throw new PyException(
      'TypeError',
      `${q}() missing ${missingPos.length} required positional argument${missingPos.length === 1 ? '' : 's'}: ${formatNames(missingPos)}`,
    )
  const missingKw = kwo.filter((p, i) => !p.hasDefault && slots[pos.length + i] === UNSET).map((p) => p.name)
  if (missingKw.length > 0)
    throw new PyException(
      'TypeError',
      `${q}() missing ${missingKw.length} required keyword-only argument${missingKw.length === 1 ? '' : 's'}: ${formatNames(missingKw)}`,
    )
  all.forEach((p, i) => {
    if (slots[i] !== UNSET) values[p.name] = slots[i]
  })
  if (sig.varkw) values[sig.varkw] = extra
  return { values }
}

/**
 * `inspect.signature(func).bind(records, **kwargs)`: what Odoo 19's JSON-2 route checks before the call.
 * Its TypeError texts carry no function name.
 */
export function inspectBind(sig: PySignature, keywords: Record<string, unknown>): BoundCall {
  const kwargs = new Map(Object.entries(keywords))
  const values: Record<string, unknown> = {}
  // `self` is given positionally (the records): a keyword of that name collides with it first.
  if (kwargs.has('self')) throw new PyException('TypeError', "multiple values for argument 'self'")
  for (const p of sig.params) {
    if (kwargs.has(p.name)) {
      values[p.name] = kwargs.get(p.name)
      kwargs.delete(p.name)
    } else if (!p.hasDefault) throw new PyException('TypeError', `missing a required argument: '${p.name}'`)
  }
  if (sig.varargs) values[sig.varargs] = []
  if (kwargs.size > 0) {
    if (!sig.varkw)
      throw new PyException(
        'TypeError',
        `got an unexpected keyword argument '${[...kwargs.keys()][0] as string}'`,
      )
    values[sig.varkw] = Object.fromEntries(kwargs)
  }
  return { values }
}
