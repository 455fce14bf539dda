// Test helpers: a real SQLite file in a temp dir, a real key vault, the real API handlers.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase, type Database } from '../../main/node/db/database'
import { createKeyVault } from '../../main/node/secrets/key-vault'
import { vaultSalt } from '../../main/node/secrets/vault-salt'
import { createHandlers } from '../../main/node/api/handlers'
import type { Handlers } from '../../main/node/api/handler-types'
import type { HandlerContext } from '../../main/node/api/handler-context'
import type { SecretVault } from '../../main/core/ports/secret-vault'

export const TEST_PASSPHRASE = 'test-passphrase-0123456789'

export interface TestApp {
  dir: string
  file: string
  db: Database
  vault: SecretVault
  handlers: Handlers
  close(): void
}

export function tempDir(prefix = 'lastunit-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export function createTestApp(services: Partial<HandlerContext> = {}): TestApp {
  const { dir, cleanup } = tempDir()
  const file = join(dir, 'lastunit.db')
  const db = openDatabase(file)
  const vault = createKeyVault(TEST_PASSPHRASE, vaultSalt(db))
  const handlers = createHandlers({
    db,
    vault,
    dataDir: dir,
    host: 'cli',
    version: '0.0.0-test',
    engine: () => null,
    ...services,
  })
  return {
    dir,
    file,
    db,
    vault,
    handlers,
    close: () => {
      db.close()
      cleanup()
    },
  }
}
