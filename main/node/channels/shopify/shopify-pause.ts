// Pausing a Shopify listing sets its product to DRAFT (every variant of the product is hidden: pause is
// meant for single-variant products or whole products); resuming sets it ACTIVE. One aliased
// productUpdate per product, 20 products a request.
import { SHOPIFY_LIMITS } from '../../../core/channels/shopify-limits'
import type { ShopifyClient } from './shopify-client'
import { productStatusMutation } from './shopify-queries'

/** Sets products' status; answers why a product was not changed, by product id. */
export function shopifyProductStatus(shopify: ShopifyClient) {
  return async (productIds: string[], status: 'ACTIVE' | 'DRAFT'): Promise<Map<string, string>> => {
    const failed = new Map<string, string>()
    for (let i = 0; i < productIds.length; i += SHOPIFY_LIMITS.statusUpdatesPerCall) {
      const chunk = productIds.slice(i, i + SHOPIFY_LIMITS.statusUpdatesPerCall)
      const vars = Object.fromEntries(chunk.map((id, j) => [`p${j}`, { id, status }]))
      const data = await shopify.graphql<
        Record<
          string,
          { product: { id: string } | null; userErrors: { field: string[] | null; message: string }[] }
        >
      >(
        productStatusMutation(chunk.length),
        vars,
        `${status === 'DRAFT' ? 'pausing' : 'resuming'} ${chunk.length} products`,
        10 * chunk.length,
      )
      chunk.forEach((id, j) => {
        const r = data[`p${j}`]
        if (!r || r.userErrors.length > 0)
          failed.set(id, r?.userErrors.map((e) => e.message).join('; ') || 'no answer')
      })
    }
    return failed
  }
}
