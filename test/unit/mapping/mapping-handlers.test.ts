// The mapping, buffer and warehouse handlers over a real SQLite store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app'

let app: TestApp

beforeEach(() => {
  app = createTestApp()
  const db = app.db
  db.prepare(
    `INSERT INTO channels (id, type, name, base_url) VALUES ('bol-nl', 'bol', 'bol NL', 'https://x.invalid')`,
  ).run()
  const p = db.prepare(
    'INSERT INTO products (id, name, default_code, barcode, sales_per_day) VALUES (?, ?, ?, ?, ?)',
  )
  p.run(1, 'Shirt', 'LU-1', '871001', 30)
  p.run(2, 'Cap', 'LU-2', '871002', 1)
  p.run(3, 'Twin A', 'TWIN', null, 0)
  p.run(4, 'Twin B', 'TWIN', null, 0)
  const l = db.prepare(
    'INSERT INTO listings (channel_id, listing_id, sku, ean, title) VALUES (?, ?, ?, ?, ?)',
  )
  l.run('bol-nl', 'o-1', 'LU-1', null, 'Shirt on bol')
  l.run('bol-nl', 'o-2', null, '871002', 'Cap on bol')
  l.run('bol-nl', 'o-3', 'TWIN', null, 'Which twin?')
})
afterEach(() => app.close())

describe('mapping handlers', () => {
  it('auto-matches by SKU and EAN, leaves ambiguous listings for the seller, and lists the rest', async () => {
    const r = await app.handlers.autoMatch({})
    expect(r).toMatchObject({ matched: 2, bySku: 1, byEan: 1, byChannelId: 0, stillUnmapped: 1 })
    expect(r.ambiguous).toEqual([
      { channelId: 'bol-nl', listingId: 'o-3', detail: 'SKU TWIN matches 2 Odoo products' },
    ])
    const m = await app.handlers.listMappings({})
    expect(m.rows.map((x) => [x.listingId, x.productId, x.source])).toEqual([
      ['o-1', 1, 'sku'],
      ['o-2', 2, 'ean'],
      ['o-3', null, null],
    ])
    expect(m.products.find((p) => p.id === 3)?.listings).toBe(0)
  })

  it('imports a CSV row by row: listings the channel has map or change, each bad row is reported with its line', async () => {
    await app.handlers.setMapping({ channelId: 'bol-nl', listingId: 'o-2', productId: 2, replace: false })
    const r = await app.handlers.importMappingsCsv({
      csv: [
        'channel,listing,odoo_sku,odoo_id',
        'bol-nl,o-1,LU-1,',
        'bol-nl,o-9,LU-1,',
        'amazon-de,o-1,LU-1,',
        'bol-nl,o-3,TWIN,',
        'bol-nl,o-3,,3',
        'bol-nl,o-2,LU-1,',
        'bol-nl,o-1,LU-1,',
      ].join('\n'),
    })
    expect(r.applied).toBe(3)
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 8])
    expect(r.errors[0]?.message).toContain('bol-nl has no listing "o-9"')
    expect(r.errors[1]?.message).toBe('There is no channel "amazon-de".')
    expect(r.errors[2]?.message).toContain('Several Odoo products')
    expect(r.errors[3]?.message).toContain('already on line 2')
    // An existing mapping is changed, and the report says from what to what.
    expect(r.changed).toEqual([
      { line: 7, channelId: 'bol-nl', listingId: 'o-2', from: 'LU-2 Cap', to: 'LU-1 Shirt' },
    ])
    const csv = (await app.handlers.exportMappingsCsv({})).csv
    expect(csv).toBe(
      'channel,listing,odoo_sku,odoo_id\r\nbol-nl,o-1,LU-1,1\r\nbol-nl,o-2,LU-1,1\r\nbol-nl,o-3,TWIN,3\r\n',
    )
  })

  it('unmapping answers the mapping removed, and restoring it puts it back as it was', async () => {
    await app.handlers.autoMatch({})
    const removed = await app.handlers.removeMapping({ channelId: 'bol-nl', listingId: 'o-2' })
    expect(removed).toEqual({ removed: true, previous: { productId: 2, source: 'ean' } })
    const row = await app.handlers.restoreMapping({
      channelId: 'bol-nl',
      listingId: 'o-2',
      productId: 2,
      source: 'ean',
    })
    expect(row).toMatchObject({ listingId: 'o-2', productId: 2, source: 'ean', productSku: 'LU-2' })
  })

  it('refuses to silently remap a listing, and says how to replace it', async () => {
    await app.handlers.setMapping({ channelId: 'bol-nl', listingId: 'o-1', productId: 1, replace: false })
    await expect(
      app.handlers.setMapping({ channelId: 'bol-nl', listingId: 'o-1', productId: 2, replace: false }),
    ).rejects.toMatchObject({ code: 'conflict' })
    const row = await app.handlers.setMapping({
      channelId: 'bol-nl',
      listingId: 'o-1',
      productId: 2,
      replace: true,
    })
    expect(row).toMatchObject({ productId: 2, source: 'manual', productSku: 'LU-2' })
  })
})

describe('buffer handlers', () => {
  it('gives each product its velocity class, rule buffer and a recommendation, and applies it per listing after asking', async () => {
    await app.handlers.autoMatch({})
    const b = await app.handlers.getBuffers({})
    const shirt = b.products.find((p) => p.productId === 1)!
    expect(shirt).toMatchObject({ velocityClass: 'fast', buffer: 2 })
    expect(shirt.bufferExplanation).toBe('buffer 2 = fast seller default 2')
    await app.handlers.saveBufferRule({
      scope: 'global',
      velocityClass: null,
      channelId: null,
      productId: null,
      buffer: 3,
      startsOn: null,
      endsOn: null,
      note: null,
    })
    await app.handlers.saveBufferRule({
      scope: 'global',
      velocityClass: null,
      channelId: null,
      productId: null,
      buffer: 1,
      startsOn: null,
      endsOn: null,
      note: null,
    })
    const after = await app.handlers.getBuffers({})
    // One rule per subject: the second global rule replaced the first.
    expect(after.rules.filter((r) => r.scope === 'global').map((r) => r.buffer)).toEqual([1])
    // Sold on bol only, nothing elsewhere can sell its last unit: the policy recommends 0, below the fast
    // seller default of 2, so Apply asks first and changes nothing.
    expect(shirt.listings).toMatchObject([{ channelId: 'bol-nl', recommended: 0 }])
    const asked = await app.handlers.applyRecommendedBuffer({ productId: 1, confirm: false })
    expect(asked).toMatchObject({
      status: 'needs_confirmation',
      rules: [],
      lowered: [{ channelId: 'bol-nl', channelName: 'bol NL', current: 1, classDefault: 2, recommended: 0 }],
    })
    expect(asked.message).toContain('below the fast seller default of 2: bol NL 1 → 0')
    expect((await app.handlers.getBuffers({})).rules.some((r) => r.productId === 1)).toBe(false)
    const done = await app.handlers.applyRecommendedBuffer({ productId: 1, confirm: true })
    expect(done.status).toBe('applied')
    expect(done.rules).toMatchObject([
      { scope: 'product_channel', productId: 1, channelId: 'bol-nl', buffer: 0, note: 'Recommended buffer' },
    ])
    const after2 = await app.handlers.getBuffers({})
    expect(after2.products.find((p) => p.productId === 1)?.listings).toMatchObject([
      { channelId: 'bol-nl', buffer: 0, recommended: 0 },
    ])
  })

  it('refuses an invalid peak rule with the reason', async () => {
    await expect(
      app.handlers.saveBufferRule({
        scope: 'peak',
        velocityClass: null,
        channelId: null,
        productId: null,
        buffer: 5,
        startsOn: '2026-11-27',
        endsOn: '2026-11-30',
        note: null,
      }),
    ).rejects.toMatchObject({
      code: 'invalid_payload',
      message: expect.stringContaining('extra buffer of 1 or 2'),
    })
  })
})

describe('warehouse handlers', () => {
  it('flags double counting, non-internal locations and other companies', async () => {
    const ins = app.db.prepare(
      `INSERT INTO odoo_locations (id, name, complete_name, usage, parent_id, parent_path, company_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    ins.run(1, 'WH', 'WH', 'view', null, '1/', 1)
    ins.run(2, 'Stock', 'WH/Stock', 'internal', 1, '1/2/', 1)
    ins.run(3, 'Shelf', 'WH/Stock/Shelf', 'internal', 2, '1/2/3/', 1)
    ins.run(4, 'Scrap', 'Virtual/Scrap', 'inventory', null, '4/', 1)
    ins.run(5, 'Stock', 'B2/Stock', 'internal', null, '5/', 2)
    ins.run(6, 'Other', 'WH/Other', 'internal', 1, '1/6/', 1)
    const v = await app.handlers.setWarehouses({ channelId: 'bol-nl', locationIds: [2, 3, 4, 5, 6] })
    const flags = Object.fromEntries(v.locations.map((l) => [l.id, l.flag]))
    expect(flags).toEqual({
      1: null,
      2: null,
      3: 'double_counted',
      4: 'not_internal',
      5: 'other_company',
      6: null,
    })
    expect(v.problems).toHaveLength(3)
    expect(v.locations.find((l) => l.id === 3)?.depth).toBe(2)
  })
})
