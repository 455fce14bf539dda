// `npm test`: every suite, in the order that fails fastest, then one summary line
// "N passed, N failed, N skipped" (the line CI reads). Suites: typecheck (per layer), lint, unit +
// integration + contract tests (vitest), the production build, end-to-end tests (Playwright, Chromium).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'

const root = new URL('..', import.meta.url).pathname
const totals = { passed: 0, failed: 0, skipped: 0 }
const rows = []

const run = (cmd, args, env = {}) => {
  const started = Date.now()
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  return { status: r.status ?? 1, ms: Date.now() - started }
}
const record = (suite, passed, failed, skipped, ms) => {
  totals.passed += passed
  totals.failed += failed
  totals.skipped += skipped
  rows.push({ suite, passed, failed, skipped, s: (ms / 1000).toFixed(1) })
}
const npx = (bin) => `${root}node_modules/.bin/${bin}`

// 1. Typecheck, one tsconfig per layer.
{
  const r = run(process.execPath, ['scripts/typecheck.mjs'])
  record('typecheck', r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1, 0, r.ms)
}
// 2. Lint, zero warnings.
{
  const r = run(npx('eslint'), ['.', '--max-warnings=0'])
  record('lint', r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1, 0, r.ms)
}
// 3. Vitest: unit, integration, contract.
{
  const out = `${root}.vitest-results.json`
  rmSync(out, { force: true })
  const r = run(npx('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`])
  if (existsSync(out)) {
    const j = JSON.parse(readFileSync(out, 'utf8'))
    const failedSuites = (j.testResults ?? []).filter(
      (t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0,
    ).length
    record(
      'vitest',
      j.numPassedTests,
      j.numFailedTests + failedSuites,
      j.numPendingTests + (j.numTodoTests ?? 0),
      r.ms,
    )
  } else record('vitest', 0, 1, 0, r.ms)
}
// 4. Build (main, preload, renderer) — the end-to-end tests use the built renderer.
{
  const r = run(npx('electron-vite'), ['build'])
  record('build', r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1, 0, r.ms)
}
// 5. End-to-end in Chromium.
{
  const out = `${root}.playwright-results.json`
  rmSync(out, { force: true })
  const r = run(npx('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out })
  if (existsSync(out)) {
    const s = JSON.parse(readFileSync(out, 'utf8')).stats ?? {}
    record('e2e', (s.expected ?? 0) + (s.flaky ?? 0), s.unexpected ?? 0, s.skipped ?? 0, r.ms)
  } else record('e2e', 0, 1, 0, r.ms)
}

console.log('\nSuite       passed  failed  skipped  seconds')
for (const r of rows)
  console.log(
    `${r.suite.padEnd(11)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}  ${r.s.padStart(7)}`,
  )
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(totals.failed === 0 ? 0 : 1)
