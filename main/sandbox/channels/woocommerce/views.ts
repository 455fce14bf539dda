// How the WooCommerce REST API answers: WordPress error bodies, products and variations, dates in the
// site's timezone and in GMT, and page/per_page paging with X-WP-Total, X-WP-TotalPages and Link.
import { WOOCOMMERCE_LIMITS } from '../../../core/channels/woocommerce-limits'
import type { SimRequest, SimResponse } from '../../http/sim-server'
import type { WooContext } from './context'
import { stockStatus, type SimItem } from './state'

export const wpError = (
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse => ({
  status,
  body: { code, message, data: { status, ...extra } },
})

export const itemJson = (i: SimItem) => ({
  id: i.id,
  ...(i.type === 'variation'
    ? { parent_id: i.parent_id }
    : { name: i.name, type: i.type, variations: i.variations, global_unique_id: i.gtin }),
  sku: i.sku,
  status: i.status,
  manage_stock: i.manage_stock,
  stock_quantity: i.manage_stock ? i.stock_quantity : null,
  stock_status: stockStatus(i),
  backorders: i.backorders,
  ...(i.type === 'variation' ? { attributes: [{ id: 1, name: 'Size', option: i.option }] } : {}),
})

/** A date as Woo writes `date_*`: the site's local time, without offset. */
export const local = (ctx: WooContext, ms: number) => new Date(ms + ctx.offsetMs).toISOString().slice(0, 19)
/** A date as Woo writes `date_*_gmt`. */
export const utc = (ms: number) => new Date(ms).toISOString().slice(0, 19)

/** The `include` filter (ids), undefined when absent. */
export const includeOf = (req: SimRequest) => {
  const inc = req.query.get('include')
  return inc ? new Set(inc.split(',').map(Number)) : undefined
}

/** One page of `list` as `page` and `per_page` ask (a page past the end is refused, as WordPress does). */
export function paged(ctx: WooContext, req: SimRequest, list: unknown[]): SimResponse {
  const perPage = Number(req.query.get('per_page') ?? 10)
  const page = Number(req.query.get('page') ?? 1)
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > WOOCOMMERCE_LIMITS.pageMax)
    return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): per_page', {
      params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
    })
  if (!Number.isInteger(page) || page < 1)
    return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): page', {
      params: { page: 'page must be greater than or equal to 1' },
    })
  const total = list.length
  const pages = Math.max(1, Math.ceil(total / perPage))
  if (page > pages && total > 0)
    return wpError(
      400,
      'rest_post_invalid_page_number',
      'The page number requested is larger than the number of pages available.',
    )
  const links = [
    page < pages ? `<${ctx.url}${req.path}?page=${page + 1}>; rel="next"` : '',
    page > 1 ? `<${ctx.url}${req.path}?page=${page - 1}>; rel="prev"` : '',
  ].filter((s) => s)
  return {
    status: 200,
    headers: {
      'x-wp-total': String(total),
      'x-wp-totalpages': String(pages),
      ...(links.length ? { link: links.join(', ') } : {}),
    },
    body: list.slice((page - 1) * perPage, page * perPage),
  }
}
