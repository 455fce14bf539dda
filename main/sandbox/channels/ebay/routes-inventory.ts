// Sell Inventory: bulk_update_price_quantity (25 SKUs, a result per item, 207 when any failed; each listing's
// daily revisions counted), the offers of a SKU, withdraw and publish, and the paged inventory items.
import type { SimRoute } from '../../http/sim-server'
import { emitStockWrite } from '../../kit'
import { api } from './auth'
import type { EbayContext } from './context'
import { checkBulkPriceQuantity } from './ebay-request-schemas'
import { ebayError, invalid, offerView, specFor } from './views'

const INVENTORY_SPEC = 'ebay/sell_inventory_v1_oas3.json'

interface BulkRequest {
  sku: string
  shipToLocationAvailability?: { quantity?: number }
  offers?: { offerId: string; availableQuantity?: number }[]
}

const itemError = (
  errorId: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
) => [{ errorId, domain: 'API_INVENTORY', category, message, ...extra }]

/** One SKU of a bulk update: its result, applied (and reported to the probe) when it succeeds. */
function updateOne(ctx: EbayContext, r: BulkRequest): Record<string, unknown>[] {
  const { state } = ctx
  const item = state.items.get(r.sku)
  if (!item)
    return [
      {
        sku: r.sku,
        statusCode: 404,
        errors: itemError(25702, 'REQUEST', `SKU ${r.sku} is not available in the system.`),
      },
    ]
  if (ctx.transientItemErrorRate && ctx.random() < ctx.transientItemErrorRate)
    return [
      {
        sku: r.sku,
        statusCode: 500,
        errors: itemError(25001, 'APPLICATION', 'A system error has occurred. {additionalInfo}', {
          longMessage: 'Core Inventory Service internal error',
        }),
      },
    ]
  const targets = (r.offers ?? []).map((x) => ({ req: x, offer: state.offers.get(x.offerId) }))
  const wrong = targets.find((t) => !t.offer || t.offer.sku !== r.sku)
  if (wrong)
    return [
      {
        sku: r.sku,
        offerId: wrong.req.offerId,
        statusCode: 404,
        errors: itemError(25713, 'REQUEST', 'This Offer is not available.'),
      },
    ]
  const own = state.offerOfSku(r.sku)
  if (own && !state.revise(own)) {
    ctx.counts.revisionsRefused++
    return [
      {
        sku: r.sku,
        offerId: own.offerId,
        statusCode: 400,
        errors: itemError(
          25019,
          'REQUEST',
          `Listing ${own.listingId} reached ${state.maxRevisions} revisions today; it can be revised again tomorrow.`,
        ),
      },
    ]
  }
  const responses: Record<string, unknown>[] = []
  if (r.shipToLocationAvailability?.quantity !== undefined)
    item.shipTo = r.shipToLocationAvailability.quantity
  for (const t of targets) {
    if (t.offer && t.req.availableQuantity !== undefined) t.offer.available = t.req.availableQuantity
    responses.push({ sku: r.sku, offerId: t.req.offerId, statusCode: 200, warnings: [] })
  }
  if (targets.length === 0) responses.push({ sku: r.sku, statusCode: 200, warnings: [] })
  emitStockWrite(
    ctx.writes,
    r.sku,
    state.liveQuantity(r.sku) ?? item.shipTo,
    own ? !own.published : false,
    ctx.time.now(),
  )
  return responses
}

export function inventoryRoutes(ctx: EbayContext): SimRoute[] {
  const { state, time } = ctx
  const revisionsUsed = (listingId: string) =>
    ebayError(400, 25019, `Listing ${listingId} reached ${state.maxRevisions} revisions today.`)
  return [
    api(ctx, 'POST', '/sell/inventory/v1/bulk_update_price_quantity', 'inventory', (req) => {
      if (req.jsonError) return invalid([`body: not valid JSON (${req.jsonError})`])
      const problems = specFor(INVENTORY_SPEC, req, checkBulkPriceQuantity)
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
        problems.push('Content-Type: must be application/json')
      if (!req.headers['content-language'])
        problems.push('Content-Language: required for inventory writes (e.g. de-DE)')
      if (problems.length > 0) return invalid(problems)
      ctx.counts.bulkCalls++
      const body = req.json as { requests: BulkRequest[] }
      const responses = body.requests.flatMap((r) => updateOne(ctx, r))
      const allOk = responses.every((r) => r.statusCode === 200)
      return { status: allOk ? 200 : 207, body: { responses } }
    }),
    api(ctx, 'GET', '/sell/inventory/v1/offer', 'inventory', (req) => {
      const problems = specFor(INVENTORY_SPEC, req)
      const sku = req.query.get('sku')
      if (!sku) problems.push('sku: required')
      if (problems.length > 0) return invalid(problems)
      const list = [...state.offers.values()].filter((o) => o.sku === sku)
      if (list.length === 0 || !state.items.has(sku ?? ''))
        return ebayError(404, 25713, 'This Offer is not available.')
      return {
        status: 200,
        body: {
          href: req.url,
          total: list.length,
          size: list.length,
          limit: 100,
          offers: list.map((o) => offerView(state, o, ctx.marketplaceId)),
        },
      }
    }),
    api(ctx, 'POST', '/sell/inventory/v1/offer/:offerId/withdraw', 'inventory', (req) => {
      const problems = specFor(INVENTORY_SPEC, req)
      if (problems.length > 0) return invalid(problems)
      const o = state.offers.get(req.params.offerId ?? '')
      if (!o) return ebayError(404, 25713, 'This Offer is not available.')
      if (o.published && !state.revise(o)) {
        ctx.counts.revisionsRefused++
        return revisionsUsed(o.listingId)
      }
      o.published = false
      emitStockWrite(ctx.writes, o.sku, 0, true, time.now())
      return { status: 200, body: { listingId: o.listingId, warnings: [] } }
    }),
    api(ctx, 'POST', '/sell/inventory/v1/offer/:offerId/publish', 'inventory', (req) => {
      const problems = specFor(INVENTORY_SPEC, req)
      if (problems.length > 0) return invalid(problems)
      const o = state.offers.get(req.params.offerId ?? '')
      if (!o) return ebayError(404, 25713, 'This Offer is not available.')
      o.published = true
      if (!state.revise(o)) {
        ctx.counts.revisionsRefused++
        return revisionsUsed(o.listingId)
      }
      emitStockWrite(ctx.writes, o.sku, state.liveQuantity(o.sku) ?? o.available, false, time.now())
      return { status: 200, body: { listingId: o.listingId, warnings: [] } }
    }),
    api(ctx, 'GET', '/sell/inventory/v1/inventory_item', 'inventory', (req) => {
      const problems = specFor(INVENTORY_SPEC, req)
      const limit = Number(req.query.get('limit') ?? '25')
      const offset = Number(req.query.get('offset') ?? '0')
      if (!Number.isInteger(limit) || limit < 1 || limit > 200)
        problems.push('limit: must be between 1 and 200')
      if (!Number.isInteger(offset) || offset < 0) problems.push('offset: must be 0 or more')
      if (problems.length > 0) return invalid(problems)
      const all = [...state.items.values()].sort((a, b) => (a.sku < b.sku ? -1 : 1))
      const page = all.slice(offset, offset + limit)
      const base = '/sell/inventory/v1/inventory_item'
      return {
        status: 200,
        body: {
          href: `${base}?limit=${limit}&offset=${offset}`,
          total: all.length,
          size: page.length,
          limit,
          ...(offset + limit < all.length ? { next: `${base}?limit=${limit}&offset=${offset + limit}` } : {}),
          inventoryItems: page.map((i) => ({
            sku: i.sku,
            locale: 'de_DE',
            condition: 'NEW',
            product: { title: i.title, ean: [i.ean] },
            availability: { shipToLocationAvailability: { quantity: i.shipTo } },
          })),
        },
      }
    }),
  ]
}
