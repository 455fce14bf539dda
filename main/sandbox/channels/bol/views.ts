// How bol.com answers: Problem documents with violations in the API version's media type, offers with the
// corrected stock, and order items as the orders list reduces them.
import { randomUUID } from 'node:crypto'
import type { SimRequest, SimResponse } from '../../http/sim-server'
import { loadSpecValidator, requestProblems } from '../../kit'
import type { BolState, Offer, OrderItem } from './state'

const PROBLEM_TYPE = 'https://api.bol.com/problems'

export const problem = (
  status: number,
  title: string,
  detail: string,
  version: string,
  violations: { name: string; reason: string }[] = [],
): SimResponse => ({
  status,
  headers: { 'content-type': `application/vnd.retailer.${version}+json` },
  body: {
    type: PROBLEM_TYPE,
    title,
    status,
    detail,
    host: 'sim-bol',
    instance: `/${randomUUID()}`,
    violations,
  },
})

/** A 400 naming each problem ("name: reason") as a violation. */
export const validation = (problems: string[], version: string) =>
  problem(
    400,
    'Error validating request',
    'Error validating request. Please check the violations.',
    version,
    problems.slice(0, 20).map((p) => {
      const [name, ...rest] = p.split(': ')
      return { name: name ?? 'request', reason: rest.join(': ') || p }
    }),
  )

/** A request's problems: the embedded schema of its body, then the official spec `file`. */
export const check = (file: string, embedded: ((v: unknown) => string[]) | undefined, req: SimRequest) =>
  requestProblems(embedded, loadSpecValidator(file), {
    method: req.method,
    path: req.path,
    query: req.query,
    body: req.json,
  })

export const offerView = (state: BolState, o: Offer) => ({
  offerId: o.offerId,
  ean: o.ean,
  lastModifiedDateTime: new Date(o.updatedAt).toISOString(),
  ...(o.reference ? { reference: o.reference } : {}),
  onHoldByRetailer: o.onHold,
  stock: {
    amount: o.amount,
    correctedStock: state.correctedStock(o),
    managedByRetailer: o.managedByRetailer,
  },
  condition: { category: 'NEW' },
  product: { bolProductId: `92000000${o.ean.slice(-8)}` },
  pricing: { bundlePrices: [{ quantity: 1, unitPrice: 19.99 }] },
  fulfilment: { method: o.fulfilment },
})

export const reducedItem = (it: OrderItem) => ({
  orderItemId: it.orderItemId,
  ean: it.ean,
  fulfilmentMethod: it.fulfilment,
  fulfilmentStatus: it.quantityShipped + it.quantityCancelled >= it.quantity ? 'HANDLED' : 'OPEN',
  quantity: it.quantity,
  quantityShipped: it.quantityShipped,
  quantityCancelled: it.quantityCancelled,
  cancellationRequest: false,
  latestChangedDateTime: it.changedHidden ? null : new Date(it.changedAt).toISOString(),
})
