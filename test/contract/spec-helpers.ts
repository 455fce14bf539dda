// Shared by the contract tests: where the official specs are, a validator per spec file, and a check of every
// request a simulator recorded against the spec its path belongs to.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import {
  compileJsonSchema,
  createSpecValidator,
  type SpecValidator,
} from '../../main/sandbox/channels/spec-validation'
import type { RecordedRequest } from '../../main/sandbox/channels/sim-toolkit'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const specsDir = resolve(repoRoot, '..', 'shared', 'specs')

/** True when every named spec file is present. */
export const hasSpecs = (...files: string[]): boolean => files.every((f) => existsSync(join(specsDir, f)))

export const missingSpecsMessage = (channel: string): string =>
  `${channel} contract tests skipped: the official specs are not at ${specsDir} (see ../shared/specs/SOURCES.md)`

const readDoc = (file: string): object => {
  const text = readFileSync(join(specsDir, file), 'utf8')
  return (file.endsWith('.yaml') ? parseYaml(text) : JSON.parse(text)) as object
}

const validators = new Map<string, SpecValidator>()
export function specValidator(file: string): SpecValidator {
  let v = validators.get(file)
  if (!v) {
    v = createSpecValidator(readDoc(file), file)
    validators.set(file, v)
  }
  return v
}

export function jsonSchemaValidator(file: string): (value: unknown) => string[] {
  return compileJsonSchema(readDoc(file), file)
}

export interface ContractReport {
  /** operationId (or path) -> number of requests seen. */
  operations: Map<string, number>
  problems: string[]
  deprecated: string[]
  /** Where the simulator's own successful answers differ from the spec's response schemas. */
  responseProblems: string[]
}

/**
 * Checks each recorded request against the spec file it belongs to. `basePath` strips a server base that the
 * spec's paths leave out (eBay's /sell/inventory/v1). Requests without a spec (token endpoints) are skipped.
 */
export function checkRecorded(
  received: RecordedRequest[],
  basePaths: Record<string, string> = {},
): ContractReport {
  const operations = new Map<string, number>()
  const problems: string[] = []
  const deprecated: string[] = []
  const responseProblems: string[] = []
  for (const r of received) {
    if (!r.spec || !r.spec.match(/\.(json|yaml)$/) || r.spec.includes('feed-schema')) continue
    const v = specValidator(r.spec)
    const base = basePaths[r.spec] ?? ''
    const path = base && r.path.startsWith(base) ? r.path.slice(base.length) : r.path
    const check = v.check({ method: r.method, path, query: r.query, body: r.body, headers: r.headers })
    const key = check.operationId ?? `${r.method} ${path}`
    operations.set(key, (operations.get(key) ?? 0) + 1)
    if (v.isDeprecated(r.method, path)) deprecated.push(key)
    for (const e of check.errors) problems.push(`${r.method} ${r.path}: ${e}`)
    const res = r.response
    if (res && res.status < 300 && res.body !== null && typeof res.body === 'object')
      for (const e of v.checkResponse(r.method, path, res.status, res.body))
        responseProblems.push(`answer to ${r.method} ${r.path}: ${e}`)
  }
  return {
    operations,
    problems: [...new Set(problems)],
    deprecated: [...new Set(deprecated)],
    responseProblems: [...new Set(responseProblems)],
  }
}
