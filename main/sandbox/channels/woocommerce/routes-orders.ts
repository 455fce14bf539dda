// Orders filtered by modified_after (read in the site's timezone unless it carries an offset or
// dates_are_gmt is set, as WordPress does), by status, in date or modified order; and an order's refunds
// with their line items (negative quantities, _refunded_item_id pointing at the order line).
import type { SimRoute } from '../../http/sim-server'
import { guard } from './auth'
import type { WooContext } from './context'
import { local, paged, utc, wpError } from './views'

export function orderRoutes(ctx: WooContext): SimRoute[] {
  const { state } = ctx
  return [
    {
      method: 'GET',
      pattern: '/wp-json/wc/v3/orders',
      handler: (req) => {
        const g = guard(ctx, req)
        if (g) return g
        const gmt = req.query.get('dates_are_gmt') === 'true' || req.query.get('dates_are_gmt') === '1'
        const raw = req.query.get('modified_after')
        let after = -Infinity
        if (raw) {
          // Without dates_are_gmt, WordPress reads a date without offset in the site's timezone.
          const hasOffset = /[zZ]|[+-]\d\d:?\d\d$/.test(raw)
          const parsed = Date.parse(hasOffset ? raw : `${raw}Z`)
          if (Number.isNaN(parsed))
            return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): modified_after', {
              params: { modified_after: 'Invalid date.' },
            })
          after = hasOffset || gmt ? parsed : parsed - ctx.offsetMs
        }
        const status = req.query.get('status') ?? 'any'
        const order = req.query.get('order') ?? 'desc'
        const orderby = req.query.get('orderby') ?? 'date'
        const key = orderby === 'modified' ? 'modified' : 'created'
        const list = state.orders
          .filter((o) => o.modified > after && (status === 'any' || o.status === status))
          .sort((a, b) => (order === 'asc' ? a[key] - b[key] : b[key] - a[key]) || a.id - b.id)
          .map((o) => ({
            id: o.id,
            status: o.status,
            currency: 'EUR',
            date_created: local(ctx, o.created),
            date_created_gmt: utc(o.created),
            date_modified: local(ctx, o.modified),
            date_modified_gmt: utc(o.modified),
            line_items: o.lines.map((l) => ({
              ...l,
              name: state.items.get(l.variation_id || l.product_id)?.name ?? '',
              price: Number(l.price),
              subtotal: String(Number(l.price) * l.quantity),
            })),
            refunds: o.refunds.map((r) => ({ id: r.id, reason: '', total: `-${r.total}` })),
          }))
        return paged(ctx, req, list)
      },
    },
    {
      method: 'GET',
      pattern: '/wp-json/wc/v3/orders/:id/refunds',
      handler: (req) => {
        const g = guard(ctx, req)
        if (g) return g
        const o = state.orderOf(Number(req.params['id']))
        if (!o) return wpError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.')
        const list = o.refunds.map((r) => {
          const line = o.lines.find((l) => l.id === r.lineId)
          return {
            id: r.id,
            amount: r.total,
            line_items: [
              {
                id: state.seq++,
                product_id: line?.product_id ?? 0,
                variation_id: line?.variation_id ?? 0,
                quantity: -r.quantity,
                total: `-${r.total}`,
                meta_data: [{ id: state.seq++, key: '_refunded_item_id', value: String(r.lineId) }],
              },
            ],
          }
        })
        return paged(ctx, req, list)
      },
    },
  ]
}
