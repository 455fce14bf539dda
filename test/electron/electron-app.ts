// Launching the real desktop app for the Playwright Electron tests. Where the Electron binary was never
// downloaded (sandboxes without network), the tests skip with that reason instead of failing.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { _electron, type ElectronApplication, type Page } from '@playwright/test'

const root = process.cwd()

/**
 * The Electron executable, or null. Never require('electron') here: when the binary is missing, that
 * require starts a download.
 */
export function electronBinary(): string | null {
  const pkg = join(root, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return null
  const rel = readFileSync(pathFile, 'utf8').trim()
  const bin = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel)
    : join(pkg, 'dist', rel)
  return existsSync(bin) ? bin : null
}

export const SKIP_REASON =
  'The Electron binary is not installed (node_modules/electron/dist is missing, e.g. no network at npm ci); ' +
  'these tests run where Electron can be downloaded (CI on windows, macOS and ubuntu).'

/**
 * Builds main, preload and renderer once if out/ is missing, and prepares better-sqlite3 for Electron's
 * ABI (.native/), as `npm start` does: the node_modules build is for Node.
 */
export async function ensureBuilt(): Promise<string> {
  const { ensureElectronNative } = (await import(
    pathToFileURL(join(root, 'scripts', 'ensure-electron-native.mjs')).href
  )) as { ensureElectronNative(): string }
  ensureElectronNative()
  const main = join(root, 'out', 'main', 'index.js')
  if (!existsSync(main) || process.env.LASTUNIT_REBUILD === '1')
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
      {
        stdio: 'inherit',
      },
    )
  return main
}

export interface LaunchedApp {
  app: ElectronApplication
  page: Page
  dataDir: string
  close(): Promise<void>
}

/** Starts LastUnit with its own data directory, so tests never touch the seller's data or each other. */
export async function launchApp(extraArgs: string[] = []): Promise<LaunchedApp> {
  const bin = electronBinary()
  if (!bin) throw new Error(SKIP_REASON)
  await ensureBuilt()
  const dataDir = mkdtempSync(join(tmpdir(), 'lastunit-electron-'))
  const app = await _electron.launch({
    executablePath: bin,
    // The project folder, not the script: package.json names the entry (out/main/index.js) and the app
    // finds its assets (tray icons) from there, as in `npm start`.
    args: [root, `--data-dir=${dataDir}`, ...extraArgs],
    env: { ...process.env, LASTUNIT_TEST_HOOKS: '1', ELECTRON_ENABLE_LOGGING: '1' },
  })
  const page = await app.firstWindow()
  await page.waitForLoadState('domcontentloaded')
  return {
    app,
    page,
    dataDir,
    close: async () => {
      await app.close().catch(() => {})
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
