// Offers API v11: PATCH one offer's stock or hold (204, or 202 with a process status when updates are
// asynchronous), GET one offer, and the cursor-paged offer list with its filters.
import type { SimRoute } from '../../http/sim-server'
import { decodeOffset, emitStockWrite, encodeOffset } from '../../kit'
import { checkPatchOffer } from './bol-request-schemas'
import type { BolContext } from './context'
import { api } from './gateway'
import { check, offerView, problem, validation } from './views'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function offerRoutes(ctx: BolContext): SimRoute[] {
  const { state, time } = ctx
  return [
    api(ctx, 'PATCH', '/retailer/offers/:offerId', 'offers-update', 'v11', (req) => {
      if (req.jsonError) return validation([`body: not valid JSON (${req.jsonError})`], 'v11')
      const id = req.params.offerId ?? ''
      const problems = check('bol/offers-v11.yaml', checkPatchOffer, req)
      if (!UUID.test(id)) problems.unshift('offer-id: must be a UUID')
      if (problems.length > 0) return validation(problems, 'v11')
      const o = state.offers.get(id)
      if (!o) return problem(404, 'Not Found', `Offer ${id} was not found.`, 'v11')
      const body = req.json as {
        stock?: { amount: number; managedByRetailer: boolean }
        onHoldByRetailer?: boolean
      }
      const apply = () => {
        if (body.stock) {
          o.amount = body.stock.amount
          o.managedByRetailer = body.stock.managedByRetailer
          o.orderedSinceUpdate = 0
        }
        if (body.onHoldByRetailer !== undefined) o.onHold = body.onHoldByRetailer
        o.updatedAt = time.now()
      }
      ctx.counts.updates++
      const paused = body.onHoldByRetailer ?? o.onHold
      emitStockWrite(ctx.writes, id, body.stock?.amount ?? (paused ? 0 : o.amount), paused, time.now())
      if (!ctx.asyncOfferUpdates) {
        apply()
        return { status: 204 }
      }
      const psId = String(1_000_000 + ++state.seq)
      state.statuses.set(psId, {
        offerId: id,
        createdAt: time.now(),
        doneAt: time.now() + ctx.processingMs,
        apply,
        done: false,
      })
      return {
        status: 202,
        body: {
          processStatusId: psId,
          entityId: id,
          eventType: 'UPDATE_OFFER',
          description: `Update offer ${id}.`,
          status: 'PENDING',
          createTimestamp: new Date(time.now()).toISOString(),
          links: [{ rel: 'self', href: `/shared/process-status/${psId}`, method: 'GET' }],
        },
      }
    }),
    api(ctx, 'GET', '/retailer/offers/:offerId', 'offers-list', 'v11', (req) => {
      const o = state.offers.get(req.params.offerId ?? '')
      if (!o) return problem(404, 'Not Found', `Offer ${req.params.offerId ?? ''} was not found.`, 'v11')
      return { status: 200, body: offerView(state, o) }
    }),
    api(ctx, 'GET', '/retailer/offers', 'offers-list', 'v11', (req) => {
      const problems = check('bol/offers-v11.yaml', undefined, req)
      const size = Number(req.query.get('page-size') ?? '50')
      if (!Number.isInteger(size) || size < 1 || size > 100)
        problems.push('page-size: must be between 1 and 100')
      if (problems.length > 0) return validation(problems, 'v11')
      const ids = req.query.getAll('offer-ids').flatMap((v) => v.split(','))
      const eans = req.query.getAll('eans').flatMap((v) => v.split(','))
      const ref = req.query.get('reference')
      let all = [...state.offers.values()].sort((a, b) => (a.offerId < b.offerId ? -1 : 1))
      if (ids.length > 0) all = all.filter((o) => ids.includes(o.offerId))
      if (eans.length > 0) all = all.filter((o) => eans.includes(o.ean))
      if (ref) all = all.filter((o) => o.reference === ref)
      const cursor = req.query.get('cursor')
      const offset = cursor ? decodeOffset(cursor) : 0
      if (!Number.isInteger(offset)) return validation(['cursor: is not a valid cursor'], 'v11')
      // A page holds at least 25 offers, whatever smaller size was asked for (the spec's PageSize floor).
      const per = Math.max(25, size)
      const page = all.slice(offset, offset + per)
      const next = offset + per < all.length ? encodeOffset(offset + per) : null
      return {
        status: 200,
        body: { offers: page.map((o) => offerView(state, o)), page: { pageSize: per, nextCursor: next } },
      }
    }),
  ]
}
