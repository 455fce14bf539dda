// Products and variations: lists filtered by include, sku and status, and batch updates of at most 100
// objects with a per-item error for an id that is not one (a variation's parent must match). An update is
// reported to the probe when it touches stock or status, also when the write is lost (woocommerce#36595).
import { WOOCOMMERCE_LIMITS } from '../../../core/channels/woocommerce-limits'
import type { SimRequest, SimResponse, SimRoute } from '../../http/sim-server'
import { emitStockWrite } from '../../kit'
import { guard } from './auth'
import type { WooContext } from './context'
import { listingIdOf, probeQuantity, type SimItem } from './state'
import { includeOf, itemJson, paged, wpError } from './views'

/** Tells the probe about an accepted update that touches stock or status (also when the write is lost). */
function reportWrite(ctx: WooContext, i: SimItem, u: Record<string, unknown>): void {
  if (i.type === 'variable') return // not a listing: its variations are
  const hasQty = typeof u['stock_quantity'] === 'number'
  if (!hasQty && typeof u['status'] !== 'string' && typeof u['manage_stock'] !== 'boolean') return
  const status = typeof u['status'] === 'string' ? u['status'] : i.status
  const paused =
    status !== 'publish' || (i.type === 'variation' && ctx.state.items.get(i.parent_id)?.status !== 'publish')
  const quantity = hasQty ? (u['stock_quantity'] as number) : paused ? 0 : probeQuantity(i)
  emitStockWrite(ctx.writes, listingIdOf(i), quantity, paused, ctx.time.now())
}

function apply(ctx: WooContext, i: SimItem, u: Record<string, unknown>) {
  reportWrite(ctx, i, u)
  if (ctx.state.ignored.has(i.id)) return { ...itemJson(i), ...u, stock_status: 'instock' }
  if (typeof u['manage_stock'] === 'boolean') i.manage_stock = u['manage_stock']
  // Woo keeps a quantity only for items that manage stock.
  if ('stock_quantity' in u && i.manage_stock) i.stock_quantity = u['stock_quantity'] as number | null
  if (typeof u['status'] === 'string') i.status = u['status']
  if (typeof u['backorders'] === 'string') i.backorders = u['backorders']
  return itemJson(i)
}

function batch(ctx: WooContext, req: SimRequest, schema: string, parent: SimItem | undefined): SimResponse {
  if (req.jsonError) return wpError(400, 'rest_invalid_json', 'Invalid JSON body passed.')
  const errs = ctx.validator.check(schema, req.json)
  if (errs.length > 0) return wpError(400, 'rest_invalid_param', `Invalid parameter(s): ${errs.join('; ')}`)
  const b = req.json as { create?: unknown[]; update?: Record<string, unknown>[]; delete?: number[] }
  const count = (b.create?.length ?? 0) + (b.update?.length ?? 0) + (b.delete?.length ?? 0)
  if (count > WOOCOMMERCE_LIMITS.batchMax)
    return wpError(
      413,
      'woocommerce_rest_request_entity_too_large',
      'Unable to accept more than 100 items for this request.',
    )
  const update = (b.update ?? []).map((u) => {
    const i = ctx.state.items.get(u['id'] as number)
    const valid = i && (parent ? i.type === 'variation' && i.parent_id === parent.id : i.type !== 'variation')
    if (!i || !valid)
      return {
        id: u['id'],
        error: {
          code: parent
            ? 'woocommerce_rest_product_variation_invalid_id'
            : 'woocommerce_rest_product_invalid_id',
          message: parent ? 'Invalid variation ID.' : 'Invalid ID.',
          data: { status: 400 },
        },
      }
    return apply(ctx, i, u)
  })
  return { status: 200, body: { update } }
}

/** The variable product of `:id`, undefined when there is none. */
function variableOf(ctx: WooContext, req: SimRequest): SimItem | undefined {
  const p = ctx.state.items.get(Number(req.params['id']))
  return p?.type === 'variable' ? p : undefined
}

const noProduct = () => wpError(404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.')

export function productRoutes(ctx: WooContext): SimRoute[] {
  const { items } = ctx.state
  return [
    {
      method: 'GET',
      pattern: '/wp-json/wc/v3/products',
      handler: (req) => {
        const g = guard(ctx, req)
        if (g) return g
        const inc = includeOf(req)
        const sku = req.query.get('sku')
        const status = req.query.get('status') ?? 'any'
        const list = [...items.values()]
          .filter(
            (i) =>
              i.type !== 'variation' &&
              (!inc || inc.has(i.id)) &&
              (!sku || i.sku === sku) &&
              (status === 'any' || i.status === status),
          )
          .sort((a, b) => a.id - b.id)
          .map(itemJson)
        return paged(ctx, req, list)
      },
    },
    {
      method: 'POST',
      pattern: '/wp-json/wc/v3/products/batch',
      handler: (req) => guard(ctx, req) ?? batch(ctx, req, 'ProductBatch', undefined),
    },
    {
      method: 'GET',
      pattern: '/wp-json/wc/v3/products/:id/variations',
      handler: (req) => {
        const g = guard(ctx, req)
        if (g) return g
        const p = variableOf(ctx, req)
        if (!p) return noProduct()
        const inc = includeOf(req)
        return paged(
          ctx,
          req,
          p.variations.filter((id) => !inc || inc.has(id)).map((id) => itemJson(items.get(id) as SimItem)),
        )
      },
    },
    {
      method: 'POST',
      pattern: '/wp-json/wc/v3/products/:id/variations/batch',
      handler: (req) => {
        const g = guard(ctx, req)
        if (g) return g
        const p = variableOf(ctx, req)
        return p ? batch(ctx, req, 'VariationBatch', p) : noProduct()
      },
    },
  ]
}
