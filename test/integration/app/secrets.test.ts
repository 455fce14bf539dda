import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createDispatcher } from '../../../main/node/api/dispatcher'
import { IPC_METHODS } from '../../../shared/ipc-channels'
import { readCredentials } from '../../../main/node/db/repos/credentials'
import { createKeyVault, resolvePassphrase, VaultKeyError } from '../../../main/node/secrets/key-vault'
import { vaultSalt, verifyVault } from '../../../main/node/secrets/vault-salt'
import { createTestApp, tempDir, type TestApp } from '../../helpers/app'
import { writeFileSync, chmodSync } from 'node:fs'

const SECRET = 'Atzr|IwEBIplanted-refresh-token-7f3a9c'
const ODOO_KEY = 'odoo-api-key-planted-5b1e22d0'

let app: TestApp
beforeEach(() => {
  app = createTestApp()
})
afterEach(() => app.close())

const allBytes = (dir: string) =>
  Buffer.concat(
    readdirSync(dir)
      .filter((f) => f.startsWith('lastunit.db'))
      .map((f) => readFileSync(join(dir, f))),
  )

describe('secrets', () => {
  it('stores credentials encrypted: the database files never contain the plaintext', async () => {
    const dispatch = createDispatcher(app.handlers, { isTrustedSender: () => true })
    const sender = { url: 'app://lastunit/', isMainFrame: true }
    await dispatch(
      'saveChannel',
      {
        id: 'amazon-de',
        type: 'amazon',
        name: 'Amazon DE',
        environment: 'production',
        stockBasis: 'free',
        zeroStockAction: 'push_zero',
        orderImport: true,
        settings: { sellerId: 'A1' },
      },
      sender,
    )
    expect(
      await dispatch('setCredential', { owner: 'amazon-de', name: 'refreshToken', value: SECRET }, sender),
    ).toMatchObject({
      ok: true,
    })
    await dispatch(
      'saveOdooConnection',
      {
        url: 'https://shop.odoo.com',
        database: 'shop',
        username: 'me',
        transport: 'auto',
        allowInsecureHttp: false,
        pollIntervalMs: 5000,
        timeoutMs: 30000,
      },
      sender,
    )
    expect(
      await dispatch('setCredential', { owner: 'odoo', name: 'apiKey', value: ODOO_KEY }, sender),
    ).toMatchObject({ ok: true })
    app.db.pragma('wal_checkpoint(TRUNCATE)')
    const bytes = allBytes(app.dir)
    expect(bytes.length).toBeGreaterThan(4096)
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false)
    expect(bytes.includes(Buffer.from(ODOO_KEY))).toBe(false)
    expect(bytes.includes(Buffer.from(SECRET, 'utf16le'))).toBe(false)
    // ...and they decrypt back for the connector that needs them.
    expect(readCredentials(app.db, app.vault, 'channel:amazon-de')).toEqual({ refreshToken: SECRET })
  })

  it('no response the renderer receives carries a secret', async () => {
    const dispatch = createDispatcher(app.handlers, { isTrustedSender: () => true })
    const sender = { url: 'app://lastunit/', isMainFrame: true }
    await dispatch(
      'saveChannel',
      {
        id: 'bol-nl',
        type: 'bol',
        name: 'bol',
        environment: 'production',
        stockBasis: 'free',
        zeroStockAction: 'pause',
        orderImport: true,
        settings: {},
      },
      sender,
    )
    await dispatch('setCredential', { owner: 'bol-nl', name: 'clientSecret', value: SECRET }, sender)
    await dispatch(
      'saveOdooConnection',
      {
        url: 'https://shop.odoo.com',
        database: 'shop',
        username: 'me',
        transport: 'auto',
        allowInsecureHttp: false,
        pollIntervalMs: 5000,
        timeoutMs: 30000,
      },
      sender,
    )
    await dispatch('setCredential', { owner: 'odoo', name: 'apiKey', value: ODOO_KEY }, sender)
    const responses: unknown[] = []
    for (const m of IPC_METHODS) {
      const payload =
        m === 'removeChannel'
          ? { id: 'other' }
          : m === 'testConnection'
            ? { target: 'bol-nl' }
            : m === 'importConfig'
              ? { json: '{}' }
              : m === 'setCredential'
                ? { owner: 'bol-nl', name: 'clientId', value: 'id' }
                : m === 'saveChannel' || m === 'saveOdooConnection'
                  ? undefined
                  : m === 'setPaused'
                    ? { paused: false }
                    : m === 'setPeakMode'
                      ? { enabled: false }
                      : {}
      if (payload === undefined) continue
      responses.push(await dispatch(m, payload, sender))
    }
    const text = JSON.stringify(responses)
    expect(text).toContain('bol-nl')
    expect(text).toContain('"clientSecret","set":true')
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(ODOO_KEY)
    const exported = JSON.stringify(await app.handlers.exportConfig({}))
    expect(exported).not.toContain(SECRET)
    expect(exported).toContain('clientSecret')
  })

  it('the headless vault refuses to start without a key, and names how to provide one', () => {
    expect(() => resolvePassphrase({ env: {} })).toThrow(VaultKeyError)
    expect(() => resolvePassphrase({ env: {} })).toThrow(/LASTUNIT_KEY.*--key-file/)
    expect(() => createKeyVault('short', new Uint8Array(16))).toThrow(/too short/)
  })

  it('reads a key file only when it is private to the owner', () => {
    const { dir, cleanup } = tempDir()
    try {
      const f = join(dir, 'key')
      writeFileSync(f, 'a-long-enough-passphrase-123\n')
      chmodSync(f, 0o644)
      expect(() => resolvePassphrase({ env: {}, keyFile: f })).toThrow(/readable by other users.*chmod 600/)
      chmodSync(f, 0o600)
      expect(resolvePassphrase({ env: {}, keyFile: f })).toBe('a-long-enough-passphrase-123')
    } finally {
      cleanup()
    }
  })

  it('refuses a wrong key at start instead of failing at the first push', () => {
    verifyVault(app.db, app.vault)
    const wrong = createKeyVault('another-passphrase-9876543210', vaultSalt(app.db))
    expect(() => verifyVault(app.db, wrong)).toThrow(/does not match/)
  })
})
