// The mutations the adapter sends: inventorySetQuantities (@idempotent required from 2026-04, a replayed
// key answered as before and refused with other input, per-quantity userErrors, compare-and-set through
// changeFromQuantity) and productUpdate's status (a product that is not ACTIVE is not for sale).
import { emitStockWrite } from '../../kit'
import { gidNum } from './state'
import type { Resolver } from './resolvers'

type QuantityInput = {
  inventoryItemId: string
  locationId: string
  quantity: number
  changeFromQuantity?: number | null
}

export const MUTATION_RESOLVERS: Record<string, Resolver> = {
  inventorySetQuantities: {
    kind: 'mutation',
    resolve(ctx, q, f, run) {
      const { state } = ctx
      run.actual += 10
      const idemKey = run.idemKey
      if (q.version >= '2026-04' && typeof idemKey !== 'string')
        throw new Error(
          'The @idempotent directive with a key is required for inventorySetQuantities from API version 2026-04.',
        )
      const input = q.val(f.args['input'])
      const problems = run.schemas.check('InventorySetQuantitiesInput', input)
      if (problems.length > 0)
        throw new Error(
          `Variable $input of type InventorySetQuantitiesInput! was provided invalid value: ${problems.join('; ')}`,
        )
      const inputText = JSON.stringify(input)
      const replay = typeof idemKey === 'string' ? state.idempotency.get(idemKey) : undefined
      if (replay) {
        if (replay.input !== inputText)
          throw new Error('The idempotency key was already used with different input.')
        return replay.response
      }
      const qs = (input as { quantities: QuantityInput[] }).quantities
      const userErrors: { code: string; field: string[]; message: string }[] = []
      const targets = qs.map((qty, i) => {
        const v = state.byInventoryItem.get(gidNum(qty.inventoryItemId, 'InventoryItem') ?? -1)
        const field = ['input', 'quantities', String(i)]
        if (!v)
          userErrors.push({
            code: 'INVALID_INVENTORY_ITEM',
            field: [...field, 'inventoryItemId'],
            message: 'The specified inventory item could not be found.',
          })
        else if (!state.locations.some((l) => l.id === qty.locationId))
          userErrors.push({
            code: 'INVALID_LOCATION',
            field: [...field, 'locationId'],
            message: 'The specified location could not be found.',
          })
        else if (!v.levels.has(qty.locationId))
          userErrors.push({
            code: 'ITEM_NOT_STOCKED_AT_LOCATION',
            field: [...field, 'locationId'],
            message: 'The specified inventory item is not stocked at the location.',
          })
        else if (qty.quantity < 0 || qty.quantity > 1_000_000_000)
          userErrors.push({
            code: 'INVALID_QUANTITY_TOO_HIGH',
            field: [...field, 'quantity'],
            message: 'The quantity must be between 0 and 1,000,000,000.',
          })
        else if (qty.changeFromQuantity != null && v.levels.get(qty.locationId) !== qty.changeFromQuantity)
          userErrors.push({
            code: 'CHANGE_FROM_QUANTITY_STALE',
            field: [...field, 'changeFromQuantity'],
            message: 'The changeFromQuantity does not match the current quantity.',
          })
        return { v, qty }
      })
      if (userErrors.length === 0)
        for (const { v, qty } of targets) {
          if (!v) continue
          v.levels.set(qty.locationId, qty.quantity)
          const paused = state.products.get(v.productId)?.status !== 'ACTIVE'
          emitStockWrite(
            ctx.writes,
            `gid://shopify/ProductVariant/${v.id}`,
            qty.quantity,
            paused,
            ctx.time.now(),
          )
        }
      const response = {
        inventoryAdjustmentGroup:
          userErrors.length === 0 ? { id: `gid://shopify/InventoryAdjustmentGroup/${state.seq++}` } : null,
        userErrors,
      }
      if (typeof idemKey === 'string') state.idempotency.set(idemKey, { input: inputText, response })
      return response
    },
  },
  productUpdate: {
    kind: 'mutation',
    resolve(ctx, q, f, run) {
      const { state } = ctx
      run.actual += 10
      const input = q.val(f.args['product'])
      const problems = run.schemas.check('ProductUpdateInput', input)
      if (problems.length > 0)
        throw new Error(
          `Variable of type ProductUpdateInput! was provided invalid value: ${problems.join('; ')}`,
        )
      const { id, status: st } = input as { id: string; status?: string }
      const p = state.products.get(gidNum(id, 'Product') ?? -1)
      if (!p) return { product: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] }
      if (st) {
        p.status = st
        const paused = st !== 'ACTIVE'
        for (const v of state.variants.values())
          if (v.productId === p.id)
            emitStockWrite(
              ctx.writes,
              `gid://shopify/ProductVariant/${v.id}`,
              paused ? 0 : (v.levels.get(state.mainLocation) ?? 0),
              paused,
              ctx.time.now(),
            )
      }
      return { product: { id, status: p.status }, userErrors: [] }
    },
  },
}
