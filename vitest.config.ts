import { defineConfig } from 'vitest/config'

// Unit tests of core are fast and run in parallel; integration tests use real SQLite files and
// simulators on loopback and get a longer timeout.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/contract/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    restoreMocks: true,
  },
})
