// Evaluation of Odoo domains (prefix notation with '&', '|', '!') over simulated records, with the
// operators the connector and the tests use, dotted paths through many2one fields, and child_of.
import { OdooSimError } from './sim-errors'

export interface FieldResolver {
  /** Raw value of a field (many2one as id or false). */
  value(rec: unknown, field: string): unknown
  /** The related record of a many2one value, for dotted paths. */
  related(rec: unknown, field: string): unknown
  /** Ids of the records of the many2one's model under the given ids (child_of). */
  childIds(field: string, ids: number[]): Set<number>
}

type Predicate = (rec: unknown) => boolean

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v])

const normDate = (v: unknown): unknown =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? v.replace('T', ' ').slice(0, 19) : v

const compare = (a: unknown, b: unknown): number | null => {
  if (a === false || a === null || a === undefined) return null
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  return null
}

const likeMatch = (v: unknown, pattern: unknown, ci: boolean): boolean => {
  if (typeof v !== 'string' || typeof pattern !== 'string') return false
  return ci ? v.toLowerCase().includes(pattern.toLowerCase()) : v.includes(pattern)
}

function leaf(term: unknown[], model: string, r: FieldResolver): Predicate {
  const [path, op, raw] = term as [unknown, unknown, unknown]
  if (typeof path !== 'string' || typeof op !== 'string')
    throw new OdooSimError('ValueError', `Invalid leaf ${JSON.stringify(term)} on ${model}`)
  const parts = path.split('.')
  const field = parts[parts.length - 1] as string
  const walk = (rec: unknown): unknown => {
    let cur = rec
    for (const p of parts.slice(0, -1)) {
      cur = r.related(cur, p)
      if (cur === undefined || cur === null || cur === false) return undefined
    }
    return cur
  }
  const value = normDate(raw)
  switch (op) {
    case 'child_of': {
      if (parts.length > 1) throw new OdooSimError('ValueError', `child_of on a dotted path: ${path}`)
      const ids = r.childIds(field, asList(value) as number[])
      return (rec) => ids.has(r.value(rec, field) as number)
    }
    case 'in':
    case 'not in': {
      const set = new Set(asList(value))
      const neg = op === 'not in'
      return (rec) => {
        const t = walk(rec)
        const v = t === undefined ? false : r.value(t, field)
        return set.has(v) !== neg
      }
    }
  }
  return (rec) => {
    const t = walk(rec)
    const v = t === undefined ? false : r.value(t, field)
    switch (op) {
      case '=':
        return v === value || (value === false && (v === null || v === undefined))
      case '!=':
        return !(v === value || (value === false && (v === null || v === undefined)))
      case '>': {
        const c = compare(v, value)
        return c !== null && c > 0
      }
      case '>=': {
        const c = compare(v, value)
        return c !== null && c >= 0
      }
      case '<': {
        const c = compare(v, value)
        return c !== null && c < 0
      }
      case '<=': {
        const c = compare(v, value)
        return c !== null && c <= 0
      }
      case 'like':
        return likeMatch(v, value, false)
      case 'ilike':
        return likeMatch(v, value, true)
      case '=like':
      case '=ilike':
        return typeof v === 'string' && typeof value === 'string' && v === value
      default:
        throw new OdooSimError('ValueError', `Invalid domain operator ${JSON.stringify(op)}`)
    }
  }
}

export function compileDomain(domain: unknown, model: string, r: FieldResolver): Predicate {
  if (domain === undefined || domain === null || domain === false) return () => true
  if (!Array.isArray(domain))
    throw new OdooSimError('ValueError', `Invalid domain on ${model}: ${JSON.stringify(domain)}`)
  let i = 0
  const parse = (): Predicate => {
    const t = domain[i++]
    if (t === '&' || t === '|') {
      const a = parse()
      const b = parse()
      return t === '&' ? (x) => a(x) && b(x) : (x) => a(x) || b(x)
    }
    if (t === '!') {
      const a = parse()
      return (x) => !a(x)
    }
    if (Array.isArray(t) && t.length === 3) return leaf(t, model, r)
    throw new OdooSimError('ValueError', `Invalid domain term ${JSON.stringify(t)} on ${model}`)
  }
  const preds: Predicate[] = []
  while (i < domain.length) preds.push(parse())
  return (x) => preds.every((p) => p(x))
}
