// Every request the Amazon adapter sends, in every flow, against Amazon's official models: Listings Items
// 2021-08-01, Feeds 2021-06-30, the listings feed document schema v2, and Orders 2026-01-01.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAmazonAdapter } from '../../../main/node/channels/amazon'
import {
  AMAZON_SIM_CREDENTIALS,
  startAmazonSimulator,
  type AmazonSimulator,
} from '../../../main/sandbox/channels/amazon'
import { syncUntilSettled } from '../../integration/channels/channel-sync-driver'
import {
  checkRecorded,
  hasSpecs,
  jsonSchemaValidator,
  missingSpecsMessage,
  type ContractReport,
} from '../spec-helpers'

const FILES = [
  'amazon/listingsItems_2021-08-01.json',
  'amazon/feeds_2021-06-30.json',
  'amazon/orders_2026-01-01.json',
  'amazon/listings-feed-schema-v2.json',
  'amazon/listings-feed-message-schema-v2.json',
]
const present = hasSpecs(...FILES)
if (!present) console.warn(missingSpecsMessage('Amazon'))

describe.skipIf(!present)('Amazon requests match the official SP-API models', () => {
  const SCALE = 1000
  let sim: AmazonSimulator
  let report: ContractReport

  beforeAll(async () => {
    sim = await startAmazonSimulator({ timeScale: SCALE })
    sim.setListings(Array.from({ length: 40 }, (_, i) => ({ sku: `SKU ${i}/x`, quantity: 3 })))
    const adapter = createAmazonAdapter(
      {
        baseUrl: sim.url,
        tokenUrl: `${sim.url}/auth/o2/token`,
        sellerId: sim.sellerId,
        marketplaceIds: [sim.marketplaceId],
        credentials: AMAZON_SIM_CREDENTIALS,
      },
      { rateScale: SCALE, backoffMs: 5, timeoutMs: 2000 },
    )
    const sku = (i: number) => `SKU ${i}/x`
    await adapter.testConnection()
    // Few SKUs: patches, confirmed by read-back; pause and resume are patches too.
    await syncUntilSettled(adapter, [
      { listingId: sku(0), quantity: 4, action: 'set', stamp: 1 },
      { listingId: sku(1), quantity: 0, action: 'pause', stamp: 1 },
    ])
    await syncUntilSettled(adapter, [{ listingId: sku(1), quantity: 2, action: 'resume', stamp: 2 }])
    // Many SKUs: the feed flow, confirmed through the processing report.
    await syncUntilSettled(
      adapter,
      Array.from({ length: 40 }, (_, i) => ({
        listingId: sku(i),
        quantity: i,
        action: 'set' as const,
        stamp: 3,
      })),
    )
    await adapter.readBack!([sku(0), sku(1)])
    let cursor: string | undefined
    do cursor = (await adapter.listListings(cursor)).next
    while (cursor)
    for (let i = 0; i < 120; i++) sim.placeOrder({ items: [{ sku: sku(i % 40), quantity: 1 }] })
    cursor = undefined
    do cursor = (await adapter.fetchOrders(new Date(Date.now() - 5000).toISOString(), cursor)).next
    while (cursor)
    report = checkRecorded(sim.received)
  })

  afterAll(async () => {
    await sim?.stop()
  })

  it('covers every operation of every flow', () => {
    expect([...report.operations.keys()].sort()).toEqual(
      [
        'createFeed',
        'createFeedDocument',
        'getFeed',
        'getFeedDocument',
        'patchListingsItem',
        'searchListingsItems',
        'searchOrders',
      ].sort(),
    )
    expect(report.operations.get('searchOrders')).toBe(2)
  })

  it('is answered by a simulator whose successful responses match the spec', () => {
    expect(report.responseProblems).toEqual([])
  })

  it('sends nothing the models reject, and no deprecated operation', () => {
    expect(report.problems).toEqual([])
    expect(report.deprecated).toEqual([])
  })

  it('uploads a feed document that matches the listings feed schema and message schema', () => {
    const uploads = sim.received.filter(
      (r) => r.method === 'PUT' && r.spec === 'amazon/listings-feed-schema-v2.json',
    )
    expect(uploads.length).toBe(1)
    const feed = jsonSchemaValidator('amazon/listings-feed-schema-v2.json')
    const message = jsonSchemaValidator('amazon/listings-feed-message-schema-v2.json')
    for (const u of uploads) {
      expect(feed(u.body)).toEqual([])
      const messages = (u.body as { messages: unknown[] }).messages
      expect(messages).toHaveLength(40)
      for (const m of messages) expect(message(m)).toEqual([])
      expect(messages[0]).toMatchObject({
        operationType: 'PATCH',
        patches: [{ op: 'merge', path: '/attributes/fulfillment_availability' }],
      })
    }
  })

  it('sends the access token and the required User-Agent on every SP-API call, never to the document store', () => {
    for (const r of sim.received.filter(
      (x) => x.spec?.endsWith('.json') && !x.spec.includes('feed-schema'),
    )) {
      expect(r.headers['x-amz-access-token']).toBe('<redacted>')
      expect(r.headers['user-agent']).toMatch(/^[^/]+\/\S+ \(Language=/)
    }
    for (const r of sim.received.filter((x) => x.path.startsWith('/sim-s3/')))
      expect(r.headers['x-amz-access-token']).toBeUndefined()
  })

  it('would flag a request the model rejects (the check is live)', () => {
    const bad = checkRecorded([
      {
        method: 'PATCH',
        path: '/listings/2021-08-01/items/S/SKU',
        query: new URLSearchParams(),
        headers: {},
        body: { patches: [{ op: 'merge' }] },
        spec: 'amazon/listingsItems_2021-08-01.json',
      },
    ])
    expect(bad.problems.join('\n')).toMatch(/marketplaceIds/)
    expect(bad.problems.join('\n')).toMatch(/productType/)
  })
})
