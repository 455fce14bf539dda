// `npm start` on a machine without the Electron binary, and the end-to-end tests: the app in a browser.
import { fileURLToPath } from 'node:url'
import { defaultDataDir } from './node/app-info/paths'
import { startPreview } from './node/preview/preview-host'
import type { DemoEnvironment, DemoEnvironmentOptions } from './sandbox/demo-env'

const arg = (name: string) => {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const dataDir = arg('--data-dir') ?? defaultDataDir()
const port = arg('--port')
const rendererDir = arg('--renderer') ?? fileURLToPath(new URL('../out/renderer', import.meta.url))

// The composition root hands the demo to the runtime; the simulators load only when the demo starts.
const demo = async (o: DemoEnvironmentOptions): Promise<DemoEnvironment> =>
  (await import('./sandbox/demo-env')).startDemoEnvironment({ ...o, fasterOrders: true })

const preview = await startPreview({ dataDir, rendererDir, demo, ...(port ? { port: Number(port) } : {}) })
console.log(`LastUnit preview: open ${preview.host.openUrl}`)
console.log(`Data directory: ${dataDir}. Press Ctrl+C to stop.`)
const stop = () => void preview.stop().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
