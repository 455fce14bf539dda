// Retailer API v10 orders (the list by change interval or day, 50 a page, and each order's detail) and the
// Shared API's bulk process status, by which an asynchronous offer update is confirmed.
import type { SimRoute } from '../../http/sim-server'
import { checkBulkProcessStatus } from './bol-request-schemas'
import type { BolContext } from './context'
import { api } from './gateway'
import { check, problem, reducedItem, validation } from './views'

export function orderRoutes(ctx: BolContext): SimRoute[] {
  const { state, time } = ctx
  return [
    api(ctx, 'GET', '/retailer/orders', 'orders-list', 'v10', (req) => {
      const problems = check('bol/retailer-v10.json', undefined, req)
      const q = req.query
      const interval = q.get('change-interval-minute')
      const date = q.get('latest-change-date')
      if (interval !== null && date !== null)
        problems.push('change-interval-minute: cannot be combined with latest-change-date')
      if (interval !== null && !(Number(interval) >= 1 && Number(interval) <= 60))
        problems.push('change-interval-minute: must be between 1 and 60')
      if (date !== null) {
        const d = Date.parse(`${date}T00:00:00Z`)
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(d))
          problems.push('latest-change-date: must be a date (yyyy-MM-dd)')
        else if (time.now() - d > 92 * 86_400_000)
          problems.push('latest-change-date: at most three months back')
      }
      const page = Number(q.get('page') ?? '1')
      if (!Number.isInteger(page) || page < 1) problems.push('page: must be 1 or more')
      if (problems.length > 0) return validation(problems, 'v10')
      const status = q.get('status') ?? 'OPEN'
      // fulfilment-method: FBR (bol's default), FBB or ALL.
      const method = q.get('fulfilment-method') ?? 'FBR'
      const shown = (it: { fulfilment: 'FBR' | 'FBB' }) => method === 'ALL' || it.fulfilment === method
      const now = time.now()
      const all = [...state.orders.values()]
        .filter((o) => {
          if (!o.items.some(shown)) return false
          const changed = Math.max(...o.items.map((it) => it.changedAt))
          if (interval !== null && changed < now - Number(interval) * 60_000) return false
          if (date !== null && new Date(changed).toISOString().slice(0, 10) !== date) return false
          const open = o.items.some((it) => it.quantityShipped + it.quantityCancelled < it.quantity)
          return status === 'ALL' || (status === 'OPEN' ? open : !open)
        })
        .sort((a, b) => a.placedAt - b.placedAt || (a.orderId < b.orderId ? -1 : 1))
      const slice = all.slice((page - 1) * 50, page * 50)
      if (slice.length === 0) return { status: 200, body: { orders: [] } }
      return {
        status: 200,
        body: {
          orders: slice.map((o) => ({
            orderId: o.orderId,
            orderPlacedDateTime: o.placedHidden ? null : new Date(o.placedAt).toISOString(),
            orderItems: o.items.filter(shown).map(reducedItem),
          })),
        },
      }
    }),
    api(ctx, 'GET', '/retailer/orders/:orderId', 'orders-detail', 'v10', (req) => {
      ctx.counts.detailCalls++
      const o = state.orders.get(req.params.orderId ?? '')
      if (!o) return problem(404, 'Not Found', `Order ${req.params.orderId ?? ''} was not found.`, 'v10')
      return {
        status: 200,
        body: {
          orderId: o.orderId,
          pickupPoint: false,
          orderPlacedDateTime: o.placedHidden ? null : new Date(o.placedAt).toISOString(),
          shipmentDetails: {
            salutation: 'UNKNOWN',
            firstName: 'Sim',
            surname: 'Buyer',
            streetName: 'Papendorpseweg',
            houseNumber: '100',
            zipCode: '3528 BJ',
            city: 'Utrecht',
            countryCode: 'NL',
          },
          orderItems: o.items.map((it) => {
            const offer = state.offers.get(it.offerId)
            return {
              ...reducedItem(it),
              offer: { offerId: it.offerId, ...(offer?.reference ? { reference: offer.reference } : {}) },
              product: { ean: it.ean, title: `Product ${it.ean}` },
              unitPrice: it.unitPrice,
              totalPrice: it.unitPrice * it.quantity,
              commission: 0,
              discounts: [],
            }
          }),
        },
      }
    }),
    api(ctx, 'POST', '/shared/process-status', 'process-status', 'v10', (req) => {
      if (req.jsonError) return validation([`body: not valid JSON (${req.jsonError})`], 'v10')
      const problems = check('bol/shared-v10.json', checkBulkProcessStatus, req)
      if (problems.length > 0) return validation(problems, 'v10')
      const ids = (req.json as { processStatusQueries: { processStatusId: string }[] }).processStatusQueries
      return {
        status: 200,
        body: {
          processStatuses: ids.flatMap(({ processStatusId }) => {
            const s = state.statuses.get(processStatusId)
            if (!s) return []
            return [
              {
                processStatusId,
                entityId: s.offerId,
                eventType: 'UPDATE_OFFER',
                description: `Update offer ${s.offerId}.`,
                status: s.done ? 'SUCCESS' : 'PENDING',
                createTimestamp: new Date(s.createdAt).toISOString(),
                links: [],
              },
            ]
          }),
        },
      }
    }),
  ]
}
