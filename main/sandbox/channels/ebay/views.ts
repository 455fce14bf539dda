// How eBay answers: its error documents (errorId, domain, category), offers with their listing's status, and
// orders as the Fulfillment API shows them.
import type { SimRequest, SimResponse } from '../../http/sim-server'
import { loadSpecValidator, requestProblems } from '../../kit'
import type { EbayState, Offer, Order } from './state'

export const ebayError = (
  status: number,
  errorId: number,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse => ({
  status,
  body: {
    errors: [
      {
        errorId,
        domain: errorId === 1001 ? 'OAuth' : 'API_INVENTORY',
        category: status >= 500 ? 'APPLICATION' : 'REQUEST',
        message,
        ...extra,
      },
    ],
  },
})

export const invalid = (problems: string[]) =>
  ebayError(400, 25709, 'Invalid value for request', {
    longMessage: problems.slice(0, 10).join('; '),
    parameters: problems.slice(0, 10).map((p) => ({ name: p.split(':')[0] ?? 'request', value: p })),
  })

/** A request's problems: the embedded schema of its body, then the official spec `file` (paths without the API's base). */
export const specFor = (file: string, req: SimRequest, embedded?: (v: unknown) => string[]) => {
  const base = file.includes('inventory') ? '/sell/inventory/v1' : '/sell/fulfillment/v1'
  return requestProblems(embedded, loadSpecValidator(file), {
    method: req.method,
    path: req.path.slice(base.length),
    query: req.query,
    body: req.json,
  })
}

export const offerView = (state: EbayState, o: Offer, marketplaceId: string) => ({
  offerId: o.offerId,
  sku: o.sku,
  marketplaceId,
  format: 'FIXED_PRICE',
  availableQuantity: o.available,
  status: o.published ? 'PUBLISHED' : 'UNPUBLISHED',
  listing: {
    listingId: o.listingId,
    listingStatus: o.published
      ? Math.min(o.available, state.items.get(o.sku)?.shipTo ?? 0) > 0
        ? 'ACTIVE'
        : 'OUT_OF_STOCK'
      : 'ENDED',
  },
})

export const orderView = (o: Order, marketplaceId: string) => {
  const total = o.lines.reduce((s, l) => s + l.price * l.quantity, 0)
  return {
    orderId: o.orderId,
    creationDate: new Date(o.created).toISOString(),
    lastModifiedDate: new Date(o.modified).toISOString(),
    orderFulfillmentStatus: o.fulfillment,
    orderPaymentStatus: 'PAID',
    sellerId: 'sim-seller',
    cancelStatus: { cancelState: o.cancelState, cancelRequests: [] },
    pricingSummary: { total: { value: total.toFixed(2), currency: 'EUR' } },
    lineItems: o.lines.map((l) => ({
      lineItemId: l.lineItemId,
      sku: l.sku,
      legacyItemId: l.legacyItemId,
      title: l.title,
      quantity: l.quantity,
      lineItemCost: { value: (l.price * l.quantity).toFixed(2), currency: 'EUR' },
      lineItemFulfillmentStatus: o.fulfillment === 'FULFILLED' ? 'FULFILLED' : 'NOT_STARTED',
      listingMarketplaceId: marketplaceId,
      soldFormat: 'FIXED_PRICE',
    })),
  }
}
