// Sell Fulfillment getOrders: filtered by lastmodifieddate:[start..end], paged by limit and offset.
import type { SimRoute } from '../../http/sim-server'
import { api } from './auth'
import type { EbayContext } from './context'
import { ebayError, orderView, specFor } from './views'

export function fulfillmentRoutes(ctx: EbayContext): SimRoute[] {
  return [
    api(ctx, 'GET', '/sell/fulfillment/v1/order', 'fulfillment', (req) => {
      const problems = specFor('ebay/sell_fulfillment_v1_oas3.json', req)
      const limit = Number(req.query.get('limit') ?? '50')
      const offset = Number(req.query.get('offset') ?? '0')
      if (!Number.isInteger(limit) || limit < 1 || limit > 200)
        problems.push('limit: must be between 1 and 200')
      if (!Number.isInteger(offset) || offset < 0) problems.push('offset: must be 0 or more')
      const filter = req.query.get('filter')
      let from = -Infinity
      let to = Infinity
      if (filter !== null) {
        const m = /^lastmodifieddate:\[(.*?)\.\.(.*)\]$/.exec(filter)
        if (!m) problems.push(`filter: "${filter}" is not lastmodifieddate:[start..end]`)
        else {
          from = Date.parse(m[1] ?? '')
          to = m[2] ? Date.parse(m[2]) : Infinity
          if (Number.isNaN(from) || Number.isNaN(to))
            problems.push('filter: dates must be ISO 8601 (YYYY-MM-DDThh:mm:ss.sssZ)')
        }
      }
      if (problems.length > 0)
        return ebayError(400, 30700, 'Invalid filter or paging', {
          longMessage: problems.join('; '),
          domain: 'API_FULFILLMENT',
        })
      const all = [...ctx.state.orders.values()]
        .filter((o) => o.modified >= from && o.modified <= to)
        .sort((a, b) => a.modified - b.modified)
      const page = all.slice(offset, offset + limit)
      return {
        status: 200,
        body: {
          href: req.url,
          total: all.length,
          limit,
          offset,
          orders: page.map((o) => orderView(o, ctx.marketplaceId)),
          ...(offset + limit < all.length
            ? { next: `/sell/fulfillment/v1/order?limit=${limit}&offset=${offset + limit}` }
            : {}),
        },
      }
    }),
  ]
}
