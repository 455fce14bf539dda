// A stand-in for bol.com: the client-credentials login, Offers API v11 (PATCH one offer, cursor-paged list),
// Retailer API v10 orders (50 per page, detail per order) and Shared API process status. Limits are per
// endpoint in fixed windows, reported in `x-ratelimit-limit/-remaining/-reset` and answered with 429 and
// Retry-After; errors are bol's Problem documents with violations.
import { randomUUID } from 'node:crypto'
import { BOL_ENDPOINT_LIMITS, BOL_LIMITS, type BolWindow } from '../../../core/channels/bol-limits'
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
import { checkBulkProcessStatus, checkPatchOffer } from './bol-request-schemas'

export const BOL_SIM_CREDENTIALS = { clientId: 'sim-bol-client-id', clientSecret: 'sim-bol-client-secret' }

export type BolSimWindow = BolWindow

/** Per-endpoint budgets: the channel's limits file (orders from bol's published example, offers assumed). */
export type BolSimEndpoint = keyof typeof BOL_ENDPOINT_LIMITS

export interface BolSimOffer {
  offerId?: string
  ean: string
  reference?: string
  amount: number
  onHoldByRetailer?: boolean
}

export interface BolSimulatorOptions {
  credentials?: typeof BOL_SIM_CREDENTIALS
  timeScale?: number
  tokenTtlSeconds?: number
  limits?: Partial<Record<BolSimEndpoint, BolSimWindow>>
  /** Answer offer updates with 202 and a process status, resolved after `processingMs` (before scaling). */
  asyncOfferUpdates?: boolean
  processingMs?: number
  faults?: FaultConfig
  random?: () => number
  clock?: Clock
  port?: number
}

interface Offer {
  offerId: string
  ean: string
  reference: string | undefined
  amount: number
  onHold: boolean
  managedByRetailer: boolean
  /** Units ordered since the last stock update (what bol subtracts when managedByRetailer is true). */
  orderedSinceUpdate: number
  updatedAt: number
}

interface OrderItem {
  orderItemId: string
  offerId: string
  ean: string
  quantity: number
  quantityShipped: number
  quantityCancelled: number
  unitPrice: number
  changedAt: number
}

interface Order {
  orderId: string
  placedAt: number
  items: OrderItem[]
}

export interface BolSimulator {
  readonly url: string
  /** The HTTP server underneath (fault counters, own 429s). */
  readonly server: SimServer
  /** The retailer API base to configure an adapter with. */
  readonly baseUrl: string
  readonly tokenUrl: string
  faults: FaultConfig
  readonly requests: SimRequestLogEntry[]
  readonly received: RecordedRequest[]
  readonly counts: { updates: number; tokens: number; throttled: number; detailCalls: number }
  /** Adds offers; returns their ids (generated UUIDs when not given). */
  setOffers(offers: BolSimOffer[]): string[]
  offer(
    offerId: string,
  ): { amount: number; onHold: boolean; correctedStock: number; managedByRetailer: boolean } | undefined
  placeOrder(items: { offerId: string; quantity: number; unitPrice?: number }[]): string
  cancelItem(orderId: string, itemIndex: number, quantity?: number): void
  shipOrder(orderId: string): void
  /** Tokens issued so far stop working. */
  expireTokens(): void
  /** The seller deleted the API credentials. */
  revokeCredentials(): void
  /** The campaign probe: listings by offer id, writes when an offer update is accepted. */
  readonly probe: ChannelSimProbe
  stop(): Promise<void>
}

const PROBLEM_TYPE = 'https://api.bol.com/problems'

const problem = (
  status: number,
  title: string,
  detail: string,
  version: string,
  violations: { name: string; reason: string }[] = [],
): SimResponse => ({
  status,
  headers: { 'content-type': `application/vnd.retailer.${version}+json` },
  body: {
    type: PROBLEM_TYPE,
    title,
    status,
    detail,
    host: 'sim-bol',
    instance: `/${randomUUID()}`,
    violations,
  },
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function startBolSimulator(opts: BolSimulatorOptions = {}): Promise<BolSimulator> {
  const clock = opts.clock ?? systemClock
  const scale = opts.timeScale ?? 1
  const creds = opts.credentials ?? BOL_SIM_CREDENTIALS
  const ttl = opts.tokenTtlSeconds ?? BOL_LIMITS.tokenLifetimeS
  const limits: Record<string, BolSimWindow> = { ...BOL_ENDPOINT_LIMITS, ...(opts.limits ?? {}) }
  const windows = new Map<string, { start: number; used: number }>()
  const processingMs = (opts.processingMs ?? 5_000) / scale

  const offers = new Map<string, Offer>()
  const orders = new Map<string, Order>()
  const tokens = new Map<string, number>()
  const statuses = new Map<
    string,
    { offerId: string; doneAt: number; createdAt: number; apply: () => void; done: boolean }
  >()
  const received: RecordedRequest[] = []
  const counts = { updates: 0, tokens: 0, throttled: 0, detailCalls: 0 }
  const sink: StockWriteSink = { onStockWrite: null }
  let revoked = false
  let seq = 0

  const spec = (path: string) =>
    path.startsWith('/retailer/offers')
      ? 'bol/offers-v11.yaml'
      : path.startsWith('/retailer/orders')
        ? 'bol/retailer-v10.json'
        : path.startsWith('/shared/')
          ? 'bol/shared-v10.json'
          : undefined

  const record = (req: SimRequest) => {
    const headers = headersOf(req)
    if (headers.authorization) headers.authorization = '<redacted>'
    const entry: RecordedRequest = {
      method: req.method,
      path: req.path,
      query: new URLSearchParams(req.query),
      headers,
      body: req.json,
      spec: spec(req.path),
    }
    received.push(entry)
    if (received.length > 50_000) received.splice(0, received.length - 50_000)
    return entry
  }

  /** Fixed-window budget: headers for every answer, and whether this call is over. */
  const budget = (endpoint: string): { headers: Record<string, string>; over: boolean; resetS: number } => {
    const l = limits[endpoint]
    if (!l) return { headers: {}, over: false, resetS: 0 }
    const windowMs = (l.windowSeconds * 1000) / scale
    const now = clock.now()
    let w = windows.get(endpoint)
    if (!w || now - w.start >= windowMs) {
      w = { start: now, used: 0 }
      windows.set(endpoint, w)
    }
    const resetS = Math.max(0, (w.start + windowMs - now) / 1000)
    const over = w.used >= l.limit
    if (!over) w.used++
    const fmt = (s: number) => (scale === 1 ? String(Math.ceil(s)) : s.toFixed(3))
    return {
      over,
      resetS,
      headers: {
        'x-ratelimit-limit': String(l.limit),
        'x-ratelimit-remaining': String(Math.max(0, l.limit - w.used)),
        'x-ratelimit-reset': fmt(resetS),
      },
    }
  }

  const correctedStock = (o: Offer) => {
    const open = [...orders.values()]
      .flatMap((ord) => ord.items)
      .filter((it) => it.offerId === o.offerId)
      .reduce((s, it) => s + Math.max(0, it.quantity - it.quantityShipped - it.quantityCancelled), 0)
    return Math.max(0, o.amount - (o.managedByRetailer ? o.orderedSinceUpdate : open))
  }

  const offerView = (o: Offer) => ({
    offerId: o.offerId,
    ean: o.ean,
    lastModifiedDateTime: new Date(o.updatedAt).toISOString(),
    ...(o.reference ? { reference: o.reference } : {}),
    onHoldByRetailer: o.onHold,
    stock: { amount: o.amount, correctedStock: correctedStock(o), managedByRetailer: o.managedByRetailer },
    condition: { category: 'NEW' },
    product: { bolProductId: `92000000${o.ean.slice(-8)}` },
    pricing: { bundlePrices: [{ quantity: 1, unitPrice: 19.99 }] },
    fulfilment: { method: 'FBR' },
  })

  const tick = () => {
    const now = clock.now()
    for (const s of statuses.values())
      if (!s.done && s.doneAt <= now) {
        s.apply()
        s.done = true
      }
  }

  /** Auth, media type, budget and recording around every API call. */
  /** Budget headers of each request the gateway let through, for its answer. */
  const admittedHeaders = new WeakMap<SimRequest, Record<string, string>>()

  /**
   * A Retailer API route: token, media types and the endpoint's budget are checked as the request arrives
   * (bol's gateway), then the handler runs (the backend, slow when latency is injected). Every request is
   * recorded with its answer.
   */
  const api = (
    endpoint: BolSimEndpoint,
    version: 'v10' | 'v11',
    handler: (req: SimRequest) => SimResponse,
  ): Pick<SimRoute, 'handler' | 'admit'> => ({
    admit: (req) => {
      const refused = gateway(endpoint, version, req)
      if (refused) record(req).response = { status: refused.status, body: refused.body }
      return refused
    },
    handler: (req) => {
      const entry = record(req)
      tick()
      const r = handler(req)
      const out = {
        ...r,
        headers: {
          'content-type': `application/vnd.retailer.${version}+json`,
          ...(admittedHeaders.get(req) ?? {}),
          ...(r.headers ?? {}),
        },
      }
      entry.response = { status: out.status, body: out.body }
      return out
    },
  })

  /** What bol's gateway refuses before the backend sees the request (undefined: let it through). */
  const gateway = (
    endpoint: BolSimEndpoint,
    version: 'v10' | 'v11',
    req: SimRequest,
  ): SimResponse | undefined => {
    tick()
    const auth = req.headers.authorization ?? ''
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : undefined
    const exp = token ? tokens.get(token) : undefined
    if (exp === undefined || exp <= clock.now())
      return problem(
        401,
        'Unauthorized',
        exp === undefined ? 'Invalid access token.' : 'Access token expired.',
        version,
      )
    const media = `application/vnd.retailer.${version}+json`
    if (req.headers.accept !== media)
      return problem(406, 'Not Acceptable', `Accept must be ${media} for this resource.`, version, [
        { name: 'Accept', reason: `Expected ${media}.` },
      ])
    if (req.rawBody.length > 0 && req.headers['content-type'] !== media)
      return problem(415, 'Unsupported Media Type', `Content-Type must be ${media}.`, version)
    const b = budget(endpoint)
    if (b.over) {
      counts.throttled++
      const r = problem(
        429,
        'Too Many Requests',
        'You have exceeded the rate limit for this resource.',
        version,
      )
      return {
        ...r,
        headers: {
          ...r.headers,
          ...b.headers,
          'retry-after': scale === 1 ? String(Math.ceil(b.resetS)) : b.resetS.toFixed(3),
        },
      }
    }
    admittedHeaders.set(req, b.headers)
    return undefined
  }

  const validation = (problems: string[], version: string) =>
    problem(
      400,
      'Error validating request',
      'Error validating request. Please check the violations.',
      version,
      problems.slice(0, 20).map((p) => {
        const [name, ...rest] = p.split(': ')
        return { name: name ?? 'request', reason: rest.join(': ') || p }
      }),
    )

  const check = (file: string, embedded: ((v: unknown) => string[]) | undefined, req: SimRequest) =>
    requestProblems(embedded, loadSpecValidator(file), {
      method: req.method,
      path: req.path,
      query: req.query,
      body: req.json,
    })

  const reducedItem = (it: OrderItem) => ({
    orderItemId: it.orderItemId,
    ean: it.ean,
    fulfilmentMethod: 'FBR',
    fulfilmentStatus: it.quantityShipped + it.quantityCancelled >= it.quantity ? 'HANDLED' : 'OPEN',
    quantity: it.quantity,
    quantityShipped: it.quantityShipped,
    quantityCancelled: it.quantityCancelled,
    cancellationRequest: false,
    latestChangedDateTime: new Date(it.changedAt).toISOString(),
  })

  const routes: SimRoute[] = [
    {
      method: 'POST',
      pattern: '/token',
      handler: (req) => {
        record(req)
        counts.tokens++
        const b = budget('token')
        if (b.over) {
          counts.throttled++
          return {
            status: 429,
            headers: { ...b.headers, 'retry-after': b.resetS.toFixed(3) },
            body: { error: 'too_many_requests' },
          }
        }
        if (req.query.get('grant_type') !== 'client_credentials')
          return { status: 400, body: { error: 'unsupported_grant_type' } }
        const basic = req.headers.authorization ?? ''
        const expected = `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`
        if (revoked || basic !== expected)
          return {
            status: 401,
            body: { error: 'invalid_client', error_description: 'Bad client credentials' },
          }
        const t = `sim-bol-${randomUUID()}`
        tokens.set(t, clock.now() + ttl * 1000)
        return {
          status: 200,
          body: { access_token: t, token_type: 'Bearer', expires_in: ttl, scope: 'RETAILER' },
        }
      },
    },
    {
      method: 'PATCH',
      pattern: '/retailer/offers/:offerId',
      ...api('offers-update', 'v11', (req) => {
        if (req.jsonError) return validation([`body: not valid JSON (${req.jsonError})`], 'v11')
        const id = req.params.offerId ?? ''
        const problems = check('bol/offers-v11.yaml', checkPatchOffer, req)
        if (!UUID.test(id)) problems.unshift('offer-id: must be a UUID')
        if (problems.length > 0) return validation(problems, 'v11')
        const o = offers.get(id)
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
          o.updatedAt = clock.now()
        }
        counts.updates++
        const paused = body.onHoldByRetailer ?? o.onHold
        emitStockWrite(sink, id, body.stock?.amount ?? (paused ? 0 : o.amount), paused, clock.now())
        if (!opts.asyncOfferUpdates) {
          apply()
          return { status: 204 }
        }
        const psId = String(1_000_000 + ++seq)
        statuses.set(psId, {
          offerId: id,
          createdAt: clock.now(),
          doneAt: clock.now() + processingMs,
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
            createTimestamp: new Date(clock.now()).toISOString(),
            links: [{ rel: 'self', href: `/shared/process-status/${psId}`, method: 'GET' }],
          },
        }
      }),
    },
    {
      method: 'GET',
      pattern: '/retailer/offers/:offerId',
      ...api('offers-list', 'v11', (req) => {
        const o = offers.get(req.params.offerId ?? '')
        if (!o) return problem(404, 'Not Found', `Offer ${req.params.offerId ?? ''} was not found.`, 'v11')
        return { status: 200, body: offerView(o) }
      }),
    },
    {
      method: 'GET',
      pattern: '/retailer/offers',
      ...api('offers-list', 'v11', (req) => {
        const problems = check('bol/offers-v11.yaml', undefined, req)
        const size = Number(req.query.get('page-size') ?? '50')
        if (!Number.isInteger(size) || size < 1 || size > 100)
          problems.push('page-size: must be between 1 and 100')
        if (problems.length > 0) return validation(problems, 'v11')
        const ids = req.query.getAll('offer-ids').flatMap((v) => v.split(','))
        const eans = req.query.getAll('eans').flatMap((v) => v.split(','))
        const ref = req.query.get('reference')
        let all = [...offers.values()].sort((a, b) => (a.offerId < b.offerId ? -1 : 1))
        if (ids.length > 0) all = all.filter((o) => ids.includes(o.offerId))
        if (eans.length > 0) all = all.filter((o) => eans.includes(o.ean))
        if (ref) all = all.filter((o) => o.reference === ref)
        const cursor = req.query.get('cursor')
        const offset = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8')) : 0
        if (!Number.isInteger(offset)) return validation(['cursor: is not a valid cursor'], 'v11')
        // A page holds at least 25 offers, whatever smaller size was asked for (the spec's PageSize floor).
        const per = Math.max(25, size)
        const page = all.slice(offset, offset + per)
        const next = offset + per < all.length ? Buffer.from(String(offset + per)).toString('base64') : null
        return {
          status: 200,
          body: { offers: page.map(offerView), page: { pageSize: per, nextCursor: next } },
        }
      }),
    },
    {
      method: 'GET',
      pattern: '/retailer/orders',
      ...api('orders-list', 'v10', (req) => {
        const problems = check('bol/retailer-v10.json', undefined, req)
        const q = req.query
        const interval = q.get('change-interval-minute')
        const date = q.get('latest-change-date')
        if (interval !== null && date !== null)
          problems.push('change-interval-minute: cannot be combined with latest-change-date')
        if (interval !== null && !(Number(interval) >= 1 && Number(interval) <= 60))
          problems.push('change-interval-minute: must be between 1 and 60')
        if (date !== null) {
          const d = Date.parse(`${date}T00:00:00Z`)
          if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(d))
            problems.push('latest-change-date: must be a date (yyyy-MM-dd)')
          else if (clock.now() - d > 92 * 86_400_000)
            problems.push('latest-change-date: at most three months back')
        }
        const page = Number(q.get('page') ?? '1')
        if (!Number.isInteger(page) || page < 1) problems.push('page: must be 1 or more')
        if (problems.length > 0) return validation(problems, 'v10')
        const status = q.get('status') ?? 'OPEN'
        const now = clock.now()
        const all = [...orders.values()]
          .filter((o) => {
            const changed = Math.max(...o.items.map((it) => it.changedAt))
            if (interval !== null && changed < now - Number(interval) * 60_000) return false
            if (date !== null && new Date(changed).toISOString().slice(0, 10) !== date) return false
            const open = o.items.some((it) => it.quantityShipped + it.quantityCancelled < it.quantity)
            return status === 'ALL' || (status === 'OPEN' ? open : !open)
          })
          .sort((a, b) => a.placedAt - b.placedAt || (a.orderId < b.orderId ? -1 : 1))
        const slice = all.slice((page - 1) * 50, page * 50)
        if (slice.length === 0) return { status: 200, body: { orders: [] } }
        return {
          status: 200,
          body: {
            orders: slice.map((o) => ({
              orderId: o.orderId,
              orderPlacedDateTime: new Date(o.placedAt).toISOString(),
              orderItems: o.items.map(reducedItem),
            })),
          },
        }
      }),
    },
    {
      method: 'GET',
      pattern: '/retailer/orders/:orderId',
      ...api('orders-detail', 'v10', (req) => {
        counts.detailCalls++
        const o = orders.get(req.params.orderId ?? '')
        if (!o) return problem(404, 'Not Found', `Order ${req.params.orderId ?? ''} was not found.`, 'v10')
        return {
          status: 200,
          body: {
            orderId: o.orderId,
            pickupPoint: false,
            orderPlacedDateTime: new Date(o.placedAt).toISOString(),
            shipmentDetails: {
              salutation: 'UNKNOWN',
              firstName: 'Sim',
              surname: 'Buyer',
              streetName: 'Papendorpseweg',
              houseNumber: '100',
              zipCode: '3528 BJ',
              city: 'Utrecht',
              countryCode: 'NL',
            },
            orderItems: o.items.map((it) => {
              const offer = offers.get(it.offerId)
              return {
                ...reducedItem(it),
                offer: { offerId: it.offerId, ...(offer?.reference ? { reference: offer.reference } : {}) },
                product: { ean: it.ean, title: `Product ${it.ean}` },
                unitPrice: it.unitPrice,
                totalPrice: it.unitPrice * it.quantity,
                commission: 0,
                discounts: [],
              }
            }),
          },
        }
      }),
    },
    {
      method: 'POST',
      pattern: '/shared/process-status',
      ...api('process-status', 'v10', (req) => {
        if (req.jsonError) return validation([`body: not valid JSON (${req.jsonError})`], 'v10')
        const problems = check('bol/shared-v10.json', checkBulkProcessStatus, req)
        if (problems.length > 0) return validation(problems, 'v10')
        const ids = (req.json as { processStatusQueries: { processStatusId: string }[] }).processStatusQueries
        return {
          status: 200,
          body: {
            processStatuses: ids.flatMap(({ processStatusId }) => {
              const s = statuses.get(processStatusId)
              if (!s) return []
              return [
                {
                  processStatusId,
                  entityId: s.offerId,
                  eventType: 'UPDATE_OFFER',
                  description: `Update offer ${s.offerId}.`,
                  status: s.done ? 'SUCCESS' : 'PENDING',
                  createTimestamp: new Date(s.createdAt).toISOString(),
                  links: [],
                },
              ]
            }),
          },
        }
      }),
    },
  ]

  const server = await startSimServer({
    name: 'bol.com',
    routes,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    notFound: (req) => {
      record(req)
      return problem(404, 'Not Found', `No resource at ${req.path}.`, 'v10')
    },
  })

  const bump = (o: Order) => {
    const t = Math.max(clock.now(), ...o.items.map((it) => it.changedAt + 1))
    return t
  }

  const sim: BolSimulator = {
    url: server.url,
    server,
    baseUrl: `${server.url}/retailer`,
    tokenUrl: `${server.url}/token`,
    get faults() {
      return server.faults
    },
    set faults(f: FaultConfig) {
      server.faults = f
    },
    requests: server.requests,
    received,
    counts,
    setOffers(list) {
      return list.map((o) => {
        const offerId = o.offerId ?? randomUUID()
        offers.set(offerId, {
          offerId,
          ean: o.ean,
          reference: o.reference,
          amount: o.amount,
          onHold: o.onHoldByRetailer ?? false,
          managedByRetailer: false,
          orderedSinceUpdate: 0,
          updatedAt: clock.now(),
        })
        return offerId
      })
    },
    offer(offerId) {
      tick()
      const o = offers.get(offerId)
      return o
        ? {
            amount: o.amount,
            onHold: o.onHold,
            correctedStock: correctedStock(o),
            managedByRetailer: o.managedByRetailer,
          }
        : undefined
    },
    placeOrder(items) {
      const orderId = String(1_000_000_000 + ++seq)
      const now = clock.now()
      orders.set(orderId, {
        orderId,
        placedAt: now,
        items: items.map((it, i) => {
          const offer = offers.get(it.offerId)
          if (!offer) throw new Error(`bol simulator: no offer ${it.offerId}`)
          offer.orderedSinceUpdate += it.quantity
          return {
            orderItemId: `${orderId}${i}`,
            offerId: it.offerId,
            ean: offer.ean,
            quantity: it.quantity,
            quantityShipped: 0,
            quantityCancelled: 0,
            unitPrice: it.unitPrice ?? 19.99,
            changedAt: now,
          }
        }),
      })
      return orderId
    },
    cancelItem(orderId, itemIndex, quantity) {
      const o = orders.get(orderId)
      const it = o?.items[itemIndex]
      if (!o || !it) throw new Error(`bol simulator: no item ${itemIndex} in order ${orderId}`)
      it.quantityCancelled = Math.min(it.quantity, it.quantityCancelled + (quantity ?? it.quantity))
      it.changedAt = bump(o)
    },
    shipOrder(orderId) {
      const o = orders.get(orderId)
      if (!o) throw new Error(`bol simulator: no order ${orderId}`)
      const t = bump(o)
      for (const it of o.items) {
        it.quantityShipped = it.quantity - it.quantityCancelled
        it.changedAt = t
      }
    },
    expireTokens() {
      for (const t of tokens.keys()) tokens.set(t, 0)
    },
    revokeCredentials() {
      revoked = true
      tokens.clear()
    },
    // Buyers see the corrected stock; an offer on hold by the retailer is not buyable.
    probe: {
      listingIndex: () =>
        [...offers.values()].map((o) => ({ listingId: o.offerId, sku: o.reference ?? null, ean: o.ean })),
      listingState(listingId) {
        tick()
        const o = offers.get(listingId)
        if (!o) return undefined
        const quantity = correctedStock(o)
        return { quantity, buyable: !o.onHold && quantity > 0 }
      },
      get onStockWrite() {
        return sink.onStockWrite
      },
      set onStockWrite(f) {
        sink.onStockWrite = f
      },
      placeOrder(listingId, quantity) {
        tick()
        const o = offers.get(listingId)
        checkProbeOrder('bol.com', listingId, quantity, o ? correctedStock(o) : undefined)
        return sim.placeOrder([{ offerId: listingId, quantity }])
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
