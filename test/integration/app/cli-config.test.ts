import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { runCli } from '../../../main/cli'
import { openDatabase } from '../../../main/node/db/database'
import { tempDir } from '../../helpers/app'

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

const dbSnapshot = () => {
  const db = openDatabase(join(dir, 'lastunit.db'))
  try {
    const t = ['channels', 'credentials', 'sku_mappings', 'buffer_rules', 'location_rules', 'odoo_connection']
    return Object.fromEntries(t.map((name) => [name, db.prepare(`SELECT * FROM ${name}`).all()]))
  } finally {
    db.close()
  }
}

const GOOD = {
  version: 1,
  odoo: {
    url: 'https://shop.example.com',
    database: 'shop',
    username: 'sync@shop.example',
    apiKey: { env: 'ODOO_KEY' },
  },
  channels: [
    {
      id: 'amazon-de',
      type: 'amazon',
      settings: { sellerId: 'A1B2', marketplaceIds: ['A1PA6795UKMFR9'] },
      credentials: {
        clientId: 'amzn1.app',
        clientSecret: 'planted-client-secret-1',
        refreshToken: 'Atzr|planted-refresh',
      },
      locations: [8],
    },
    {
      id: 'bol-nl',
      type: 'bol',
      zeroStockAction: 'pause',
      credentials: { clientId: 'x', clientSecret: 'y' },
    },
  ],
  bufferRules: [
    { scope: 'global', buffer: 0 },
    { scope: 'velocity_class', velocityClass: 'fast', buffer: 2 },
    { scope: 'channel', channel: 'amazon-de', buffer: 1 },
    { scope: 'peak', from: '2026-11-23', to: '2026-11-30', buffer: 2 },
  ],
  mappings: [{ channel: 'amazon-de', listing: 'SKU-1', productId: 12 }],
}

describe('lastunit config import / export', () => {
  it('imports a valid file, encrypts its secrets, and exports it back without them', async () => {
    const f = join(dir, 'good.json')
    writeFileSync(f, JSON.stringify(GOOD))
    const r = await cli(['config', 'import', f], { ODOO_KEY: 'planted-odoo-key' })
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(
      /Imported the Odoo connection, 2 channel\(s\), 4 buffer rule\(s\), 1 mapping\(s\), 6 credential\(s\)/,
    )
    const snap = dbSnapshot()
    expect(snap.channels).toHaveLength(2)
    expect(snap.location_rules).toEqual([{ channel_id: 'amazon-de', location_id: 8 }])
    const exp = await cli(['config', 'export'])
    expect(exp.code).toBe(0)
    const doc = JSON.parse(exp.out) as typeof GOOD
    expect(doc.channels[0]?.credentials).toEqual({ clientId: null, clientSecret: null, refreshToken: null })
    expect(exp.out).not.toContain('planted')
    // The export is itself a valid config file that re-imports to the same state.
    const f2 = join(dir, 'exported.json')
    writeFileSync(f2, exp.out)
    expect((await cli(['config', 'import', f2])).code).toBe(0)
    expect(dbSnapshot().channels).toEqual(snap.channels)
    const files = readdirSync(dir).filter((x) => x.startsWith('lastunit.db'))
    for (const x of files)
      expect(readFileSync(join(dir, x)).includes(Buffer.from('planted-client-secret-1'))).toBe(false)
  })

  it('reports every mistake with its JSON path, exits non-zero and changes nothing', async () => {
    const good = join(dir, 'good.json')
    writeFileSync(good, JSON.stringify(GOOD))
    expect((await cli(['config', 'import', good], { ODOO_KEY: 'k' })).code).toBe(0)
    const before = dbSnapshot()
    const bad = structuredClone(GOOD) as Record<string, unknown> & typeof GOOD
    ;(bad.odoo as Record<string, unknown>).url = 'ftp://shop'
    ;(bad.channels[0] as Record<string, unknown>).type = 'amazn'
    ;(bad.channels[1] as Record<string, unknown>).id = 'amazon-de'
    ;(bad.bufferRules[1] as Record<string, unknown>).buffer = -1
    ;(bad.mappings[0] as Record<string, unknown>).productId = 'twelve'
    const f = join(dir, 'bad.json')
    writeFileSync(f, JSON.stringify(bad))
    const r = await cli(['config', 'import', f])
    expect(r.code).toBe(1)
    expect(r.err).toContain('$.odoo.url')
    expect(r.err).toContain('$.channels[0].type')
    expect(r.err).toContain('$.bufferRules[1].buffer')
    expect(r.err).toContain('$.mappings[0].productId')
    expect(r.err).toMatch(/nothing was changed/)
    expect(dbSnapshot()).toEqual(before)
  })

  it('reports semantic mistakes (unknown channel, missing env var, duplicate id) and changes nothing', async () => {
    const bad = structuredClone(GOOD)
    bad.channels[1]!.id = 'amazon-de'
    const f = join(dir, 'dup.json')
    writeFileSync(f, JSON.stringify(bad))
    const r1 = await cli(['config', 'import', f])
    expect(r1.code).toBe(1)
    expect(r1.err).toContain('$.channels[1].id: "amazon-de" is already used by channels[0]')

    const bad2 = structuredClone(GOOD)
    bad2.mappings.push({ channel: 'ebay-de', listing: 'X', productId: 3 })
    writeFileSync(f, JSON.stringify(bad2))
    const r2 = await cli(['config', 'import', f])
    expect(r2.code).toBe(1)
    expect(r2.err).toContain('$.mappings[1].channel: no channel with id "ebay-de"')
    expect(r2.err).toContain('$.odoo.apiKey: environment variable ODOO_KEY is not set')
    expect(dbSnapshot().channels).toEqual([])
  })

  it('reports where a file is not valid JSON', async () => {
    const f = join(dir, 'broken.json')
    writeFileSync(f, '{\n  "version": 1,\n  "channels": [\n')
    const r = await cli(['config', 'import', f])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/\$: is not valid JSON/)
  })

  it('names a file it cannot read', async () => {
    const r = await cli(['config', 'import', join(dir, 'missing.json')])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/Cannot read .*missing\.json: ENOENT/)
  })

  it('refuses to import credentials without an encryption key', async () => {
    const f = join(dir, 'good.json')
    writeFileSync(f, JSON.stringify(GOOD))
    const out: string[] = []
    const code = await runCli(['--data-dir', dir, 'config', 'import', f], {
      out: () => undefined,
      err: (l) => out.push(l),
      env: {},
    })
    expect(code).toBe(1)
    expect(out.join('\n')).toMatch(/No encryption key/)
  })

  it('--help documents every command, and the bin runs', () => {
    const r = spawnSync(process.execPath, ['bin/lastunit.mjs', '--help'], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    for (const c of [
      'run',
      'status',
      'config',
      'resync',
      'demo',
      'checklist',
      'listings',
      'map',
      'first-push',
    ])
      expect(r.stdout).toMatch(new RegExp(`\\n  ${c} `))
    // The headless go-live, step by step.
    expect(r.stdout).toMatch(
      /Going live headless[^]*listings fetch[^]*map auto[^]*first-push[^]*--go-live[^]*lastunit run/,
    )
    const cfg = spawnSync(process.execPath, ['bin/lastunit.mjs', 'config', '--help'], { encoding: 'utf8' })
    expect(cfg.stdout).toMatch(/import .*<file>/)
    expect(cfg.stdout).toMatch(/export/)
  })
})
