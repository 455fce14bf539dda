import { defineConfig } from 'vitest/config'

// `npm run test:real-odoo`: the suite against a real Odoo (test/real-odoo), one file at a time, with the
// patience a real server and a 75 s transaction need. Not part of `npm test` (CI has no Odoo).
export default defineConfig({
  test: {
    include: ['test/real-odoo/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    reporters: ['verbose'],
  },
})
