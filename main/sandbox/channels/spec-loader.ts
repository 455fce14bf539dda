// Finds the official marketplace specs next to the project (../shared/specs) and turns them into validators.
// The specs are optional: simulators always check requests against the schemas they embed (written from the
// docs) and check them against the official files in addition when those are present.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import {
  compileJsonSchema,
  createSpecValidator,
  type SpecValidator,
} from './spec-validation'

const findRepoRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir
    dir = dirname(dir)
  }
  return process.cwd()
}

/** The directory holding the official specs, or undefined when it is absent. */
export function specsDir(): string | undefined {
  const fromEnv = process.env.LASTUNIT_SPECS_DIR
  const dir = fromEnv ? resolve(fromEnv) : resolve(findRepoRoot(), '..', 'shared', 'specs')
  return existsSync(dir) ? dir : undefined
}

const docs = new Map<string, object | null>()

/** Reads one spec file (JSON or YAML) by its path under the specs directory; null when absent. */
export function readSpecFile(relPath: string): object | null {
  if (docs.has(relPath)) return docs.get(relPath) ?? null
  const dir = specsDir()
  const file = dir ? join(dir, relPath) : undefined
  let doc: object | null = null
  if (file && existsSync(file)) {
    const text = readFileSync(file, 'utf8')
    doc = (
      relPath.endsWith('.yaml') || relPath.endsWith('.yml') ? parseYaml(text) : JSON.parse(text)
    ) as object
  }
  docs.set(relPath, doc)
  return doc
}

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
