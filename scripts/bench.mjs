// `npm run bench -- NAME` runs bench/NAME.ts under tsx. Each benchmark prints a readable table and, as its
// last line, one JSON object with the figures its issue names.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'

const name = process.argv[2]
const available = readdirSync(new URL('../bench', import.meta.url))
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- NAME\nAvailable: ${available.join(', ') || '(none)'}`)
  process.exit(2)
}
const file = new URL(`../bench/${name}.ts`, import.meta.url).pathname
if (!existsSync(file)) process.exit(2)
const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file, ...process.argv.slice(3)], {
  stdio: 'inherit',
})
process.exit(r.status ?? 1)
