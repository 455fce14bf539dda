// How Amazon's answers look: its error document, listings items with the included data asked for, and
// orders of the 2026-01-01 Orders API.
import type { SimRequest, SimResponse } from '../../http/sim-server'
import { loadSpecValidator, requestProblems } from '../../kit'
import type { Listing, SimOrder } from './state'

export const amazonError = (
  status: number,
  code: string,
  message: string,
  details?: string,
): SimResponse => ({
  status,
  body: { errors: [{ code, message, ...(details ? { details } : {}) }] },
})

export const invalid = (problems: string[]): SimResponse =>
  amazonError(
    400,
    'InvalidInput',
    'Request has missing or invalid parameters and cannot be parsed.',
    problems.slice(0, 10).join('; '),
  )

export const listingSpec = () => loadSpecValidator('amazon/listingsItems_2021-08-01.json')
export const feedsSpec = () => loadSpecValidator('amazon/feeds_2021-06-30.json')
export const ordersSpec = () => loadSpecValidator('amazon/orders_2026-01-01.json')

/** A request's problems: the embedded schema of its body, then the official model. */
export const specProblems = (
  spec: ReturnType<typeof loadSpecValidator>,
  req: SimRequest,
  embedded?: (v: unknown) => string[],
) => requestProblems(embedded, spec, { method: req.method, path: req.path, query: req.query, body: req.json })

export const itemView = (l: Listing, included: string[], marketplaceId: string) => ({
  sku: l.sku,
  ...(included.includes('summaries')
    ? {
        summaries: [
          {
            marketplaceId,
            asin: l.asin,
            productType: l.productType,
            conditionType: 'new_new',
            status: l.quantity > 0 ? ['BUYABLE', 'DISCOVERABLE'] : ['DISCOVERABLE'],
            itemName: l.title,
            createdDate: new Date(l.createdAt).toISOString(),
            lastUpdatedDate: new Date(l.updatedAt).toISOString(),
          },
        ],
      }
    : {}),
  ...(included.includes('fulfillmentAvailability')
    ? {
        fulfillmentAvailability: [{ fulfillmentChannelCode: l.fulfillmentChannelCode, quantity: l.quantity }],
      }
    : {}),
  ...(included.includes('issues') ? { issues: [] } : {}),
})

export const orderView = (o: SimOrder, included: string[], marketplaceId: string) => ({
  orderId: o.orderId,
  createdTime: new Date(o.createdTime).toISOString(),
  lastUpdatedTime: new Date(o.lastUpdatedTime).toISOString(),
  salesChannel: { channelName: 'AMAZON', marketplaceId },
  ...(included.includes('FULFILLMENT')
    ? { fulfillment: { fulfillmentStatus: o.status, fulfilledBy: o.fulfilledBy } }
    : {}),
  orderItems: o.items.map((it) => ({
    orderItemId: it.orderItemId,
    quantityOrdered: it.quantity,
    product: {
      asin: it.asin,
      sellerSku: it.sku,
      title: it.title,
      price: { unitPrice: { amount: it.unitPrice.toFixed(2), currencyCode: 'EUR' } },
    },
    ...(included.includes('CANCELLATION') && (it.cancelled || o.status === 'CANCELLED')
      ? {
          cancellation: {
            cancellationExecution: { cancelledBy: 'BUYER', cancelReason: 'Buyer cancelled' },
          },
        }
      : {}),
    ...(included.includes('FULFILLMENT')
      ? {
          fulfillment: {
            quantityFulfilled: o.status === 'SHIPPED' ? it.quantity : 0,
            quantityUnfulfilled: o.status === 'SHIPPED' ? 0 : it.quantity,
          },
        }
      : {}),
  })),
})
