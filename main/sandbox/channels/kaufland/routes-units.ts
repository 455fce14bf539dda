// Units: the ping and storefront info, the unit list (with embedded products) and one unit, PATCH of one unit,
// and POST /units/bulk (150 at most, no duplicates, 207 with a result per unit).
import { KAUFLAND_LIMITS } from '../../../core/channels/kaufland-limits'
import type { SimRequest, SimResponse, SimRoute } from '../../http/sim-server'
import { emitStockWrite, endpoint } from '../../kit'
import type { KauflandContext } from './context'
import { guard } from './signature'
import { iso, type SimUnit } from './state'
import { invalidParams, page, problem, productJson, storefrontOf, unitJson, validateBody } from './views'

/** Applies a unit update; one that touches stock or status is reported to the probe. */
function applyPatch(ctx: KauflandContext, u: SimUnit, data: Record<string, unknown>): void {
  if (typeof data['amount'] === 'number') u.amount = data['amount']
  if (data['status'] === 'AVAILABLE' || data['status'] === 'ONHOLD') u.status = data['status']
  if (typeof data['listing_price'] === 'number') u.listing_price = data['listing_price']
  u.changed = iso(ctx.time.now())
  if (typeof data['amount'] === 'number' || data['status'] !== undefined) {
    const paused = u.status === 'ONHOLD'
    const amount = typeof data['amount'] === 'number' ? data['amount'] : paused ? 0 : u.amount
    emitStockWrite(ctx.writes, String(u.id_unit), amount, paused, ctx.time.now())
  }
}

function bulkUpdate(ctx: KauflandContext, req: SimRequest, sf: string): SimResponse {
  const spec = ctx.spec
  const bad = validateBody(ctx, req, 'UnitsBulkUpdateRequestList', (v) =>
    Array.isArray(v) && spec
      ? v.flatMap((x: unknown, i) =>
          spec
            .check('UnitsBulkUpdateRequest', x)
            .map((e) => `/${i}${e.startsWith('(body)') ? e.slice(6) : e}`),
        )
      : [],
  )
  if (bad) return bad
  const list = req.json as { id_unit: number; unit_data: Record<string, unknown> }[]
  if (list.length > KAUFLAND_LIMITS.bulkMaxUnits)
    return problem(
      400,
      '/problems/units/bulk-too-many-units',
      `At most ${KAUFLAND_LIMITS.bulkMaxUnits} units per request (got ${list.length})`,
    )
  if (list.length === 0)
    return problem(400, '/problems/units/bulk-invalid-operation', 'The request contains no units')
  const ids = list.map((x) => x.id_unit)
  const dup = ids.find((id, i) => ids.indexOf(id) !== i)
  if (dup !== undefined)
    return problem(400, '/problems/units/bulk-duplicate-units', `Unit ${dup} appears more than once`)
  const data = list.map((x) => {
    const u = ctx.state.units.get(x.id_unit)
    if (!u || u.storefront !== sf)
      return {
        id_unit: x.id_unit,
        status_code: 404,
        message: `Unit ${x.id_unit} not found`,
        errors: [{ field: 'id_unit', message: 'not found' }],
      }
    applyPatch(ctx, u, x.unit_data)
    return { id_unit: x.id_unit, status_code: 200, unit: unitJson(u) }
  })
  return { status: 207, body: { data } }
}

export function unitRoutes(ctx: KauflandContext): SimRoute[] {
  const { state } = ctx
  const check = (req: SimRequest) => guard(ctx, req)
  return [
    {
      method: 'GET',
      pattern: '/v2/status/ping',
      handler: () => ({ status: 200, body: { data: { message: 'Never tell me the odds' } } }),
    },
    endpoint({
      method: 'GET',
      pattern: '/v2/info/storefront',
      check,
      handle: () => ({ status: 200, body: { data: ctx.storefronts } }),
    }),
    endpoint({
      method: 'GET',
      pattern: '/v2/units',
      check,
      handle: (req) => {
        const sf = storefrontOf(ctx, req, true)
        if (typeof sf !== 'string') return sf
        const embedded = req.query.getAll('embedded')
        const unknown = embedded.find(
          (e) => !['products', 'eco_participation', 'battery_participation'].includes(e),
        )
        if (unknown !== undefined)
          return invalidParams([
            {
              field: 'embedded',
              message: `"${unknown}" is not one of products, eco_participation, battery_participation`,
            },
          ])
        const embed = embedded.includes('products')
        const offer = req.query.get('id_offer')
        const ean = req.query.get('ean')
        const list = [...state.units.values()]
          .filter((u) => u.storefront === sf && (!offer || u.id_offer === offer) && (!ean || u.ean === ean))
          .sort((a, b) => a.id_unit - b.id_unit)
          .map((u) => ({ ...unitJson(u), ...(embed ? { product: productJson(u) } : {}) }))
        const p = page(req, list, 100)
        return 'status' in p ? p : { status: 200, body: p }
      },
    }),
    endpoint({
      method: 'GET',
      pattern: '/v2/units/:id',
      check,
      handle: (req) => {
        const sf = storefrontOf(ctx, req, true)
        if (typeof sf !== 'string') return sf
        const u = state.units.get(Number(req.params['id']))
        if (!u || u.storefront !== sf)
          return problem(404, '/problems/not-found', `Unit ${req.params['id']} not found`)
        return { status: 200, body: { data: unitJson(u) } }
      },
    }),
    endpoint({
      method: 'PATCH',
      pattern: '/v2/units/:id',
      check,
      handle: (req) => {
        const sf = storefrontOf(ctx, req, true)
        if (typeof sf !== 'string') return sf
        if (!/^[1-9]\d*$/.test(req.params['id'] ?? ''))
          return invalidParams([{ field: 'id_unit', message: 'must be a positive integer' }])
        const bad = validateBody(ctx, req, 'UnitPatchRequest', 'UnitPatchRequest')
        if (bad) return bad
        const u = state.units.get(Number(req.params['id']))
        if (!u || u.storefront !== sf)
          return problem(404, '/problems/not-found', `Unit ${req.params['id']} not found`)
        applyPatch(ctx, u, req.json as Record<string, unknown>)
        return { status: 200, body: { data: unitJson(u) } }
      },
    }),
    endpoint({
      method: 'POST',
      pattern: '/v2/units/bulk',
      check,
      handle: (req) => {
        const sf = storefrontOf(ctx, req, true)
        return typeof sf !== 'string' ? sf : bulkUpdate(ctx, req, sf)
      },
    }),
  ]
}
