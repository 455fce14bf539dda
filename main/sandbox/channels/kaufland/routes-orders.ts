// Orders: one order with its order units, and the order units updated since a time, newest first, paged.
import type { SimRequest, SimRoute } from '../../http/sim-server'
import { endpoint } from '../../kit'
import type { KauflandContext } from './context'
import { guard } from './signature'
import { iso } from './state'
import { invalidParams, orderUnitJson, page, problem, storefrontOf } from './views'

export function orderRoutes(ctx: KauflandContext): SimRoute[] {
  const { state } = ctx
  const check = (req: SimRequest) => guard(ctx, req)
  return [
    endpoint({
      method: 'GET',
      pattern: '/v2/orders/:id',
      check,
      handle: (req) => {
        const mine = state.orderUnits.filter((o) => o.id_order === req.params['id'])
        const first = mine[0]
        if (!first) return problem(404, '/problems/not-found', `Order ${req.params['id']} not found`)
        return {
          status: 200,
          body: {
            data: {
              id_order: first.id_order,
              ts_created_iso: iso(first.created),
              is_marketplace_deemed_supplier: false,
              storefront: state.units.get(first.id_unit)?.storefront ?? 'de',
              fulfillment_type: 'fulfilled_by_merchant',
              order_units: mine.map((o) => {
                const {
                  buyer: _b,
                  billing_address: _ba,
                  shipping_address: _sa,
                  eco_fee: _e,
                  packaging_fee: _p,
                  ...rest
                } = orderUnitJson(state, o)
                return { ...rest, tickets: null }
              }),
              billing_address: null,
              shipping_address: null,
              buyer: { id_buyer: 1, email: null },
            },
          },
        }
      },
    }),
    endpoint({
      method: 'GET',
      pattern: '/v2/order-units',
      check,
      handle: (req) => {
        const sfq = req.query.get('storefront')
        const sf = sfq ? storefrontOf(ctx, req, false) : undefined
        if (sf !== undefined && typeof sf !== 'string') return sf
        const fromIso = req.query.get('ts_updated_from_iso')
        const from = fromIso ? Date.parse(fromIso) : -Infinity
        if (Number.isNaN(from))
          return invalidParams([
            { field: 'ts_updated_from_iso', message: `"${fromIso}" is not an ISO date-time` },
          ])
        const sort = req.query.get('sort') ?? 'ts_created:desc'
        if (!['ts_created:desc', 'ts_updated:desc'].includes(sort))
          return invalidParams([{ field: 'sort', message: 'must be ts_created:desc or ts_updated:desc' }])
        const key = sort === 'ts_updated:desc' ? 'updated' : 'created'
        const list = state.orderUnits
          .filter((o) => o.updated >= from && (!sf || state.units.get(o.id_unit)?.storefront === sf))
          .sort((a, b) => b[key] - a[key] || b.id_order_unit - a.id_order_unit)
          .map((o) => orderUnitJson(state, o))
        const p = page(req, list, 100)
        return 'status' in p ? p : { status: 200, body: p }
      },
    }),
  ]
}
