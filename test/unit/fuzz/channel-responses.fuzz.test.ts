import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isClassifiedError } from '../../../main/core/errors'
import type { ChannelAdapter, PushItem } from '../../../main/core/ports/channel-adapter'
import { CHANNEL_TYPES, type ChannelType } from '../../../shared/channel-types'
import { createChannelAdapter } from '../../../main/node/runtime/channel-registry'
import type { ChannelRow } from '../../../main/node/db/repos/channels'
import { channelRow } from '../../helpers/channel-row'

const RUNS_PER_ADAPTER = 30

// The fake marketplace answers every call with the fuzzed response of the current case; token endpoints
// answer properly so the fuzz reaches the parsers behind them.
interface Answer {
  status: number
  body: string
  contentType: string
}
let answer: Answer = { status: 200, body: '{}', contentType: 'application/json' }
let server: Server
let base = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (req.method === 'POST' && /token/i.test(req.url ?? '')) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ access_token: 'fuzz-access', token_type: 'Bearer', expires_in: 3600 }))
        return
      }
      res.writeHead(answer.status, { 'content-type': answer.contentType })
      res.end(answer.body)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
})

const SETTINGS: Record<ChannelType, ChannelRow['settings']> = {
  amazon: { sellerId: 'A1', marketplaceIds: ['A1PA6795UKMFR9'] },
  bol: {},
  zalando: {
    merchantId: '7c2a9f0e-3b1d-4e6a-9c8b-1f2e3d4c5b6a',
    salesChannelIds: ['bf48ba35-149d-4b76-8ac9-d08d126b517f'],
  },
  kaufland: { storefront: 'de' },
  ebay: { marketplaceId: 'EBAY_DE' },
  shopify: { locationId: 'gid://shopify/Location/1' },
  woocommerce: {},
}
const CREDENTIALS: Record<string, string> = {
  clientId: 'cid',
  clientSecret: 'csecret',
  refreshToken: 'Atzr|refresh',
  clientKey: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
  secretKey: 'f6e5d4c3b2a1f6e5d4c3b2a1f6e5d4c3b2a1f6e5d4c3b2a1f6e5d4c3b2a1f6e5',
  accessToken: 'shpat_x',
  consumerKey: `ck_${'a1'.repeat(20)}`,
  consumerSecret: `cs_${'b2'.repeat(20)}`,
}

const adapterFor = (type: ChannelType): ChannelAdapter =>
  createChannelAdapter(
    channelRow({
      id: `${type}-fuzz`,
      type,
      name: type,
      baseUrl: type === 'bol' ? `${base}/retailer` : base,
      settings: { ...SETTINGS[type], tokenUrl: `${base}/oauth/token` },
    }),
    CREDENTIALS,
    // The channel client retries what is retryable (a 5xx, a garbled body) with backoff: kept to a
    // millisecond, so a retried answer still ends within the second each case is given.
    { timeoutMs: 1500, rateScale: 1000, backoffMs: 1 },
  )

const FIELD_NAMES = [
  'items',
  'orders',
  'offers',
  'data',
  'errors',
  'listings',
  'products',
  'pagination',
  'nextToken',
  'payload',
  'content',
  'results',
  'status',
  'processStatusId',
  'quantity',
  'sku',
  'id',
  'orderId',
  'orderItems',
  'edges',
  'node',
  'inventoryLevels',
  'stock',
  'amount',
  'total',
  'next',
  'links',
  'feedId',
  'issues',
  'summaries',
]
const plausible = fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.jsonValue({ maxDepth: 3 }), {
  maxKeys: 5,
})
const body = fc.oneof(
  plausible.map((o) => JSON.stringify(o)),
  fc.tuple(plausible, fc.nat()).map(([o, n]) => {
    const s = JSON.stringify(o)
    return s.slice(0, n % Math.max(1, s.length))
  }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '',
    '<html><body>502 Bad Gateway</body></html>',
    'null',
    '[]',
    '{',
    '"ok"',
    '<?xml version="1.0"?><a>',
  ),
  fc.string({ maxLength: 80 }),
)
const answerArb: fc.Arbitrary<Answer> = fc.record({
  status: fc.constantFrom(200, 200, 200, 201, 202, 207, 400, 401, 403, 404, 409, 500, 502, 503),
  body,
  contentType: fc.constantFrom('application/json', 'text/html', 'application/json; charset=utf-8'),
})

const PUSH: PushItem[] = [
  { listingId: 'L1', quantity: 3, action: 'set', stamp: 11 },
  { listingId: 'L2', quantity: 0, action: 'set', stamp: 12 },
]
const OUTCOMES = new Set(['confirmed', 'accepted', 'rejected', 'retry'])
const ORDER_STATUSES = new Set(['open', 'shipped', 'cancelled', 'partially_cancelled'])
const isCount = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0

// Defects this fuzz found in adapters owned by other work (reported to their owners, issue 12 report):
// an empty JSON object where a list is expected crashes the parser with a TypeError instead of a
// ClassifiedError. Each is counted and printed on every run; any other unclassified failure fails the test.
const KNOWN_DEFECTS: Array<{ type: ChannelType; op: string; error: RegExp }> = []

type Op = 'push' | 'listListings' | 'fetchOrders' | 'testConnection' | 'readBack' | 'confirm'
const OPS: Op[] = ['push', 'listListings', 'fetchOrders', 'testConnection', 'readBack', 'confirm']

/** Runs one operation; checks that a value it returns is well formed. */
async function runOp(a: ChannelAdapter, op: Op): Promise<void> {
  switch (op) {
    case 'push': {
      const r = await a.push(PUSH)
      for (const x of r.results) {
        const item = PUSH.find((p) => p.listingId === x.listingId)
        expect(item, `result for unknown listing ${x.listingId}`).toBeDefined()
        expect(x.stamp).toBe(item!.stamp)
        expect(OUTCOMES.has(x.outcome)).toBe(true)
      }
      return
    }
    case 'listListings': {
      const r = await a.listListings()
      for (const l of r.items) {
        expect(typeof l.listingId === 'string' && l.listingId.length > 0).toBe(true)
        expect(l.quantity === null || isCount(l.quantity), `quantity ${String(l.quantity)}`).toBe(true)
        expect(typeof l.paused).toBe('boolean')
      }
      return
    }
    case 'fetchOrders': {
      const r = await a.fetchOrders('2026-11-01T00:00:00Z')
      for (const o of r.items) {
        expect(typeof o.orderId === 'string' && o.orderId.length > 0).toBe(true)
        expect(ORDER_STATUSES.has(o.status)).toBe(true)
        for (const l of o.lines) {
          expect(isCount(l.quantity), `line quantity ${String(l.quantity)}`).toBe(true)
          expect(isCount(l.cancelledQuantity)).toBe(true)
          expect(Number.isFinite(l.unitPrice)).toBe(true)
        }
      }
      return
    }
    case 'testConnection': {
      const r = await a.testConnection()
      expect(typeof r.ok).toBe('boolean')
      expect(r.message.length).toBeGreaterThan(0)
      return
    }
    case 'readBack': {
      if (!a.readBack) return
      const r = await a.readBack(['L1', 'L2'])
      for (const s of r) {
        expect(['L1', 'L2']).toContain(s.listingId)
        expect(isCount(s.quantity), `read-back quantity ${String(s.quantity)}`).toBe(true)
      }
      return
    }
    case 'confirm': {
      if (!a.confirm) return
      const r = await a.confirm(['token-1'])
      for (const x of r) expect(OUTCOMES.has(x.outcome)).toBe(true)
      return
    }
  }
}

describe('fuzz: channel responses', () => {
  const tally: Record<string, { ok: number; classified: number; retrying: number; knownDefect: number }> = {}
  afterAll(() => {
    const total = Object.values(tally).reduce(
      (n, t) => n + t.ok + t.classified + t.retrying + t.knownDefect,
      0,
    )
    console.log(`channel response fuzz: ${total} cases tried`, JSON.stringify(tally))
  })

  for (const type of CHANNEL_TYPES) {
    it(`${type}: every random, truncated or malformed answer gives a well-formed value or a ClassifiedError (${RUNS_PER_ADAPTER} cases)`, async () => {
      const t = (tally[type] = { ok: 0, classified: 0, retrying: 0, knownDefect: 0 })
      await fc.assert(
        fc.asyncProperty(answerArb, fc.constantFrom(...OPS), async (ans, op) => {
          answer = ans
          // A fresh adapter per case: no state (cached tokens, pacer debt) from the previous answer.
          const a = adapterFor(type)
          try {
            await Promise.race([
              runOp(a, op),
              new Promise((_r, reject) =>
                setTimeout(() => reject(new Error(`HUNG: ${op} still running after 1 s`)), 1000).unref(),
              ),
            ])
            t.ok++
          } catch (e) {
            if ((e as { name?: string }).name === 'AssertionError') throw e
            // Backing off and retrying a 5xx inside the call is allowed: it is neither a crash nor a value.
            if (ans.status >= 500 && /^HUNG/.test((e as Error).message)) {
              t.retrying++
              return
            }
            const known = KNOWN_DEFECTS.find((d) => d.type === type && d.op === op && d.error.test(String(e)))
            if (known) {
              console.warn(
                `KNOWN DEFECT ${type}.${op}: ${String(e)} (answer ${ans.status} ${ans.body.slice(0, 40)})`,
              )
              t.knownDefect++
              return
            }
            expect(isClassifiedError(e), `${op} threw ${String(e)}`).toBe(true)
            expect((e as Error).message.length).toBeGreaterThan(0)
            t.classified++
          } finally {
            await a.close?.()
          }
        }),
        { numRuns: RUNS_PER_ADAPTER, seed: 1217 },
      )
    }, 60_000)
  }
})
