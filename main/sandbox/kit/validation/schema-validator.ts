// JSON-schema validation of request bodies by schema name: schemas the simulators embed, written from the
// channel docs, and the component schemas of an official OpenAPI 3.0 file when ../shared/specs has it. OpenAPI
// 3.0 is not JSON Schema (nullable, int32/int64 formats, examples), so component schemas are converted first.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'

export interface SchemaValidator {
  /** Problems as "where: what" lines; empty when the value is valid. */
  check(schemaName: string, value: unknown): string[]
  has(schemaName: string): boolean
}

const convert = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(convert)
  if (node === null || typeof node !== 'object') return node
  const src = node as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(src)) {
    if (k === 'nullable' || k === 'example' || k === 'xml' || k === 'discriminator') continue
    out[k] = convert(v)
  }
  if (src['nullable'] !== true) return out
  if (typeof out['type'] === 'string') {
    out['type'] = [out['type'], 'null']
    if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null]
    return out
  }
  return { anyOf: [out, { type: 'null' }] }
}

const newAjv = (): Ajv => {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true })
  addFormats(ajv)
  for (const f of ['int32', 'int64', 'double', 'float']) ajv.addFormat(f, true)
  ajv.addFormat('gtin-13', /^\d{13}$/)
  return ajv
}

export const formatAjvErrors = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => {
    const where = e.instancePath === '' ? '(body)' : e.instancePath
    const extra =
      e.keyword === 'additionalProperties'
        ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"`
        : e.keyword === 'enum'
          ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')})`
          : ''
    return `${where}: ${e.message ?? 'is invalid'}${extra}`
  })

/** Validator over `{ name: JSON schema }`, for the schemas embedded in each simulator. */
export function createSchemaValidator(schemas: Record<string, object>): SchemaValidator {
  const ajv = newAjv()
  const compiled = new Map<string, ValidateFunction>()
  ajv.addSchema({ $id: 'embedded', definitions: schemas })
  return {
    has: (name) => name in schemas,
    check(name, value) {
      let fn = compiled.get(name)
      if (!fn) {
        const got = ajv.getSchema(`embedded#/definitions/${name}`)
        if (!got) throw new Error(`No embedded schema named ${name}`)
        fn = got
        compiled.set(name, fn)
      }
      return fn(value) ? [] : formatAjvErrors(fn.errors)
    },
  }
}

/** Validator over the component schemas of an OpenAPI 3.0 document. */
export function createOpenApiValidator(doc: unknown): SchemaValidator {
  const ajv = newAjv()
  const components = (doc as { components?: { schemas?: Record<string, unknown> } }).components
  const schemas = (convert(components?.schemas ?? {}) ?? {}) as Record<string, unknown>
  ajv.addSchema({ $id: 'spec', components: { schemas } })
  const compiled = new Map<string, ValidateFunction>()
  return {
    has: (name) => name in schemas,
    check(name, value) {
      let fn = compiled.get(name)
      if (!fn) {
        const got = ajv.getSchema(`spec#/components/schemas/${name}`)
        if (!got) throw new Error(`The spec has no component schema named ${name}`)
        fn = got
        compiled.set(name, fn)
      }
      return fn(value) ? [] : formatAjvErrors(fn.errors)
    },
  }
}
