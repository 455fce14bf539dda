// Issue #21: a server that echoes request headers put a Shopify token and a Kaufland client key into the
// connection test's answer shown in the UI. Redaction uses the stored secret values themselves (and the
// values just typed into a test), not only patterns, everywhere text leaves the main process: IPC answers
// and errors, log lines, the CSV exports and the diagnostics bundle. The planted values match no pattern.
import { afterEach, describe, expect, it } from 'vitest'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDispatcher } from '../../../main/node/api/dispatcher'
import { createHandlers } from '../../../main/node/api/handlers'
import { appendSyncLog } from '../../../main/node/db/repos/sync-log'
import { putMapping } from '../../../main/node/db/repos/mappings'
import { buildDiagnostics } from '../../../main/node/maintenance/diagnostics'
import { Runtime } from '../../../main/node/runtime/runtime'
import { toEventDto } from '../../../main/node/api/engine-events'
import { createTestApp } from '../../helpers/app'

// Neither looks like a token to a pattern: only their values can catch them.
const SHOP_TOKEN = 'plainWordsShopKeyQ7'
const KAUFLAND_CLIENT_KEY = 'KauflandClientKeyPlanted42'
const TYPED_ONLY = 'typedButNeverSavedZ9'

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A server that answers every request with 401 and the request's own headers in its body. */
async function echoServer(): Promise<string> {
  const server = createServer((req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ errors: `unauthorized request ${JSON.stringify(req.headers)} ${req.url}` }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const draft = (over: Record<string, unknown>) => ({
  name: 'x',
  environment: 'custom',
  stockBasis: 'free',
  zeroStockAction: 'push_zero',
  orderImport: false,
  settings: {},
  odooPartnerId: null,
  odooWarehouseId: null,
  maxPublished: null,
  zeroBelow: null,
  ...over,
})

describe('stored and typed secret values are redacted wherever text leaves the process', () => {
  it('connection tests against a server echoing headers show neither the token nor the client key', async () => {
    const echo = await echoServer()
    const a = createTestApp()
    cleanups.push(() => a.close())
    const rt = new Runtime({
      db: a.db,
      vault: a.vault,
      dataDir: a.dir,
      host: 'cli',
      version: 'test',
      adapterOptions: { backoffMs: 1 },
    })
    cleanups.push(() => rt.stop())
    const dispatch = createDispatcher(createHandlers(rt.handlerContext()), {
      isTrustedSender: () => true,
    })
    const call = (m: string, p: unknown) => dispatch(m, p, { url: 'app://lastunit/', isMainFrame: true })
    const answers: unknown[] = []
    answers.push(
      await call('saveChannelSettings', {
        draft: draft({ id: 'shop', type: 'shopify', baseUrl: echo }),
        credentials: { accessToken: SHOP_TOKEN },
        isNew: true,
        test: false,
      }),
      await call('saveChannelSettings', {
        draft: draft({
          id: 'kaufland',
          type: 'kaufland',
          baseUrl: `${echo}/v2`,
          settings: { storefront: 'de' },
        }),
        credentials: { clientKey: KAUFLAND_CLIENT_KEY, secretKey: 'kaufland-secret-key-planted' },
        isNew: true,
        test: false,
      }),
    )
    answers.push(await call('testConnection', { target: 'shop' }))
    answers.push(await call('testConnection', { target: 'kaufland' }))
    answers.push(
      await call('testChannelSettings', {
        draft: draft({ id: 'shop2', type: 'shopify', baseUrl: echo }),
        credentials: { accessToken: TYPED_ONLY },
        isNew: true,
      }),
    )
    answers.push(
      await call('testChannelSettings', {
        draft: draft({
          id: 'kaufland',
          type: 'kaufland',
          baseUrl: `${echo}/v2`,
          settings: { storefront: 'de' },
        }),
        credentials: {},
        isNew: false,
      }),
    )
    answers.push(await call('listChannels', {}))
    const text = JSON.stringify(answers)
    // The echo did come back (the test is not vacuous)...
    expect(text).toMatch(/unauthori[sz]ed|401|refused/i)
    // ...without the values.
    for (const v of [SHOP_TOKEN, KAUFLAND_CLIENT_KEY, TYPED_ONLY]) expect(text).not.toContain(v)
    // Nor in the stored results of those tests (shown again as each row's last test).
    expect(JSON.stringify(a.db.prepare('SELECT * FROM connection_tests').all())).not.toContain(SHOP_TOKEN)
  }, 30_000)

  it('log lines, the log and mapping CSV exports, events and diagnostics drop stored values', async () => {
    const a = createTestApp()
    cleanups.push(() => a.close())
    const dispatch = createDispatcher(a.handlers, { isTrustedSender: () => true })
    const call = (m: string, p: unknown) => dispatch(m, p, { url: 'app://lastunit/', isMainFrame: true })
    await call('saveChannelSettings', {
      draft: draft({ id: 'shop', type: 'shopify', baseUrl: 'https://myshop.myshopify.com' }),
      credentials: { accessToken: SHOP_TOKEN },
      isNew: true,
      test: false,
    })
    appendSyncLog(a.db, {
      at: Date.now(),
      level: 'error',
      kind: 'push',
      channelId: 'shop',
      message: `shop answered 401: request had x-shopify-access-token ${SHOP_TOKEN}`,
    })
    putMapping(a.db, { channelId: 'shop', listingId: `L-${SHOP_TOKEN}`, productId: 1, source: 'manual' })
    const out = JSON.stringify([
      await call('recentLog', {}),
      await call('browseLog', {}),
      await call('exportLogCsv', {}),
      await call('exportMappingsCsv', {}),
      buildDiagnostics(a.db, a.dir),
      toEventDto(
        {
          type: 'log',
          entry: { at: 1, level: 'error', kind: 'push', message: `echo ${SHOP_TOKEN}` },
        } as never,
        () => 1,
        () => 1,
      ),
    ])
    expect(out).not.toContain(SHOP_TOKEN)
  })
})
