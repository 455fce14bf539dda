import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseMappingCsv } from '../../../main/node/mapping/mapping-csv-parser'
import { createTestApp, type TestApp } from '../../helpers/app'
import { dbFingerprint } from './db-snapshot'

const RUNS = 400

const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    '"',
    '""',
    ',',
    '\n',
    '\r\n',
    '0',
    '-3',
    '1.5',
    '1e3',
    'NaN',
    'bol-nl',
    'L1',
    'SKU-1',
  ),
  fc.integer({ min: -5, max: 10_000 }).map(String),
)
const header = fc.oneof(
  fc.constant('channel,listing,odoo_sku,odoo_id'),
  fc.constant('channel,listing,odoo_id'),
  fc.constant('Channel;Listing;odoo_sku'),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }).map((h) => h.join(',')),
)
const csv = fc.oneof(
  fc
    .tuple(
      header,
      fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 20 }),
      fc.constantFrom('\n', '\r\n'),
    )
    .map(([h, rows, nl]) => [h, ...rows.map((r) => r.join(','))].join(nl)),
  fc.string({ maxLength: 300 }),
)

let app: TestApp
beforeAll(() => {
  app = createTestApp()
})
afterAll(() => app.close())

describe('fuzz: CSV mapping import', () => {
  it(`parsing never throws; every error names a line that exists; every row is complete (${RUNS} cases)`, () => {
    let errors = 0
    let rows = 0
    fc.assert(
      fc.property(csv, (text) => {
        const lines = text.split(/\r\n|\n|\r/).length
        const r = parseMappingCsv(text)
        for (const e of r.errors) {
          errors++
          expect(e.line).toBeGreaterThanOrEqual(1)
          expect(e.line).toBeLessThanOrEqual(Math.max(1, lines))
          expect(e.message.trim().length).toBeGreaterThan(0)
        }
        for (const row of r.rows) {
          rows++
          expect(row.channelId.trim()).toBe(row.channelId)
          expect(row.channelId.length).toBeGreaterThan(0)
          expect(row.listingId.length).toBeGreaterThan(0)
          expect(row.odooSku !== null || row.odooId !== null).toBe(true)
          if (row.odooId !== null) expect(Number.isInteger(row.odooId) && row.odooId > 0).toBe(true)
        }
      }),
      { numRuns: RUNS, seed: 1213 },
    )
    console.log(`mapping CSV parse fuzz: ${RUNS} cases tried, ${errors} row errors, ${rows} well-formed rows`)
  })

  it(`through the import handler: rows for unknown channels or products are reported by line and nothing is stored (${RUNS / 4} cases)`, async () => {
    let reported = 0
    await fc.assert(
      fc.asyncProperty(csv, async (text) => {
        const before = dbFingerprint(app.db)
        const r = await app.handlers.importMappingsCsv({ csv: text })
        // This database has no channels and no products, so no row can apply.
        expect(r.applied).toBe(0)
        reported += r.errors.length
        for (const e of r.errors) expect(e.message.trim().length).toBeGreaterThan(0)
        expect(dbFingerprint(app.db)).toBe(before)
      }),
      { numRuns: RUNS / 4, seed: 1214 },
    )
    console.log(
      `mapping CSV import fuzz: ${RUNS / 4} cases tried, ${reported} problems reported, 0 rows stored`,
    )
  })
})
