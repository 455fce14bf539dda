// POST /merchants/{id}/stocks: 207 with a result per item (104 while an article awaits onboarding), under
// both limits counted at the gateway: requests a minute and stock updates a minute.
import type { SimRoute } from '../../http/sim-server'
import { endpoint, emitStockWrite } from '../../kit'
import { authorize, throttled } from './auth'
import type { ZalandoContext } from './context'
import { problem, validate } from './views'

/** One probe write per EAN, in body order; paused when the EAN is blocked on the probe's sales channel. */
export function reportWrites(ctx: ZalandoContext, eans: string[], quantity: (ean: string) => number): void {
  for (const ean of new Set(eans)) {
    const paused = ctx.state.isBlocked(ean, ctx.probeChannel)
    emitStockWrite(ctx.writes, ean, paused ? 0 : quantity(ean), paused, ctx.time.now())
  }
}

export function stockRoutes(ctx: ZalandoContext): SimRoute[] {
  const { state } = ctx
  return [
    endpoint({
      method: 'POST',
      pattern: '/merchants/:mid/stocks',
      gate: (req) => {
        const a = authorize(ctx, req)
        if (a) return a
        const w = ctx.windows.stockRequests.take()
        if (w > 0) return throttled(ctx, w, `${ctx.lim.stockRequestsPerWindow} requests per minute`)
        const items = (req.json as { items?: unknown } | undefined)?.items
        const wi = Array.isArray(items) ? ctx.windows.stockItems.take(items.length) : 0
        if (wi > 0) return throttled(ctx, wi, `${ctx.lim.stockItemsPerWindow} stock updates per minute`)
        return undefined
      },
      handle: (req) => {
        const bad = validate(ctx, req, 'StockUpdateRequest')
        if (bad) return bad
        const items = (req.json as { items: { sales_channel_id: string; ean: string; quantity: number }[] })
          .items
        const keys = items.map((i) => `${i.ean}|${i.sales_channel_id}`)
        const dup = keys.find((k, i) => keys.indexOf(k) !== i)
        if (dup)
          return problem(
            400,
            'Bad Request',
            `items: (ean, sales_channel_id) ${dup.replace('|', ', ')} appears more than once`,
          )
        const results = items.map((item) => {
          const art = state.articles.get(item.ean)
          if (!ctx.salesChannelIds.includes(item.sales_channel_id))
            return {
              item,
              result: {
                status: 'REJECTED',
                code: 101,
                description: `Sales channel ${item.sales_channel_id} is not enabled for the merchant`,
              },
            }
          if (!art)
            return {
              item,
              result: {
                status: 'REJECTED',
                code: 102,
                description: `EAN ${item.ean} is not known for the merchant`,
              },
            }
          if (!art.onboarded) {
            art.pending.set(item.sales_channel_id, item.quantity)
            return {
              item,
              result: {
                status: 'ACCEPTED',
                code: 104,
                description: 'Update pending - waiting for the article to be onboarded',
              },
            }
          }
          art.qty.set(item.sales_channel_id, item.quantity)
          return { item, result: { status: 'ACCEPTED', code: 0, description: 'Stock updated' } }
        })
        reportWrites(
          ctx,
          results.filter((r) => r.result.status === 'ACCEPTED').map((r) => r.item.ean),
          (ean) =>
            results.find((r) => r.item.ean === ean && r.result.status === 'ACCEPTED')?.item.quantity ?? 0,
        )
        return { status: 207, body: { results } }
      },
    }),
  ]
}
