// GET /merchants/{id}/orders: JSON:API orders by last_updated_after, page[number] paging, items and lines
// included on request; its per-minute limit is counted at the gateway.
import type { SimRoute } from '../../http/sim-server'
import { endpoint, header } from '../../kit'
import { authorize, throttled } from './auth'
import type { ZalandoContext } from './context'
import { orderDoc, problem } from './views'

export function orderRoutes(ctx: ZalandoContext): SimRoute[] {
  return [
    endpoint({
      method: 'GET',
      pattern: '/merchants/:mid/orders',
      gate: (req) => {
        const a = authorize(ctx, req)
        if (a) return a
        const w = ctx.windows.orders.take()
        return w > 0 ? throttled(ctx, w, `${ctx.lim.ordersPerWindow} requests per minute`) : undefined
      },
      handle: (req) => {
        const accept = header(req, 'accept') ?? '*/*'
        if (!accept.includes('application/vnd.api+json') && !accept.includes('*/*'))
          return problem(406, 'Not Acceptable', 'This endpoint answers application/vnd.api+json')
        const after = req.query.get('last_updated_after')
        const afterMs = after ? Date.parse(after) : -Infinity
        if (Number.isNaN(afterMs))
          return problem(400, 'Bad Request', `last_updated_after: "${after}" is not an ISO 8601 date-time`)
        const type = req.query.get('order_type')
        if (type && !['PartnerFulfilled', 'ZalandoFulfilled'].includes(type))
          return problem(
            400,
            'Bad Request',
            `order_type: "${type}" is not PartnerFulfilled or ZalandoFulfilled`,
          )
        const page = Number(req.query.get('page[number]') ?? 0)
        const size = Number(req.query.get('page[size]') ?? 50)
        if (!Number.isInteger(page) || page < 0)
          return problem(400, 'Bad Request', 'page[number] must be an integer >= 0')
        if (!Number.isInteger(size) || size < 1 || size > 1000)
          return problem(400, 'Bad Request', 'page[size] must be 1..1000')
        const include = new Set((req.query.get('include') ?? '').split(',').filter((s) => s))
        const sort = req.query.get('sort') ?? '-modified_at'
        const list = ctx.state.orders
          .filter((o) => o.modified > afterMs && type !== 'ZalandoFulfilled')
          .sort(
            (x, y) =>
              (sort === 'modified_at' ? x.modified - y.modified : y.modified - x.modified) ||
              (x.id < y.id ? -1 : 1),
          )
        const slice = list.slice(page * size, (page + 1) * size).map((o) => orderDoc(ctx, o, include))
        const q = new URLSearchParams(req.query)
        q.set('page[number]', String(page + 1))
        return {
          status: 200,
          headers: { 'content-type': 'application/vnd.api+json' },
          body: {
            data: slice.map((s) => s.res),
            ...(include.size > 0 ? { included: slice.flatMap((s) => s.included) } : {}),
            links: {
              self: `${ctx.url}${req.url.slice(req.url.indexOf(req.path))}`,
              ...((page + 1) * size < list.length ? { next: `${ctx.url}${req.path}?${q.toString()}` } : {}),
            },
          },
        }
      },
    }),
  ]
}
