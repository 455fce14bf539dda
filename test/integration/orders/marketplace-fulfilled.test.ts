// Orders and listings the marketplace ships from its own stock (Amazon FBA, bol.com FBB) never touch the
// seller's stock: not imported, never pending, and the listings are never offered for mapping.
import { afterEach, describe, expect, it } from 'vitest'
import { fetchListings } from '../../../main/node/runtime/listings-sync'
import { makeOrdersWorld, ordersOf, pendingOf, type OrdersWorld } from './harness'

let world: OrdersWorld | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

const listingIds = (w: OrdersWorld, channelId: string): string[] =>
  (
    w.db
      .prepare('SELECT listing_id FROM listings WHERE channel_id = ? ORDER BY listing_id')
      .all(channelId) as {
      listing_id: string
    }[]
  ).map((r) => r.listing_id)

describe('marketplace-fulfilled orders and listings', () => {
  it('an FBA order and an FBB order are neither imported nor pending; the seller-shipped ones are', async () => {
    world = await makeOrdersWorld({ products: 2 })
    const w = world
    const [p, q] = w.demo.products as [(typeof w.demo.products)[number], (typeof w.demo.products)[number]]
    w.setStock(p, 20)
    w.setStock(q, 20)
    const amazon = w.ops.get('amazon')!
    const bol = w.ops.get('bol')!
    const sims = w.demo.sims

    // The same products also sold from the marketplaces' warehouses: an FBA listing on Amazon, an FBB
    // offer on bol.com. Fetched like any listing, they are not offered for mapping.
    sims.amazon.setListings([{ sku: `${p.sku}-FBA`, quantity: 40, fulfillmentChannelCode: 'AMAZON_EU' }])
    const [fbbOffer] = sims.bol.setOffers([
      { ean: p.ean!, reference: `${p.sku}-FBB`, amount: 40, fulfilment: 'FBB' },
    ])
    await fetchListings(w.db, amazon.id, w.adapters.get(amazon.id)!)
    await fetchListings(w.db, bol.id, w.adapters.get(bol.id)!)
    expect(listingIds(w, amazon.id)).not.toContain(`${p.sku}-FBA`)
    expect(listingIds(w, amazon.id)).toContain(p.sku)
    expect(listingIds(w, bol.id)).not.toContain(fbbOffer)

    await w.engine.start()
    await w.engine.idle(10_000)
    const shownBefore = { amazon: amazon.shown(p), bol: bol.shown(p) }

    // Amazon ships 3 of its own stock, bol.com 2 of its own: nothing for LastUnit to do.
    sims.amazon.placeOrder({ items: [{ sku: `${p.sku}-FBA`, quantity: 3 }], fulfilledBy: 'AMAZON' })
    sims.bol.placeOrder([{ offerId: fbbOffer!, quantity: 2 }])
    await w.engine.pollOrders(amazon.id)
    await w.engine.pollOrders(bol.id)
    await w.engine.idle(10_000)
    expect(ordersOf(w.db, amazon.id)).toEqual([])
    expect(ordersOf(w.db, bol.id)).toEqual([])
    expect(pendingOf(w.db, p.id)).toBe(0)
    expect({ amazon: amazon.shown(p), bol: bol.shown(p) }).toEqual(shownBefore)
    const r = await w.importer.runOnce()
    expect(r.confirmed).toBe(0)
    expect(w.saleOrders(amazon.id, '')).toEqual([])

    // Orders the seller ships are seen, pending, and imported as before.
    amazon.buy(q, 1)
    bol.buy(q, 1)
    await w.engine.pollOrders(amazon.id)
    await w.engine.pollOrders(bol.id)
    await w.engine.idle(10_000)
    expect(ordersOf(w.db, amazon.id)).toHaveLength(1)
    expect(ordersOf(w.db, bol.id)).toHaveLength(1)
    expect(pendingOf(w.db, q.id)).toBe(2)
    expect((await w.importer.runOnce()).confirmed).toBe(2)
  })
})
