// Issue #21: stored credentials never follow a changed address. Through the API the renderer (and the
// preview) uses, a channel's API address or login address, or Odoo's address, pointed at another host
// clears the stored credentials (the answer says so), and no test sends a stored secret to the new host.
// http:// to another computer is refused for every channel, as for Odoo.
import { afterEach, describe, expect, it } from 'vitest'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDispatcher } from '../../../main/node/api/dispatcher'
import type { ChannelRow } from '../../../main/node/db/repos/channels'
import { readCredentials, storeCredential } from '../../../main/node/db/repos/credentials'
import type { ChannelDraft, OdooDraft } from '../../../shared/connections'
import type { ConnectionTestDto } from '../../../shared/dto'
import { createTestApp, type TestApp } from '../../helpers/app'

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const TOKEN = 'shpat_storedtoken0123456789abcdef'
const BOL_SECRET = 'bol-stored-client-secret-0123'
const ODOO_KEY = 'odoo-stored-api-key-0123456789'

function setup() {
  const calls: Array<{ row: ChannelRow; credentials: Record<string, string> }> = []
  const odooCalls: Array<{ url: string; apiKey: string }> = []
  const app: TestApp = createTestApp({
    testChannelConfig: async (row, credentials): Promise<ConnectionTestDto> => {
      calls.push({ row, credentials })
      return { ok: true, message: `Connected to ${row.baseUrl}` }
    },
    testOdooConfig: async (c, apiKey): Promise<ConnectionTestDto> => {
      odooCalls.push({ url: c.url, apiKey })
      return { ok: true, message: 'Connected to Odoo 19.0' }
    },
  })
  cleanups.push(() => app.close())
  const dispatch = createDispatcher(app.handlers, { isTrustedSender: () => true })
  const call = async <T = unknown>(method: string, payload: unknown): Promise<T> =>
    (await dispatch(method, payload, { url: 'app://lastunit/', isMainFrame: true })) as T
  return { app, calls, odooCalls, call }
}

const shop = (over: Partial<ChannelDraft> = {}): ChannelDraft => ({
  id: 'shop',
  type: 'shopify',
  name: 'Shop',
  environment: 'custom',
  baseUrl: 'https://myshop.myshopify.com',
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

const bol = (over: Partial<ChannelDraft> = {}): ChannelDraft => ({
  ...shop(),
  id: 'bol',
  type: 'bol',
  name: 'bol',
  baseUrl: 'https://proxy.example.com/retailer',
  settings: { tokenUrl: 'https://login.example.com/token' },
  ...over,
})

type Save = {
  ok: true
  value: {
    saved: boolean
    result: {
      ok: boolean
      message: string
      hint: string | null
      problems: { field: string; message: string }[]
    }
    channel: { credentials: { name: string; set: boolean }[] } | null
  }
}

describe('credentials are bound to the address they were entered for', () => {
  it('a test with another shop address never receives the stored token', async () => {
    const { app, calls, call } = setup()
    await call('saveChannelSettings', {
      draft: shop(),
      credentials: { accessToken: TOKEN },
      isNew: true,
      test: false,
    })
    const r = await call<{
      ok: true
      value: { ok: boolean; problems: { field: string; message: string }[] }
    }>('testChannelSettings', {
      draft: shop({ baseUrl: 'https://evil.example.com' }),
      credentials: {},
      isNew: false,
    })
    expect(calls.every((c) => c.credentials.accessToken !== TOKEN)).toBe(true)
    expect(r.value.ok).toBe(false)
    expect(r.value.problems).toEqual([
      { field: 'credentials.accessToken', message: expect.stringMatching(/again.*new address|entered for/i) },
    ])
    // The same address still tests with the stored token.
    await call('testChannelSettings', { draft: shop(), credentials: {}, isNew: false })
    expect(calls.at(-1)!.credentials.accessToken).toBe(TOKEN)
    expect(readCredentials(app.db, app.vault, 'channel:shop')).toEqual({ accessToken: TOKEN })
  })

  it('"Save anyway" to another host clears the stored credentials and says so', async () => {
    const { app, call } = setup()
    await call('saveChannelSettings', {
      draft: shop(),
      credentials: { accessToken: TOKEN },
      isNew: true,
      test: false,
    })
    const r = await call<Save>('saveChannelSettings', {
      draft: shop({ baseUrl: 'https://evil.example.com' }),
      credentials: {},
      isNew: false,
      test: false,
    })
    expect(r.value.saved).toBe(true)
    expect(r.value.result.hint).toMatch(/credentials.*cleared.*again/i)
    expect(r.value.channel!.credentials).toEqual([{ name: 'accessToken', set: false }])
    expect(readCredentials(app.db, app.vault, 'channel:shop')).toEqual({})
    // Nor does the stored-settings test have anything to send.
    await expect(call('testConnection', { target: 'shop' })).resolves.toBeDefined()
  })

  it("the order queue's settings (Faster orders) are accepted write-only and stay when the channel's address moves", async () => {
    const { app, call } = setup()
    await call('saveChannelSettings', {
      draft: bol(),
      credentials: { clientId: 'bol-id', clientSecret: BOL_SECRET },
      isNew: true,
      test: false,
    })
    const queue = {
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/lastunit-orders',
      queueAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      queueSecretAccessKey: 'queue-secret-0123456789',
    }
    for (const [name, value] of Object.entries(queue)) {
      const r = await call<{ ok: true; value: { set: boolean } }>('setCredential', {
        owner: 'bol',
        name,
        value,
      })
      expect(r.value).toEqual({ owner: 'bol', name, set: true })
    }
    // Not a credential of a channel without a queue.
    await call('saveChannelSettings', {
      draft: shop(),
      credentials: { accessToken: TOKEN },
      isNew: true,
      test: false,
    })
    const refused = await call<{ ok: boolean; error?: { message: string } }>('setCredential', {
      owner: 'shop',
      name: 'queueUrl',
      value: queue.queueUrl,
    })
    expect(refused.ok).toBe(false)
    expect(refused.error!.message).toMatch(/"queueUrl" is not a shopify credential/)
    // The bol.com API moves: its client secret is cleared, the queue's key (it goes to AWS) stays.
    await call<Save>('saveChannelSettings', {
      draft: bol({ baseUrl: 'https://other.example.com/retailer' }),
      credentials: {},
      isNew: false,
      test: false,
    })
    expect(readCredentials(app.db, app.vault, 'channel:bol')).toEqual(queue)
  })

  it('a new login address (token URL) clears the client secret; typed values for the new address are kept', async () => {
    const { app, calls, call } = setup()
    await call('saveChannelSettings', {
      draft: bol(),
      credentials: { clientId: 'bol-client-id', clientSecret: BOL_SECRET },
      isNew: true,
      test: false,
    })
    await call('testChannelSettings', {
      draft: bol({ settings: { tokenUrl: 'https://attacker.example.net/token' } }),
      credentials: {},
      isNew: false,
    })
    expect(calls.some((c) => c.credentials.clientSecret === BOL_SECRET)).toBe(false)
    const r = await call<Save>('saveChannelSettings', {
      draft: bol({ settings: { tokenUrl: 'https://login2.example.com/token' } }),
      credentials: { clientSecret: 'new-secret-for-new-login' },
      isNew: false,
      test: false,
    })
    expect(r.value.saved).toBe(true)
    expect(readCredentials(app.db, app.vault, 'channel:bol')).toEqual({
      clientSecret: 'new-secret-for-new-login',
    })
    expect(r.value.result.hint).toMatch(/cleared/)
  })

  it('saveChannel (the older call) clears them too', async () => {
    const { app, call } = setup()
    await call('saveChannelSettings', {
      draft: shop(),
      credentials: { accessToken: TOKEN },
      isNew: true,
      test: false,
    })
    const r = await call<{ ok: boolean }>('saveChannel', {
      id: 'shop',
      type: 'shopify',
      name: 'Shop',
      environment: 'custom',
      baseUrl: 'https://evil.example.com',
      stockBasis: 'free',
      zeroStockAction: 'push_zero',
      orderImport: false,
      settings: {},
    })
    expect(r.ok).toBe(true)
    expect(readCredentials(app.db, app.vault, 'channel:shop')).toEqual({})
  })

  it('loading Shopify locations for another address does not send the stored token', async () => {
    const { call } = setup()
    await call('saveChannelSettings', {
      draft: shop(),
      credentials: { accessToken: TOKEN },
      isNew: true,
      test: false,
    })
    const seen: IncomingHttpHeaders[] = []
    const server = createServer((req, res) => {
      seen.push(req.headers)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"data":{"locations":{"nodes":[]}}}')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())))
    const port = (server.address() as AddressInfo).port
    const r = await call<{ ok: boolean }>('getChannelChoices', {
      draft: shop({ baseUrl: `http://127.0.0.1:${port}` }),
      credentials: {},
      setting: 'locationId',
    })
    expect(r.ok).toBe(false)
    expect(JSON.stringify(seen)).not.toContain(TOKEN)
  })

  it('Odoo: another host never receives the stored API key, and saving it there clears the key', async () => {
    const { app, odooCalls, call } = setup()
    const draft: OdooDraft = {
      url: 'https://shop.odoo.com',
      database: 'shop',
      username: 'me',
      transport: 'auto',
      allowInsecureHttp: false,
      pollIntervalMs: 5000,
      timeoutMs: 30000,
    }
    await call('saveOdooSettings', { draft, apiKey: ODOO_KEY, test: false })
    await call('testOdooSettings', { draft: { ...draft, url: 'https://evil.example.com' }, apiKey: '' })
    expect(odooCalls.some((c) => c.apiKey === ODOO_KEY && c.url.includes('evil'))).toBe(false)
    const r = await call<{ ok: true; value: { saved: boolean; result: { hint: string | null } } }>(
      'saveOdooSettings',
      {
        draft: { ...draft, url: 'https://evil.example.com' },
        apiKey: '',
        test: false,
      },
    )
    expect(r.value.saved).toBe(true)
    expect(r.value.result.hint).toMatch(/cleared/)
    expect(readCredentials(app.db, app.vault, 'odoo')).toEqual({})
    // The older call too.
    storeCredential(app.db, app.vault, 'odoo', 'apiKey', ODOO_KEY)
    await call('saveOdooConnection', { ...draft, url: 'https://other.example.com' })
    expect(readCredentials(app.db, app.vault, 'odoo')).toEqual({})
  })

  it('refuses http:// to another computer for every channel', async () => {
    const { call } = setup()
    const custom = await call<Save>('saveChannelSettings', {
      draft: bol({ baseUrl: 'http://proxy.example.com/retailer' }),
      credentials: {},
      isNew: true,
      test: false,
    })
    expect(custom.value.saved).toBe(false)
    expect(custom.value.result.problems[0]).toMatchObject({
      field: 'baseUrl',
      message: expect.stringMatching(/http:\/\//),
    })
    const login = await call<Save>('saveChannelSettings', {
      draft: bol({ settings: { tokenUrl: 'http://login.example.com/token' } }),
      credentials: {},
      isNew: true,
      test: false,
    })
    expect(login.value.saved).toBe(false)
    expect(login.value.result.problems[0]).toMatchObject({ field: 'settings.tokenUrl' })
    const older = await call<{ ok: boolean; error?: { message: string } }>('saveChannel', {
      id: 'kaufland',
      type: 'kaufland',
      name: 'Kaufland',
      environment: 'custom',
      baseUrl: 'http://kaufland.example.com/v2',
      stockBasis: 'free',
      zeroStockAction: 'push_zero',
      orderImport: false,
      settings: { storefront: 'de' },
    })
    expect(older.ok).toBe(false)
    expect(older.error!.message).toMatch(/http:\/\//)
  })
})
