// How Kaufland's Seller API v2 answers: its problem bodies, units, products and order units as the API shows
// them, the storefront parameter, body validation with field errors, and offset paging.
import type { SimRequest, SimResponse } from '../../http/sim-server'
import type { KauflandContext } from './context'
import { iso, type KauflandState, type SimOrderUnit, type SimUnit } from './state'

export const problem = (
  status: number,
  type: string,
  message: string,
  errors: { field: string; message: string }[] = [],
): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: { type, message, errors },
})

export const invalidParams = (errors: { field: string; message: string }[]) =>
  problem(400, '/problems/validation-error', 'Request parameters have invalid values', errors)

export const unitJson = (u: SimUnit) => ({
  status: u.status,
  currency: 'EUR',
  id_unit: u.id_unit,
  note: null,
  condition: 'NEW',
  listing_price: u.listing_price,
  minimum_price: u.listing_price,
  price: u.listing_price,
  id_offer: u.id_offer,
  id_product: u.id_product,
  id_shipping_group: null,
  id_warehouse: null,
  amount: u.amount,
  date_inserted_iso: u.inserted,
  date_lastchange_iso: u.changed,
  handling_time: 1,
  shipping_rate: 0,
  storefront: u.storefront,
  transport_time_min: 1,
  transport_time_max: 3,
  fulfillment_type: 'fulfilled_by_merchant',
  vat_indicator: 'standard_rate',
})

export const productJson = (u: SimUnit) => ({
  id_product: u.id_product,
  storefront: u.storefront,
  title: u.title,
  eans: [u.ean],
  id_category: 1,
  main_picture: `https://media.cdn.kaufland.de/product-images/${u.id_product}.jpg`,
  manufacturer: 'Sim',
  url: `https://www.kaufland.de/product/${u.id_product}/`,
  age_rating: 0,
  is_valid: true,
  dangerous_goods_li_shipping: null,
  danger_label_9A: null,
})

export const orderUnitJson = (state: KauflandState, o: SimOrderUnit) => {
  const u = state.units.get(o.id_unit)
  return {
    id_order_unit: o.id_order_unit,
    id_order: o.id_order,
    ts_created_iso: iso(o.created),
    is_marketplace_deemed_supplier: false,
    ts_updated_iso: iso(o.updated),
    status: o.status,
    price: u?.listing_price ?? 100,
    id_offer: u?.id_offer ?? null,
    revenue_gross: u?.listing_price ?? 100,
    revenue_net: Math.round((u?.listing_price ?? 100) / 1.19),
    note: null,
    unit_condition: 'new',
    storefront: u?.storefront ?? 'de',
    currency: 'EUR',
    delivery_time_min: 1,
    delivery_time_max: 3,
    delivery_time_expires_iso: null,
    order_received_timestamp_iso: null,
    shipping_rate: 0,
    cancel_reason: o.status === 'cancelled' ? 'BuyerCancelled' : null,
    fulfillment_type: 'fulfilled_by_merchant',
    buyer: { id_buyer: 1, email: null },
    billing_address: null,
    shipping_address: null,
    product: u ? productJson(u) : null,
    vat: 19,
    eco_fee: null,
    packaging_fee: null,
  }
}

/** The request's storefront (default 'de' where it is optional), or the problem with it. */
export const storefrontOf = (
  ctx: KauflandContext,
  req: SimRequest,
  required: boolean,
): string | SimResponse => {
  const s = req.query.get('storefront')
  if (!s) return required ? invalidParams([{ field: 'storefront', message: 'is required' }]) : 'de'
  if (!['de', 'cz', 'sk', 'pl', 'at', 'fr', 'it'].includes(s))
    return invalidParams([
      { field: 'storefront', message: `"${s}" is not one of de, cz, sk, pl, at, fr, it` },
    ])
  if (!ctx.storefronts.includes(s))
    return problem(
      400,
      '/problems/storefront-not-configured',
      `Storefront ${s} is not configured for this seller`,
    )
  return s
}

/** A 400 for a body that is not JSON or breaks its schema (embedded, then swagger.json's `specName`). */
export const validateBody = (
  ctx: KauflandContext,
  req: SimRequest,
  embeddedName: string,
  specName: string | ((v: unknown) => string[]),
): SimResponse | undefined => {
  if (req.jsonError)
    return problem(400, '/problems/bad-request', `The body is not valid JSON: ${req.jsonError}`)
  const errs = ctx.embedded.check(embeddedName, req.json)
  if (ctx.spec) {
    const specErrs = typeof specName === 'function' ? specName(req.json) : ctx.spec.check(specName, req.json)
    errs.push(...specErrs.map((e) => `${e} (swagger.json)`))
  }
  if (errs.length === 0) return undefined
  return invalidParams(
    [...new Set(errs)].map((e) => {
      const i = e.indexOf(': ')
      return { field: e.slice(0, i), message: e.slice(i + 2) }
    }),
  )
}

/** `limit` items from `offset` (Kaufland's paging), or the problem with the parameters. */
export const page = <T>(req: SimRequest, all: T[], maxLimit: number) => {
  const limit = Number(req.query.get('limit') ?? 30)
  const offset = Number(req.query.get('offset') ?? 0)
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    return invalidParams([{ field: 'limit', message: `must be 1..${maxLimit}` }])
  if (!Number.isInteger(offset) || offset < 0)
    return invalidParams([{ field: 'offset', message: 'must be >= 0' }])
  return { data: all.slice(offset, offset + limit), pagination: { offset, limit, total: all.length } }
}
