// Checks a request as the simulated API does: against the schemas the simulator embeds always, and against
// the official OpenAPI/Swagger spec (path, query and body) or a plain JSON Schema file when the specs exist.
import {
  compileJsonSchema,
  createSpecValidator,
  type SpecValidator,
} from '../../channels/spec-validation'
import { createOpenApiValidator, type SchemaValidator } from './schema-validator'
import { readSpecFile } from './spec-files'

const validators = new Map<string, SpecValidator | null>()

/** An OpenAPI/Swagger validator for one spec file, or null when the specs are not there. */
export function loadSpecValidator(relPath: string): SpecValidator | null {
  if (validators.has(relPath)) return validators.get(relPath) ?? null
  const doc = readSpecFile(relPath)
  const v = doc ? createSpecValidator(doc, relPath) : null
  validators.set(relPath, v)
  return v
}

const schemas = new Map<string, ((value: unknown) => string[]) | null>()

/** A validator for a plain JSON Schema file (e.g. a feed document schema), or null when absent. */
export function loadJsonSchemaValidator(relPath: string): ((value: unknown) => string[]) | null {
  if (schemas.has(relPath)) return schemas.get(relPath) ?? null
  const doc = readSpecFile(relPath)
  const v = doc ? compileJsonSchema(doc, relPath) : null
  schemas.set(relPath, v)
  return v
}

/** Problems with a request: embedded schema first, then the official spec when it is loaded. */
export function requestProblems(
  embedded: ((value: unknown) => string[]) | undefined,
  spec: SpecValidator | null,
  req: { method: string; path: string; query: URLSearchParams; body: unknown },
): string[] {
  const problems = embedded ? embedded(req.body) : []
  if (spec) problems.push(...spec.check(req).errors)
  return [...new Set(problems)]
}

/**
 * The component schemas of an official OpenAPI file, by schema name: `dir` null never loads them, undefined
 * looks where the specs are (specsDir()); undefined when the file is absent.
 */
export function loadComponentSchemas(
  relPath: string,
  dir: string | null | undefined,
): SchemaValidator | undefined {
  if (dir === null) return undefined
  const doc = dir === undefined ? readSpecFile(relPath) : readSpecFile(relPath, dir)
  return doc ? createOpenApiValidator(doc) : undefined
}
