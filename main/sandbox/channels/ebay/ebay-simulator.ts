// A stand-in for eBay: the OAuth refresh-token grant, Sell Inventory (bulk_update_price_quantity, offers,
// inventory items, withdraw/publish) and Fulfillment getOrders with the lastmodifieddate filter. It counts
// each listing's revisions per day and blocks the 251st, answers per-item results with 207, and enforces
// daily call quotas per API on a scaled clock (429, errorId 2001).
import { EBAY_LIMITS } from '../../../core/channels/ebay-limits'
import { randomUUID } from 'node:crypto'
import { systemClock, type Clock } from '../../../core/ports/clock'
import {
  startSimServer,
  type FaultConfig,
  type SimRequest,
  type SimRequestLogEntry,
  type SimServer,
  type SimResponse,
  type SimRoute,
} from '../../http/sim-server'
import { checkProbeOrder, emitStockWrite, type ChannelSimProbe, type StockWriteSink } from '../../kit'
import { loadSpecValidator } from '../../kit'
import { headersOf, requestProblems, type RecordedRequest } from '../../kit'
import { checkBulkPriceQuantity } from './ebay-request-schemas'

export const EBAY_SIM_CREDENTIALS = {
  clientId: 'LastUnit-sim-PRD-0123456789',
  clientSecret: 'PRD-sim-cert-id',
  refreshToken: 'v^1.1#i^1#sim-refresh-token',
}

export interface EbaySimListing {
  sku: string
  quantity: number
  ean?: string
  title?: string
  published?: boolean
}

export interface EbaySimulatorOptions {
  credentials?: typeof EBAY_SIM_CREDENTIALS
  marketplaceId?: string
  timeScale?: number
  tokenTtlSeconds?: number
  /** Daily call quotas per API (default: the channel's limits file). */
  quotas?: Partial<Record<keyof typeof EBAY_LIMITS.dailyCalls, number>>
  /** eBay's cap per listing per day. */
  maxRevisionsPerDay?: number
  /** Share of bulk items answered with the transient errorId 25001. */
  transientItemErrorRate?: number
  faults?: FaultConfig
  random?: () => number
  clock?: Clock
  port?: number
}

interface Item {
  sku: string
  title: string
  ean: string
  shipTo: number
}

interface Offer {
  offerId: string
  sku: string
  listingId: string
  available: number
  published: boolean
  revDay: number
  revisions: number
}

interface Order {
  orderId: string
  created: number
  modified: number
  fulfillment: 'NOT_STARTED' | 'IN_PROGRESS' | 'FULFILLED'
  cancelState: 'NONE_REQUESTED' | 'IN_PROGRESS' | 'CANCELED'
  lines: {
    lineItemId: string
    sku: string
    legacyItemId: string
    title: string
    quantity: number
    price: number
  }[]
}

export interface EbaySimulator {
  readonly url: string
  /** The HTTP server underneath (fault counters, own 429s). */
  readonly server: SimServer
  readonly marketplaceId: string
  faults: FaultConfig
  readonly requests: SimRequestLogEntry[]
  readonly received: RecordedRequest[]
  readonly counts: { bulkCalls: number; revisionsRefused: number; tokens: number; throttled: number }
  /** Adds inventory items with one fixed-price offer each; returns the offer ids. */
  setListings(listings: EbaySimListing[]): string[]
  /** What buyers see: the smaller of ship-to-home quantity and the offer's available quantity. */
  listing(
    sku: string,
  ):
    | { live: number; shipTo: number; available: number; published: boolean; revisionsToday: number }
    | undefined
  placeOrder(items: { sku: string; quantity: number; price?: number }[]): string
  cancelOrder(orderId: string): void
  requestCancel(orderId: string): void
  shipOrder(orderId: string): void
  expireTokens(): void
  revokeRefreshToken(): void
  /** The campaign probe: listings by SKU, writes for accepted bulk quantity updates, withdraw and publish. */
  readonly probe: ChannelSimProbe
  stop(): Promise<void>
}

const ebayError = (
  status: number,
  errorId: number,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse => ({
  status,
  body: {
    errors: [
      {
        errorId,
        domain: errorId === 1001 ? 'OAuth' : 'API_INVENTORY',
        category: status >= 500 ? 'APPLICATION' : 'REQUEST',
        message,
        ...extra,
      },
    ],
  },
})

export async function startEbaySimulator(opts: EbaySimulatorOptions = {}): Promise<EbaySimulator> {
  const clock = opts.clock ?? systemClock
  const scale = opts.timeScale ?? 1
  const creds = opts.credentials ?? EBAY_SIM_CREDENTIALS
  const marketplaceId = opts.marketplaceId ?? 'EBAY_DE'
  const ttl = opts.tokenTtlSeconds ?? EBAY_LIMITS.tokenLifetimeS
  const quotas: Record<keyof typeof EBAY_LIMITS.dailyCalls, number> = {
    ...EBAY_LIMITS.dailyCalls,
    ...opts.quotas,
  }
  const maxRevisions = opts.maxRevisionsPerDay ?? EBAY_LIMITS.revisionsPerDay
  const dayMs = 86_400_000 / scale
  const random = opts.random ?? Math.random

  const items = new Map<string, Item>()
  const offers = new Map<string, Offer>()
  const orders = new Map<string, Order>()
  const tokens = new Map<string, number>()
  const used = new Map<string, { day: number; calls: number }>()
  const received: RecordedRequest[] = []
  const counts = { bulkCalls: 0, revisionsRefused: 0, tokens: 0, throttled: 0 }
  const sink: StockWriteSink = { onStockWrite: null }
  let revoked = false
  let seq = 0

  const offerOfSku = (sku: string) => [...offers.values()].find((o) => o.sku === sku)
  /** What buyers can buy: the smaller of ship-to-home and the offer's quantity. */
  const liveQuantity = (sku: string) => {
    const item = items.get(sku)
    const o = offerOfSku(sku)
    return item && o ? Math.min(item.shipTo, o.available) : undefined
  }
  const day = () => Math.floor(clock.now() / dayMs)

  const revise = (o: Offer): boolean => {
    if (!o.published) return true
    if (o.revDay !== day()) {
      o.revDay = day()
      o.revisions = 0
    }
    if (o.revisions >= maxRevisions) return false
    o.revisions++
    return true
  }

  const record = (req: SimRequest) => {
    const headers = headersOf(req)
    if (headers.authorization) headers.authorization = '<redacted>'
    const spec = req.path.startsWith('/sell/inventory/v1')
      ? 'ebay/sell_inventory_v1_oas3.json'
      : req.path.startsWith('/sell/fulfillment/v1')
        ? 'ebay/sell_fulfillment_v1_oas3.json'
        : undefined
    const entry: RecordedRequest = {
      method: req.method,
      path: req.path,
      query: new URLSearchParams(req.query),
      headers,
      body: req.json,
      spec,
    }
    received.push(entry)
    if (received.length > 50_000) received.splice(0, received.length - 50_000)
    return entry
  }

  const api =
    (which: 'inventory' | 'fulfillment', handler: (req: SimRequest) => SimResponse) =>
    (req: SimRequest): SimResponse => {
      const entry = record(req)
      const r = guarded(which, handler, req)
      entry.response = { status: r.status, body: r.body }
      return r
    }

  const guarded = (
    which: 'inventory' | 'fulfillment',
    handler: (req: SimRequest) => SimResponse,
    req: SimRequest,
  ): SimResponse => {
    const auth = req.headers.authorization ?? ''
    const exp = auth.startsWith('Bearer ') ? tokens.get(auth.slice(7)) : undefined
    if (exp === undefined || exp <= clock.now())
      return ebayError(401, 1001, 'Invalid access token', {
        longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.',
      })
    let u = used.get(which)
    if (!u || u.day !== day()) {
      u = { day: day(), calls: 0 }
      used.set(which, u)
    }
    if (u.calls >= quotas[which]) {
      counts.throttled++
      const resetS = (dayMs - (clock.now() % dayMs)) / 1000
      return {
        ...ebayError(429, 2001, 'Too many requests. The request limit has been reached for the resource.'),
        headers: { 'retry-after': scale === 1 ? String(Math.ceil(resetS)) : resetS.toFixed(3) },
      }
    }
    u.calls++
    return handler(req)
  }

  const specFor = (file: string, req: SimRequest, embedded?: (v: unknown) => string[]) => {
    const base = file.includes('inventory') ? '/sell/inventory/v1' : '/sell/fulfillment/v1'
    return requestProblems(embedded, loadSpecValidator(file), {
      method: req.method,
      path: req.path.slice(base.length),
      query: req.query,
      body: req.json,
    })
  }

  const invalid = (problems: string[]) =>
    ebayError(400, 25709, 'Invalid value for request', {
      longMessage: problems.slice(0, 10).join('; '),
      parameters: problems.slice(0, 10).map((p) => ({ name: p.split(':')[0] ?? 'request', value: p })),
    })

  const offerView = (o: Offer) => ({
    offerId: o.offerId,
    sku: o.sku,
    marketplaceId,
    format: 'FIXED_PRICE',
    availableQuantity: o.available,
    status: o.published ? 'PUBLISHED' : 'UNPUBLISHED',
    listing: {
      listingId: o.listingId,
      listingStatus: o.published
        ? Math.min(o.available, items.get(o.sku)?.shipTo ?? 0) > 0
          ? 'ACTIVE'
          : 'OUT_OF_STOCK'
        : 'ENDED',
    },
  })

  const orderView = (o: Order) => {
    const total = o.lines.reduce((s, l) => s + l.price * l.quantity, 0)
    return {
      orderId: o.orderId,
      creationDate: new Date(o.created).toISOString(),
      lastModifiedDate: new Date(o.modified).toISOString(),
      orderFulfillmentStatus: o.fulfillment,
      orderPaymentStatus: 'PAID',
      sellerId: 'sim-seller',
      cancelStatus: { cancelState: o.cancelState, cancelRequests: [] },
      pricingSummary: { total: { value: total.toFixed(2), currency: 'EUR' } },
      lineItems: o.lines.map((l) => ({
        lineItemId: l.lineItemId,
        sku: l.sku,
        legacyItemId: l.legacyItemId,
        title: l.title,
        quantity: l.quantity,
        lineItemCost: { value: (l.price * l.quantity).toFixed(2), currency: 'EUR' },
        lineItemFulfillmentStatus: o.fulfillment === 'FULFILLED' ? 'FULFILLED' : 'NOT_STARTED',
        listingMarketplaceId: marketplaceId,
        soldFormat: 'FIXED_PRICE',
      })),
    }
  }

  const routes: SimRoute[] = [
    {
      method: 'POST',
      pattern: '/identity/v1/oauth2/token',
      handler: (req) => {
        record(req)
        counts.tokens++
        const form = new URLSearchParams(req.rawBody.toString('utf8'))
        const basic = `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`
        if (req.headers.authorization !== basic)
          return {
            status: 401,
            body: { error: 'invalid_client', error_description: 'client authentication failed' },
          }
        if (form.get('grant_type') !== 'refresh_token')
          return {
            status: 400,
            body: {
              error: 'unsupported_grant_type',
              error_description: 'grant type in request is not supported by the authorization server',
            },
          }
        if (revoked || form.get('refresh_token') !== creds.refreshToken)
          return {
            status: 400,
            body: {
              error: 'invalid_grant',
              error_description:
                'the provided authorization refresh token is invalid or was issued to another client',
            },
          }
        const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean)
        const allowed = ['sell.inventory', 'sell.fulfillment', 'sell.account'].map(
          (s) => `https://api.ebay.com/oauth/api_scope/${s}`,
        )
        if (scopes.some((s) => !allowed.includes(s)))
          return {
            status: 400,
            body: {
              error: 'invalid_scope',
              error_description:
                'The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client',
            },
          }
        const t = `v^1.1#i^1#p^3#r^1#sim-${randomUUID()}`
        tokens.set(t, clock.now() + ttl * 1000)
        return { status: 200, body: { access_token: t, expires_in: ttl, token_type: 'User Access Token' } }
      },
    },
    {
      method: 'POST',
      pattern: '/sell/inventory/v1/bulk_update_price_quantity',
      handler: api('inventory', (req) => {
        if (req.jsonError) return invalid([`body: not valid JSON (${req.jsonError})`])
        const problems = specFor('ebay/sell_inventory_v1_oas3.json', req, checkBulkPriceQuantity)
        if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
          problems.push('Content-Type: must be application/json')
        if (!req.headers['content-language'])
          problems.push('Content-Language: required for inventory writes (e.g. de-DE)')
        if (problems.length > 0) return invalid(problems)
        counts.bulkCalls++
        const responses: Record<string, unknown>[] = []
        const body = req.json as {
          requests: {
            sku: string
            shipToLocationAvailability?: { quantity?: number }
            offers?: { offerId: string; availableQuantity?: number }[]
          }[]
        }
        for (const r of body.requests) {
          const item = items.get(r.sku)
          if (!item) {
            responses.push({
              sku: r.sku,
              statusCode: 404,
              errors: [
                {
                  errorId: 25702,
                  domain: 'API_INVENTORY',
                  category: 'REQUEST',
                  message: `SKU ${r.sku} is not available in the system.`,
                },
              ],
            })
            continue
          }
          if (opts.transientItemErrorRate && random() < opts.transientItemErrorRate) {
            responses.push({
              sku: r.sku,
              statusCode: 500,
              errors: [
                {
                  errorId: 25001,
                  domain: 'API_INVENTORY',
                  category: 'APPLICATION',
                  message: 'A system error has occurred. {additionalInfo}',
                  longMessage: 'Core Inventory Service internal error',
                },
              ],
            })
            continue
          }
          const targets = (r.offers ?? []).map((x) => ({ req: x, offer: offers.get(x.offerId) }))
          const wrong = targets.find((t) => !t.offer || t.offer.sku !== r.sku)
          if (wrong) {
            responses.push({
              sku: r.sku,
              offerId: wrong.req.offerId,
              statusCode: 404,
              errors: [
                {
                  errorId: 25713,
                  domain: 'API_INVENTORY',
                  category: 'REQUEST',
                  message: 'This Offer is not available.',
                },
              ],
            })
            continue
          }
          const own = offerOfSku(r.sku)
          if (own && !revise(own)) {
            counts.revisionsRefused++
            responses.push({
              sku: r.sku,
              offerId: own.offerId,
              statusCode: 400,
              errors: [
                {
                  errorId: 25019,
                  domain: 'API_INVENTORY',
                  category: 'REQUEST',
                  message: `Listing ${own.listingId} reached ${maxRevisions} revisions today; it can be revised again tomorrow.`,
                },
              ],
            })
            continue
          }
          if (r.shipToLocationAvailability?.quantity !== undefined)
            item.shipTo = r.shipToLocationAvailability.quantity
          for (const t of targets) {
            if (t.offer && t.req.availableQuantity !== undefined) t.offer.available = t.req.availableQuantity
            responses.push({ sku: r.sku, offerId: t.req.offerId, statusCode: 200, warnings: [] })
          }
          if (targets.length === 0) responses.push({ sku: r.sku, statusCode: 200, warnings: [] })
          emitStockWrite(
            sink,
            r.sku,
            liveQuantity(r.sku) ?? item.shipTo,
            own ? !own.published : false,
            clock.now(),
          )
        }
        const allOk = responses.every((r) => r.statusCode === 200)
        return { status: allOk ? 200 : 207, body: { responses } }
      }),
    },
    {
      method: 'GET',
      pattern: '/sell/inventory/v1/offer',
      handler: api('inventory', (req) => {
        const problems = specFor('ebay/sell_inventory_v1_oas3.json', req)
        const sku = req.query.get('sku')
        if (!sku) problems.push('sku: required')
        if (problems.length > 0) return invalid(problems)
        const list = [...offers.values()].filter((o) => o.sku === sku)
        if (list.length === 0 || !items.has(sku ?? ''))
          return ebayError(404, 25713, 'This Offer is not available.')
        return {
          status: 200,
          body: {
            href: req.url,
            total: list.length,
            size: list.length,
            limit: 100,
            offers: list.map(offerView),
          },
        }
      }),
    },
    {
      method: 'POST',
      pattern: '/sell/inventory/v1/offer/:offerId/withdraw',
      handler: api('inventory', (req) => {
        const problems = specFor('ebay/sell_inventory_v1_oas3.json', req)
        if (problems.length > 0) return invalid(problems)
        const o = offers.get(req.params.offerId ?? '')
        if (!o) return ebayError(404, 25713, 'This Offer is not available.')
        if (o.published && !revise(o)) {
          counts.revisionsRefused++
          return ebayError(400, 25019, `Listing ${o.listingId} reached ${maxRevisions} revisions today.`)
        }
        o.published = false
        emitStockWrite(sink, o.sku, 0, true, clock.now())
        return { status: 200, body: { listingId: o.listingId, warnings: [] } }
      }),
    },
    {
      method: 'POST',
      pattern: '/sell/inventory/v1/offer/:offerId/publish',
      handler: api('inventory', (req) => {
        const problems = specFor('ebay/sell_inventory_v1_oas3.json', req)
        if (problems.length > 0) return invalid(problems)
        const o = offers.get(req.params.offerId ?? '')
        if (!o) return ebayError(404, 25713, 'This Offer is not available.')
        o.published = true
        if (!revise(o)) {
          counts.revisionsRefused++
          return ebayError(400, 25019, `Listing ${o.listingId} reached ${maxRevisions} revisions today.`)
        }
        emitStockWrite(sink, o.sku, liveQuantity(o.sku) ?? o.available, false, clock.now())
        return { status: 200, body: { listingId: o.listingId, warnings: [] } }
      }),
    },
    {
      method: 'GET',
      pattern: '/sell/inventory/v1/inventory_item',
      handler: api('inventory', (req) => {
        const problems = specFor('ebay/sell_inventory_v1_oas3.json', req)
        const limit = Number(req.query.get('limit') ?? '25')
        const offset = Number(req.query.get('offset') ?? '0')
        if (!Number.isInteger(limit) || limit < 1 || limit > 200)
          problems.push('limit: must be between 1 and 200')
        if (!Number.isInteger(offset) || offset < 0) problems.push('offset: must be 0 or more')
        if (problems.length > 0) return invalid(problems)
        const all = [...items.values()].sort((a, b) => (a.sku < b.sku ? -1 : 1))
        const page = all.slice(offset, offset + limit)
        const base = '/sell/inventory/v1/inventory_item'
        return {
          status: 200,
          body: {
            href: `${base}?limit=${limit}&offset=${offset}`,
            total: all.length,
            size: page.length,
            limit,
            ...(offset + limit < all.length
              ? { next: `${base}?limit=${limit}&offset=${offset + limit}` }
              : {}),
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
    },
    {
      method: 'GET',
      pattern: '/sell/fulfillment/v1/order',
      handler: api('fulfillment', (req) => {
        const problems = specFor('ebay/sell_fulfillment_v1_oas3.json', req)
        const limit = Number(req.query.get('limit') ?? '50')
        const offset = Number(req.query.get('offset') ?? '0')
        if (!Number.isInteger(limit) || limit < 1 || limit > 200)
          problems.push('limit: must be between 1 and 200')
        if (!Number.isInteger(offset) || offset < 0) problems.push('offset: must be 0 or more')
        const filter = req.query.get('filter')
        let from = -Infinity
        let to = Infinity
        if (filter !== null) {
          const m = /^lastmodifieddate:\[(.*?)\.\.(.*)\]$/.exec(filter)
          if (!m) problems.push(`filter: "${filter}" is not lastmodifieddate:[start..end]`)
          else {
            from = Date.parse(m[1] ?? '')
            to = m[2] ? Date.parse(m[2]) : Infinity
            if (Number.isNaN(from) || Number.isNaN(to))
              problems.push('filter: dates must be ISO 8601 (YYYY-MM-DDThh:mm:ss.sssZ)')
          }
        }
        if (problems.length > 0)
          return ebayError(400, 30700, 'Invalid filter or paging', {
            longMessage: problems.join('; '),
            domain: 'API_FULFILLMENT',
          })
        const all = [...orders.values()]
          .filter((o) => o.modified >= from && o.modified <= to)
          .sort((a, b) => a.modified - b.modified)
        const page = all.slice(offset, offset + limit)
        return {
          status: 200,
          body: {
            href: req.url,
            total: all.length,
            limit,
            offset,
            orders: page.map(orderView),
            ...(offset + limit < all.length
              ? { next: `/sell/fulfillment/v1/order?limit=${limit}&offset=${offset + limit}` }
              : {}),
          },
        }
      }),
    },
  ]

  const server = await startSimServer({
    name: 'eBay',
    routes,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    notFound: (req) => {
      record(req)
      return ebayError(404, 2002, `Resource not found: ${req.path}`)
    },
  })

  const touch = (o: Order) => {
    o.modified = Math.max(clock.now(), o.modified + 1)
  }
  const orderOf = (id: string) => {
    const o = orders.get(id)
    if (!o) throw new Error(`eBay simulator: no order ${id}`)
    return o
  }

  const sim: EbaySimulator = {
    url: server.url,
    server,
    marketplaceId,
    get faults() {
      return server.faults
    },
    set faults(f: FaultConfig) {
      server.faults = f
    },
    requests: server.requests,
    received,
    counts,
    setListings(list) {
      return list.map((l) => {
        items.set(l.sku, {
          sku: l.sku,
          title: l.title ?? `Product ${l.sku}`,
          ean: l.ean ?? String(4000000000000 + items.size),
          shipTo: l.quantity,
        })
        const offerId = String(9_000_000_000 + ++seq)
        offers.set(offerId, {
          offerId,
          sku: l.sku,
          listingId: String(110_000_000_000 + seq),
          available: l.quantity,
          published: l.published ?? true,
          revDay: day(),
          revisions: 0,
        })
        return offerId
      })
    },
    listing(sku) {
      const item = items.get(sku)
      const o = offerOfSku(sku)
      if (!item || !o) return undefined
      if (o.revDay !== day()) {
        o.revDay = day()
        o.revisions = 0
      }
      return {
        live: Math.min(item.shipTo, o.available),
        shipTo: item.shipTo,
        available: o.available,
        published: o.published,
        revisionsToday: o.revisions,
      }
    },
    placeOrder(lines) {
      const orderId = `${String(10 + (seq % 89)).padStart(2, '0')}-${String(10_000 + ++seq).padStart(5, '0')}-${String(seq * 31).padStart(5, '0')}`
      const now = clock.now()
      orders.set(orderId, {
        orderId,
        created: now,
        modified: now,
        fulfillment: 'NOT_STARTED',
        cancelState: 'NONE_REQUESTED',
        lines: lines.map((l, i) => {
          const item = items.get(l.sku)
          const o = offerOfSku(l.sku)
          if (item) item.shipTo = Math.max(0, item.shipTo - l.quantity)
          if (o) o.available = Math.max(0, o.available - l.quantity)
          return {
            lineItemId: `${10_000_000_000 + seq * 10 + i}`,
            sku: l.sku,
            legacyItemId: o?.listingId ?? '0',
            title: item?.title ?? l.sku,
            quantity: l.quantity,
            price: l.price ?? 24.99,
          }
        }),
      })
      return orderId
    },
    cancelOrder(id) {
      const o = orderOf(id)
      o.cancelState = 'CANCELED'
      touch(o)
    },
    requestCancel(id) {
      const o = orderOf(id)
      o.cancelState = 'IN_PROGRESS'
      touch(o)
    },
    shipOrder(id) {
      const o = orderOf(id)
      o.fulfillment = 'FULFILLED'
      touch(o)
    },
    expireTokens() {
      for (const t of tokens.keys()) tokens.set(t, 0)
    },
    revokeRefreshToken() {
      revoked = true
      tokens.clear()
    },
    // Buyers see min(ship-to-home, offer quantity); a withdrawn (unpublished) offer is not buyable.
    probe: {
      listingIndex: () =>
        [...items.values()].map((i) => ({ listingId: i.sku, sku: i.sku, ean: i.ean || null })),
      listingState(listingId) {
        const o = offerOfSku(listingId)
        const quantity = liveQuantity(listingId)
        if (!o || quantity === undefined) return undefined
        return { quantity, buyable: o.published && quantity > 0 }
      },
      get onStockWrite() {
        return sink.onStockWrite
      },
      set onStockWrite(f) {
        sink.onStockWrite = f
      },
      placeOrder(listingId, quantity) {
        checkProbeOrder('eBay', listingId, quantity, liveQuantity(listingId))
        return sim.placeOrder([{ sku: listingId, quantity }])
      },
      expireTokens() {
        sim.expireTokens()
        return true
      },
      get limitHits() {
        return counts.throttled
      },
    },
    stop: () => server.stop(),
  }
  return sim
}
