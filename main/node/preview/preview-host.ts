// The app without Electron: the store, the runtime (engine, demo) and the API handlers behind the browser
// host. `npm start` uses it where Electron is not installed, and the end-to-end tests drive it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { openDatabase, type Database } from '../db/database'
import { databaseFile } from '../app-info/paths'
import { appVersion } from '../app-info/version'
import { createHandlers } from '../api/handlers'
import { createDispatcher } from '../api/dispatcher'
import { createEventBatcher } from '../api/event-batcher'
import { toEventDto } from '../api/engine-events'
import { startBrowserHost, type BrowserHost } from './browser-host'
import { createKeyVault } from '../secrets/key-vault'
import { vaultSalt, verifyVault } from '../secrets/vault-salt'
import { Runtime, type RuntimeOptions } from '../runtime/runtime'
import type { DemoFactory, RuntimeDemo } from '../runtime/runtime-demo'

export interface PreviewOptions<D extends RuntimeDemo = RuntimeDemo> {
  dataDir: string
  rendererDir: string
  port?: number
  /** Passphrase for the credentials vault; defaults to LASTUNIT_KEY, else a per-data-dir key file. */
  passphrase?: string
  /** Engine and adapter options (tests use short intervals). */
  runtime?: Pick<RuntimeOptions, 'engineOptions' | 'adapterOptions' | 'retryMs'>
  /** Start the runtime (engine, when configured). Default true. */
  autoStart?: boolean
  /** The demo behind "Try the demo", handed to the runtime (main/preview.ts passes the simulators'). */
  demo?: DemoFactory<D>
}

export interface Preview<D extends RuntimeDemo = RuntimeDemo> {
  host: BrowserHost
  /** The seller's database (the demo has its own: runtime.db while it runs). */
  db: Database
  runtime: Runtime<D>
  stop(): Promise<void>
}

/**
 * The preview is a development and test host. Without LASTUNIT_KEY it keeps its vault key in a file beside
 * the database (owner-only), which is why the desktop app, not the preview, is what sellers run.
 */
function previewPassphrase(dataDir: string, explicit?: string): string {
  if (explicit) return explicit
  if (process.env.LASTUNIT_KEY) return process.env.LASTUNIT_KEY
  const file = join(dataDir, 'preview.key')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const key = randomBytes(32).toString('base64url')
  writeFileSync(file, key, { mode: 0o600 })
  return key
}

export async function startPreview<D extends RuntimeDemo = RuntimeDemo>(
  opts: PreviewOptions<D>,
): Promise<Preview<D>> {
  const db = openDatabase(databaseFile(opts.dataDir))
  const vault = createKeyVault(previewPassphrase(opts.dataDir, opts.passphrase), vaultSalt(db))
  verifyVault(db, vault)
  const runtime = new Runtime<D>({
    db,
    vault,
    dataDir: opts.dataDir,
    host: 'browser',
    version: appVersion(),
    ...opts.runtime,
    ...(opts.demo ? { demo: opts.demo } : {}),
  })
  const services = runtime.handlerContext()
  const handlers = createHandlers(services)
  const host = await startBrowserHost({
    rendererDir: opts.rendererDir,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    makeDispatch: (isTrustedSender) => createDispatcher(handlers, { isTrustedSender }),
  })
  const batcher = createEventBatcher({ send: (events) => host.broadcast(events) })
  let seq = 0
  // A status event at most once a second while the engine is busy, so the header and dashboard follow.
  let statusTimer: ReturnType<typeof setTimeout> | null = null
  const unsubscribe = runtime.subscribe((event) => {
    const dto = toEventDto(event, () => ++seq, Date.now)
    if (dto) batcher.push(dto)
    if (statusTimer) return
    statusTimer = setTimeout(() => {
      statusTimer = null
      void handlers.getStatus({}).then(
        (status) => batcher.push({ type: 'status', status }),
        () => undefined,
      )
    }, 1000)
  })
  if (opts.autoStart !== false) await runtime.start()
  return {
    host,
    db,
    runtime,
    stop: async () => {
      unsubscribe()
      if (statusTimer) clearTimeout(statusTimer)
      batcher.dispose()
      await host.stop()
      await runtime.stop()
      db.close()
    },
  }
}
