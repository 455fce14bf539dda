// Just enough GraphQL for the simulator: the operation type, its root fields (with aliases and
// arguments, literal or variable) and directives. Selection sets are not interpreted: each root field
// answers its full object, which is a superset of what the adapter selects.
export type GraphQLArg = { variable: string } | { literal: unknown }

export interface RootField {
  alias: string
  name: string
  args: Record<string, GraphQLArg>
  directives: { name: string; args: Record<string, GraphQLArg> }[]
}

export interface ScannedOperation {
  type: 'query' | 'mutation'
  name: string | undefined
  fields: RootField[]
  /** Every "name(first: …)" in the document, for cost estimates of nested connections. */
  nestedFirst: Record<string, GraphQLArg>
}

const skipString = (s: string, i: number): number => {
  let j = i + 1
  while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1
  return j + 1
}

const balanced = (s: string, i: number, open: string, close: string): number => {
  let depth = 0
  for (let j = i; j < s.length; j++) {
    const c = s[j]
    if (c === '"') {
      j = skipString(s, j) - 1
      continue
    }
    if (c === open) depth++
    else if (c === close && --depth === 0) return j + 1
  }
  throw new Error(`unbalanced "${open}" at ${i}`)
}

const parseValue = (raw: string): GraphQLArg => {
  const v = raw.trim()
  if (v.startsWith('$')) return { variable: v.slice(1) }
  if (v.startsWith('"')) return { literal: JSON.parse(v) as unknown }
  if (/^-?\d+(\.\d+)?$/.test(v)) return { literal: Number(v) }
  if (v === 'true' || v === 'false') return { literal: v === 'true' }
  if (v === 'null') return { literal: null }
  return { literal: v }
}

export const parseArgs = (inner: string): Record<string, GraphQLArg> => {
  const out: Record<string, GraphQLArg> = {}
  const re = /(\w+)\s*:\s*(\$\w+|"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[\w.-]+)/g
  for (let m = re.exec(inner); m; m = re.exec(inner)) out[m[1] as string] = parseValue(m[2] as string)
  return out
}

export function scanOperation(doc: string): ScannedOperation {
  const s = doc.replace(/#[^\n]*/g, '')
  const head = /^\s*(query|mutation|subscription)?\s*(\w+)?/.exec(s)
  const type = head?.[1] ?? 'query'
  if (type === 'subscription') throw new Error('subscriptions are not supported')
  let i = s.indexOf('(') !== -1 && s.indexOf('(') < s.indexOf('{') ? balanced(s, s.indexOf('('), '(', ')') : 0
  i = s.indexOf('{', i)
  if (i < 0) throw new Error('the document has no selection set')
  const end = balanced(s, i, '{', '}')
  i++
  const fields: RootField[] = []
  const ident = /[_A-Za-z]\w*/y
  const ws = () => {
    while (i < end && /[\s,]/.test(s[i] as string)) i++
  }
  const readIdent = () => {
    ident.lastIndex = i
    const m = ident.exec(s)
    if (!m) throw new Error(`unexpected "${s.slice(i, i + 20)}"`)
    i += m[0].length
    return m[0]
  }
  for (;;) {
    ws()
    if (i >= end - 1 || s[i] === '}') break
    if (s.startsWith('...', i)) throw new Error('fragments at the root are not supported')
    let name = readIdent()
    const alias = name
    ws()
    if (s[i] === ':') {
      i++
      ws()
      name = readIdent()
      ws()
    }
    let args: Record<string, GraphQLArg> = {}
    if (s[i] === '(') {
      const j = balanced(s, i, '(', ')')
      args = parseArgs(s.slice(i + 1, j - 1))
      i = j
      ws()
    }
    const directives: RootField['directives'] = []
    while (s[i] === '@') {
      i++
      const dname = readIdent()
      ws()
      let dargs: Record<string, GraphQLArg> = {}
      if (s[i] === '(') {
        const j = balanced(s, i, '(', ')')
        dargs = parseArgs(s.slice(i + 1, j - 1))
        i = j
        ws()
      }
      directives.push({ name: dname, args: dargs })
    }
    if (s[i] === '{') i = balanced(s, i, '{', '}')
    fields.push({ alias, name, args, directives })
  }
  const nestedFirst: Record<string, GraphQLArg> = {}
  for (const m of s.matchAll(/(\w+)\s*\(\s*first\s*:\s*(\$\w+|\d+)/g))
    nestedFirst[m[1] as string] = parseValue(m[2] as string)
  return { type: type as 'query' | 'mutation', name: head?.[2], fields, nestedFirst }
}
