// Orders 2026-01-01 searchOrders: by creation or last update, paged, with the included data asked for.
import type { SimRoute } from '../../http/sim-server'
import { decodeOffset, encodeOffset } from '../../kit'
import { spApi } from './auth'
import type { AmazonContext } from './context'
import { invalid, orderView, ordersSpec, specProblems } from './views'

export function orderRoutes(ctx: AmazonContext): SimRoute[] {
  return [
    spApi(ctx, 'GET', '/orders/2026-01-01/orders', 'searchOrders', (req) => {
      const problems = specProblems(ordersSpec(), req)
      const q = req.query
      const created = q.get('createdAfter')
      const updated = q.get('lastUpdatedAfter')
      if ((created === null) === (updated === null))
        problems.push('exactly one of createdAfter and lastUpdatedAfter is required')
      const per = Number(q.get('maxResultsPerPage') ?? '100')
      if (!Number.isInteger(per) || per < 1 || per > 100)
        problems.push('maxResultsPerPage must be between 1 and 100')
      const ids = (q.get('marketplaceIds') ?? '').split(',').filter(Boolean)
      if (ids.length === 0) problems.push('marketplaceIds is required')
      const after = Date.parse(updated ?? created ?? '')
      if ((updated ?? created) !== null && Number.isNaN(after))
        problems.push('lastUpdatedAfter is not an ISO 8601 date-time')
      // fulfilledBy: a list of MERCHANT and AMAZON (absent: both).
      const by = q.get('fulfilledBy')
      const parties = by === null ? null : by.split(',')
      if (parties?.some((p) => p !== 'MERCHANT' && p !== 'AMAZON'))
        problems.push(`fulfilledBy: "${by}" is not a list of MERCHANT and AMAZON`)
      if (problems.length > 0) return invalid(problems)
      const included = (q.get('includedData') ?? '').split(',')
      const key = updated !== null ? 'lastUpdatedTime' : 'createdTime'
      const all = [...ctx.state.orders.values()]
        .filter((o) => o[key] >= after && (parties === null || parties.includes(o.fulfilledBy)))
        .sort((a, b) => a[key] - b[key] || (a.orderId < b.orderId ? -1 : 1))
      let offset = 0
      const token = q.get('paginationToken')
      if (token) {
        const parsed = decodeOffset(token)
        if (!Number.isInteger(parsed)) return invalid(['paginationToken is invalid or expired'])
        offset = parsed
      }
      const page = all.slice(offset, offset + per)
      const next =
        ctx.quirks.repeatNextToken && token
          ? token
          : offset + per < all.length
            ? encodeOffset(offset + per)
            : undefined
      return {
        status: 200,
        body: {
          orders: page.map((o) => orderView(o, included, ctx.marketplaceId)),
          ...(next ? { pagination: { nextToken: next } } : {}),
          lastUpdatedBefore: new Date(ctx.time.now()).toISOString(),
        },
      }
    }),
  ]
}
