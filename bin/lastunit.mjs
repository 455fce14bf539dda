#!/usr/bin/env node
// The `lastunit` command: the built CLI (out/main/cli.js) when present, otherwise the TypeScript source
// through tsx (a development checkout).
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const built = `${root}out/main/cli.js`
const args = process.argv.slice(2)
const r = existsSync(built)
  ? spawnSync(process.execPath, [built, ...args], { stdio: 'inherit' })
  : spawnSync(process.execPath, ['--import', 'tsx', `${root}main/cli.ts`, ...args], { stdio: 'inherit' })
process.exit(r.status ?? 1)
