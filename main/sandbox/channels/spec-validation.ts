// Checks a request (method, path, query, JSON body) against an OpenAPI 3 or Swagger 2 document, or a value
// against a plain JSON Schema. Simulators use it to answer malformed requests the way the real API does, and
// contract tests use it to prove every request an adapter sends matches the channel's official spec.
// Every problem names where it is (query parameter, body pointer), so a failure is readable on its own.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

// ajv-formats is CommonJS; under some loaders the default import is the module object itself.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => void

export interface SpecRequest {
  method: string
  /** Path as the spec names it, without the server's base path (e.g. "/retailer/offers/abc"). */
  path: string
  query?: URLSearchParams
  body?: unknown
  /** When given, required header parameters are checked too (names case-insensitive). */
  headers?: Record<string, string>
}

export interface SpecCheck {
  /** The spec's operationId, or undefined when no operation matches. */
  operationId: string | undefined
  /** Empty when the request is valid. */
  errors: string[]
}

export interface SpecValidator {
  readonly name: string
  check(req: SpecRequest): SpecCheck
  /** True when the spec marks the matched operation deprecated. */
  isDeprecated(method: string, path: string): boolean
  /** Checks a JSON response body against the schema the spec gives for that status (none given: no errors). */
  checkResponse(method: string, path: string, status: number, body: unknown): string[]
}

type Json = Record<string, unknown>

const newAjv = (): Ajv => {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    logger: false,
    discriminator: false,
  })
  addFormats(ajv)
  // OpenAPI's numeric formats constrain nothing a JSON Schema type does not already check.
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(f, true)
  return ajv
}

const describeErrors = (errors: ErrorObject[] | null | undefined, where: string): string[] =>
  (errors ?? []).map((e) => {
    const at = `${where}${e.instancePath || ''}`
    if (e.keyword === 'additionalProperties')
      return `${at}: unknown property "${String((e.params as { additionalProperty?: string }).additionalProperty)}"`
    if (e.keyword === 'required')
      return `${at}: missing required property "${String((e.params as { missingProperty?: string }).missingProperty)}"`
    if (e.keyword === 'enum')
      return `${at}: ${e.message ?? 'invalid'} (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})`
    return `${at}: ${e.message ?? e.keyword}`
  })

/** A validator for one plain JSON Schema (e.g. Amazon's listings feed document schema). */
export function compileJsonSchema(schema: object, where: string): (value: unknown) => string[] {
  const ajv = newAjv()
  const copy = { ...(schema as Json) }
  delete copy.$schema
  const validate = ajv.compile(copy)
  return (value) => (validate(value) ? [] : describeErrors(validate.errors, where))
}

interface ParamSpec {
  name: string
  in: string
  required: boolean
  schema: Json
  /** Swagger 2 collectionFormat, or OpenAPI 3 style/explode: how arrays are written in the query. */
  arrayForm: 'csv' | 'multi'
}

interface Operation {
  method: string
  template: string
  regex: RegExp
  pathKeys: string[]
  operationId: string | undefined
  deprecated: boolean
  params: ParamSpec[]
  bodyRef: string | undefined
  bodyRequired: boolean
  /** Status code -> schema reference of the response body. */
  responseRefs: Map<string, string>
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

const resolveLocal = (doc: Json, ref: string): Json => {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported here, got ${ref}`)
  let node: unknown = doc
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    node = (node as Json | undefined)?.[key]
  }
  if (!node || typeof node !== 'object') throw new Error(`$ref ${ref} does not resolve`)
  return node as Json
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options']

function collectOperations(doc: Json, specId: string): Operation[] {
  const ops: Operation[] = []
  const paths = (doc.paths ?? {}) as Record<string, Json>
  const swagger2 = typeof doc.swagger === 'string'
  for (const [template, item] of Object.entries(paths)) {
    const shared = (item.parameters ?? []) as Json[]
    for (const method of METHODS) {
      const op = item[method] as Json | undefined
      if (!op) continue
      const pointer = `${specId}#/paths/${escapePointer(template)}/${method}`
      const params: ParamSpec[] = []
      let bodyRef: string | undefined
      let bodyRequired = false
      const own = (op.parameters ?? []) as Json[]
      const all = [
        ...shared.map((p, i) => ({ p, ptr: `#/paths/${escapePointer(template)}/parameters/${i}` })),
      ]
      own.forEach((p, i) => all.push({ p, ptr: `${pointer.slice(specId.length)}/parameters/${i}` }))
      for (const { p: raw, ptr } of all) {
        const p = typeof raw.$ref === 'string' ? resolveLocal(doc, raw.$ref) : raw
        const where = p.in as string
        if (where === 'body') {
          bodyRef = `${specId}${ptr}/schema`
          bodyRequired = p.required === true
          continue
        }
        const schema = swagger2
          ? (Object.fromEntries(
              Object.entries(p).filter(([k]) =>
                [
                  'type',
                  'items',
                  'enum',
                  'format',
                  'maxItems',
                  'minItems',
                  'minimum',
                  'maximum',
                  'pattern',
                  'maxLength',
                  'minLength',
                ].includes(k),
              ),
            ) as Json)
          : ((p.schema ?? {}) as Json)
        const explode = p.explode !== false
        params.push({
          name: p.name as string,
          in: where,
          required: p.required === true,
          schema,
          arrayForm: swagger2
            ? p.collectionFormat === 'multi'
              ? 'multi'
              : 'csv'
            : explode
              ? 'multi'
              : 'csv',
        })
      }
      const rb = op.requestBody as Json | undefined
      if (rb) {
        const body = typeof rb.$ref === 'string' ? resolveLocal(doc, rb.$ref) : rb
        const content = (body.content ?? {}) as Record<string, Json>
        const first = Object.keys(content).find((k) => k.includes('json')) ?? Object.keys(content)[0]
        if (first && content[first]?.schema)
          bodyRef = `${pointer}/requestBody/content/${escapePointer(first)}/schema`
        bodyRequired = body.required === true
      }
      const responseRefs = new Map<string, string>()
      for (const [code, raw] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        if (typeof raw.$ref === 'string') continue
        if (swagger2) {
          if (raw.schema) responseRefs.set(code, `${pointer}/responses/${escapePointer(code)}/schema`)
          continue
        }
        const content = (raw.content ?? {}) as Record<string, Json>
        const media = Object.keys(content).find((k) => k.includes('json') && content[k]?.schema)
        if (media)
          responseRefs.set(
            code,
            `${pointer}/responses/${escapePointer(code)}/content/${escapePointer(media)}/schema`,
          )
      }
      const pathKeys: string[] = []
      const source = template
        .split('/')
        .map((seg) =>
          seg.replace(/\{([^}]+)\}|([^{]+)/g, (_m, key: string | undefined, lit: string | undefined) => {
            if (key !== undefined) {
              pathKeys.push(key)
              return '([^/]+)'
            }
            return (lit ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          }),
        )
        .join('/')
      ops.push({
        method: method.toUpperCase(),
        template,
        regex: new RegExp(`^${source}$`),
        pathKeys,
        operationId: op.operationId as string | undefined,
        deprecated: op.deprecated === true,
        params,
        bodyRef,
        bodyRequired,
        responseRefs,
      })
    }
  }
  // Literal segments win over templates ("/offer/withdraw_by_inventory_item_group" before "/offer/{offerId}").
  return ops.sort((a, b) => a.pathKeys.length - b.pathKeys.length)
}

const coerce = (raw: string, schema: Json): unknown => {
  const type = schema.type
  if (type === 'integer' || type === 'number') {
    const n = Number(raw)
    return raw.trim() === '' || Number.isNaN(n) ? raw : n
  }
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw
  return raw
}

/**
 * OpenAPI 3.0's `nullable` is not JSON Schema: written as a type union where a type is given, as an anyOf with
 * null where it is not (bol's specs put it beside allOf). Changes the copy in place, so pointers stay valid.
 */
function rewriteNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) rewriteNullable(n)
    return
  }
  if (!node || typeof node !== 'object') return
  const o = node as Json
  for (const v of Object.values(o)) rewriteNullable(v)
  if (o.nullable !== true) return
  delete o.nullable
  if (typeof o.$ref === 'string') return
  if (typeof o.type === 'string') {
    o.type = [o.type, 'null']
    if (Array.isArray(o.enum) && !o.enum.includes(null)) o.enum = [...(o.enum as unknown[]), null]
    return
  }
  const rest = { ...o }
  for (const k of Object.keys(o)) delete o[k]
  o.anyOf = [{ type: 'null' }, rest]
}

/** Builds a validator over one spec document (already parsed from JSON or YAML). */
export function createSpecValidator(doc: object, name: string): SpecValidator {
  const ajv = newAjv()
  const specId = `spec-${name.replace(/[^a-z0-9]+/gi, '-')}`
  const root: Json = { ...(structuredClone(doc) as Json), $id: specId }
  if (typeof root.openapi === 'string') rewriteNullable(root)
  delete root.$schema
  ajv.addSchema(root)
  const ops = collectOperations(root, specId)
  const compiled = new Map<string, ValidateFunction>()
  const validatorFor = (key: string, schema: object): ValidateFunction => {
    let v = compiled.get(key)
    if (!v) {
      v = ajv.compile(schema)
      compiled.set(key, v)
    }
    return v
  }
  const find = (method: string, path: string) => {
    for (const op of ops) {
      if (op.method !== method.toUpperCase()) continue
      const m = op.regex.exec(path)
      if (m) return { op, match: m }
    }
    return undefined
  }

  return {
    name,
    isDeprecated: (method, path) => find(method, path)?.op.deprecated ?? false,
    checkResponse(method, path, status, body) {
      const found = find(method, path)
      if (!found) return [`${method.toUpperCase()} ${path}: no such operation in ${name}`]
      const ref = found.op.responseRefs.get(String(status))
      if (!ref) return []
      const label = `${found.op.operationId ?? found.op.template} response ${status}`
      const v = validatorFor(`${label}`, { $ref: ref })
      return v(body) ? [] : describeErrors(v.errors, label)
    },
    check(req: SpecRequest): SpecCheck {
      const found = find(req.method, req.path)
      if (!found)
        return {
          operationId: undefined,
          errors: [`${req.method.toUpperCase()} ${req.path}: no such operation in ${name}`],
        }
      const { op, match } = found
      const errors: string[] = []
      const label = `${op.operationId ?? op.template}`
      const query = req.query ?? new URLSearchParams()
      for (const p of op.params) {
        if (p.in === 'path') {
          const idx = op.pathKeys.indexOf(p.name)
          const raw = idx >= 0 ? decodeURIComponent(match[idx + 1] ?? '') : undefined
          if (raw === undefined) continue
          const v = validatorFor(`${label}:path:${p.name}`, p.schema)
          if (!v(coerce(raw, p.schema)))
            errors.push(...describeErrors(v.errors, `${label} path parameter "${p.name}"`))
          continue
        }
        if (p.in === 'header') {
          if (
            req.headers &&
            p.required &&
            !Object.keys(req.headers).some((h) => h.toLowerCase() === p.name.toLowerCase())
          )
            errors.push(`${label}: missing required header "${p.name}"`)
          continue
        }
        if (p.in !== 'query') continue
        const values = query.getAll(p.name)
        if (values.length === 0) {
          if (p.required) errors.push(`${label}: missing required query parameter "${p.name}"`)
          continue
        }
        let value: unknown
        if (p.schema.type === 'array') {
          const items = (p.schema.items ?? {}) as Json
          const parts = p.arrayForm === 'csv' && values.length === 1 ? (values[0] ?? '').split(',') : values
          value = parts.map((x) => coerce(x, items))
        } else {
          if (values.length > 1)
            errors.push(`${label}: query parameter "${p.name}" given ${values.length} times`)
          value = coerce(values[0] ?? '', p.schema)
        }
        const v = validatorFor(`${label}:query:${p.name}`, p.schema)
        if (!v(value)) errors.push(...describeErrors(v.errors, `${label} query parameter "${p.name}"`))
      }
      const known = new Set(op.params.filter((p) => p.in === 'query').map((p) => p.name))
      for (const key of new Set(query.keys()))
        if (!known.has(key)) errors.push(`${label}: query parameter "${key}" is not in the spec`)
      if (req.body === undefined) {
        if (op.bodyRequired) errors.push(`${label}: the request body is required`)
      } else if (op.bodyRef) {
        const v = validatorFor(`${label}:body`, { $ref: op.bodyRef })
        if (!v(req.body)) errors.push(...describeErrors(v.errors, `${label} body`))
      } else errors.push(`${label}: this operation takes no request body`)
      return { operationId: op.operationId, errors }
    },
  }
}
