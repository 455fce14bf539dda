// Doyensec's electronegativity over the app's code (main, preload, shared, the renderer's page and
// sources; not node_modules, tests or tools). Its CLI does not start here (it needs commander 2, the project hoists
// commander 14), so its own runner is called, the same engine the CLI drives.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../helpers/app'

interface Issue {
  id: string
  file: string
  location: { line: number; column: number }
  severity: { name: string }
  confidence: { name: string }
  manualReview: boolean
  description: string
}
type Runner = (
  opts: Record<string, unknown>,
  forCli: boolean,
) => Promise<{ issues: Issue[]; errors: unknown[] }>

const require = createRequire(import.meta.url)
const run = require('@doyensec/electronegativity/dist/runner.js') as Runner

/**
 * Checks left out, each with its reason:
 * - AvailableSecurityFixesGlobalCheck downloads Electron's release list from the internet (none in CI's
 *   test job); the Electron version is pinned in package-lock.json and updated with it.
 */
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck']

/** Lower-severity findings that were reviewed, and why they stay. */
const REVIEWED: Record<string, string> = {
  CSP_GLOBAL_CHECK:
    'asks for a manual review of the CSP; window-security.test.ts checks it is strict, in the page and in the app:// header',
  PRELOAD_JS_CHECK:
    'a preload is used; preload.test.ts checks it exposes only the contract methods, frozen, without ipcRenderer',
  ELECTRON_VERSION_JSON_CHECK:
    'cannot tell whether 45.5.0 is current without the internet; the version is pinned and updated with the lockfile',
}

const scan = async (input: string) =>
  run(
    {
      input,
      isRelative: true,
      customScan: [],
      excludeFromScan: EXCLUDED,
      parserPlugins: [],
      electronVersionOverride: '45.5.0',
    },
    false,
  )

const root = process.cwd()
const tmp = tempDir('lastunit-electronegativity-')
afterAll(() => tmp.cleanup())

const describeIssues = (issues: Issue[]) =>
  issues.map((i) => `${i.severity.name} ${i.id} ${i.file}:${i.location.line}`).join('\n')

describe('electronegativity', () => {
  it('finds no HIGH severity issue in the app', async () => {
    const project = join(tmp.dir, 'project')
    mkdirSync(join(project, 'renderer'), { recursive: true })
    for (const d of ['main', 'preload', 'shared'])
      cpSync(join(root, d), join(project, d), { recursive: true })
    cpSync(join(root, 'renderer', 'index.html'), join(project, 'renderer', 'index.html'))
    cpSync(join(root, 'renderer', 'src'), join(project, 'renderer', 'src'), { recursive: true })
    cpSync(join(root, 'package.json'), join(project, 'package.json'))
    const r = await scan(project)
    expect(r.errors).toEqual([])
    const high = r.issues.filter((i) => i.severity.name === 'HIGH')
    expect(high, describeIssues(high)).toEqual([])
    // What remains was reviewed; anything new fails here until someone reviews it too.
    const reviewed = new Set(Object.keys(REVIEWED))
    const unreviewed = r.issues.filter((i) => !reviewed.has(i.id))
    expect(unreviewed, describeIssues(unreviewed)).toEqual([])
  }, 60_000)

  it('does report an insecure window (the scan is not blind)', async () => {
    const bad = join(tmp.dir, 'bad')
    mkdirSync(bad, { recursive: true })
    writeFileSync(join(bad, 'package.json'), JSON.stringify({ devDependencies: { electron: '45.5.0' } }))
    writeFileSync(
      join(bad, 'main.js'),
      "const { BrowserWindow } = require('electron')\n" +
        'new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } })\n',
    )
    const r = await scan(bad)
    expect(r.issues.filter((i) => i.severity.name === 'HIGH').map((i) => i.id)).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']),
    )
  }, 60_000)
})
