// The QueryRoot fields the adapter reads: shop, locations, productVariants (with an inventory level at a
// location), nodes by id, orders updated after a date (line items paged inside) and one order.
import { gidNum } from './state'
import { firstOf, type Resolver } from './resolvers'
import { connectionPage, cursorIndex, iso, lineItemsJson, variantJson } from './views'

export const QUERY_RESOLVERS: Record<string, Resolver> = {
  shop: {
    kind: 'query',
    resolve(ctx, _q, _f, run) {
      run.actual += 1
      return { name: ctx.shopName, myshopifyDomain: 'lastunit-sim.myshopify.com' }
    },
  },
  locations: {
    kind: 'query',
    resolve(ctx, q, f, run) {
      const first = firstOf(q, f)
      run.actual += 2 + ctx.state.locations.length
      return { nodes: ctx.state.locations.slice(0, first) }
    },
  },
  productVariants: {
    kind: 'query',
    resolve(ctx, q, f, run) {
      const first = firstOf(q, f)
      const all = [...ctx.state.variants.values()].sort((a, b) => a.id - b.id)
      const { page, pageInfo } = connectionPage(all, cursorIndex(q.val(f.args['after'])), first)
      run.actual += 2 + page.length * 3
      return { pageInfo, nodes: page.map((v) => variantJson(ctx, v, q.levelLocation)) }
    },
  },
  nodes: {
    kind: 'query',
    resolve(ctx, q, f, run) {
      const ids = q.val(f.args['ids'])
      if (!Array.isArray(ids) || ids.length > 250) throw new Error('ids: must be a list of at most 250 IDs')
      run.actual += 1 + ids.length * 3
      return ids.map((id) => {
        const v = ctx.state.variants.get(gidNum(id, 'ProductVariant') ?? -1)
        return v ? variantJson(ctx, v, q.levelLocation) : null
      })
    },
  },
  orders: {
    kind: 'query',
    resolve(ctx, q, f, run) {
      const first = firstOf(q, f)
      const search = String(q.val(f.args['query']) ?? '')
      const m = /updated_at:>'?([^'\s]+)'?/.exec(search)
      const after = m ? Date.parse(m[1] as string) : -Infinity
      if (Number.isNaN(after)) throw new Error(`query: updated_at value "${m?.[1]}" is not a date`)
      const sortKey = String(q.val(f.args['sortKey']) ?? 'ID')
      const list = ctx.state.orders
        .filter((o) => o.updated > after)
        .sort((a, b) => (sortKey === 'UPDATED_AT' ? a.updated - b.updated : 0) || a.id - b.id)
      const { page, pageInfo } = connectionPage(list, cursorIndex(q.val(f.args['after'])), first)
      run.actual += 2 + page.reduce((s, o) => s + 2 + Math.min(q.lineFirst, o.lines.length), 0)
      return {
        pageInfo,
        nodes: page.map((o) => ({
          id: `gid://shopify/Order/${o.id}`,
          name: o.name,
          createdAt: iso(o.created),
          updatedAt: iso(o.updated),
          cancelledAt: o.cancelledAt === null ? null : iso(o.cancelledAt),
          displayFulfillmentStatus: 'UNFULFILLED',
          currencyCode: 'EUR',
          lineItems: lineItemsJson(ctx, o, q.lineStart, q.lineFirst),
        })),
      }
    },
  },
  order: {
    kind: 'query',
    resolve(ctx, q, f, run) {
      const o = ctx.state.orderOf(q.val(f.args['id']))
      run.actual += 1 + Math.min(q.lineFirst, o?.lines.length ?? 0)
      return o
        ? { id: `gid://shopify/Order/${o.id}`, lineItems: lineItemsJson(ctx, o, q.lineStart, q.lineFirst) }
        : null
    },
  },
}
