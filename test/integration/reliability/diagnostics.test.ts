import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { importConfig } from '../../../main/node/config/config-service'
import { appendSyncLog } from '../../../main/node/db/repos/sync-log'
import { buildDiagnostics, writeDiagnostics } from '../../../main/node/maintenance/diagnostics'
import { backupDatabase } from '../../../main/node/maintenance/backup'
import { createTestApp, type TestApp } from '../../helpers/app'
import { leaks, PLANTED } from './planted-secrets'

let app: TestApp
beforeEach(() => {
  app = createTestApp()
})
afterEach(() => app.close())

/** A store holding every planted secret in every place a secret can hide. */
function plantEverywhere(): void {
  const cfg = {
    version: 1,
    odoo: {
      url: `https://seller:${PLANTED.urlPassword}@shop.odoo.com`,
      database: 'shop',
      username: 'me',
      apiKey: PLANTED.odooApiKey,
    },
    channels: [
      {
        id: 'amazon-de',
        type: 'amazon',
        settings: {
          sellerId: 'A1',
          marketplaceIds: ['A1PA6795UKMFR9'],
          tokenUrl: `https://user:${PLANTED.urlPassword}@api.amazon.com/auth/o2/token`,
        },
        credentials: {
          clientId: 'amzn1.app',
          clientSecret: 'lwa-secret-planted-1',
          refreshToken: PLANTED.amazonRefreshToken,
        },
      },
      {
        id: 'bol-nl',
        type: 'bol',
        settings: { note: `Authorization: Bearer ${PLANTED.bearer}`, clientSecret: PLANTED.bolClientSecret },
        credentials: { clientId: 'bol-id', clientSecret: PLANTED.bolClientSecret },
      },
      {
        id: 'kaufland-de',
        type: 'kaufland',
        settings: { storefront: 'de' },
        credentials: { clientKey: 'ck1', secretKey: 'sk1-planted' },
      },
    ],
  }
  const r = importConfig(app.db, app.vault, JSON.stringify(cfg), { env: {} })
  expect(r.problems).toEqual([])
  expect(r.applied).toBe(true)
  appendSyncLog(app.db, {
    at: Date.now(),
    level: 'error',
    kind: 'push',
    channelId: 'kaufland-de',
    message: `Kaufland 401: signature ${PLANTED.kauflandSignature} rejected`,
    data: {
      headers: { 'Hm-Signature': PLANTED.kauflandSignature, Authorization: `Bearer ${PLANTED.bearer}` },
    },
  })
  // Rows an older version wrote without redaction.
  const raw = app.db.prepare(
    "INSERT INTO sync_log (at, level, kind, message, data) VALUES (?, 'error', 'token', ?, ?)",
  )
  raw.run(
    Date.now(),
    `LWA refresh_token=${PLANTED.amazonRefreshToken} failed`,
    JSON.stringify({ refresh_token: PLANTED.amazonRefreshToken }),
  )
  raw.run(
    Date.now(),
    `Odoo rejected api key ${PLANTED.odooApiKey}`,
    JSON.stringify({ note: `client_secret=${PLANTED.bolClientSecret}` }),
  )
  app.db
    .prepare(
      `INSERT INTO outbox (channel_id, listing_id, quantity, stamp, enqueued_at, attempts, last_error)
       VALUES ('bol-nl', 'L1', 3, 1, ?, 2, ?)`,
    )
    .run(Date.now() - 60_000, `401 Bearer ${PLANTED.bearer}`)
}

describe('diagnostics bundle', () => {
  it('holds versions, the configuration, the recent log, the queue and backups, with no planted secret in it', async () => {
    plantEverywhere()
    await backupDatabase(app.db, app.dir)
    const bundle = buildDiagnostics(app.db, app.dir)
    const file = join(app.dir, 'diagnostics.json')
    writeDiagnostics(file, bundle)
    const text = readFileSync(file, 'utf8')
    expect(leaks(text)).toEqual([])
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const parsed = JSON.parse(text) as typeof bundle
    expect(parsed.versions.node).toBe(process.versions.node)
    expect(parsed.database.quickCheck).toEqual(['ok'])
    expect(JSON.stringify(parsed.config)).toContain('bol-nl')
    expect(JSON.stringify(parsed.config)).toContain('shop.odoo.com')
    expect(parsed.recentLog).toHaveLength(3)
    expect(parsed.queue.byChannel).toEqual([
      expect.objectContaining({ channelId: 'bol-nl', queued: 1, retrying: 1 }),
    ])
    expect(parsed.backups).toHaveLength(1)
  })

  it('also removes secrets known only by value (the stored credentials) when given them', () => {
    plantEverywhere()
    const odd = 'zz-unusual-secret-value-9'
    appendSyncLog(app.db, { at: 1, level: 'info', kind: 'x', message: `echo ${odd}` })
    const text = JSON.stringify(buildDiagnostics(app.db, app.dir, { knownSecrets: [odd] }))
    expect(text).not.toContain(odd)
  })
})
