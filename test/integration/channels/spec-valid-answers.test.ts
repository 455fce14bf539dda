// Issue #21: answers the official specs allow that used to break LastUnit. Each simulator can give them
// (a quirk or a state option), and each adapter must either cope (bol's null dates) or stop with a
// classified error that names the channel, the cursor or the field (a repeated cursor, a quantity out of
// range), never loop, and never pass the value on.
import { afterEach, describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../main/core/errors'
import type { ChannelAdapter, ChannelListing } from '../../../main/core/ports/channel-adapter'
import { createAmazonAdapter } from '../../../main/node/channels/amazon'
import { createBolAdapter } from '../../../main/node/channels/bol'
import { createEbayAdapter } from '../../../main/node/channels/ebay'
import { createZalandoAdapter } from '../../../main/node/channels/zalando'
import { AMAZON_SIM_CREDENTIALS, startAmazonSimulator } from '../../../main/sandbox/channels/amazon'
import { BOL_SIM_CREDENTIALS, startBolSimulator } from '../../../main/sandbox/channels/bol'
import { EBAY_SIM_CREDENTIALS, startEbaySimulator } from '../../../main/sandbox/channels/ebay'
import { startZalandoSimulator } from '../../../main/sandbox/channels/zalando'
import { drainOrders } from './channel-sync-driver'

const SCALE = 1000
const stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop()
})

/** Reads every listing page as the listings fetch does (it gives up silently after 50 pages). */
async function allListings(adapter: ChannelAdapter): Promise<ChannelListing[]> {
  const out: ChannelListing[] = []
  let cursor: string | undefined
  for (let page = 0; page < 50; page++) {
    const p = await adapter.listListings(cursor)
    out.push(...p.items)
    if (!p.next) break
    cursor = p.next
  }
  return out
}

const failure = async (p: Promise<unknown>): Promise<ClassifiedError> => {
  try {
    await p
  } catch (e) {
    if (e instanceof ClassifiedError) return e
    throw e
  }
  throw new Error('expected a classified error, got an answer')
}

describe('spec-valid answers that broke LastUnit (#21)', () => {
  it('bol: an order with a null orderPlacedDateTime or latestChangedDateTime is read, dated when first seen', async () => {
    const sim = await startBolSimulator({ timeScale: SCALE })
    stops.push(() => sim.stop())
    const ids = sim.setOffers([
      { ean: '8712345000001', reference: 'SKU-1', amount: 9 },
      { ean: '8712345000002', reference: 'SKU-2', amount: 9 },
    ])
    const since = new Date(Date.now() - 60_000).toISOString()
    const plain = sim.placeOrder([{ offerId: ids[0]!, quantity: 1 }])
    const noPlaced = sim.placeOrder([{ offerId: ids[0]!, quantity: 1 }])
    const noDates = sim.placeOrder([{ offerId: ids[1]!, quantity: 2 }])
    sim.nullOrderDates(noPlaced, { placed: true })
    sim.nullOrderDates(noDates, { placed: true, changed: true })
    const adapter = createBolAdapter(
      { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: BOL_SIM_CREDENTIALS },
      { rateScale: SCALE, timeoutMs: 2_000, backoffMs: 5 },
    )
    const before = Date.now()
    const { orders } = await drainOrders(adapter, since)
    expect([...orders.keys()].sort()).toEqual([plain, noPlaced, noDates].sort())
    for (const o of orders.values()) {
      expect(typeof o.createdAt).toBe('string')
      expect(typeof o.updatedAt).toBe('string')
      expect(Number.isNaN(Date.parse(o.createdAt))).toBe(false)
      expect(Number.isNaN(Date.parse(o.updatedAt))).toBe(false)
    }
    // Placed unknown: its items' latest change stands in; nothing known: the time LastUnit first saw it.
    const p = orders.get(noPlaced)!
    expect(p.createdAt).toBe(p.updatedAt)
    const n = orders.get(noDates)!
    expect(Date.parse(n.updatedAt)).toBeGreaterThanOrEqual(before - 1000)
    expect(n.lines[0]?.quantity).toBe(2)
    // Read again, the fallback does not move: the order is not "changed" by every poll.
    const again = await drainOrders(adapter, since)
    expect(again.orders.get(noDates)?.updatedAt).toBe(n.updatedAt)
  })

  it('Zalando: a blockers listing whose cursors.next never moves stops with an error naming the cursor', async () => {
    const sim = await startZalandoSimulator({ specsDir: null })
    stops.push(() => sim.stop())
    const ean = '4063614500001'
    sim.setArticles([{ ean, external_id: 'SKU-1', article_id: 'ZA1-1', quantity: 3 }])
    const adapter = createZalandoAdapter(
      {
        baseUrl: sim.url,
        merchantId: sim.merchantId,
        salesChannelIds: sim.salesChannelIds,
        credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      },
      { timeoutMs: 2000 },
    )
    await adapter.push([{ listingId: ean, quantity: 0, action: 'pause', stamp: 1 }])
    sim.quirks.repeatBlockerCursor = true
    const e = await failure(adapter.push([{ listingId: ean, quantity: 2, action: 'resume', stamp: 2 }]))
    expect(e.code).toBe('zalando.paging_loop')
    expect(e.kind).toBe('permanent')
    expect(e.message).toContain('Zalando')
    expect(e.message).toMatch(/cursor "[^"]+"/)
    expect(sim.received.filter((r) => r.method === 'GET').length).toBeLessThanOrEqual(3)
  }, 10_000)

  it('Amazon: a nextToken answered again stops listings and orders at once, naming the token', async () => {
    const sim = await startAmazonSimulator({ timeScale: SCALE })
    stops.push(() => sim.stop())
    sim.setListings(Array.from({ length: 30 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 5 })))
    for (let i = 0; i < 101; i++) sim.placeOrder({ items: [{ sku: `SKU-${i % 30}`, quantity: 1 }] })
    const adapter = createAmazonAdapter(
      {
        baseUrl: sim.url,
        tokenUrl: `${sim.url}/auth/o2/token`,
        sellerId: sim.sellerId,
        marketplaceIds: [sim.marketplaceId],
        credentials: AMAZON_SIM_CREDENTIALS,
      },
      { rateScale: SCALE, timeoutMs: 2_000, backoffMs: 5 },
    )
    // Without the quirk every page is read once.
    expect(await allListings(adapter)).toHaveLength(30)
    sim.quirks.repeatNextToken = true
    const listings = await failure(allListings(adapter))
    expect(listings.code).toBe('amazon.paging_loop')
    expect(listings.message).toContain('Amazon')
    expect(listings.message).toContain('listings')
    const since = new Date(Date.now() - 3_600_000).toISOString()
    const calls = sim.received.filter((r) => r.path.includes('/orders/')).length
    const orders = await failure(drainOrders(adapter, since))
    expect(orders.code).toBe('amazon.paging_loop')
    expect(orders.message).toContain('orders')
    // The token was asked for once, not followed 20 times.
    expect(sim.received.filter((r) => r.path.includes('/orders/')).length - calls).toBe(2)
  })

  it('eBay: a read-back of -2147483648 (a valid int32) is refused with the field and the listing', async () => {
    const sim = await startEbaySimulator({ timeScale: SCALE })
    stops.push(() => sim.stop())
    sim.setListings([{ sku: 'SKU-1', quantity: 5, ean: '4006381333901' }])
    const adapter = createEbayAdapter(
      {
        baseUrl: sim.url,
        marketplaceId: 'EBAY_DE',
        contentLanguage: 'de-DE',
        credentials: EBAY_SIM_CREDENTIALS,
      },
      { rateScale: SCALE, timeoutMs: 2_000, backoffMs: 5, revisions: { dayMs: 86_400_000 / SCALE } },
    )
    expect(await adapter.readBack!(['SKU-1'])).toEqual([{ listingId: 'SKU-1', quantity: 5, available: true }])
    sim.setOfferQuantity('SKU-1', -2147483648)
    const e = await failure(adapter.readBack!(['SKU-1']))
    expect(e.code).toBe('ebay.bad_value')
    expect(e.kind).toBe('permanent')
    expect(e.message).toContain('quantity -2147483648')
    expect(e.message).toContain('listing SKU-1')
    const listing = await failure(allListings(adapter))
    expect(listing.code).toBe('ebay.bad_value')
  })
})
