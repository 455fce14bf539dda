// A sale order confirmed by someone else between LastUnit's state check and its action_confirm (the seller
// in Odoo, or a second importer) is refused by Odoo with "not in a state requiring confirmation": the order
// is confirmed all the same, so LastUnit records it as confirmed instead of failing the import.
import { afterEach, describe, expect, it } from 'vitest'
import type { OdooRpc } from '../../../main/node/odoo/odoo-rpc'
import type { OdooSim } from '../../../main/sandbox/odoo/odoo-sim'
import { gatewayFor, startSim } from './odoo-test-kit'

let sim: OdooSim | null = null
afterEach(async () => {
  await sim?.stop()
  sim = null
})

describe.each([17, 18, 19] as const)('confirming a sale order (Odoo %s)', (version) => {
  it('confirmed by someone else meanwhile: success, not a failure', async () => {
    sim = await startSim(version)
    const s = sim
    const gw = await gatewayFor(s)
    const product = s.catalogue!.productIds.find((p) => s.store.products.get(p)!.active)!
    const id = await gw.createSaleOrder({
      partnerId: s.catalogue!.customerPartnerId,
      warehouseId: null,
      clientOrderRef: 'shop:race-1',
      lines: [{ productId: product, quantity: 1, priceUnit: 5 }],
    })
    // The seller confirms it in Odoo right after LastUnit read its state as draft.
    const rpc = (gw as unknown as { rpc: OdooRpc }).rpc
    const call = rpc.call.bind(rpc)
    let raced = false
    rpc.call = (async (model: string, method: string, params: never, opts?: never) => {
      if (method === 'action_confirm' && !raced) {
        raced = true
        s.store.transaction(() => s.store.confirmSaleOrder(id))
      }
      return call(model, method, params, opts)
    }) as typeof rpc.call
    await expect(gw.confirmSaleOrder(id)).resolves.toBeUndefined()
    expect(raced).toBe(true)
    expect(s.store.saleOrders.get(id)!.state).toBe('sale')
    // Any other refusal still fails.
    s.store.transaction(() => s.store.cancelSaleOrder(id))
    await expect(gw.confirmSaleOrder(id)).rejects.toThrow(/cancelled/)
  })
})
