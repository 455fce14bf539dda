// The Connections handlers: a test never saves (only its own result, with its time), "Save and test"
// keeps the working settings when the test fails, "Save anyway" saves without a test, and problems name
// the field the seller sees. The fakes record what a test was given; the last block runs the real
// runtime's test against the bol.com simulator.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDispatcher } from '../../../main/node/api/dispatcher'
import { createHandlers } from '../../../main/node/api/handlers'
import type { HandlerContext, OdooTestConfig } from '../../../main/node/api/handler-context'
import type { ChannelRow } from '../../../main/node/db/repos/channels'
import { readCredentials } from '../../../main/node/db/repos/credentials'
import { readConfigRevision } from '../../../main/node/db/repos/config-revision'
import { Runtime } from '../../../main/node/runtime/runtime'
import { startBolSimulator, BOL_SIM_CREDENTIALS } from '../../../main/sandbox/channels/bol'
import type { ChannelDraft, OdooDraft } from '../../../shared/connections'
import type { ConnectionTestDto } from '../../../shared/dto'
import { createTestApp, type TestApp } from '../../helpers/app'

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const RIGHT = 'right-secret'

interface Fakes {
  channelCalls: Array<{ row: ChannelRow; credentials: Record<string, string> }>
  odooCalls: Array<{ connection: OdooTestConfig; apiKey: string }>
  configChanged: ReturnType<typeof vi.fn<() => void>>
}

/** An app whose tests pass only with the right secret, recording what each test was given. */
function app(): { app: TestApp; fakes: Fakes } {
  const fakes: Fakes = { channelCalls: [], odooCalls: [], configChanged: vi.fn<() => void>() }
  const a = createTestApp({
    testChannelConfig: async (row, credentials): Promise<ConnectionTestDto> => {
      fakes.channelCalls.push({ row, credentials })
      return credentials.clientSecret === RIGHT
        ? { ok: true, message: `Connected to ${row.baseUrl}` }
        : { ok: false, message: 'bol.com login failed: the client id or secret was refused (HTTP 401)' }
    },
    testOdooConfig: async (connection, apiKey): Promise<ConnectionTestDto> => {
      fakes.odooCalls.push({ connection, apiKey })
      return apiKey === RIGHT
        ? { ok: true, message: 'Connected to Odoo 19.0' }
        : {
            ok: false,
            message: 'Odoo refused the login: the user or the API key is wrong',
            hint: 'Create a new API key and enter it in Connections.',
          }
    },
    configChanged: fakes.configChanged,
  })
  cleanups.push(() => a.close())
  return { app: a, fakes }
}

const bolDraft = (over: Partial<ChannelDraft> = {}): ChannelDraft => ({
  id: 'bol-nl',
  type: 'bol',
  name: 'bol.com NL',
  environment: 'custom',
  baseUrl: 'http://127.0.0.1:9/retailer',
  stockBasis: 'free',
  zeroStockAction: 'push_zero',
  orderImport: true,
  settings: { fulfilmentMethod: 'FBR', tokenUrl: 'http://127.0.0.1:9/token' },
  odooPartnerId: 7,
  odooWarehouseId: null,
  maxPublished: null,
  zeroBelow: null,
  ...over,
})

const odooDraft = (over: Partial<OdooDraft> = {}): OdooDraft => ({
  url: 'https://shop.odoo.com',
  database: 'shop',
  username: 'sync@shop.com',
  transport: 'auto',
  allowInsecureHttp: false,
  pollIntervalMs: 5000,
  timeoutMs: 30_000,
  ...over,
})

/** Everything a save writes: the channel, the Odoo connection, the encrypted secrets, the revisions. */
const configuration = (a: TestApp) => ({
  channels: a.db.prepare('SELECT * FROM channels ORDER BY id').all(),
  odoo: a.db.prepare('SELECT * FROM odoo_connection').all(),
  credentials: a.db
    .prepare('SELECT owner, name, hex(ciphertext) AS c FROM credentials ORDER BY owner, name')
    .all(),
  revision: readConfigRevision(a.db),
})

/** A working bol.com channel, saved with a passing test. */
async function savedChannel(a: TestApp) {
  const r = await a.handlers.saveChannelSettings({
    draft: bolDraft(),
    credentials: { clientId: 'client-1', clientSecret: RIGHT },
    isNew: true,
    test: true,
  })
  expect(r.saved).toBe(true)
  return r
}

describe('channel settings', () => {
  it('a test runs on the typed values with the stored secrets filling the rest, and saves nothing but its result', async () => {
    const { app: a, fakes } = app()
    await savedChannel(a)
    fakes.configChanged.mockClear()
    const before = configuration(a)

    const r = await a.handlers.testChannelSettings({
      draft: bolDraft({ settings: { orderPollSeconds: '60', tokenUrl: 'http://127.0.0.1:9/token' } }),
      credentials: { clientSecret: 'typo-secret', clientId: '' },
      isNew: false,
    })
    expect(r).toMatchObject({ ok: false, problems: [] })
    expect(r.message).toContain('refused')
    // The fields to look at, by their labels, and where their values come from.
    expect(r.hint).toContain('"Client ID" and "Client secret"')
    expect(r.hint).toContain('partner platform')
    const call = fakes.channelCalls.at(-1)!
    expect(call.credentials).toEqual({ clientId: 'client-1', clientSecret: 'typo-secret' })
    expect(call.row.settings).toMatchObject({ orderPollSeconds: '60' })
    expect(call.row.baseUrl).toBe('http://127.0.0.1:9/retailer')

    expect(configuration(a)).toEqual(before)
    expect(fakes.configChanged).not.toHaveBeenCalled()
    expect(readCredentials(a.db, a.vault, 'channel:bol-nl').clientSecret).toBe(RIGHT)
    // The last test is stored with its time and marked as run on values not saved.
    const [summary] = await a.handlers.listChannels({})
    expect(summary!.lastTest).toMatchObject({ ok: false, unsaved: true })
    expect(summary!.lastTest!.at).toBeGreaterThan(Date.now() - 10_000)
  })

  it('"Save and test" keeps the working settings when the test fails; "Save anyway" saves', async () => {
    const { app: a, fakes } = app()
    await savedChannel(a)
    fakes.configChanged.mockClear()
    const before = configuration(a)
    const changed = bolDraft({ name: 'bol.com Nederland', maxPublished: 50, zeroBelow: 2 })

    const failed = await a.handlers.saveChannelSettings({
      draft: changed,
      credentials: { clientSecret: 'typo-secret' },
      isNew: false,
      test: true,
    })
    expect(failed.saved).toBe(false)
    expect(failed.result.ok).toBe(false)
    expect(failed.result.hint).toContain('Nothing was saved: sync goes on with the settings that were there.')
    expect(failed.channel).toMatchObject({ name: 'bol.com NL', maxPublished: null })
    expect(configuration(a)).toEqual(before)
    expect(fakes.configChanged).not.toHaveBeenCalled()

    const anyway = await a.handlers.saveChannelSettings({
      draft: changed,
      credentials: { clientSecret: 'typo-secret' },
      isNew: false,
      test: false,
    })
    expect(anyway.saved).toBe(true)
    expect(anyway.result.message).toBe('Saved without a test.')
    expect(anyway.channel).toMatchObject({ name: 'bol.com Nederland', maxPublished: 50, zeroBelow: 2 })
    expect(readCredentials(a.db, a.vault, 'channel:bol-nl')).toEqual({
      clientId: 'client-1',
      clientSecret: 'typo-secret',
    })
    expect(fakes.configChanged).toHaveBeenCalledTimes(1)
    // No test ran for "Save anyway": the last test stays the failed one.
    expect(anyway.channel!.lastTest).toMatchObject({ ok: false })
  })

  it('"Save and test" saves when the test passes, and the channel carries its last test', async () => {
    const { app: a, fakes } = app()
    const r = await savedChannel(a)
    expect(r.result).toMatchObject({ ok: true, problems: [] })
    expect(r.channel).toMatchObject({
      id: 'bol-nl',
      state: 'setup',
      baseUrl: 'http://127.0.0.1:9/retailer',
      settings: { fulfilmentMethod: 'FBR', tokenUrl: 'http://127.0.0.1:9/token' },
      odooPartnerId: 7,
      credentials: [
        { name: 'clientId', set: true },
        { name: 'clientSecret', set: true },
      ],
      lastTest: { ok: true, unsaved: false },
    })
    expect(fakes.configChanged).toHaveBeenCalledTimes(1)
    // The renderer never receives a secret value.
    const dispatch = createDispatcher(a.handlers, { isTrustedSender: () => true })
    const listed = await dispatch('listChannels', {}, { url: 'app://lastunit/', isMainFrame: true })
    expect(JSON.stringify(listed)).not.toContain(RIGHT)
    expect(JSON.stringify(listed)).not.toContain('client-1')
  })

  it('problems name the field the seller sees, and nothing is tested or saved', async () => {
    const { app: a, fakes } = app()
    const r = await a.handlers.saveChannelSettings({
      draft: {
        ...bolDraft({ id: 'zalando-de', type: 'zalando', environment: 'production', baseUrl: '' }),
        settings: { merchantId: 'not-a-uuid' },
      },
      credentials: { clientId: 'id' },
      isNew: true,
      test: true,
    })
    expect(r.saved).toBe(false)
    expect(r.result.problems.map((p) => p.field)).toEqual([
      'settings.merchantId',
      'settings.salesChannelIds',
      'credentials.clientSecret',
    ])
    expect(r.result.problems[0]!.message).toMatch(/^Merchant ID: is a code like /)
    expect(r.result.problems[1]!.message).toMatch(/^Sales channels: /)
    expect(r.result.problems[2]!.message).toMatch(/^Client secret: paste it/)
    expect(fakes.channelCalls).toEqual([])
    expect(await a.handlers.listChannels({})).toEqual([])

    // "Save anyway" stores an incomplete channel, but never a malformed value.
    const anyway = await a.handlers.saveChannelSettings({
      draft: {
        ...bolDraft({ id: 'zalando-de', type: 'zalando', environment: 'production', baseUrl: '' }),
        settings: { merchantId: 'not-a-uuid' },
      },
      credentials: {},
      isNew: true,
      test: false,
    })
    expect(anyway.saved).toBe(false)
    expect(anyway.result.problems.map((p) => p.field)).toEqual(['settings.merchantId'])

    // A custom bol.com address must be the Retailer API's root.
    const root = await a.handlers.testChannelSettings({
      draft: bolDraft({ baseUrl: 'http://127.0.0.1:9/api' }),
      credentials: { clientId: 'x', clientSecret: RIGHT },
      isNew: true,
    })
    expect(root.problems).toEqual([
      {
        field: 'baseUrl',
        message: 'Custom address: ends in /retailer (or /retailer-demo), the root of the Retailer API',
      },
    ])
  })

  it('a new channel cannot take an existing id, and a channel keeps its type', async () => {
    const { app: a } = app()
    await savedChannel(a)
    const taken = await a.handlers.testChannelSettings({
      draft: bolDraft(),
      credentials: { clientId: 'x', clientSecret: RIGHT },
      isNew: true,
    })
    expect(taken.problems).toEqual([
      { field: 'id', message: expect.stringContaining('a channel "bol-nl" exists already') },
    ])
    const retyped = await a.handlers.saveChannelSettings({
      draft: bolDraft({ type: 'kaufland', settings: { storefront: 'de' } }),
      credentials: {},
      isNew: false,
      test: false,
    })
    expect(retyped.saved).toBe(false)
    expect(retyped.result.problems[0]).toMatchObject({ field: 'type' })
  })

  it('Shopify and WooCommerce take the shop address; Amazon its region', async () => {
    const { app: a } = app()
    const shop = await a.handlers.saveChannelSettings({
      draft: {
        ...bolDraft({
          id: 'shop',
          type: 'shopify',
          environment: 'production',
          baseUrl: 'myshop',
          orderImport: false,
        }),
        settings: {},
      },
      credentials: {},
      isNew: true,
      test: false,
    })
    expect(shop.channel).toMatchObject({ environment: 'production', baseUrl: 'https://myshop.myshopify.com' })
    const placeholder = await a.handlers.saveChannelSettings({
      draft: {
        ...bolDraft({ id: 'woo', type: 'woocommerce', environment: 'production', baseUrl: '' }),
        settings: {},
      },
      credentials: {},
      isNew: true,
      test: true,
    })
    expect(placeholder.result.problems[0]).toMatchObject({
      field: 'baseUrl',
      message: expect.stringMatching(/^Shop address: enter your shop’s address/),
    })
    const amazon = await a.handlers.saveChannelSettings({
      draft: {
        ...bolDraft({ id: 'amazon-us', type: 'amazon', environment: 'production', baseUrl: '' }),
        settings: { region: 'na', marketplaceIds: ['ATVPDKIKX0DER'], sellerId: 'A2C3EXAMPLE1Z' },
      },
      credentials: {},
      isNew: true,
      test: false,
    })
    expect(amazon.channel).toMatchObject({ baseUrl: 'https://sellingpartnerapi-na.amazon.com' })
    const wrongRegion = await a.handlers.testChannelSettings({
      draft: {
        ...bolDraft({ id: 'amazon-us', type: 'amazon', environment: 'production', baseUrl: '' }),
        settings: { region: 'eu', marketplaceIds: ['ATVPDKIKX0DER'], sellerId: 'A2C3EXAMPLE1Z' },
      },
      credentials: {},
      isNew: false,
    })
    expect(wrongRegion.problems.find((p) => p.field === 'settings.marketplaceIds')?.message).toMatch(
      /^Marketplaces: Amazon.com is not in the region Europe/,
    )
  })
})

describe('Odoo settings', () => {
  it('a test never saves; "Save and test" keeps the working connection and key when it fails; "Save anyway" saves', async () => {
    const { app: a, fakes } = app()
    const first = await a.handlers.saveOdooSettings({ draft: odooDraft(), apiKey: RIGHT, test: true })
    expect(first).toMatchObject({ saved: true, connection: { apiKeySet: true, lastTest: { ok: true } } })
    fakes.configChanged.mockClear()
    const before = configuration(a)

    const tested = await a.handlers.testOdooSettings({
      draft: odooDraft({ database: 'other' }),
      apiKey: 'wrong-key',
    })
    expect(tested.ok).toBe(false)
    // "in Connections" is where the seller is: the hint says "in this form".
    expect(tested.hint).toBe('Create a new API key and enter it in this form.')
    expect(fakes.odooCalls.at(-1)).toMatchObject({ connection: { database: 'other' }, apiKey: 'wrong-key' })
    expect(configuration(a)).toEqual(before)

    // Without a key typed, the stored one is tested.
    await a.handlers.testOdooSettings({ draft: odooDraft({ database: 'other' }), apiKey: '' })
    expect(fakes.odooCalls.at(-1)!.apiKey).toBe(RIGHT)

    const failed = await a.handlers.saveOdooSettings({
      draft: odooDraft({ database: 'other' }),
      apiKey: 'wrong-key',
      test: true,
    })
    expect(failed.saved).toBe(false)
    expect(failed.result.hint).toContain('Nothing was saved: sync goes on with the settings that were there.')
    expect(failed.connection).toMatchObject({ database: 'shop', lastTest: { ok: false, unsaved: true } })
    expect(configuration(a)).toEqual(before)
    expect(readCredentials(a.db, a.vault, 'odoo').apiKey).toBe(RIGHT)
    expect(fakes.configChanged).not.toHaveBeenCalled()

    const anyway = await a.handlers.saveOdooSettings({
      draft: odooDraft({ database: 'other' }),
      apiKey: 'wrong-key',
      test: false,
    })
    expect(anyway).toMatchObject({ saved: true, connection: { database: 'other' } })
    expect(readCredentials(a.db, a.vault, 'odoo').apiKey).toBe('wrong-key')
    expect(fakes.configChanged).toHaveBeenCalledTimes(1)
  })

  it('http:// to another host needs the switch the form has, named in the error', async () => {
    const { app: a, fakes } = app()
    const r = await a.handlers.testOdooSettings({
      draft: odooDraft({ url: 'http://odoo.lan:8069' }),
      apiKey: RIGHT,
    })
    expect(r.problems).toEqual([
      {
        field: 'url',
        message: expect.stringContaining(
          'tick "Allow unencrypted http:// (only for a server on your own network)"',
        ),
      },
    ])
    expect(fakes.odooCalls).toEqual([])
    const allowed = await a.handlers.testOdooSettings({
      draft: odooDraft({ url: 'http://odoo.lan:8069', allowInsecureHttp: true }),
      apiKey: RIGHT,
    })
    expect(allowed.ok).toBe(true)
  })
})

describe('the real runtime test', () => {
  it('tests typed bol.com credentials against the simulator through the adapter, storing nothing', async () => {
    const sim = await startBolSimulator({})
    cleanups.push(() => sim.stop())
    const a = createTestApp()
    cleanups.push(() => a.close())
    const rt = new Runtime({ db: a.db, vault: a.vault, dataDir: a.dir, host: 'cli', version: 'test' })
    cleanups.push(() => rt.stop())
    const handlers = createHandlers(rt.handlerContext() as HandlerContext)
    const draft = bolDraft({ baseUrl: sim.baseUrl, settings: { tokenUrl: sim.tokenUrl } })
    const before = configuration(a)
    const ok = await handlers.testChannelSettings({ draft, credentials: BOL_SIM_CREDENTIALS, isNew: true })
    expect(ok).toMatchObject({ ok: true, problems: [] })
    const wrong = await handlers.testChannelSettings({
      draft,
      credentials: { ...BOL_SIM_CREDENTIALS, clientSecret: 'nope' },
      isNew: true,
    })
    expect(wrong.ok).toBe(false)
    expect(wrong.message).toMatch(/refused/)
    expect(wrong.hint).toContain('"Client secret"')
    expect(configuration(a)).toEqual(before)
    expect(await handlers.listChannels({})).toEqual([])
  })
})
