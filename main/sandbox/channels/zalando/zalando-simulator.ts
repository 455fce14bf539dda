// A zDirect simulator: client-credentials tokens (8 a minute, more gets 429 and is counted as a
// violation), stocks with 207 per-item results (104 while an article awaits onboarding) under both limits
// (60 requests and 2000 updates a minute), the Offer Blocking API as its spec describes it, and JSON:API
// orders with page[number] paging. Errors are problem+json, as Zalando's gateway sends them.
import { ZALANDO_LIMITS } from '../../../core/channels/zalando-limits'
import { randomBytes, randomUUID } from 'node:crypto'
import { systemClock, type Clock } from '../../../core/ports/clock'
import { WindowLimit } from '../../../core/rate-limit/window-limit'
import {
  startSimServer,
  type FaultConfig,
  type SimRequest,
  type SimResponse,
  type SimServer,
} from '../../http/sim-server'
import { createSchemaValidator, loadComponentSchemas, type SchemaValidator } from '../../kit'
import { checkProbeOrder, emitStockWrite, type ChannelSimProbe, type StockWriteSink } from '../../kit'
import { ZALANDO_REQUEST_SCHEMAS } from './zalando-schemas'

export interface ZalandoSimArticle {
  ean: string
  /** Zalando's article id (config SKU + size), what order items carry. */
  article_id?: string
  /** The merchant's product id (SKU), also on order items. */
  external_id?: string
  onboarded?: boolean
  quantity?: number
}

export interface ZalandoSimLimits {
  tokensPerWindow: number
  stockRequestsPerWindow: number
  stockItemsPerWindow: number
  ordersPerWindow: number
  /** Length of the limit window, 60 000 ms on the real API. */
  windowMs: number
}

export interface ZalandoSimulatorOptions {
  merchantId?: string
  salesChannelIds?: string[]
  clientId?: string
  clientSecret?: string
  tokenTtlSeconds?: number
  limits?: Partial<ZalandoSimLimits>
  clock?: Clock
  faults?: FaultConfig
  random?: () => number
  specsDir?: string | null
}

export interface ZalandoReceivedRequest {
  method: string
  path: string
  query: Record<string, string>
  body: unknown
}

export interface ZalandoSimulator {
  readonly url: string
  readonly server: SimServer
  faults: FaultConfig
  readonly merchantId: string
  readonly salesChannelIds: string[]
  readonly clientId: string
  readonly clientSecret: string
  readonly received: ZalandoReceivedRequest[]
  readonly specValidation: boolean
  /** Token requests answered, and those refused for exceeding the per-minute limit. */
  readonly tokenStats: { issued: number; refused: number }
  setArticles(articles: ZalandoSimArticle[]): void
  onboard(ean: string): void
  offer(
    ean: string,
    salesChannelId: string,
  ): { quantity: number | undefined; pending: number | undefined; blocked: boolean }
  placeOrder(order: {
    salesChannelId?: string
    lines: { ean: string; quantity: number; price?: number }[]
  }): string
  cancelLines(orderId: string, ean: string, count: number): void
  expireTokens(): void
  /**
   * The campaign probe: listings by EAN, as seen on the first sales channel; one write per EAN per accepted
   * stocks request (whatever the number of channels), offer blockers as pause and their removal as resume.
   */
  readonly probe: ChannelSimProbe
  stop(): Promise<void>
}

interface SimArticle {
  ean: string
  article_id: string
  external_id: string
  onboarded: boolean
  qty: Map<string, number>
  pending: Map<string, number>
}

interface SimLine {
  id: string
  status: 'initial' | 'reserved' | 'shipped' | 'returned' | 'canceled'
  price: number
}

interface SimOrder {
  id: string
  order_number: string
  sales_channel_id: string
  created: number
  modified: number
  items: { id: string; ean: string; lines: SimLine[] }[]
}

interface SimBlocker {
  id: string
  reason: string
  description?: string
  criteria: { ean: string; sales_channel_id: string }
  updated: number
}

const problem = (
  status: number,
  title: string,
  detail: string,
  extra: Record<string, string> = {},
): SimResponse => ({
  status,
  headers: { 'content-type': 'application/problem+json', ...extra },
  body: { type: 'about:blank', title, status, detail },
})

export async function startZalandoSimulator(opts: ZalandoSimulatorOptions = {}): Promise<ZalandoSimulator> {
  const clock = opts.clock ?? systemClock
  const merchantId = opts.merchantId ?? 'e2ad171a-6b52-4db0-8ae3-54709720458b'
  const salesChannelIds = opts.salesChannelIds ?? [
    '091dcbdd-7839-4f39-aa05-324eb4599df0',
    '733af55a-4133-4d7c-b5f3-d64d42c135fe',
  ]
  const clientId = opts.clientId ?? 'sim-zalando-client'
  const clientSecret = opts.clientSecret ?? 'sim-zalando-secret-' + 'x'.repeat(24)
  const ttl = opts.tokenTtlSeconds ?? ZALANDO_LIMITS.tokenLifetimeS
  const lim: ZalandoSimLimits = {
    tokensPerWindow: ZALANDO_LIMITS.tokensPerMinute.production,
    stockRequestsPerWindow: ZALANDO_LIMITS.stockRequestsPerMinute,
    stockItemsPerWindow: ZALANDO_LIMITS.stockItemsPerMinute,
    ordersPerWindow: ZALANDO_LIMITS.ordersPerMinute.production,
    windowMs: ZALANDO_LIMITS.windowMs,
    ...opts.limits,
  }
  const tokenLimit = new WindowLimit(lim.tokensPerWindow, lim.windowMs, clock)
  const stockReqLimit = new WindowLimit(lim.stockRequestsPerWindow, lim.windowMs, clock)
  const stockItemLimit = new WindowLimit(lim.stockItemsPerWindow, lim.windowMs, clock)
  const ordersLimit = new WindowLimit(lim.ordersPerWindow, lim.windowMs, clock)
  const embedded = createSchemaValidator(ZALANDO_REQUEST_SCHEMAS)
  const spec: SchemaValidator | undefined = loadComponentSchemas(
    'zalando/zalando-offer-blocking-openapi.yml',
    opts.specsDir,
  )
  const tokens = new Map<string, number>()
  const articles = new Map<string, SimArticle>()
  const orders: SimOrder[] = []
  const blockers = new Map<string, SimBlocker>()
  const received: ZalandoReceivedRequest[] = []
  const tokenStats = { issued: 0, refused: 0 }
  const sink: StockWriteSink = { onStockWrite: null }
  const probeChannel = salesChannelIds[0] ?? ''
  let limitHits = 0
  let orderSeq = 1
  let base = ''

  const iso = (ms: number) => new Date(ms).toISOString()
  const header = (req: SimRequest, n: string) => {
    const v = req.headers[n]
    return Array.isArray(v) ? v[0] : v
  }

  const authorize = (req: SimRequest): SimResponse | undefined => {
    const auth = header(req, 'authorization') ?? ''
    const m = /^Bearer (.+)$/.exec(auth)
    const exp = m?.[1] ? tokens.get(m[1]) : undefined
    if (exp === undefined || exp <= clock.now())
      return problem(
        401,
        'Unauthorized',
        m ? 'The access token is invalid or has expired' : 'Missing bearer token',
      )
    if (req.params['mid'] !== undefined && req.params['mid'] !== merchantId)
      return problem(403, 'Forbidden', `The client has no access to merchant ${req.params['mid']}`)
    received.push({
      method: req.method,
      path: req.path,
      query: Object.fromEntries(req.query),
      body: req.json,
    })
    return undefined
  }

  const throttled = (wait: number, limitText: string): SimResponse => {
    limitHits++
    return problem(429, 'Too Many Requests', `Rate limit exceeded: ${limitText}`, {
      'retry-after': String(Math.max(1, Math.ceil(wait / 1000))),
      'x-rate-limit': limitText,
    })
  }

  const validate = (req: SimRequest, name: string): SimResponse | undefined => {
    if (req.jsonError) return problem(400, 'Bad Request', `The body is not valid JSON: ${req.jsonError}`)
    const errs = embedded.check(name, req.json)
    if (spec?.has(name)) errs.push(...spec.check(name, req.json).map((e) => `${e} (offer blocking spec)`))
    return errs.length > 0 ? problem(400, 'Bad Request', [...new Set(errs)].join('; ')) : undefined
  }

  const blockerJson = (b: SimBlocker) => ({
    id: b.id,
    reason: b.reason,
    ...(b.description === undefined ? {} : { description: b.description }),
    criteria: b.criteria,
  })
  const isBlocked = (ean: string, sc: string) =>
    [...blockers.values()].some((b) => b.criteria.ean === ean && b.criteria.sales_channel_id === sc)

  const orderDoc = (o: SimOrder, include: Set<string>) => {
    const res = {
      type: 'Order',
      id: o.id,
      attributes: {
        order_id: o.id,
        merchant_id: merchantId,
        order_number: o.order_number,
        order_date: iso(o.created),
        sales_channel_id: o.sales_channel_id,
        customer_number: '31400820597',
        status: o.items.every((i) =>
          i.lines.every((l) => l.status === 'shipped' || l.status === 'canceled' || l.status === 'returned'),
        )
          ? 'fulfilled'
          : 'approved',
        order_type: 'PartnerFulfilled',
        shipping_address: {
          first_name: 'Joe',
          last_name: 'Smith',
          address_line_1: 'Street 1',
          city: 'Berlin',
          country_code: 'DE',
          address_type: 'HOME_ADDRESS',
        },
        billing_address: {
          first_name: 'Joe',
          last_name: 'Smith',
          address_line_1: 'Street 1',
          city: 'Berlin',
          country_code: 'DE',
          address_type: 'HOME_ADDRESS',
        },
        shipment_number: '003403418039972556',
        order_lines_count: o.items.reduce((s, i) => s + i.lines.length, 0),
        order_lines_price_currency: 'EUR',
        created_at: iso(o.created),
        modified_at: iso(o.modified),
      },
      relationships: { order_items: { data: o.items.map((i) => ({ type: 'OrderItem', id: i.id })) } },
    }
    const included: unknown[] = []
    if (include.has('order_items'))
      for (const i of o.items) {
        const a = articles.get(i.ean)
        const count = (s: SimLine['status']) => i.lines.filter((l) => l.status === s).length
        included.push({
          type: 'OrderItem',
          id: i.id,
          attributes: {
            order_item_id: i.id,
            order_id: o.id,
            article_id: a?.article_id ?? 'UNKNOWN',
            external_id: a?.external_id,
            quantity_initial: i.lines.length,
            quantity_reserved: count('reserved') + count('initial'),
            quantity_shipped: count('shipped'),
            quantity_returned: count('returned'),
            quantity_canceled: count('canceled'),
          },
          relationships: { order_lines: { data: i.lines.map((l) => ({ type: 'OrderLine', id: l.id })) } },
        })
        if (include.has('order_lines'))
          for (const l of i.lines)
            included.push({
              type: 'OrderLine',
              id: l.id,
              attributes: {
                order_line_id: l.id,
                order_item_id: i.id,
                status: l.status,
                price: { amount: l.price, currency: 'EUR' },
              },
            })
      }
    return { res, included }
  }

  /** One probe write per EAN, in body order; paused when the EAN is blocked on the probe's sales channel. */
  const reportWrites = (eans: string[], quantity: (ean: string) => number) => {
    for (const ean of new Set(eans)) {
      const paused = isBlocked(ean, probeChannel)
      emitStockWrite(sink, ean, paused ? 0 : quantity(ean), paused, clock.now())
    }
  }

  const routes = [
    {
      method: 'POST',
      pattern: '/auth/token',
      // Limits are counted at the gateway, as a request arrives (before any injected latency).
      admit: (): SimResponse | undefined => {
        const wait = tokenLimit.take()
        if (wait === 0) return undefined
        tokenStats.refused++
        return throttled(wait, `${lim.tokensPerWindow} token requests per minute`)
      },
      handler: (req: SimRequest): SimResponse => {
        const m = /^Basic (.+)$/.exec(header(req, 'authorization') ?? '')
        const [id, secret] = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8').split(':') : []
        if (req.rawBody.toString('utf8') !== 'grant_type=client_credentials')
          return {
            status: 400,
            body: {
              error: 'unsupported_grant_type',
              error_description: 'grant_type must be client_credentials',
            },
          }
        if (id !== clientId || secret !== clientSecret)
          return {
            status: 401,
            body: { error: 'invalid_client', error_description: 'Client authentication failed' },
          }
        const token = randomBytes(24).toString('base64url')
        tokens.set(token, clock.now() + ttl * 1000)
        tokenStats.issued++
        return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttl } }
      },
    },
    {
      method: 'POST',
      pattern: '/merchants/:mid/stocks',
      admit: (req: SimRequest): SimResponse | undefined => {
        const a = authorize(req)
        if (a) return a
        const w = stockReqLimit.take()
        if (w > 0) return throttled(w, `${lim.stockRequestsPerWindow} requests per minute`)
        const items = (req.json as { items?: unknown } | undefined)?.items
        const wi = Array.isArray(items) ? stockItemLimit.take(items.length) : 0
        if (wi > 0) return throttled(wi, `${lim.stockItemsPerWindow} stock updates per minute`)
        return undefined
      },
      handler: (req: SimRequest): SimResponse => {
        const bad = validate(req, 'StockUpdateRequest')
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
          const art = articles.get(item.ean)
          if (!salesChannelIds.includes(item.sales_channel_id))
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
          results.filter((r) => r.result.status === 'ACCEPTED').map((r) => r.item.ean),
          (ean) =>
            results.find((r) => r.item.ean === ean && r.result.status === 'ACCEPTED')?.item.quantity ?? 0,
        )
        return { status: 207, body: { results } }
      },
    },
    {
      method: 'POST',
      pattern: '/merchants/:mid/offer-blockers',
      handler: (req: SimRequest): SimResponse => {
        const a = authorize(req)
        if (a) return a
        const bad = validate(req, 'CreateOfferBlockersRequest')
        if (bad) return bad
        const items = (
          req.json as {
            items: {
              reason: string
              description?: string
              criteria: { ean: string; sales_channel_id: string }
            }[]
          }
        ).items
        const key = (i: (typeof items)[number]) =>
          `${i.reason}|${i.criteria.ean}|${i.criteria.sales_channel_id}`
        const keys = items.map(key)
        const results = items.map((item, idx) => {
          if (keys.indexOf(keys[idx] as string) !== keys.lastIndexOf(keys[idx] as string))
            return {
              item,
              result: { status: 'REJECTED', description: 'The batch contains this blocker more than once' },
            }
          const existing = [...blockers.values()].find((b) => key(b) === key(item))
          if (existing) return { item: blockerJson(existing), result: { status: 'ACCEPTED' } }
          const b: SimBlocker = {
            id: randomUUID(),
            reason: item.reason,
            ...(item.description === undefined ? {} : { description: item.description }),
            criteria: item.criteria,
            updated: clock.now(),
          }
          blockers.set(b.id, b)
          return { item: blockerJson(b), result: { status: 'ACCEPTED' } }
        })
        reportWrites(
          results.filter((r) => r.result.status === 'ACCEPTED').map((r) => r.item.criteria.ean),
          () => 0,
        )
        return { status: 207, body: { results } }
      },
    },
    {
      method: 'GET',
      pattern: '/merchants/:mid/offer-blockers',
      handler: (req: SimRequest): SimResponse => {
        const a = authorize(req)
        if (a) return a
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
        const offset = cursor
          ? Number(Buffer.from(cursor, 'base64').toString('utf8').replace('offset:', ''))
          : 0
        if (!Number.isInteger(offset) || offset < 0) return problem(400, 'Bad Request', 'cursor is not valid')
        const all = [...blockers.values()].filter(
          (b) =>
            (!ean || b.criteria.ean === ean) &&
            (!sc || b.criteria.sales_channel_id === sc) &&
            (!since || b.updated > Date.parse(since)),
        )
        const items = all.slice(offset, offset + pageSize).map(blockerJson)
        const self = `${base}${req.path}${req.url.includes('?') ? '?' + req.url.split('?')[1] : ''}`
        const nextCursor = Buffer.from(`offset:${offset + pageSize}`).toString('base64')
        const q = new URLSearchParams(req.query)
        q.set('cursor', nextCursor)
        return {
          status: 200,
          body: {
            cursors: {
              self,
              ...(offset + pageSize < all.length ? { next: `${base}${req.path}?${q.toString()}` } : {}),
            },
            query: { ...(ean ? { ean } : {}), ...(sc ? { sales_channel_id: sc } : {}), page_size: pageSize },
            items,
          },
        }
      },
    },
    {
      method: 'DELETE',
      pattern: '/merchants/:mid/offer-blockers',
      handler: (req: SimRequest): SimResponse => {
        const a = authorize(req)
        if (a) return a
        const bad = validate(req, 'DeleteOfferBlockersRequest')
        if (bad) return bad
        const ids = (req.json as { items: string[] }).items
        const unblocked: string[] = []
        const results = ids.map((id) => {
          const ean = blockers.get(id)?.criteria.ean
          if (ean === undefined || !blockers.delete(id))
            return { item: id, result: { status: 'REJECTED', description: `Offer blocker ${id} not found` } }
          unblocked.push(ean)
          return { item: id, result: { status: 'ACCEPTED' } }
        })
        reportWrites(unblocked, (ean) => articles.get(ean)?.qty.get(probeChannel) ?? 0)
        return { status: 207, body: { results } }
      },
    },
    {
      method: 'GET',
      pattern: '/merchants/:mid/offer-blockers/:id',
      handler: (req: SimRequest): SimResponse => {
        const a = authorize(req)
        if (a) return a
        const b = blockers.get(req.params['id'] ?? '')
        return b
          ? { status: 200, body: blockerJson(b) }
          : problem(404, 'Not Found', `Offer blocker ${req.params['id']} not found`)
      },
    },
    {
      method: 'GET',
      pattern: '/merchants/:mid/orders',
      admit: (req: SimRequest): SimResponse | undefined => {
        const a = authorize(req)
        if (a) return a
        const w = ordersLimit.take()
        return w > 0 ? throttled(w, `${lim.ordersPerWindow} requests per minute`) : undefined
      },
      handler: (req: SimRequest): SimResponse => {
        const accept = header(req, 'accept') ?? '*/*'
        if (!accept.includes('application/vnd.api+json') && !accept.includes('*/*'))
          return problem(406, 'Not Acceptable', 'This endpoint answers application/vnd.api+json')
        const after = req.query.get('last_updated_after')
        const afterMs = after ? Date.parse(after) : -Infinity
        if (Number.isNaN(afterMs))
          return problem(400, 'Bad Request', `last_updated_after: "${after}" is not an ISO 8601 date-time`)
        const type = req.query.get('order_type')
        if (type && !['PartnerFulfilled', 'ZalandoFulfilled'].includes(type))
          return problem(
            400,
            'Bad Request',
            `order_type: "${type}" is not PartnerFulfilled or ZalandoFulfilled`,
          )
        const page = Number(req.query.get('page[number]') ?? 0)
        const size = Number(req.query.get('page[size]') ?? 50)
        if (!Number.isInteger(page) || page < 0)
          return problem(400, 'Bad Request', 'page[number] must be an integer >= 0')
        if (!Number.isInteger(size) || size < 1 || size > 1000)
          return problem(400, 'Bad Request', 'page[size] must be 1..1000')
        const include = new Set((req.query.get('include') ?? '').split(',').filter((s) => s))
        const sort = req.query.get('sort') ?? '-modified_at'
        const list = orders
          .filter((o) => o.modified > afterMs && type !== 'ZalandoFulfilled')
          .sort(
            (x, y) =>
              (sort === 'modified_at' ? x.modified - y.modified : y.modified - x.modified) ||
              (x.id < y.id ? -1 : 1),
          )
        const slice = list.slice(page * size, (page + 1) * size).map((o) => orderDoc(o, include))
        const q = new URLSearchParams(req.query)
        q.set('page[number]', String(page + 1))
        return {
          status: 200,
          headers: { 'content-type': 'application/vnd.api+json' },
          body: {
            data: slice.map((s) => s.res),
            ...(include.size > 0 ? { included: slice.flatMap((s) => s.included) } : {}),
            links: {
              self: `${base}${req.url.slice(req.url.indexOf(req.path))}`,
              ...((page + 1) * size < list.length ? { next: `${base}${req.path}?${q.toString()}` } : {}),
            },
          },
        }
      },
    },
  ]

  const server = await startSimServer({
    name: 'Zalando',
    routes,
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    notFound: (req) => problem(404, 'Not Found', `No endpoint ${req.method} ${req.path}`),
  })
  base = server.url

  const sim: ZalandoSimulator = {
    url: server.url,
    server,
    get faults() {
      return server.faults
    },
    set faults(f: FaultConfig) {
      server.faults = f
    },
    merchantId,
    salesChannelIds,
    clientId,
    clientSecret,
    received,
    specValidation: spec !== undefined,
    tokenStats,
    setArticles(list) {
      articles.clear()
      for (const a of list)
        articles.set(a.ean, {
          ean: a.ean,
          article_id: a.article_id ?? `ZA1-${a.ean.slice(-6)}`,
          external_id: a.external_id ?? `SKU-${a.ean.slice(-4)}`,
          onboarded: a.onboarded ?? true,
          qty: new Map(a.quantity === undefined ? [] : salesChannelIds.map((s) => [s, a.quantity as number])),
          pending: new Map(),
        })
    },
    onboard(ean) {
      const a = articles.get(ean)
      if (!a) throw new Error(`Zalando simulator: no article ${ean}`)
      a.onboarded = true
      for (const [sc, q] of a.pending) a.qty.set(sc, q)
      a.pending.clear()
    },
    offer(ean, sc) {
      const a = articles.get(ean)
      return { quantity: a?.qty.get(sc), pending: a?.pending.get(sc), blocked: isBlocked(ean, sc) }
    },
    placeOrder(order) {
      const sc = order.salesChannelId ?? salesChannelIds[0] ?? ''
      const now = clock.now()
      const o: SimOrder = {
        id: randomUUID(),
        order_number: String(10409700000000 + orderSeq++),
        sales_channel_id: sc,
        created: now,
        modified: now,
        items: order.lines.map((l) => {
          const a = articles.get(l.ean)
          if (!a) throw new Error(`Zalando simulator: no article ${l.ean}`)
          a.qty.set(sc, Math.max(0, (a.qty.get(sc) ?? 0) - l.quantity))
          return {
            id: randomUUID(),
            ean: l.ean,
            lines: Array.from({ length: l.quantity }, () => ({
              id: randomUUID(),
              status: 'reserved' as const,
              price: l.price ?? 49.95,
            })),
          }
        }),
      }
      orders.push(o)
      return o.id
    },
    cancelLines(orderId, ean, count) {
      const o = orders.find((x) => x.id === orderId)
      const item = o?.items.find((i) => i.ean === ean)
      if (!o || !item) throw new Error(`Zalando simulator: no item ${ean} in order ${orderId}`)
      item.lines
        .filter((l) => l.status !== 'canceled')
        .slice(0, count)
        .forEach((l) => (l.status = 'canceled'))
      o.modified = clock.now()
    },
    expireTokens() {
      tokens.clear()
    },
    // Buyers see the quantity on the first sales channel; an EAN is not buyable while it waits for
    // onboarding or has an offer blocker on that channel.
    probe: {
      listingIndex: () =>
        [...articles.values()].map((a) => ({ listingId: a.ean, sku: a.external_id, ean: a.ean })),
      listingState(listingId) {
        const a = articles.get(listingId)
        if (!a) return undefined
        const quantity = a.qty.get(probeChannel) ?? 0
        return {
          quantity,
          buyable: a.onboarded && !isBlocked(a.ean, probeChannel) && quantity > 0,
        }
      },
      get onStockWrite() {
        return sink.onStockWrite
      },
      set onStockWrite(f) {
        sink.onStockWrite = f
      },
      placeOrder(listingId, quantity) {
        const a = articles.get(listingId)
        checkProbeOrder('Zalando', listingId, quantity, a ? (a.qty.get(probeChannel) ?? 0) : undefined)
        return sim.placeOrder({ salesChannelId: probeChannel, lines: [{ ean: listingId, quantity }] })
      },
      expireTokens() {
        sim.expireTokens()
        return true
      },
      get limitHits() {
        return limitHits
      },
    },
    stop: () => server.stop(),
  }
  return sim
}
