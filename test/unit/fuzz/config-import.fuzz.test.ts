import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { importConfig } from '../../../main/node/config/config-service'
import { createTestApp, type TestApp } from '../../helpers/app'
import { dbFingerprint } from './db-snapshot'

const RUNS = 300

// A valid file: every fuzz case starts from it and breaks one thing.
const BASE = {
  version: 1,
  odoo: { url: 'https://shop.odoo.com', database: 'shop', username: 'me', apiKey: 'odoo-key-1234567' },
  channels: [
    { id: 'bol-nl', type: 'bol', credentials: { clientId: 'cid', clientSecret: 'csecret' } },
    { id: 'amazon-de', type: 'amazon', settings: { sellerId: 'A1', marketplaceIds: ['A1PA6795UKMFR9'] } },
  ],
  bufferRules: [
    { scope: 'global', buffer: 1 },
    { scope: 'channel', channel: 'bol-nl', buffer: 2 },
    { scope: 'peak', from: '2026-11-27', to: '2026-11-30', buffer: 2 },
  ],
  mappings: [{ channel: 'bol-nl', listing: 'L1', productId: 5 }],
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** Every path into the base document, so a mutation can land anywhere. */
function paths(v: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [at]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])))
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]))
  return out
}
const ALL_PATHS = paths(BASE as unknown as Json).filter((p) => p.length > 0)

function setAt(doc: Json, path: Array<string | number>, value: Json | undefined): Json {
  const copy = structuredClone(doc) as Record<string | number, Json>
  let node: Record<string | number, Json> = copy
  for (const k of path.slice(0, -1)) node = node[k] as unknown as Record<string | number, Json>
  const last = path[path.length - 1]!
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1)
    else delete node[last]
  } else node[last] = value
  return copy as Json
}

const badValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    -1,
    0,
    1.5,
    '',
    'x',
    true,
    [],
    {},
    'http://',
    'not a url',
    Number.MAX_SAFE_INTEGER + 2,
    -0,
  ),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
)

// Whole-text inputs: broken JSON, truncations of the valid file, arbitrary text, other JSON documents.
const baseText = JSON.stringify(BASE, null, 2)
const textInput = fc.oneof(
  fc.nat({ max: baseText.length - 1 }).map((n) => baseText.slice(0, n)),
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .tuple(fc.nat({ max: baseText.length - 1 }), fc.string({ minLength: 1, maxLength: 3 }))
    .map(([i, s]) => baseText.slice(0, i) + s + baseText.slice(i + 1)),
)
const docInput = fc.oneof(
  fc
    .tuple(fc.constantFrom(...ALL_PATHS), badValue)
    .map(([p, v]) => JSON.stringify(setAt(BASE as unknown as Json, p, v))),
  fc.constantFrom(...ALL_PATHS).map((p) => JSON.stringify(setAt(BASE as unknown as Json, p, undefined))),
  fc
    .tuple(
      fc.constantFrom(...ALL_PATHS.filter((p) => typeof p[p.length - 1] === 'string')),
      fc.string({ minLength: 1, maxLength: 8 }),
    )
    .map(([p, k]) => JSON.stringify(setAt(BASE as unknown as Json, [...p.slice(0, -1), `${k}_unknown`], 1))),
)

let app: TestApp
beforeAll(() => {
  app = createTestApp()
})
afterAll(() => app.close())

describe('fuzz: config file import', () => {
  it(`every bad file is refused with problems naming a JSON path, and changes nothing (${RUNS} cases)`, () => {
    let refused = 0
    let accepted = 0
    let problemsSeen = 0
    fc.assert(
      fc.property(fc.oneof(textInput, docInput), (text) => {
        const before = dbFingerprint(app.db)
        const r = importConfig(app.db, app.vault, text, { env: {} })
        if (r.applied) {
          // Some mutations are still valid files (a removed optional field): applied whole, with no problems.
          accepted++
          expect(r.problems).toEqual([])
          return
        }
        refused++
        expect(r.problems.length).toBeGreaterThan(0)
        for (const p of r.problems) {
          problemsSeen++
          expect(p.path).toMatch(/^\$/)
          expect(p.message.trim().length).toBeGreaterThan(0)
          expect(p.message).not.toMatch(/\[object Object\]/)
        }
        expect(dbFingerprint(app.db)).toBe(before)
      }),
      { numRuns: RUNS, seed: 1212 },
    )
    console.log(
      `config import fuzz: ${RUNS} cases tried, ${refused} refused (${problemsSeen} problems), ${accepted} valid and applied`,
    )
    expect(refused).toBeGreaterThan(RUNS / 2)
  })
})
