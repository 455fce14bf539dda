// How zDirect answers: problem+json errors as Zalando's gateway sends them, request bodies checked by schema
// name, offer blockers, and orders as JSON:API documents with their items and lines included on request.
import type { SimRequest, SimResponse } from '../../http/sim-server'
import type { ZalandoContext } from './context'
import type { SimBlocker, SimLine, SimOrder } from './state'

export const problem = (
  status: number,
  title: string,
  detail: string,
  extra: Record<string, string> = {},
): SimResponse => ({
  status,
  headers: { 'content-type': 'application/problem+json', ...extra },
  body: { type: 'about:blank', title, status, detail },
})

/** A 400 for a body that is not JSON or breaks schema `name` (embedded, then the Offer Blocking spec). */
export const validate = (ctx: ZalandoContext, req: SimRequest, name: string): SimResponse | undefined => {
  if (req.jsonError) return problem(400, 'Bad Request', `The body is not valid JSON: ${req.jsonError}`)
  const errs = ctx.embedded.check(name, req.json)
  if (ctx.spec?.has(name))
    errs.push(...ctx.spec.check(name, req.json).map((e) => `${e} (offer blocking spec)`))
  return errs.length > 0 ? problem(400, 'Bad Request', [...new Set(errs)].join('; ')) : undefined
}

export const blockerJson = (b: SimBlocker) => ({
  id: b.id,
  reason: b.reason,
  ...(b.description === undefined ? {} : { description: b.description }),
  criteria: b.criteria,
})

const iso = (ms: number) => new Date(ms).toISOString()

const ADDRESS = {
  first_name: 'Joe',
  last_name: 'Smith',
  address_line_1: 'Street 1',
  city: 'Berlin',
  country_code: 'DE',
  address_type: 'HOME_ADDRESS',
}

export const orderDoc = (ctx: ZalandoContext, o: SimOrder, include: Set<string>) => {
  const res = {
    type: 'Order',
    id: o.id,
    attributes: {
      order_id: o.id,
      merchant_id: ctx.merchantId,
      order_number: o.order_number,
      order_date: iso(o.created),
      sales_channel_id: o.sales_channel_id,
      customer_number: '31400820597',
      status: o.items.every((i) =>
        i.lines.every((l) => l.status === 'shipped' || l.status === 'canceled' || l.status === 'returned'),
      )
        ? 'fulfilled'
        : 'approved',
      order_type: 'PartnerFulfilled',
      shipping_address: { ...ADDRESS },
      billing_address: { ...ADDRESS },
      shipment_number: '003403418039972556',
      order_lines_count: o.items.reduce((s, i) => s + i.lines.length, 0),
      order_lines_price_currency: 'EUR',
      created_at: iso(o.created),
      modified_at: iso(o.modified),
    },
    relationships: { order_items: { data: o.items.map((i) => ({ type: 'OrderItem', id: i.id })) } },
  }
  const included: unknown[] = []
  if (include.has('order_items'))
    for (const i of o.items) {
      const a = ctx.state.articles.get(i.ean)
      const count = (s: SimLine['status']) => i.lines.filter((l) => l.status === s).length
      included.push({
        type: 'OrderItem',
        id: i.id,
        attributes: {
          order_item_id: i.id,
          order_id: o.id,
          article_id: a?.article_id ?? 'UNKNOWN',
          external_id: a?.external_id,
          quantity_initial: i.lines.length,
          quantity_reserved: count('reserved') + count('initial'),
          quantity_shipped: count('shipped'),
          quantity_returned: count('returned'),
          quantity_canceled: count('canceled'),
        },
        relationships: { order_lines: { data: i.lines.map((l) => ({ type: 'OrderLine', id: l.id })) } },
      })
      if (include.has('order_lines'))
        for (const l of i.lines)
          included.push({
            type: 'OrderLine',
            id: l.id,
            attributes: {
              order_line_id: l.id,
              order_item_id: i.id,
              status: l.status,
              price: { amount: l.price, currency: 'EUR' },
            },
          })
    }
  return { res, included }
}
