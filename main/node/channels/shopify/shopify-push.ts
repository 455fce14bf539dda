// Pushing stock to Shopify: one inventorySetQuantities for the whole batch ("available", a reason, no
// compare-and-swap: Odoo is the source of truth), with an idempotency key derived from the batch, so a batch
// retried (byte-identical input under the same key) is not applied twice. The mutation is all or nothing:
// when one quantity is refused, the others are retried. Pause and resume change the product's status first.
import { createHash } from 'node:crypto'
import { ClassifiedError } from '../../../core/errors'
import type { PushBatchResult, PushItem } from '../../../core/ports/channel-adapter'
import { newestPerListing, quantityRefusal } from '../kit/push-results'
import type { ShopifyClient } from './shopify-client'
import { SHOPIFY_SET_MAX } from './shopify-config'
import { VARIANT_GID, type ShopifyListings } from './shopify-listings'
import type { shopifyProductStatus } from './shopify-pause'
import { SET_QUANTITIES_MUTATION } from './shopify-queries'

interface SetQuantitiesAnswer {
  inventorySetQuantities: {
    inventoryAdjustmentGroup: { id: string } | null
    userErrors: { code: string | null; field: string[] | null; message: string }[]
  }
}

const idempotencyKey = (loc: string, items: PushItem[]) =>
  'lastunit-' +
  createHash('sha256')
    .update(loc + JSON.stringify(items.map((i) => [i.listingId, i.quantity, i.stamp])))
    .digest('hex')
    .slice(0, 40)

export function shopifyPush(
  shopify: ShopifyClient,
  listings: ShopifyListings,
  setProductStatus: ReturnType<typeof shopifyProductStatus>,
  reason: string,
) {
  const { variants } = listings
  const productOf = (listingId: string) => variants.get(listingId)?.productId

  return async function push(items: PushItem[]): Promise<PushBatchResult> {
    if (items.length > SHOPIFY_SET_MAX)
      throw new ClassifiedError(
        'permanent',
        'shopify.batch_too_large',
        `Shopify push takes at most ${SHOPIFY_SET_MAX} variants (got ${items.length})`,
      )
    const batch = newestPerListing(items, 'variant', (item) =>
      !VARIANT_GID.test(item.listingId)
        ? {
            code: 'shopify.bad_listing',
            message: `Shopify listing "${item.listingId}" is not a variant id (gid://shopify/ProductVariant/…)`,
          }
        : quantityRefusal(item, 'shopify.bad_quantity', item.listingId),
    )
    const results = batch.results
    let send = batch.send
    if (send.length === 0) return { results, calls: 0 }
    const before = shopify.client.calls
    const loc = await listings.location()
    const unknown = send.filter((i) => !variants.has(i.listingId)).map((i) => i.listingId)
    if (unknown.length > 0) await listings.readVariants(unknown)
    send = send.filter((i) => {
      if (variants.has(i.listingId)) return true
      results.push({
        listingId: i.listingId,
        stamp: i.stamp,
        outcome: 'rejected',
        code: 'shopify.unknown_variant',
        message: `Shopify has no variant ${i.listingId} (deleted?)`,
      })
      return false
    })
    const statusFailures = new Map<string, string>()
    for (const [action, status] of [
      ['pause', 'DRAFT'],
      ['resume', 'ACTIVE'],
    ] as const) {
      const products = [
        ...new Set(send.filter((i) => i.action === action).map((i) => productOf(i.listingId) as string)),
      ]
      if (products.length === 0) continue
      const failed = await setProductStatus(products, status)
      failed.forEach((v, k) => statusFailures.set(k, v))
    }
    if (send.length > 0) {
      // The same batch retried must be byte-identical input under the same key, or Shopify refuses it.
      const key = idempotencyKey(loc, send)
      const input = {
        name: 'available',
        reason,
        referenceDocumentUri: `gid://lastunit/StockPush/${key}`,
        // Odoo is the source of truth: an explicit null opts out of compare-and-swap.
        quantities: send.map((i) => ({
          inventoryItemId: variants.get(i.listingId)?.inventoryItemId,
          locationId: loc,
          quantity: i.quantity,
          changeFromQuantity: null,
        })),
      }
      const data = await shopify.graphql<SetQuantitiesAnswer>(
        SET_QUANTITIES_MUTATION,
        { input, key },
        `setting ${send.length} quantities`,
        10,
      )
      const errs = data.inventorySetQuantities.userErrors
      const byIndex = new Map<number, string>()
      const general: string[] = []
      for (const e of errs) {
        const idx = e.field?.[0] === 'input' && e.field[1] === 'quantities' ? Number(e.field[2]) : NaN
        if (Number.isInteger(idx)) byIndex.set(idx, `${e.code ?? 'ERROR'}: ${e.message}`)
        else general.push(`${e.code ?? 'ERROR'}: ${e.message}`)
      }
      send.forEach((item, idx) => {
        const base = { listingId: item.listingId, stamp: item.stamp }
        const own = byIndex.get(idx)
        const statusProblem =
          item.action !== 'set' ? statusFailures.get(productOf(item.listingId) ?? '') : undefined
        if (own)
          results.push({
            ...base,
            outcome: 'rejected',
            code: own.split(':')[0] ?? 'shopify.user_error',
            message: `Shopify refused ${item.listingId}: ${own}`,
          })
        // The mutation is all or nothing: when any quantity is refused, none was applied.
        else if (errs.length > 0)
          results.push({
            ...base,
            outcome: 'retry',
            code: 'shopify.batch_refused',
            transient: true,
            message: `Not applied because another quantity in the batch was refused${general.length ? ': ' + general.join('; ') : ''}`,
          })
        else if (statusProblem)
          results.push({
            ...base,
            outcome: 'retry',
            code: 'shopify.product_status',
            message: `Quantity set, but Shopify did not ${item.action} the product: ${statusProblem}`,
          })
        else results.push({ ...base, outcome: 'confirmed' })
      })
    }
    const remaining = shopify.available()
    return {
      results,
      calls: shopify.client.calls - before,
      ...(remaining === undefined ? {} : { rateLimit: { remaining: Math.floor(remaining) } }),
    }
  }
}
