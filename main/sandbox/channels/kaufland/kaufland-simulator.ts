// A Kaufland Seller API v2 simulator: signed requests (HMAC over method, full URL, body, timestamp),
// units with PATCH and 207 bulk updates, order units with offset paging, storefronts, 111 req/s with 429,
// Kaufland's problem bodies, and the fault injection of the shared sim server.
import { KAUFLAND_LIMITS } from '../../../core/channels/kaufland-limits'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { TokenBucket } from '../../../core/rate-limit/token-bucket'
import { systemClock, type Clock } from '../../../core/ports/clock'
import {
  startSimServer,
  type FaultConfig,
  type SimRequest,
  type SimResponse,
  type SimServer,
} from '../../http/sim-server'
import { createSchemaValidator, loadComponentSchemas, type SchemaValidator } from '../../kit'
import { checkProbeOrder, emitStockWrite, type ChannelSimProbe, type StockWriteSink } from '../../kit'
import { KAUFLAND_REQUEST_SCHEMAS } from './kaufland-schemas'

export interface KauflandSimUnitInput {
  id_unit: number
  id_offer: string
  ean: string
  title?: string
  amount: number
  status?: 'AVAILABLE' | 'ONHOLD'
  listing_price?: number
}

interface SimUnit extends Required<KauflandSimUnitInput> {
  id_product: number
  storefront: string
  inserted: string
  changed: string
}

interface SimOrderUnit {
  id_order_unit: number
  id_order: string
  id_unit: number
  status: 'need_to_be_sent' | 'cancelled' | 'sent'
  created: number
  updated: number
}

export interface KauflandReceivedRequest {
  method: string
  path: string
  query: Record<string, string>
  body: unknown
}

export interface KauflandSimulatorOptions {
  clientKey?: string
  secretKey?: string
  storefronts?: string[]
  /** Requests per second per seller (111 on the real API). */
  ratePerSecond?: number
  clock?: Clock
  /** Largest accepted clock difference of Shop-Timestamp, seconds. */
  maxSkewSeconds?: number
  faults?: FaultConfig
  random?: () => number
  /** Where the official specs are; undefined: ../shared/specs when present; null: never. */
  specsDir?: string | null
}

export interface KauflandSimulator {
  /** Base URL for the adapter (…/v2). */
  readonly url: string
  readonly server: SimServer
  faults: FaultConfig
  readonly clientKey: string
  readonly secretKey: string
  /** Bodies and queries received, for contract tests. */
  readonly received: KauflandReceivedRequest[]
  /** True when request bodies were also checked against the official swagger.json. */
  readonly specValidation: boolean
  setUnits(units: KauflandSimUnitInput[]): void
  unit(idUnit: number): { amount: number; status: string } | undefined
  /** A buyer orders `quantity` pieces: one order unit per piece, the amount goes down. */
  placeOrder(lines: { id_unit: number; quantity: number }[]): { id_order: string; id_order_units: number[] }
  cancelOrderUnit(idOrderUnit: number): void
  /** The keys stop working (revoked in the seller portal). */
  revokeKeys(): void
  /** The campaign probe: listings by unit id (id_unit as a string), writes for accepted unit updates. */
  readonly probe: ChannelSimProbe
  stop(): Promise<void>
}

const problem = (
  status: number,
  type: string,
  message: string,
  errors: { field: string; message: string }[] = [],
): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: { type, message, errors },
})

export async function startKauflandSimulator(
  opts: KauflandSimulatorOptions = {},
): Promise<KauflandSimulator> {
  const clock = opts.clock ?? systemClock
  const clientKey = opts.clientKey ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
  const secretKey = opts.secretKey ?? 'f'.repeat(16) + 'secret-kaufland-sim-key-0123456789abcdef0123456'
  const storefronts = opts.storefronts ?? ['de']
  const perSecond = opts.ratePerSecond ?? KAUFLAND_LIMITS.requestsPerSecond
  const bucket = new TokenBucket(perSecond, perSecond, clock)
  const maxSkew = opts.maxSkewSeconds ?? KAUFLAND_LIMITS.timestampToleranceS
  const embedded = createSchemaValidator(KAUFLAND_REQUEST_SCHEMAS)
  const spec: SchemaValidator | undefined = loadComponentSchemas('kaufland/swagger.json', opts.specsDir)
  const units = new Map<number, SimUnit>()
  const orderUnits: SimOrderUnit[] = []
  const received: KauflandReceivedRequest[] = []
  const sink: StockWriteSink = { onStockWrite: null }
  let throttled = 0
  let revoked = false
  let nextOrder = 1
  let nextOrderUnit = 5_000_000_000

  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

  const unitJson = (u: SimUnit) => ({
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
  const productJson = (u: SimUnit) => ({
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

  const orderUnitJson = (o: SimOrderUnit) => {
    const u = units.get(o.id_unit)
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

  const safeEqualHex = (a: string, b: string) => {
    const x = Buffer.from(a)
    const y = Buffer.from(b)
    return x.length === y.length && timingSafeEqual(x, y)
  }

  // Every request passes here first: the seller-wide rate limit, then the signature.
  const guard = (req: SimRequest): SimResponse | undefined => {
    const wait = bucket.take()
    if (wait > 0) {
      throttled++
      return {
        ...problem(429, 'about:blank', 'Too Many Requests: 111 requests per second per seller'),
        headers: {
          'content-type': 'application/json',
          'retry-after': String(Math.max(1, Math.ceil(wait / 1000))),
        },
      }
    }
    const h = (n: string) => {
      const v = req.headers[n]
      return Array.isArray(v) ? v[0] : v
    }
    const key = h('shop-client-key')
    const ts = h('shop-timestamp')
    const sig = h('shop-signature')
    const missing = [
      !key && 'Shop-Client-Key',
      !ts && 'Shop-Timestamp',
      !sig && 'Shop-Signature',
      !h('user-agent') && 'User-Agent',
    ].filter(Boolean)
    if (missing.length > 0)
      return problem(
        401,
        '/problems/missing-or-invalid-request-header',
        `Missing request header(s): ${missing.join(', ')}`,
      )
    if (revoked || key !== clientKey)
      return problem(401, '/problems/invalid-credentials', 'The client key is unknown or was revoked')
    const tsNum = Number(ts)
    if (!Number.isInteger(tsNum) || Math.abs(tsNum - clock.now() / 1000) > maxSkew)
      return problem(
        401,
        '/problems/missing-or-invalid-request-header',
        `Shop-Timestamp ${ts} is more than ${maxSkew} s away from server time`,
      )
    const u = new URL(req.url)
    const fullUrl = `http://${h('host') ?? ''}${u.pathname}${u.search}`
    const expected = createHmac('sha256', secretKey)
      .update([req.method, fullUrl, req.rawBody.toString('utf8'), ts].join('\n'))
      .digest('hex')
    if (!safeEqualHex(expected, String(sig)))
      return problem(401, '/problems/corrupted-signature', 'The signature does not match the request')
    received.push({
      method: req.method,
      path: req.path,
      query: Object.fromEntries(req.query),
      body: req.json,
    })
    return undefined
  }

  const storefrontOf = (req: SimRequest, required: boolean): string | SimResponse => {
    const s = req.query.get('storefront')
    if (!s)
      return required
        ? problem(400, '/problems/validation-error', 'Request parameters have invalid values', [
            { field: 'storefront', message: 'is required' },
          ])
        : 'de'
    if (!['de', 'cz', 'sk', 'pl', 'at', 'fr', 'it'].includes(s))
      return problem(400, '/problems/validation-error', 'Request parameters have invalid values', [
        { field: 'storefront', message: `"${s}" is not one of de, cz, sk, pl, at, fr, it` },
      ])
    if (!storefronts.includes(s))
      return problem(
        400,
        '/problems/storefront-not-configured',
        `Storefront ${s} is not configured for this seller`,
      )
    return s
  }

  const validateBody = (
    req: SimRequest,
    embeddedName: string,
    specName: string | ((v: unknown) => string[]),
  ): SimResponse | undefined => {
    if (req.jsonError)
      return problem(400, '/problems/bad-request', `The body is not valid JSON: ${req.jsonError}`)
    const errs = embedded.check(embeddedName, req.json)
    if (spec) {
      const specErrs = typeof specName === 'function' ? specName(req.json) : spec.check(specName, req.json)
      errs.push(...specErrs.map((e) => `${e} (swagger.json)`))
    }
    if (errs.length === 0) return undefined
    return problem(
      400,
      '/problems/validation-error',
      'Request parameters have invalid values',
      [...new Set(errs)].map((e) => {
        const i = e.indexOf(': ')
        return { field: e.slice(0, i), message: e.slice(i + 2) }
      }),
    )
  }

  const applyPatch = (u: SimUnit, data: Record<string, unknown>) => {
    if (typeof data['amount'] === 'number') u.amount = data['amount']
    if (data['status'] === 'AVAILABLE' || data['status'] === 'ONHOLD') u.status = data['status']
    if (typeof data['listing_price'] === 'number') u.listing_price = data['listing_price']
    u.changed = iso(clock.now())
    if (typeof data['amount'] === 'number' || data['status'] !== undefined) {
      const paused = u.status === 'ONHOLD'
      const amount = typeof data['amount'] === 'number' ? data['amount'] : paused ? 0 : u.amount
      emitStockWrite(sink, String(u.id_unit), amount, paused, clock.now())
    }
  }

  const page = <T>(req: SimRequest, all: T[], maxLimit: number) => {
    const limit = Number(req.query.get('limit') ?? 30)
    const offset = Number(req.query.get('offset') ?? 0)
    if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
      return problem(400, '/problems/validation-error', 'Request parameters have invalid values', [
        { field: 'limit', message: `must be 1..${maxLimit}` },
      ])
    if (!Number.isInteger(offset) || offset < 0)
      return problem(400, '/problems/validation-error', 'Request parameters have invalid values', [
        { field: 'offset', message: 'must be >= 0' },
      ])
    return { data: all.slice(offset, offset + limit), pagination: { offset, limit, total: all.length } }
  }

  const routes = [
    {
      method: 'GET',
      pattern: '/v2/status/ping',
      handler: (): SimResponse => ({ status: 200, body: { data: { message: 'Never tell me the odds' } } }),
    },
    {
      method: 'GET',
      pattern: '/v2/info/storefront',
      handler: (req: SimRequest): SimResponse => guard(req) ?? { status: 200, body: { data: storefronts } },
    },
    {
      method: 'GET',
      pattern: '/v2/units',
      handler: (req: SimRequest): SimResponse => {
        const g = guard(req)
        if (g) return g
        const sf = storefrontOf(req, true)
        if (typeof sf !== 'string') return sf
        const embedded = req.query.getAll('embedded')
        const unknown = embedded.find(
          (e) => !['products', 'eco_participation', 'battery_participation'].includes(e),
        )
        if (unknown !== undefined)
          return problem(400, '/problems/validation-error', 'Request parameters have invalid values', [
            {
              field: 'embedded',
              message: `"${unknown}" is not one of products, eco_participation, battery_participation`,
            },
          ])
        const embed = embedded.includes('products')
        const offer = req.query.get('id_offer')
        const ean = req.query.get('ean')
        const list = [...units.values()]
          .filter((u) => u.storefront === sf && (!offer || u.id_offer === offer) && (!ean || u.ean === ean))
          .sort((a, b) => a.id_unit - b.id_unit)
          .map((u) => ({ ...unitJson(u), ...(embed ? { product: productJson(u) } : {}) }))
        const p = page(req, list, 100)
        return 'status' in p ? p : { status: 200, body: p }
      },
    },
    {
      method: 'GET',
      pattern: '/v2/units/:id',
      handler: (req: SimRequest): SimResponse => {
        const g = guard(req)
        if (g) return g
        const sf = storefrontOf(req, true)
        if (typeof sf !== 'string') return sf
        const u = units.get(Number(req.params['id']))
        if (!u || u.storefront !== sf)
          return problem(404, '/problems/not-found', `Unit ${req.params['id']} not found`)
        return { status: 200, body: { data: unitJson(u) } }
      },
    },
    {
      method: 'PATCH',
      pattern: '/v2/units/:id',
      handler: (req: SimRequest): SimResponse => {
        const g = guard(req)
        if (g) return g
        const sf = storefrontOf(req, true)
        if (typeof sf !== 'string') return sf
        if (!/^[1-9]\d*$/.test(req.params['id'] ?? ''))
          return problem(400, '/problems/validation-error', 'Request parameters have invalid values', [
            { field: 'id_unit', message: 'must be a positive integer' },
          ])
        const bad = validateBody(req, 'UnitPatchRequest', 'UnitPatchRequest')
        if (bad) return bad
        const u = units.get(Number(req.params['id']))
        if (!u || u.storefront !== sf)
          return problem(404, '/problems/not-found', `Unit ${req.params['id']} not found`)
        applyPatch(u, req.json as Record<string, unknown>)
        return { status: 200, body: { data: unitJson(u) } }
      },
    },
    {
      method: 'POST',
      pattern: '/v2/units/bulk',
      handler: (req: SimRequest): SimResponse => {
        const g = guard(req)
        if (g) return g
        const sf = storefrontOf(req, true)
        if (typeof sf !== 'string') return sf
        const bad = validateBody(req, 'UnitsBulkUpdateRequestList', (v) =>
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
          const u = units.get(x.id_unit)
          if (!u || u.storefront !== sf)
            return {
              id_unit: x.id_unit,
              status_code: 404,
              message: `Unit ${x.id_unit} not found`,
              errors: [{ field: 'id_unit', message: 'not found' }],
            }
          applyPatch(u, x.unit_data)
          return { id_unit: x.id_unit, status_code: 200, unit: unitJson(u) }
        })
        return { status: 207, body: { data } }
      },
    },
    {
      method: 'GET',
      pattern: '/v2/orders/:id',
      handler: (req: SimRequest): SimResponse => {
        const g = guard(req)
        if (g) return g
        const mine = orderUnits.filter((o) => o.id_order === req.params['id'])
        const first = mine[0]
        if (!first) return problem(404, '/problems/not-found', `Order ${req.params['id']} not found`)
        return {
          status: 200,
          body: {
            data: {
              id_order: first.id_order,
              ts_created_iso: iso(first.created),
              is_marketplace_deemed_supplier: false,
              storefront: units.get(first.id_unit)?.storefront ?? 'de',
              fulfillment_type: 'fulfilled_by_merchant',
              order_units: mine.map((o) => {
                const {
                  buyer: _b,
                  billing_address: _ba,
                  shipping_address: _sa,
                  eco_fee: _e,
                  packaging_fee: _p,
                  ...rest
                } = orderUnitJson(o)
                return { ...rest, tickets: null }
              }),
              billing_address: null,
              shipping_address: null,
              buyer: { id_buyer: 1, email: null },
            },
          },
        }
      },
    },
    {
      method: 'GET',
      pattern: '/v2/order-units',
      handler: (req: SimRequest): SimResponse => {
        const g = guard(req)
        if (g) return g
        const sfq = req.query.get('storefront')
        const sf = sfq ? storefrontOf(req, false) : undefined
        if (sf !== undefined && typeof sf !== 'string') return sf
        const fromIso = req.query.get('ts_updated_from_iso')
        const from = fromIso ? Date.parse(fromIso) : -Infinity
        if (Number.isNaN(from))
          return problem(400, '/problems/validation-error', 'Request parameters have invalid values', [
            { field: 'ts_updated_from_iso', message: `"${fromIso}" is not an ISO date-time` },
          ])
        const sort = req.query.get('sort') ?? 'ts_created:desc'
        if (!['ts_created:desc', 'ts_updated:desc'].includes(sort))
          return problem(400, '/problems/validation-error', 'Request parameters have invalid values', [
            { field: 'sort', message: 'must be ts_created:desc or ts_updated:desc' },
          ])
        const key = sort === 'ts_updated:desc' ? 'updated' : 'created'
        const list = orderUnits
          .filter((o) => o.updated >= from && (!sf || units.get(o.id_unit)?.storefront === sf))
          .sort((a, b) => b[key] - a[key] || b.id_order_unit - a.id_order_unit)
          .map(orderUnitJson)
        const p = page(req, list, 100)
        return 'status' in p ? p : { status: 200, body: p }
      },
    },
  ]

  const server = await startSimServer({
    name: 'Kaufland',
    routes,
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    notFound: (req) => problem(404, '/problems/not-found', `No endpoint ${req.method} ${req.path}`),
  })

  const sim: KauflandSimulator = {
    url: `${server.url}/v2`,
    server,
    get faults() {
      return server.faults
    },
    set faults(f: FaultConfig) {
      server.faults = f
    },
    clientKey,
    secretKey,
    received,
    specValidation: spec !== undefined,
    setUnits(list) {
      units.clear()
      const now = iso(clock.now())
      for (const u of list)
        units.set(u.id_unit, {
          title: `Product ${u.id_offer}`,
          status: 'AVAILABLE',
          listing_price: 1999,
          ...u,
          id_product: 100_000 + u.id_unit,
          storefront: storefronts[0] ?? 'de',
          inserted: now,
          changed: now,
        })
    },
    unit(id) {
      const u = units.get(id)
      return u ? { amount: u.amount, status: u.status } : undefined
    },
    placeOrder(lines) {
      const id_order = `MB${String(nextOrder++).padStart(5, '0')}`
      const ids: number[] = []
      const now = clock.now()
      for (const l of lines) {
        const u = units.get(l.id_unit)
        if (!u) throw new Error(`Kaufland simulator: no unit ${l.id_unit}`)
        if (u.amount < l.quantity)
          throw new Error(`Kaufland simulator: unit ${l.id_unit} has only ${u.amount}`)
        u.amount -= l.quantity
        for (let i = 0; i < l.quantity; i++) {
          const id = nextOrderUnit++
          orderUnits.push({
            id_order_unit: id,
            id_order,
            id_unit: l.id_unit,
            status: 'need_to_be_sent',
            created: now,
            updated: now,
          })
          ids.push(id)
        }
      }
      return { id_order, id_order_units: ids }
    },
    cancelOrderUnit(id) {
      const o = orderUnits.find((x) => x.id_order_unit === id)
      if (!o) throw new Error(`Kaufland simulator: no order unit ${id}`)
      o.status = 'cancelled'
      o.updated = clock.now()
    },
    revokeKeys() {
      revoked = true
    },
    // Buyers see the unit's amount; a unit ONHOLD is not buyable. Keys are signed, no tokens to expire.
    probe: {
      listingIndex: () =>
        [...units.values()].map((u) => ({ listingId: String(u.id_unit), sku: u.id_offer, ean: u.ean })),
      listingState(listingId) {
        const u = units.get(Number(listingId))
        return u ? { quantity: u.amount, buyable: u.status === 'AVAILABLE' && u.amount > 0 } : undefined
      },
      get onStockWrite() {
        return sink.onStockWrite
      },
      set onStockWrite(f) {
        sink.onStockWrite = f
      },
      placeOrder(listingId, quantity) {
        checkProbeOrder('Kaufland', listingId, quantity, units.get(Number(listingId))?.amount)
        return sim.placeOrder([{ id_unit: Number(listingId), quantity }]).id_order
      },
      expireTokens: () => false,
      get limitHits() {
        return throttled
      },
    },
    stop: () => server.stop(),
  }
  return sim
}
