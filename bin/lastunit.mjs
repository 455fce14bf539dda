#!/usr/bin/env node
// The `lastunit` command. In a source checkout it runs main/cli.ts bundled by esbuild into a cache that is
// used only while every source it was built from is unchanged (bin/cli-cache.mjs): never a stale build, and
// no compilation when nothing changed. When esbuild cannot build it, the source runs through tsx as before.
// In an installed package (no main/cli.ts), the built CLI (out/main/cli.js).
// The CLI runs in this process (not a child): signals such as Ctrl+C or a kill reach it directly, and stdio
// and the exit code are its own.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const source = `${root}main/cli.ts`
const built = `${root}out/main/cli.js`

/** Loads a CLI module as `node FILE ...args` would: main/cli.ts checks process.argv[1] to know it is the entry. */
const run = async (file) => {
  process.argv[1] = file
  await import(pathToFileURL(file).href)
}

/** The error of esbuild (or of the cache) on one line. */
const oneLine = (e) => {
  const first = e?.errors?.[0]
  const text = first
    ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}`
    : e instanceof Error
      ? e.message
      : String(e)
  return text.split('\n')[0]
}

if (!existsSync(source)) await run(built)
else {
  let bundle
  try {
    const { cachedBuild } = await import('./cli-cache.mjs')
    bundle = (await cachedBuild({ root, entry: source })).file
    process.setSourceMapsEnabled(true) // stack traces name the TypeScript files, as under tsx
    try {
      await run(bundle)
    } catch (e) {
      // Removed between the check and the load (another process cleaned the cache after a rebuild):
      // nothing of it ran, so check again.
      if (e?.code !== 'ERR_MODULE_NOT_FOUND' || existsSync(bundle)) throw e
      bundle = (await cachedBuild({ root, entry: source })).file
      await run(bundle)
    }
  } catch (e) {
    if (bundle) throw e // the CLI itself failed: as `node cli.js` would
    let tsx
    try {
      tsx = import.meta.resolve('tsx') // from here, not from the working directory as `--import tsx` would
    } catch {
      /* not installed */
    }
    process.stderr.write(
      `lastunit: cannot bundle main/cli.ts with esbuild (${oneLine(e)}); running ${tsx ? 'the source through tsx' : 'out/main/cli.js'}\n`,
    )
    if (!tsx) await run(built)
    else {
      const r = spawnSync(process.execPath, ['--import', tsx, source, ...process.argv.slice(2)], {
        stdio: 'inherit',
      })
      process.exit(r.status ?? 1)
    }
  }
}
