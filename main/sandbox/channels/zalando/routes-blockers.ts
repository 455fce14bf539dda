// The Offer Blocking API as its spec describes it: create blockers (207 per item, an existing one answered
// as it is), list them with cursor paging, read one, and delete them by id.
import { randomUUID } from 'node:crypto'
import type { SimRequest, SimResponse, SimRoute } from '../../http/sim-server'
import { decodeOffset, encodeOffset, endpoint } from '../../kit'
import { authorize } from './auth'
import type { ZalandoContext } from './context'
import { reportWrites } from './routes-stocks'
import type { SimBlocker } from './state'
import { blockerJson, problem, validate } from './views'

type BlockerItem = {
  reason: string
  description?: string
  criteria: { ean: string; sales_channel_id: string }
}

function createBlockers(ctx: ZalandoContext, req: SimRequest): SimResponse {
  const { state } = ctx
  const bad = validate(ctx, req, 'CreateOfferBlockersRequest')
  if (bad) return bad
  const items = (req.json as { items: BlockerItem[] }).items
  const key = (i: BlockerItem) => `${i.reason}|${i.criteria.ean}|${i.criteria.sales_channel_id}`
  const keys = items.map(key)
  const results = items.map((item, idx) => {
    if (keys.indexOf(keys[idx] as string) !== keys.lastIndexOf(keys[idx] as string))
      return {
        item,
        result: { status: 'REJECTED', description: 'The batch contains this blocker more than once' },
      }
    const existing = [...state.blockers.values()].find((b) => key(b) === key(item))
    if (existing) return { item: blockerJson(existing), result: { status: 'ACCEPTED' } }
    const b: SimBlocker = {
      id: randomUUID(),
      reason: item.reason,
      ...(item.description === undefined ? {} : { description: item.description }),
      criteria: item.criteria,
      updated: ctx.time.now(),
    }
    state.blockers.set(b.id, b)
    return { item: blockerJson(b), result: { status: 'ACCEPTED' } }
  })
  reportWrites(
    ctx,
    results.filter((r) => r.result.status === 'ACCEPTED').map((r) => r.item.criteria.ean),
    () => 0,
  )
  return { status: 207, body: { results } }
}

function listBlockers(ctx: ZalandoContext, req: SimRequest): SimResponse {
  const ean = req.query.get('ean') ?? undefined
  const sc = req.query.get('sales_channel_id') ?? undefined
  const since = req.query.get('updated_since')
  const pageSize = Number(req.query.get('page_size') ?? 100)
  if (!Number.isInteger(pageSize) || pageSize < 1)
    return problem(
      400,
      'Bad Request',
      `page_size must be a positive integer (got ${req.query.get('page_size')})`,
    )
  const cursor = req.query.get('cursor')
  const offset = cursor ? decodeOffset(cursor, 'offset:') : 0
  if (!Number.isInteger(offset) || offset < 0) return problem(400, 'Bad Request', 'cursor is not valid')
  const all = [...ctx.state.blockers.values()].filter(
    (b) =>
      (!ean || b.criteria.ean === ean) &&
      (!sc || b.criteria.sales_channel_id === sc) &&
      (!since || b.updated > Date.parse(since)),
  )
  const items = all.slice(offset, offset + pageSize).map(blockerJson)
  const self = `${ctx.url}${req.path}${req.url.includes('?') ? '?' + req.url.split('?')[1] : ''}`
  const q = new URLSearchParams(req.query)
  const repeat = ctx.quirks.repeatBlockerCursor
  q.set(
    'cursor',
    repeat ? (cursor ?? encodeOffset(offset, 'offset:')) : encodeOffset(offset + pageSize, 'offset:'),
  )
  return {
    status: 200,
    body: {
      cursors: {
        self,
        ...(repeat || offset + pageSize < all.length
          ? { next: `${ctx.url}${req.path}?${q.toString()}` }
          : {}),
      },
      query: { ...(ean ? { ean } : {}), ...(sc ? { sales_channel_id: sc } : {}), page_size: pageSize },
      items,
    },
  }
}

function deleteBlockers(ctx: ZalandoContext, req: SimRequest): SimResponse {
  const { state } = ctx
  const bad = validate(ctx, req, 'DeleteOfferBlockersRequest')
  if (bad) return bad
  const ids = (req.json as { items: string[] }).items
  const unblocked: string[] = []
  const results = ids.map((id) => {
    const ean = state.blockers.get(id)?.criteria.ean
    if (ean === undefined || !state.blockers.delete(id))
      return { item: id, result: { status: 'REJECTED', description: `Offer blocker ${id} not found` } }
    unblocked.push(ean)
    return { item: id, result: { status: 'ACCEPTED' } }
  })
  reportWrites(ctx, unblocked, (ean) => state.articles.get(ean)?.qty.get(ctx.probeChannel) ?? 0)
  return { status: 207, body: { results } }
}

export function blockerRoutes(ctx: ZalandoContext): SimRoute[] {
  const check = (req: SimRequest) => authorize(ctx, req)
  const pattern = '/merchants/:mid/offer-blockers'
  return [
    endpoint({ method: 'POST', pattern, check, handle: (req) => createBlockers(ctx, req) }),
    endpoint({ method: 'GET', pattern, check, handle: (req) => listBlockers(ctx, req) }),
    endpoint({ method: 'DELETE', pattern, check, handle: (req) => deleteBlockers(ctx, req) }),
    endpoint({
      method: 'GET',
      pattern: `${pattern}/:id`,
      check,
      handle: (req) => {
        const b = ctx.state.blockers.get(req.params['id'] ?? '')
        return b
          ? { status: 200, body: blockerJson(b) }
          : problem(404, 'Not Found', `Offer blocker ${req.params['id']} not found`)
      },
    }),
  ]
}
