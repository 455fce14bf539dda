import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REDACTED, redact, redactText } from '../../../main/node/redaction'
import { createDispatcher } from '../../../main/node/api/dispatcher'
import type { Handlers } from '../../../main/node/api/handler-types'
import { appendSyncLog, recentSyncLog } from '../../../main/node/db/repos/sync-log'
import { createTestApp, type TestApp } from '../../helpers/app'
import { leaks, PLANTED } from './planted-secrets'

// Each secret as it shows up in a real log line or error text.
const LINES: string[] = [
  `LWA refresh failed for refresh_token=${PLANTED.amazonRefreshToken}: invalid_grant`,
  `POST /auth/o2/token {"grant_type":"refresh_token","refresh_token":"${PLANTED.amazonRefreshToken}"}`,
  `token ${PLANTED.amazonAccessToken} expired`,
  `bol login: client_secret=${PLANTED.bolClientSecret}&grant_type=client_credentials`,
  `{"clientSecret": "${PLANTED.bolClientSecret}"}`,
  `Kaufland rejected the request: Hm-Signature: ${PLANTED.kauflandSignature}`,
  `signature mismatch (${PLANTED.kauflandSignature})`,
  `Odoo authenticate failed with key ${PLANTED.odooApiKey}`,
  `api_key: '${PLANTED.odooApiKey}'`,
  `Authorization: Bearer ${PLANTED.bearer}`,
  `request headers {"authorization":"Bearer ${PLANTED.bearer}"}`,
  `GET https://seller:${PLANTED.urlPassword}@shop.example.com/api failed`,
  `password=${PLANTED.urlPassword}`,
]

describe('redactText', () => {
  it('removes every planted secret from every kind of line and keeps the rest readable', () => {
    for (const line of LINES) {
      const out = redactText(line)
      expect(leaks(out), `${line} -> ${out}`).toEqual([])
      expect(out).toContain(REDACTED)
    }
    expect(redactText('Kaufland rejected the request: Hm-Signature: x')).toContain(
      'Kaufland rejected the request',
    )
    expect(redactText('pushed 12 units of SKU-123 to bol-nl (HTTP 200)')).toBe(
      'pushed 12 units of SKU-123 to bol-nl (HTTP 200)',
    )
  })

  it('removes known stored secrets verbatim even when they match no pattern', () => {
    expect(redactText('odd value xYzzY-quux-0001 echoed', ['xYzzY-quux-0001'])).toBe(
      `odd value ${REDACTED} echoed`,
    )
  })
})

describe('redactText cost', () => {
  it('stays linear on long words and long lines (a log line must never stall the writer)', () => {
    const inputs = [
      'z'.repeat(200_000),
      'token'.repeat(40_000),
      'a1'.repeat(100_000),
      `${'k='.repeat(50_000)}`,
    ]
    for (const text of inputs) {
      const t0 = performance.now()
      redactText(text)
      expect(performance.now() - t0, `${text.slice(0, 12)}...`).toBeLessThan(500)
    }
  })
})

describe('redact (structured data)', () => {
  it('blanks values under secret keys at any depth, redacts strings elsewhere, leaves the input alone', () => {
    const input = {
      channel: 'bol-nl',
      credentials: { clientId: 'abc', clientSecret: PLANTED.bolClientSecret },
      headers: [
        { Authorization: `Bearer ${PLANTED.bearer}` },
        { 'x-hm-signature': PLANTED.kauflandSignature },
      ],
      nested: { lwa: { refresh_token: PLANTED.amazonRefreshToken, note: `key ${PLANTED.odooApiKey}` } },
      quantity: 3,
    }
    const before = JSON.stringify(input)
    const out = redact(input)
    expect(leaks(JSON.stringify(out))).toEqual([])
    expect(JSON.stringify(input)).toBe(before)
    expect(out.quantity).toBe(3)
    expect(out.channel).toBe('bol-nl')
  })

  it('redacts errors (message and stack) and survives cycles', () => {
    const e = new Error(`401 for Bearer ${PLANTED.bearer}`)
    const cyc: Record<string, unknown> = { e }
    cyc.self = cyc
    const out = redact(cyc)
    expect(leaks(String((out.e as Error).message) + String((out.e as Error).stack))).toEqual([])
    expect(out.self).toBe('[cycle]')
  })
})

describe('secrets never reach a log, an error answer or an export', () => {
  let app: TestApp
  beforeEach(() => {
    app = createTestApp()
  })
  afterEach(() => app.close())

  const dbBytes = (): string =>
    readdirSync(app.dir)
      .filter((f) => f.startsWith('lastunit.db'))
      .map((f) => readFileSync(join(app.dir, f)).toString('latin1'))
      .join('')

  it('the sync log writer redacts messages and data before they reach the database file', () => {
    LINES.forEach((message, i) =>
      appendSyncLog(app.db, {
        at: 1000 + i,
        level: 'error',
        kind: 'push',
        channelId: 'bol-nl',
        message,
        data: {
          request: { headers: { Authorization: `Bearer ${PLANTED.bearer}` } },
          secret: PLANTED.bolClientSecret,
        },
      }),
    )
    app.db.pragma('wal_checkpoint(TRUNCATE)')
    const stored = recentSyncLog(app.db, { limit: 100 })
    expect(stored).toHaveLength(LINES.length)
    expect(leaks(JSON.stringify(stored))).toEqual([])
    expect(leaks(dbBytes())).toEqual([])
  })

  it('the log export redacts rows even when they were stored unredacted by an older version', async () => {
    const ins = app.db.prepare(
      "INSERT INTO sync_log (at, level, kind, message) VALUES (?, 'error', 'push', ?)",
    )
    LINES.forEach((m, i) => ins.run(2000 + i, m))
    const out = await app.handlers.exportLogCsv({ limit: 1000 })
    expect(out.rows).toBe(LINES.length)
    expect(leaks(out.csv)).toEqual([])
  })

  it('the dispatcher redacts the message of every failing handler, whatever it throws', async () => {
    for (const line of LINES) {
      const handlers = {
        getAppInfo: async () => {
          throw new Error(line)
        },
      } as unknown as Handlers
      const dispatch = createDispatcher(handlers, { isTrustedSender: () => true })
      const r = await dispatch('getAppInfo', {}, { url: 'app://lastunit/', isMainFrame: true })
      expect(r.ok).toBe(false)
      expect(leaks(JSON.stringify(r)), line).toEqual([])
    }
  })
})
