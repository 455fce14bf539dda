// Every request the eBay adapter sends, in every flow, against eBay's Sell Inventory and Fulfillment specs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEbayAdapter } from '../../../main/node/channels/ebay'
import {
  EBAY_SIM_CREDENTIALS,
  startEbaySimulator,
  type EbaySimulator,
} from '../../../main/sandbox/channels/ebay'
import { syncUntilSettled } from '../../integration/channels/channel-sync-driver'
import { checkRecorded, hasSpecs, missingSpecsMessage, type ContractReport } from '../spec-helpers'

const INVENTORY = 'ebay/sell_inventory_v1_oas3.json'
const FULFILLMENT = 'ebay/sell_fulfillment_v1_oas3.json'
const present = hasSpecs(INVENTORY, FULFILLMENT)
if (!present) console.warn(missingSpecsMessage('eBay'))

describe.skipIf(!present)('eBay requests match the official specs', () => {
  const SCALE = 1000
  let sim: EbaySimulator
  let report: ContractReport

  beforeAll(async () => {
    sim = await startEbaySimulator({ timeScale: SCALE })
    sim.setListings(Array.from({ length: 60 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 4 })))
    const adapter = createEbayAdapter(
      {
        baseUrl: sim.url,
        marketplaceId: 'EBAY_DE',
        contentLanguage: 'de-DE',
        credentials: EBAY_SIM_CREDENTIALS,
      },
      { rateScale: SCALE, backoffMs: 5, timeoutMs: 2000 },
    )
    await adapter.testConnection()
    await syncUntilSettled(adapter, [{ listingId: 'SKU-0', quantity: 1, action: 'set', stamp: 1 }])
    await syncUntilSettled(
      adapter,
      Array.from({ length: 60 }, (_, i) => ({
        listingId: `SKU-${i}`,
        quantity: i % 7,
        action: 'set' as const,
        stamp: 2,
      })),
    )
    await syncUntilSettled(adapter, [{ listingId: 'SKU-3', quantity: 0, action: 'pause', stamp: 3 }])
    await syncUntilSettled(adapter, [{ listingId: 'SKU-3', quantity: 2, action: 'resume', stamp: 4 }])
    await adapter.readBack!(['SKU-3', 'SKU-4'])
    let cursor: string | undefined
    do cursor = (await adapter.listListings(cursor)).next
    while (cursor)
    for (let i = 0; i < 210; i++) sim.placeOrder([{ sku: `SKU-${i % 60}`, quantity: 1 }])
    cursor = undefined
    do cursor = (await adapter.fetchOrders(new Date(Date.now() - 5000).toISOString(), cursor)).next
    while (cursor)
    report = checkRecorded(sim.received, {
      [INVENTORY]: '/sell/inventory/v1',
      [FULFILLMENT]: '/sell/fulfillment/v1',
    })
  })

  afterAll(async () => {
    await sim?.stop()
  })

  it('covers every operation of every flow', () => {
    expect([...report.operations.keys()].sort()).toEqual(
      [
        'bulkUpdatePriceQuantity',
        'getInventoryItems',
        'getOffers',
        'getOrders',
        'publishOffer',
        'withdrawOffer',
      ].sort(),
    )
    expect(report.operations.get('getOrders')).toBe(2)
  })

  it('is answered by a simulator whose successful responses match the spec', () => {
    expect(report.responseProblems).toEqual([])
  })

  it('sends nothing the specs reject, and no deprecated operation', () => {
    expect(report.problems).toEqual([])
    expect(report.deprecated).toEqual([])
  })

  it('updates the inventory item and its offer together, at most 25 per call, with Content-Language', () => {
    const bulk = sim.received.filter((r) => r.path.endsWith('/bulk_update_price_quantity'))
    for (const r of bulk) {
      const reqs = (
        r.body as {
          requests: {
            shipToLocationAvailability?: { quantity: number }
            offers?: { availableQuantity: number }[]
          }[]
        }
      ).requests
      expect(reqs.length).toBeLessThanOrEqual(25)
      for (const q of reqs)
        expect(q.offers?.[0]?.availableQuantity).toBe(q.shipToLocationAvailability?.quantity)
      expect(r.headers['content-language']).toBe('de-DE')
    }
    const orders = sim.received.filter((r) => r.path === '/sell/fulfillment/v1/order')
    for (const r of orders)
      expect(r.query.get('filter')).toMatch(/^lastmodifieddate:\[\d{4}-\d\d-\d\dT[\d:.]+Z\.\.\]$/)
  })

  it('would flag a request the spec rejects (the check is live)', () => {
    const bad = checkRecorded(
      [
        {
          method: 'POST',
          path: '/sell/inventory/v1/bulk_update_price_quantity',
          query: new URLSearchParams('x=1'),
          headers: {},
          body: { requests: [{ sku: 'A', shipToLocationAvailability: { quantity: 'many' } }] },
          spec: INVENTORY,
        },
      ],
      { [INVENTORY]: '/sell/inventory/v1' },
    )
    const text = bad.problems.join('\n')
    expect(text).toMatch(/quantity/)
    expect(text).toMatch(/Content-Type/)
    expect(text).toMatch(/"x"/)
  })
})
