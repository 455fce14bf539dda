#!/usr/bin/env node
// The `lastunit` command. In a source checkout it runs the TypeScript source through tsx (never a stale
// build); in an installed package, the built CLI (out/main/cli.js).
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const source = `${root}main/cli.ts`
const built = `${root}out/main/cli.js`
const args = process.argv.slice(2)
const useSource = existsSync(source) && existsSync(`${root}node_modules/tsx`)
const r = useSource
  ? spawnSync(process.execPath, ['--import', 'tsx', source, ...args], { stdio: 'inherit' })
  : spawnSync(process.execPath, [built, ...args], { stdio: 'inherit' })
process.exit(r.status ?? 1)
