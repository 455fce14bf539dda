// A restarted engine asks bol.com for no order detail it stored already: the runtime hands the bol adapter
// the order lines in SQLite (storedOrderLine), through the same registry the runtime builds adapters with.
// bol allows 8 detail calls a minute, so a restart in a busy hour would otherwise spend minutes of that
// budget on orders LastUnit has, while new orders wait for theirs.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelOrder } from '../../../../main/core/ports/channel-adapter'
import { openDatabase } from '../../../../main/node/db/database'
import { upsertChannel } from '../../../../main/node/db/repos/channels'
import { storedOrderLine, upsertOrder } from '../../../../main/node/db/repos/orders'
import { createChannelAdapter } from '../../../../main/node/runtime/channel-registry'
import {
  BOL_SIM_CREDENTIALS,
  startBolSimulator,
  type BolSimulator,
} from '../../../../main/sandbox/channels/bol'
import { tempDir } from '../../../helpers/app'
import { channelRow } from '../../../helpers/channel-row'
import { drainOrders } from '../channel-sync-driver'

const SCALE = 1000
const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('bol.com order details across a restart', () => {
  it('reads no detail for a line stored from a full read, and reads one for a provisional order', async () => {
    const roomy = { limit: 1000, windowSeconds: 60 }
    const sim: BolSimulator = await startBolSimulator({
      timeScale: SCALE,
      limits: { 'orders-detail': roomy, 'orders-list': roomy },
    })
    cleanups.push(() => sim.stop())
    const ids = sim.setOffers(
      Array.from({ length: 6 }, (_, i) => ({
        ean: String(8712345000000 + i),
        reference: `SKU-${i}`,
        amount: 5,
      })),
    )
    const { dir, cleanup } = tempDir()
    cleanups.push(cleanup)
    const db = openDatabase(join(dir, 'lastunit.db'))
    cleanups.push(() => {
      db.close()
    })
    const row = channelRow({
      id: 'bol-nl',
      type: 'bol',
      name: 'bol.com NL',
      baseUrl: sim.baseUrl,
      settings: { tokenUrl: sim.tokenUrl },
    })
    upsertChannel(db, row)
    const adapterOf = () =>
      createChannelAdapter(row, BOL_SIM_CREDENTIALS, {
        rateScale: SCALE,
        timeoutMs: 2_000,
        backoffMs: 5,
        storedOrderLine: (id) => (orderId, lineId) => storedOrderLine(db, id, orderId, lineId),
      })
    const since = new Date(Date.now() - 1000).toISOString()
    const placed = Array.from({ length: 4 }, (_, i) =>
      sim.placeOrder([
        { offerId: ids[i]!, quantity: 1, unitPrice: 20 + i },
        { offerId: ids[i + 1]!, quantity: 2, unitPrice: 4.25 },
      ]),
    )
    const first = await drainOrders(adapterOf(), since)
    expect(sim.counts.detailCalls).toBe(4)
    // The engine stores what it read; the last order as a notification would leave it: provisional.
    const store = (o: ChannelOrder, provisional: boolean) =>
      db.transaction(() => upsertOrder(db, row.id, o, () => null, Date.now(), false, provisional))()
    for (const id of placed.slice(0, 3)) store(first.orders.get(id)!, false)
    store(first.orders.get(placed[3]!)!, true)
    expect(storedOrderLine(db, row.id, placed[0]!, first.orders.get(placed[0]!)!.lines[1]!.lineId)).toEqual({
      listingId: ids[1],
      sku: 'SKU-1',
      unitPrice: 4.25,
    })
    expect(
      storedOrderLine(db, row.id, placed[3]!, first.orders.get(placed[3]!)!.lines[0]!.lineId),
    ).toBeUndefined()
    expect(storedOrderLine(db, row.id, 'no-such-order', '1')).toBeUndefined()

    // A new process: the three stored orders come from the list and the store, the provisional one and an
    // order placed since from a detail each.
    const fresh = sim.placeOrder([{ offerId: ids[5]!, quantity: 1, unitPrice: 9 }])
    const again = await drainOrders(adapterOf(), since)
    expect(sim.counts.detailCalls).toBe(6)
    for (const id of placed) expect(again.orders.get(id)).toEqual(first.orders.get(id))
    expect(again.orders.get(fresh)!.lines[0]).toMatchObject({ listingId: ids[5], sku: 'SKU-5', unitPrice: 9 })
  })
})
