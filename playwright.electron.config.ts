import { defineConfig } from '@playwright/test'

// The real desktop app under Playwright's Electron driver (test/electron). Kept apart from the browser
// end-to-end tests (playwright.config.ts, test/e2e): these need the Electron binary and skip without it.
// On Linux without a display, run under xvfb-run.
export default defineConfig({
  testDir: 'test/electron',
  testMatch: /.*\.spec\.ts$/,
  timeout: 90_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/electron',
})
