// Typechecks each layer with its own tsconfig, so a layer cannot lean on types (node, DOM, electron)
// that it must not use. Runs two at a time (CI has two cores).
import { spawn } from 'node:child_process'

const layers = ['shared', 'core', 'node', 'electron', 'preload', 'web', 'test']
const tsc = new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname

const run = (layer) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', `tsconfig.${layer}.json`, '--pretty'], {
      stdio: 'pipe',
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('close', (code) => resolve({ layer, code, out }))
  })

let failed = 0
const queue = [...layers]
const worker = async () => {
  while (queue.length > 0) {
    const layer = queue.shift()
    const r = await run(layer)
    if (r.code === 0) console.log(`typecheck ${layer}: ok`)
    else {
      failed++
      console.log(`typecheck ${layer}: FAILED\n${r.out}`)
    }
  }
}
await Promise.all([worker(), worker()])
process.exit(failed === 0 ? 0 : 1)
