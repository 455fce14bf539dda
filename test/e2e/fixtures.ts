// Each test gets its own data directory and a preview host (the real handlers and store) serving the
// built renderer.
import { test as base } from '@playwright/test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startPreview, type Preview } from '../../main/node/preview/preview-host'
import { startDemoEnvironment, type DemoEnvironment } from '../../main/sandbox/demo-env'

export const rendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url))

/** The preview host as main/preview.ts starts it: the demo's simulators handed to its runtime. */
export type DemoPreview = Preview<DemoEnvironment>

export const test = base.extend<{ preview: DemoPreview }>({
  // Playwright needs the destructuring pattern to see which fixtures this one uses (none).
  // eslint-disable-next-line no-empty-pattern
  preview: async ({}, use) => {
    if (!existsSync(join(rendererDir, 'index.html')))
      throw new Error(`The renderer is not built (${rendererDir}); run "npm run build" first.`)
    const dataDir = mkdtempSync(join(tmpdir(), 'lastunit-e2e-'))
    const preview = await startPreview({
      dataDir,
      rendererDir,
      passphrase: 'e2e-test-passphrase-0123456789',
      demo: startDemoEnvironment,
    })
    await use(preview)
    await preview.stop()
    rmSync(dataDir, { recursive: true, force: true })
  },
})

export { expect } from '@playwright/test'
