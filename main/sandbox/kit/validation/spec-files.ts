// Finds the official marketplace specs next to the project (../shared/specs, or LASTUNIT_SPECS_DIR) and reads
// them. The specs are optional: simulators always check requests against the schemas they embed (written from
// the docs) and check them against the official files in addition when those are present.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

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

/**
 * Reads one spec file (JSON, or YAML by its extension) by its path under `dir` (default: specsDir()); null
 * when the directory or the file is absent.
 */
export function readSpecFile(relPath: string, dir: string | undefined = specsDir()): object | null {
  const file = dir ? join(dir, relPath) : undefined
  if (file === undefined) return null
  if (docs.has(file)) return docs.get(file) ?? null
  let doc: object | null = null
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8')
    doc = (
      relPath.endsWith('.yaml') || relPath.endsWith('.yml') ? parseYaml(text) : JSON.parse(text)
    ) as object
  }
  docs.set(file, doc)
  return doc
}
