// A 429's hold outlives the process: the fault campaign saw an engine killed inside Odoo's Retry-After and
// started again call Odoo (its version probe) before the wait had passed. The hold is kept in the database,
// so a new engine on the same database file honours it before its first call.
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isClassifiedError } from '../../../main/core/errors'
import { openDatabase } from '../../../main/node/db/database'
import { storeCredential } from '../../../main/node/db/repos/credentials'
import { getEngineValue } from '../../../main/node/db/repos/engine-state'
import { saveOdooConnection } from '../../../main/node/db/repos/odoo-connection'
import { createKeyVault } from '../../../main/node/secrets/key-vault'
import { vaultSalt } from '../../../main/node/secrets/vault-salt'
import { startSimServer, type SimServer } from '../../../main/sandbox/http/sim-server'
import { tempDir, TEST_PASSPHRASE } from '../../helpers/app'

let server: SimServer | undefined
let cleanup: (() => void) | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
  cleanup?.()
})

const VERSION = {
  jsonrpc: '2.0',
  id: 1,
  result: { server_version: '19.0', server_version_info: [19, 0, 0, 'final', 0, ''] },
}

describe('Odoo 429 hold across a restart', () => {
  it('a hold written by one engine process is honoured by the next on the same database file', async () => {
    server = await startSimServer({
      name: 'odoo',
      routes: [
        {
          method: 'POST',
          pattern: '/web/webclient/version_info',
          handler: () => ({ status: 200, body: VERSION }),
        },
      ],
      // Retry-After: 30 s: far longer than the test, on any machine.
      faults: { throttleStorm: { retryAfterMs: 30_000 } },
    })
    const t = tempDir()
    cleanup = t.cleanup
    const file = join(t.dir, 'lastunit.db')
    const db = openDatabase(file)
    const vault = createKeyVault(TEST_PASSPHRASE, vaultSalt(db))
    saveOdooConnection(db, {
      url: server.url,
      database: 'db',
      username: 'admin',
      transport: 'auto',
      allowInsecureHttp: false,
      timeoutMs: 5000,
      pollIntervalMs: 5000,
    })
    storeCredential(db, vault, 'odoo', 'apiKey', 'key')

    // The first process: its version probe gets the 429.
    const first = await import('../../../main/node/runtime/odoo-from-store')
    const e1 = await first.odooGatewayFromStore(db, vault).catch((e: unknown) => e)
    expect(isClassifiedError(e1) && e1.code).toBe('odoo.throttled')
    expect(Number(getEngineValue(db, `odoo-hold:${new URL(server.url).host}`))).toBeGreaterThan(Date.now())
    db.close()

    // Killed; the storm is over, and a new process (fresh modules: nothing kept in memory) opens the file.
    server.faults = {}
    vi.resetModules()
    const next = await import('../../../main/node/runtime/odoo-from-store')
    const { openDatabase: reopen } = await import('../../../main/node/db/database')
    const db2 = reopen(file)
    try {
      const e2 = await next.odooGatewayFromStore(db2, vault).catch((e: unknown) => e)
      // Fresh modules: its own ClassifiedError class, so the fields are read as they are.
      const { kind, code } = e2 as { kind?: string; code?: string }
      expect([kind, code]).toEqual(['retryable', 'odoo.throttled'])
      expect((e2 as Error).message).toMatch(/waits \d+ s more/)
      // No request reached Odoo before the wait it named had passed.
      expect(server.requests).toHaveLength(1)
      expect(server.earlyRetries).toBe(0)
    } finally {
      db2.close()
    }
  })
})
