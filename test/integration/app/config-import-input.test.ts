// Issue #21, bad input to `config import` and to the importConfig API: what used to slip through silently
// (invalid UTF-8, duplicate keys, impossible dates, a type change, an environment reference over the API,
// an unencrypted address) is refused with where it is; a BOM is fine.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../../../main/cli'
import { openDatabase } from '../../../main/node/db/database'
import { createKeyVault } from '../../../main/node/secrets/key-vault'
import { vaultSalt } from '../../../main/node/secrets/vault-salt'
import { readCredentials } from '../../../main/node/db/repos/credentials'
import { createDispatcher } from '../../../main/node/api/dispatcher'
import { importConfig } from '../../../main/node/config/config-service'
import { createTestApp, tempDir, type TestApp } from '../../helpers/app'

const KEY = 'cli-test-passphrase-0123456789'
let dir: string
let cleanup: () => void
beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
})
afterEach(() => cleanup())

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(['--data-dir', dir, ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { LASTUNIT_KEY: KEY, ...env },
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const shopify = (token: string, extra: Record<string, unknown> = {}) => ({
  version: 1,
  channels: [
    {
      id: 'shop',
      type: 'shopify',
      environment: 'custom',
      baseUrl: 'https://myshop.myshopify.com',
      credentials: { accessToken: token },
      ...extra,
    },
  ],
})

const storedToken = () => {
  const db = openDatabase(join(dir, 'lastunit.db'))
  try {
    return readCredentials(db, createKeyVault(KEY, vaultSalt(db)), 'channel:shop').accessToken
  } finally {
    db.close()
  }
}

describe('config import: bytes and syntax', () => {
  it('refuses invalid UTF-8 with the byte offset instead of replacing it', async () => {
    const text = JSON.stringify(shopify('shpat_XXBAD0123456789'))
    const at = Buffer.byteLength(text.slice(0, text.indexOf('XXBAD')))
    const bytes = Buffer.from(text)
    bytes[at] = 0xc3 // a lead byte followed by an ASCII byte: not UTF-8
    bytes[at + 1] = 0x28
    const file = join(dir, 'bad.json')
    writeFileSync(file, bytes)
    const r = await cli(['config', 'import', file])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(new RegExp(`not valid UTF-8 at byte ${at}\\b`))
    expect(storedToken()).toBeUndefined()
  })

  it('accepts a UTF-8 byte order mark', async () => {
    const file = join(dir, 'bom.json')
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(JSON.stringify(shopify('shpat_bom0123456789'))),
      ]),
    )
    const r = await cli(['config', 'import', file])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(storedToken()).toBe('shpat_bom0123456789')
  })

  it('refuses a duplicate key, naming its path', async () => {
    const file = join(dir, 'dup.json')
    writeFileSync(
      file,
      '{"version":1,"channels":[{"id":"shop","type":"shopify","environment":"custom","baseUrl":"https://a.myshopify.com","baseUrl":"https://evil.example.com"}]}',
    )
    const r = await cli(['config', 'import', file])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/\$\.channels\[0\]\.baseUrl: .*(twice|duplicate)/i)
  })

  it('refuses impossible dates', async () => {
    const file = join(dir, 'date.json')
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        bufferRules: [{ scope: 'peak', from: '2026-13-45', to: '2026-12-31', buffer: 1 }],
      }),
    )
    const r = await cli(['config', 'import', file])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/\$\.bufferRules\[0\]\.from: .*date/)
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        bufferRules: [{ scope: 'peak', from: '2026-02-29', to: '2026-03-01', buffer: 1 }],
      }),
    )
    expect((await cli(['config', 'import', file])).code).toBe(1)
  })
})

describe('config import: what the app refuses, the file is refused too', () => {
  let app: TestApp
  beforeEach(() => {
    app = createTestApp()
  })
  afterEach(() => app.close())

  it('refuses to change a channel type', () => {
    expect(
      importConfig(app.db, app.vault, JSON.stringify(shopify('shpat_one0123456789')), { env: {} }).applied,
    ).toBe(true)
    const r = importConfig(
      app.db,
      app.vault,
      JSON.stringify({
        version: 1,
        channels: [
          { id: 'shop', type: 'woocommerce', environment: 'custom', baseUrl: 'https://shop.example.com' },
        ],
      }),
      { env: {} },
    )
    expect(r.applied).toBe(false)
    expect(r.problems).toEqual([
      { path: '$.channels[0].type', message: expect.stringMatching(/cannot change/) },
    ])
  })

  it('refuses http:// to a non-local host for a channel, as for Odoo', () => {
    const r = importConfig(
      app.db,
      app.vault,
      JSON.stringify({
        ...shopify('shpat_one0123456789'),
        channels: [{ ...shopify('x').channels[0], baseUrl: 'http://myshop.example.com' }],
      }),
      { env: {} },
    )
    expect(r.applied).toBe(false)
    expect(r.problems[0]).toMatchObject({
      path: '$.channels[0].baseUrl',
      message: expect.stringMatching(/http:\/\//),
    })
    const token = importConfig(
      app.db,
      app.vault,
      JSON.stringify({
        version: 1,
        channels: [
          {
            id: 'bol',
            type: 'bol',
            environment: 'custom',
            baseUrl: 'https://proxy.example.com/retailer',
            settings: { tokenUrl: 'http://login.example.com/token' },
          },
        ],
      }),
      { env: {} },
    )
    expect(token.problems[0]).toMatchObject({ path: '$.channels[0].settings.tokenUrl' })
    // A simulator on this machine may use http://.
    const local = importConfig(
      app.db,
      app.vault,
      JSON.stringify({
        ...shopify('shpat_one0123456789'),
        channels: [{ ...shopify('shpat_one0123456789').channels[0], baseUrl: 'http://127.0.0.1:8080' }],
      }),
      { env: {} },
    )
    expect(local.problems).toEqual([])
  })

  it('clears stored credentials when the file moves a channel to another host, unless it brings new ones', () => {
    importConfig(app.db, app.vault, JSON.stringify(shopify('shpat_one0123456789')), { env: {} })
    const moved = importConfig(
      app.db,
      app.vault,
      JSON.stringify({
        version: 1,
        channels: [{ ...shopify('x').channels[0], baseUrl: 'https://other.myshopify.com', credentials: {} }],
      }),
      { env: {} },
    )
    expect(moved.applied).toBe(true)
    expect(moved.summary).toMatch(/credentials of "shop".*cleared.*again/i)
    expect(readCredentials(app.db, app.vault, 'channel:shop')).toEqual({})
    importConfig(
      app.db,
      app.vault,
      JSON.stringify({
        ...shopify('shpat_two0123456789'),
        channels: [{ ...shopify('shpat_two0123456789').channels[0], baseUrl: 'https://third.myshopify.com' }],
      }),
      { env: {} },
    )
    expect(readCredentials(app.db, app.vault, 'channel:shop')).toEqual({ accessToken: 'shpat_two0123456789' })
  })

  it('refuses {"env": ...} over the API: only the command line reads the environment', async () => {
    process.env.LASTUNIT_TEST_PLANTED = 'planted-vault-key-0123456789'
    try {
      const dispatch = createDispatcher(app.handlers, { isTrustedSender: () => true })
      const r = (await dispatch(
        'importConfig',
        { json: JSON.stringify(shopify({ env: 'LASTUNIT_TEST_PLANTED' } as unknown as string)) },
        { url: 'app://lastunit/', isMainFrame: true },
      )) as { ok: true; value: { applied: boolean; problems: { path: string; message: string }[] } }
      expect(r.ok).toBe(true)
      expect(r.value.applied).toBe(false)
      expect(r.value.problems).toEqual([
        {
          path: '$.channels[0].credentials.accessToken',
          message: expect.stringMatching(/command line/),
        },
      ])
      expect(readCredentials(app.db, app.vault, 'channel:shop')).toEqual({})
    } finally {
      delete process.env.LASTUNIT_TEST_PLANTED
    }
  })
})
