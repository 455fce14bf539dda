import { readFileSync } from 'node:fs'

/** The app version from package.json (found relative to this module in source and built layouts). */
export function appVersion(): string {
  for (const rel of ['../../../package.json', '../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string
        version?: string
      }
      if (pkg.name === 'lastunit' && pkg.version) return pkg.version
    } catch {
      /* try the next layout */
    }
  }
  return '0.0.0'
}
