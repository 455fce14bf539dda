// A generic marketplace for tests, the demo and the benchmark: a real HTTP server with a bulk stock
// endpoint, a rate limit answered with 429 + Retry-After, optional asynchronous acceptance with later
// confirmation, read-back, an order stream, per-listing faults and everything sim-server can inject.
// It also watches the engine: a value older than one already applied is recorded as a violation.
import { TokenBucket } from '../../../core/rate-limit/token-bucket'
import type { ChannelOrder, ChannelOrderStatus } from '../../../core/ports/channel-adapter'
import {
  startSimServer,
  type FaultConfig,
  type SimRequest,
  type SimResponse,
  type SimServer,
} from '../../http/sim-server'

export interface SimListing {
  listingId: string
  sku: string | null
  ean: string | null
  title: string
  quantity: number
  available: boolean
  /** Stamp of the last value applied. */
  stamp: number
  updates: number
}

export interface StampViolation {
  listingId: string
  stamp: number
  after: number
}

export interface GenericSimOptions {
  name?: string
  token?: string
  listings?: Array<Partial<SimListing> & { listingId: string }>
  /** Most items one call may carry (more: HTTP 400). */
  maxBatch?: number
  rateLimit?: { ratePerSecond: number; burst: number }
  /** Answer 'accepted' and apply after `acceptDelayMs` (confirm through /v1/confirmations). */
  asyncAcceptance?: boolean
  acceptDelayMs?: number
  faults?: FaultConfig
  random?: () => number
  /** Called whenever a value is applied to a listing (benchmarks measure propagation with it). */
  onApply?: (listingId: string, quantity: number, available: boolean, stamp: number) => void
}

interface PendingApply {
  token: string
  listingId: string
  quantity: number
  action: string
  stamp: number
  dueAt: number
  done: boolean
}

export interface GenericSimulator {
  readonly url: string
  readonly server: SimServer
  readonly token: string
  listing(listingId: string): SimListing | undefined
  listings(): SimListing[]
  addListing(l: Partial<SimListing> & { listingId: string }): void
  createOrder(o: { listingId: string; quantity: number; orderId?: string; sku?: string | null }): ChannelOrder
  cancelOrder(orderId: string, units?: number): ChannelOrder
  shipOrder(orderId: string): ChannelOrder
  /** Per-listing answers: 'reject' (permanent, with code) or 'retry' (transient); null clears. */
  setListingFault(listingId: string, fault: { kind: 'reject' | 'retry'; code: string } | null): void
  setAuthValid(valid: boolean): void
  readonly violations: StampViolation[]
  readonly stats: { pushCalls: number; itemsReceived: number; throttled: number; orderCalls: number }
  stop(): Promise<void>
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  body,
  headers,
})

export async function startGenericSimulator(opts: GenericSimOptions = {}): Promise<GenericSimulator> {
  const token = opts.token ?? 'generic-token'
  const maxBatch = opts.maxBatch ?? 500
  const acceptDelayMs = opts.acceptDelayMs ?? 50
  const clock = { now: () => Date.now() }
  // The push endpoint has the declared limit; reads (orders, confirmations, listings) their own, looser one.
  const bucket = opts.rateLimit
    ? new TokenBucket(opts.rateLimit.ratePerSecond, opts.rateLimit.burst, clock)
    : null
  const readBucket = opts.rateLimit
    ? new TokenBucket(opts.rateLimit.ratePerSecond * 4, opts.rateLimit.burst * 4, clock)
    : null
  const listings = new Map<string, SimListing>()
  const orders = new Map<string, ChannelOrder>()
  const pending: PendingApply[] = []
  const faults = new Map<string, { kind: 'reject' | 'retry'; code: string }>()
  const violations: StampViolation[] = []
  const stats = { pushCalls: 0, itemsReceived: 0, throttled: 0, orderCalls: 0 }
  let authValid = true
  let seq = 0
  let orderSeq = 0

  const addListing = (l: Partial<SimListing> & { listingId: string }) => {
    listings.set(l.listingId, {
      listingId: l.listingId,
      sku: l.sku ?? l.listingId,
      ean: l.ean ?? null,
      title: l.title ?? l.listingId,
      quantity: l.quantity ?? 0,
      available: l.available ?? true,
      stamp: l.stamp ?? 0,
      updates: 0,
    })
  }
  for (const l of opts.listings ?? []) addListing(l)

  const apply = (listingId: string, quantity: number, action: string, stamp: number) => {
    const l = listings.get(listingId)
    if (!l) return
    if (stamp < l.stamp) {
      violations.push({ listingId, stamp, after: l.stamp })
      return
    }
    l.quantity = quantity
    if (action === 'pause') l.available = false
    if (action === 'resume') l.available = true
    l.stamp = stamp
    l.updates++
    opts.onApply?.(listingId, l.quantity, l.available, stamp)
  }

  // Accepted items are applied in the order they were accepted, like a feed queue.
  const settle = () => {
    const now = Date.now()
    while (pending.length > 0 && pending[0]!.dueAt <= now) {
      const p = pending.shift()!
      apply(p.listingId, p.quantity, p.action, p.stamp)
      p.done = true
      settled.set(p.token, [...(settled.get(p.token) ?? []), p])
    }
  }
  const settled = new Map<string, PendingApply[]>()
  const timer = setInterval(settle, Math.max(5, Math.floor(acceptDelayMs / 2)))
  timer.unref()

  const authorised = (req: SimRequest): SimResponse | null => {
    if (!authValid || req.headers.authorization !== `Bearer ${token}`)
      return json(401, { error: 'invalid_token', message: 'The access token is invalid or was revoked.' })
    return null
  }

  const throttle = (which: TokenBucket | null = readBucket): SimResponse | null => {
    if (!which) return null
    const wait = which.take(1)
    if (wait === 0) return null
    stats.throttled++
    return json(429, { error: 'too_many_requests' }, { 'retry-after': (wait / 1000).toFixed(3) })
  }

  const rateHeaders = (): Record<string, string> =>
    bucket ? { 'x-ratelimit-remaining': String(bucket.available()) } : {}

  const pushStock = (req: SimRequest): SimResponse => {
    const denied = authorised(req) ?? throttle(bucket)
    if (denied) return denied
    stats.pushCalls++
    const body = req.json as { items?: unknown } | undefined
    if (!body || !Array.isArray(body.items))
      return json(400, { error: 'bad_request', message: 'body must be {"items": [...]}' })
    if (body.items.length > maxBatch)
      return json(400, { error: 'batch_too_large', message: `at most ${maxBatch} items per call` })
    stats.itemsReceived += body.items.length
    const now = Date.now()
    // One token per call, like a feed id: the engine asks about tokens, not items.
    const batchToken = `batch-${++seq}`
    const results = body.items.map((raw) => {
      const it = raw as { listingId?: unknown; quantity?: unknown; action?: unknown; stamp?: unknown }
      const listingId = String(it.listingId)
      const stamp = Number(it.stamp)
      const quantity = Number(it.quantity)
      const action = String(it.action ?? 'set')
      if (!listings.has(listingId))
        return {
          listingId,
          stamp,
          outcome: 'rejected',
          code: 'unknown_listing',
          message: `no listing ${listingId}`,
        }
      if (!Number.isInteger(quantity) || quantity < 0)
        return {
          listingId,
          stamp,
          outcome: 'rejected',
          code: 'invalid_quantity',
          message: `bad quantity ${String(it.quantity)}`,
        }
      const f = faults.get(listingId)
      if (f)
        return {
          listingId,
          stamp,
          outcome: f.kind === 'reject' ? 'rejected' : 'retry',
          code: f.code,
          message: `${f.code} (injected)`,
        }
      if (opts.asyncAcceptance) {
        const t = batchToken
        pending.push({
          token: t,
          listingId,
          quantity,
          action,
          stamp,
          dueAt: now + acceptDelayMs,
          done: false,
        })
        return { listingId, stamp, outcome: 'accepted', confirmationToken: t }
      }
      apply(listingId, quantity, action, stamp)
      return { listingId, stamp, outcome: 'confirmed' }
    })
    return json(200, { results }, rateHeaders())
  }

  const confirmations = (req: SimRequest): SimResponse => {
    const denied = authorised(req) ?? throttle()
    if (denied) return denied
    settle()
    const tokens = (req.query.get('tokens') ?? '').split(',').filter(Boolean)
    const results = tokens.flatMap((t) =>
      (settled.get(t) ?? []).map((p) => ({ listingId: p.listingId, stamp: p.stamp, outcome: 'confirmed' })),
    )
    return json(200, { results }, rateHeaders())
  }

  const listListings = (req: SimRequest): SimResponse => {
    const denied = authorised(req) ?? throttle()
    if (denied) return denied
    settle()
    const all = [...listings.values()].sort((a, b) => (a.listingId < b.listingId ? -1 : 1))
    const start = Number(req.query.get('cursor') ?? 0)
    const limit = Math.min(500, Number(req.query.get('limit') ?? 200))
    const items = all.slice(start, start + limit)
    const next = start + limit < all.length ? String(start + limit) : undefined
    return json(200, { items, ...(next ? { next } : {}) }, rateHeaders())
  }

  const readBack = (req: SimRequest): SimResponse => {
    const denied = authorised(req) ?? throttle()
    if (denied) return denied
    settle()
    const ids = ((req.json as { ids?: unknown } | undefined)?.ids ?? []) as string[]
    const items = ids.flatMap((id) => {
      const l = listings.get(id)
      return l ? [{ listingId: id, quantity: l.quantity, available: l.available }] : []
    })
    return json(200, { items }, rateHeaders())
  }

  const listOrders = (req: SimRequest): SimResponse => {
    const denied = authorised(req) ?? throttle()
    if (denied) return denied
    stats.orderCalls++
    const since = req.query.get('since') ?? '1970-01-01T00:00:00.000Z'
    const all = [...orders.values()]
      .filter((o) => o.updatedAt >= since)
      .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0))
    const start = Number(req.query.get('cursor') ?? 0)
    const items = all.slice(start, start + 100)
    const next = start + 100 < all.length ? String(start + 100) : undefined
    return json(200, { orders: items, ...(next ? { next } : {}) }, rateHeaders())
  }

  const server = await startSimServer({
    name: opts.name ?? 'generic channel',
    faults: opts.faults ?? {},
    ...(opts.random ? { random: opts.random } : {}),
    routes: [
      { method: 'GET', pattern: '/v1/ping', handler: (req) => authorised(req) ?? json(200, { ok: true }) },
      { method: 'POST', pattern: '/v1/stock', handler: pushStock },
      { method: 'GET', pattern: '/v1/confirmations', handler: confirmations },
      { method: 'GET', pattern: '/v1/listings', handler: listListings },
      { method: 'POST', pattern: '/v1/listings/read', handler: readBack },
      { method: 'GET', pattern: '/v1/orders', handler: listOrders },
    ],
  })

  const touch = (o: ChannelOrder, status: ChannelOrderStatus) => {
    o.status = status
    o.updatedAt = new Date().toISOString()
    return structuredClone(o)
  }

  return {
    url: server.url,
    server,
    token,
    listing: (id) => {
      settle()
      return listings.get(id)
    },
    listings: () => {
      settle()
      return [...listings.values()]
    },
    addListing,
    createOrder: ({ listingId, quantity, orderId, sku }) => {
      const id = orderId ?? `SIM-${++orderSeq}`
      const l = listings.get(listingId)
      const now = new Date().toISOString()
      const o: ChannelOrder = {
        orderId: id,
        status: 'open',
        createdAt: now,
        updatedAt: now,
        currency: 'EUR',
        lines: [
          {
            lineId: `${id}-1`,
            listingId,
            sku: sku ?? l?.sku ?? null,
            ean: l?.ean ?? null,
            externalIds: {},
            quantity,
            cancelledQuantity: 0,
            unitPrice: 10,
          },
        ],
      }
      orders.set(id, o)
      return structuredClone(o)
    },
    cancelOrder: (orderId, units) => {
      const o = orders.get(orderId)
      if (!o) throw new Error(`generic simulator: no order ${orderId}`)
      const line = o.lines[0]!
      line.cancelledQuantity = Math.min(line.quantity, line.cancelledQuantity + (units ?? line.quantity))
      return touch(o, line.cancelledQuantity >= line.quantity ? 'cancelled' : 'partially_cancelled')
    },
    shipOrder: (orderId) => {
      const o = orders.get(orderId)
      if (!o) throw new Error(`generic simulator: no order ${orderId}`)
      return touch(o, 'shipped')
    },
    setListingFault: (id, f) => {
      if (f) faults.set(id, f)
      else faults.delete(id)
    },
    setAuthValid: (v) => {
      authValid = v
    },
    violations,
    stats,
    stop: async () => {
      clearInterval(timer)
      await server.stop()
    },
  }
}
