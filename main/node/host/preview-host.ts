// Starts the store, the API handlers and the browser host together: the app without Electron.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { openDatabase, type Database } from '../db/database'
import { databaseFile } from './paths'
import { appVersion } from './version'
import { createHandlers } from '../api/handlers'
import { createDispatcher } from '../api/dispatcher'
import type { AppServices } from '../api/app-services'
import { startBrowserHost, type BrowserHost } from './browser-host'
import { createKeyVault } from '../secrets/key-vault'
import { vaultSalt, verifyVault } from '../secrets/vault-salt'

export interface PreviewOptions {
  dataDir: string
  rendererDir: string
  port?: number
  /** Passphrase for the credentials vault; defaults to LASTUNIT_KEY, else a per-data-dir key file. */
  passphrase?: string
  /** Extra services (engine, demo, connection tests) supplied by the caller. */
  services?: Partial<Omit<AppServices, 'db' | 'vault' | 'dataDir' | 'host' | 'version'>>
}

export interface Preview {
  host: BrowserHost
  db: Database
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

export async function startPreview(opts: PreviewOptions): Promise<Preview> {
  const db = openDatabase(databaseFile(opts.dataDir))
  const vault = createKeyVault(previewPassphrase(opts.dataDir, opts.passphrase), vaultSalt(db))
  verifyVault(db, vault)
  const handlers = createHandlers({
    db,
    vault,
    dataDir: opts.dataDir,
    host: 'browser',
    version: appVersion(),
    engine: () => null,
    ...opts.services,
  })
  const host = await startBrowserHost({
    rendererDir: opts.rendererDir,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    makeDispatch: (isTrustedSender) => createDispatcher(handlers, { isTrustedSender }),
  })
  return {
    host,
    db,
    stop: async () => {
      await host.stop()
      db.close()
    },
  }
}
