// `npm run test:real-odoo`: runs test/real-odoo against the Odoo named by ODOO_URL, ODOO_DB, ODOO_USER and
// ODOO_KEY, or says in one line why it does not.
import { spawnSync } from 'node:child_process'

const missing = ['ODOO_URL', 'ODOO_DB', 'ODOO_USER', 'ODOO_KEY'].filter((k) => !process.env[k])
if (missing.length > 0) {
  console.log(
    `test:real-odoo skipped: ${missing.join(', ')} not set (../shared/tools/real-odoo/start.sh prints the export line for a local Odoo 18 or 19).`,
  )
  process.exit(0)
}
const root = new URL('..', import.meta.url).pathname
const r = spawnSync(
  `${root}node_modules/.bin/vitest`,
  ['run', '-c', 'vitest.real-odoo.config.ts', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
)
process.exit(r.status ?? 1)
