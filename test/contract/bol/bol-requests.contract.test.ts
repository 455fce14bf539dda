// Every request the bol.com adapter sends, in every flow, against bol's published specs: Offers API v11,
// Retailer API v10 (orders) and Shared API v10 (process status).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBolAdapter } from '../../../main/node/channels/bol'
import { BOL_SIM_CREDENTIALS, startBolSimulator, type BolSimulator } from '../../../main/sandbox/channels/bol'
import { syncUntilSettled } from '../../integration/channels/channel-sync-driver'
import { checkRecorded, hasSpecs, missingSpecsMessage, type ContractReport } from '../spec-helpers'

const FILES = ['bol/offers-v11.yaml', 'bol/retailer-v10.json', 'bol/shared-v10.json']
const present = hasSpecs(...FILES)
if (!present) console.warn(missingSpecsMessage('bol.com'))

describe.skipIf(!present)('bol.com requests match the official specs', () => {
  const SCALE = 1000
  let sync: BolSimulator
  let async: BolSimulator
  let report: ContractReport

  beforeAll(async () => {
    sync = await startBolSimulator({ timeScale: SCALE })
    async = await startBolSimulator({ timeScale: SCALE, asyncOfferUpdates: true })
    for (const sim of [sync, async]) {
      const ids = sim.setOffers(
        Array.from({ length: 120 }, (_, i) => ({
          ean: String(8712345000000 + i),
          reference: `SKU-${i}`,
          amount: 2,
        })),
      )
      const adapter = createBolAdapter(
        { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: BOL_SIM_CREDENTIALS },
        { rateScale: SCALE, backoffMs: 5, timeoutMs: 2000 },
      )
      await adapter.testConnection()
      await syncUntilSettled(adapter, [
        { listingId: ids[0]!, quantity: 3, action: 'set', stamp: 1 },
        { listingId: ids[1]!, quantity: 0, action: 'pause', stamp: 1 },
      ])
      await syncUntilSettled(adapter, [{ listingId: ids[1]!, quantity: 5, action: 'resume', stamp: 2 }])
      await adapter.readBack!(ids.slice(0, 3))
      let cursor: string | undefined
      do cursor = (await adapter.listListings(cursor)).next
      while (cursor)
      for (let i = 0; i < 60; i++) sim.placeOrder([{ offerId: ids[i]!, quantity: 1 }])
      // A recent watermark (change-interval-minute) and an old one (latest-change-date, day by day).
      for (const since of [new Date(Date.now() - 5000), new Date(Date.now() - 2 * 86_400_000)]) {
        cursor = undefined
        let guard = 0
        do {
          const page: { next?: string | undefined } = await adapter
            .fetchOrders(since.toISOString(), cursor)
            .catch(async () => {
              await new Promise((r) => setTimeout(r, 70))
              return { items: [], next: cursor }
            })
          cursor = page.next
        } while (cursor && ++guard < 100)
      }
    }
    report = checkRecorded([...sync.received, ...async.received])
  })

  afterAll(async () => {
    await sync?.stop()
    await async?.stop()
  })

  it('covers every operation of every flow', () => {
    expect([...report.operations.keys()].sort()).toEqual(
      ['get-offers', 'get-order', 'get-orders', 'get-process-status-bulk', 'update-offer'].sort(),
    )
  })

  it('is answered by a simulator whose successful responses match the spec', () => {
    expect(report.responseProblems).toEqual([])
  })

  it('sends nothing the specs reject, and no deprecated operation', () => {
    expect(report.problems).toEqual([])
    expect(report.deprecated).toEqual([])
  })

  it('uses the version each API expects and always says who manages the stock', () => {
    for (const r of [...sync.received, ...async.received]) {
      if (r.path.startsWith('/retailer/offers'))
        expect(r.headers.accept).toBe('application/vnd.retailer.v11+json')
      if (r.path.startsWith('/retailer/orders') || r.path.startsWith('/shared/'))
        expect(r.headers.accept).toBe('application/vnd.retailer.v10+json')
      if (r.method === 'PATCH')
        expect((r.body as { stock: { managedByRetailer: boolean } }).stock.managedByRetailer).toBe(true)
    }
    const orderLists = sync.received.filter((r) => r.path === '/retailer/orders')
    expect(orderLists.some((r) => r.query.has('change-interval-minute'))).toBe(true)
    expect(orderLists.some((r) => r.query.has('latest-change-date'))).toBe(true)
  })

  it('would flag a request the spec rejects (the check is live)', () => {
    const bad = checkRecorded([
      {
        method: 'PATCH',
        path: '/retailer/offers/not-a-uuid',
        query: new URLSearchParams(),
        headers: {},
        body: { stock: { amount: 'seven' } },
        spec: 'bol/offers-v11.yaml',
      },
    ])
    expect(bad.problems.join('\n')).toMatch(/offer-id/)
    expect(bad.problems.join('\n')).toMatch(/amount/)
  })
})
