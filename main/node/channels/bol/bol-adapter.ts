// The bol.com channel adapter: stock through the Offers API v11 (`PATCH /retailer/offers/{offer-id}`, one offer
// per call, managedByRetailer set to true because the ERP already reserves open orders), pause through
// onHoldByRetailer, orders through Retailer API v10 with one detail call per new order for offer ids.
import { ClassifiedError, errorMessage } from '../../../core/errors'
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelListing,
  ChannelOrder,
  ConnectionTestResult,
  ListingState,
  Page,
  PushBatchResult,
  PushItem,
  PushItemResult,
} from '../../../core/ports/channel-adapter'
import { systemClock, type Clock } from '../../../core/ports/clock'
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import { BolClient } from './bol-client'
import { checkBolConfig, type BolConfig } from './bol-config'
import {
  latestChangeOf,
  mapBolOrder,
  type BolItemFacts,
  type BolOrderDetail,
  type BolReducedOrder,
} from './bol-orders'

export interface BolAdapterOptions {
  timeoutMs?: number
  clock?: Clock
  maxAttempts?: number
  backoffMs?: number
  /** Longest rate-limit wait taken inline (ms); longer waits go back to the engine as retryAfterMs. */
  maxInlineWaitMs?: number
  /** Scales the declared rate limits (runs against a time-scaled simulator). */
  rateScale?: number
  /** Offer updates in flight at once. */
  concurrency?: number
  /** Keeps rate-limit budgets and Retry-After holds across restarts. */
  rateMemory?: BucketMemory
}

interface OfferResponse {
  offerId: string
  ean?: string
  reference?: string
  onHoldByRetailer: boolean
  unknownProductTitle?: string
  stock?: { amount?: number; correctedStock?: number; managedByRetailer?: boolean }
  product?: { bolProductId?: string }
}

interface OfferList {
  offers?: OfferResponse[]
  page?: { pageSize?: number; nextCursor?: string | null }
}

interface ProcessStatus {
  processStatusId?: string
  entityId?: string
  status: 'PENDING' | 'SUCCESS' | 'FAILURE' | 'TIMEOUT'
  errorMessage?: string
}

type OrdersCursor = {
  q: { k: 'interval'; minutes: number } | { k: 'date'; date: string }
  page: number
  idx: number
  until: string
}

/** bol's ceiling for an offer's stock amount. */
const MAX_STOCK = 999
const ORDERS_PAGE = 50
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export function createBolAdapter(
  config: BolConfig,
  opts: BolAdapterOptions = {},
): ChannelAdapter & {
  readonly client: BolClient
} {
  checkBolConfig(config)
  const clock = opts.clock ?? systemClock
  const scale = opts.rateScale ?? 1
  const client = new BolClient(config, {
    timeoutMs: opts.timeoutMs ?? 30_000,
    clock,
    maxAttempts: opts.maxAttempts ?? 4,
    backoffMs: opts.backoffMs ?? 1_000,
    maxInlineWaitMs: opts.maxInlineWaitMs ?? 10_000,
    ...(opts.rateMemory ? { rateMemory: opts.rateMemory } : {}),
  })
  const facts = new Map<string, BolItemFacts>()
  const concurrency = Math.max(1, opts.concurrency ?? 4)

  const capabilities: ChannelCapabilities = {
    // No bulk stock call exists; the engine hands 50 offers per round and each is its own PATCH.
    bulkBatchSize: 50,
    rateLimits: [
      { scope: 'push', ratePerSecond: 25, burst: 25 },
      { scope: 'read', ratePerSecond: 25, burst: 25 },
      { scope: 'orders', ratePerSecond: 7 / 180, burst: 7 },
    ],
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: false,
    readBack: true,
    orderPollIntervalMs: Math.round(60_000 / scale),
  }

  const patchBody = (it: PushItem) => {
    const amount = Math.min(it.quantity, MAX_STOCK)
    const stock = { amount, managedByRetailer: true }
    if (it.action === 'pause') return { onHoldByRetailer: true, stock }
    if (it.action === 'resume') return { onHoldByRetailer: false, stock }
    return { stock }
  }

  const toListing = (o: OfferResponse): ChannelListing => {
    const externalIds: Record<string, string> = { offerId: o.offerId }
    if (o.product?.bolProductId) externalIds.bolProductId = o.product.bolProductId
    return {
      listingId: o.offerId,
      sku: o.reference ?? null,
      ean: o.ean ?? null,
      externalIds,
      title: o.unknownProductTitle ?? o.reference ?? o.ean ?? o.offerId,
      quantity: o.stock?.amount ?? null,
      paused: o.onHoldByRetailer,
    }
  }

  const getDetail = async (orderId: string) => {
    const d = await client.json<BolOrderDetail>({
      endpoint: 'orders-detail',
      method: 'GET',
      path: `/orders/${encodeURIComponent(orderId)}`,
      version: 'v10',
    })
    for (const it of d.orderItems ?? [])
      facts.set(it.orderItemId, {
        offerId: it.offer?.offerId ?? null,
        reference: it.offer?.reference ?? null,
        unitPrice: it.unitPrice,
      })
    if (facts.size > 100_000) for (const k of [...facts.keys()].slice(0, 20_000)) facts.delete(k)
  }

  return {
    type: 'bol',
    capabilities,
    client,

    async testConnection(): Promise<ConnectionTestResult> {
      try {
        await client.tokens.get()
      } catch (e) {
        return { ok: false, message: errorMessage(e), details: { step: 'login (client credentials)' } }
      }
      try {
        const res = await client.json<OfferList>({
          endpoint: 'offers-list',
          method: 'GET',
          path: '/offers',
          query: new URLSearchParams({ 'page-size': '1' }),
          version: 'v11',
        })
        return {
          ok: true,
          message: `Connected to bol.com: ${res.offers?.length ? 'offers found' : 'no offers yet'}.`,
        }
      } catch (e) {
        return { ok: false, message: errorMessage(e), details: { step: 'offers (Offers API v11)' } }
      }
    },

    async push(items: PushItem[]): Promise<PushBatchResult> {
      const before = client.calls
      // Answers go in the order asked, whatever order the calls finish in.
      const slots: (PushItemResult | undefined)[] = items.map(() => undefined)
      const index = new Map(items.map((it, i) => [it, i]))
      const results = {
        push(r: PushItemResult, it: PushItem) {
          slots[index.get(it) ?? 0] = r
        },
        some: (f: (r: PushItemResult) => boolean) => slots.some((r) => r !== undefined && f(r)),
      }
      const valid: PushItem[] = []
      for (const it of items) {
        const base = { listingId: it.listingId, stamp: it.stamp }
        if (!UUID.test(it.listingId))
          results.push(
            {
              ...base,
              outcome: 'rejected',
              code: 'bol.offer_id',
              message: `"${it.listingId}" is not a bol.com offer id (a UUID)`,
            },
            it,
          )
        else if (!Number.isInteger(it.quantity) || it.quantity < 0)
          results.push(
            {
              ...base,
              outcome: 'rejected',
              code: 'invalid_quantity',
              message: `quantity for offer ${it.listingId} must be a whole number >= 0, got ${it.quantity}`,
            },
            it,
          )
        else valid.push(it)
      }
      const send = async (it: PushItem): Promise<PushItemResult> => {
        const base = { listingId: it.listingId, stamp: it.stamp }
        const res = await client.call({
          endpoint: 'offers-update',
          method: 'PATCH',
          path: `/offers/${it.listingId}`,
          body: patchBody(it),
          version: 'v11',
        })
        if (res.status !== 202) return { ...base, outcome: 'confirmed' }
        // Accepted for asynchronous processing: bol answers with a process status to follow.
        const ps = res.json<ProcessStatus>()
        if (!ps.processStatusId)
          throw new ClassifiedError(
            'retryable',
            'bol.malformed',
            'bol.com answered 202 without a processStatusId',
          )
        return {
          ...base,
          outcome: 'accepted',
          confirmationToken: JSON.stringify({
            ps: ps.processStatusId,
            offerId: it.listingId,
            stamp: it.stamp,
          }),
        }
      }
      let stopped: ClassifiedError | undefined
      // A few calls in flight: one PATCH per offer at a round trip each would never reach bol's allowance.
      for (let i = 0; i < valid.length; i += concurrency) {
        const group = valid.slice(i, i + concurrency)
        if (stopped) {
          const s = stopped
          for (const it of group)
            results.push(
              {
                listingId: it.listingId,
                stamp: it.stamp,
                outcome: 'retry',
                code: s.code,
                message: s.message,
                ...(s.kind === 'retryable' ? { transient: true } : {}),
              },
              it,
            )
          continue
        }
        const settled = await Promise.allSettled(group.map(send))
        for (const [k, r] of settled.entries()) {
          const it = group[k]
          if (!it) continue
          if (r.status === 'fulfilled') {
            results.push(r.value, it)
            continue
          }
          const e: unknown = r.reason
          if (!(e instanceof ClassifiedError)) throw e
          // Nothing went through yet: the credentials are the problem, the engine raises one alert.
          if (e.kind === 'needs_seller' && i === 0 && !results.some((x) => x.outcome !== 'rejected')) throw e
          const base = { listingId: it.listingId, stamp: it.stamp }
          if (e.kind === 'permanent')
            results.push({ ...base, outcome: 'rejected', code: e.code, message: e.message }, it)
          else {
            results.push(
              {
                ...base,
                outcome: 'retry',
                code: e.code,
                message: e.message,
                ...(e.kind === 'retryable' ? { transient: true } : {}),
              },
              it,
            )
            if (e.code === 'bol.throttled' || e.code === 'bol.rate_limited' || e.kind === 'needs_seller')
              stopped = e
          }
        }
      }
      const obs = client.observed.get('offers-update')
      const rateLimit = {
        ...(obs?.remaining === undefined ? {} : { remaining: obs.remaining }),
        ...(obs?.resetInMs === undefined ? {} : { resetInMs: obs.resetInMs }),
        ...(stopped?.retryAfterMs === undefined ? {} : { retryAfterMs: stopped.retryAfterMs }),
      }
      return {
        results: slots.filter((r): r is PushItemResult => r !== undefined),
        calls: client.calls - before,
        ...(Object.keys(rateLimit).length > 0 ? { rateLimit } : {}),
      }
    },

    async confirm(tokens: string[]): Promise<PushItemResult[]> {
      const wanted = tokens.flatMap((t) => {
        try {
          return [JSON.parse(t) as { ps: string; offerId: string; stamp: number }]
        } catch {
          return []
        }
      })
      const out: PushItemResult[] = []
      for (let i = 0; i < wanted.length; i += 1000) {
        const chunk = wanted.slice(i, i + 1000)
        const res = await client.json<{ processStatuses?: ProcessStatus[] }>({
          endpoint: 'process-status',
          method: 'POST',
          path: '/process-status',
          body: { processStatusQueries: chunk.map((w) => ({ processStatusId: w.ps })) },
          version: 'v10',
          shared: true,
        })
        const byId = new Map((res.processStatuses ?? []).map((s) => [s.processStatusId, s]))
        for (const w of chunk) {
          const s = byId.get(w.ps)
          const base = { listingId: w.offerId, stamp: w.stamp }
          if (!s || s.status === 'PENDING') continue
          if (s.status === 'SUCCESS') out.push({ ...base, outcome: 'confirmed' })
          else if (s.status === 'FAILURE')
            out.push({
              ...base,
              outcome: 'rejected',
              code: 'bol.process_failed',
              message: `bol.com could not update offer ${w.offerId}: ${s.errorMessage ?? 'FAILURE'}`,
            })
          else
            out.push({
              ...base,
              outcome: 'retry',
              code: 'bol.process_timeout',
              message: `bol.com timed out updating offer ${w.offerId}`,
            })
        }
      }
      return out
    },

    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const out: ListingState[] = []
      const ids = listingIds.filter((id) => UUID.test(id))
      for (let i = 0; i < ids.length; i += 50) {
        const query = new URLSearchParams({ 'page-size': '100' })
        for (const id of ids.slice(i, i + 50)) query.append('offer-ids', id)
        const res = await client.json<OfferList>({
          endpoint: 'offers-list',
          method: 'GET',
          path: '/offers',
          query,
          version: 'v11',
        })
        for (const o of res.offers ?? [])
          out.push({
            listingId: o.offerId,
            quantity: o.stock?.amount ?? 0,
            available: !o.onHoldByRetailer && (o.stock?.correctedStock ?? o.stock?.amount ?? 0) > 0,
          })
      }
      return out
    },

    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const query = new URLSearchParams({ 'page-size': '100' })
      if (cursor) query.set('cursor', cursor)
      const res = await client.json<OfferList>({
        endpoint: 'offers-list',
        method: 'GET',
        path: '/offers',
        query,
        version: 'v11',
      })
      const next = res.page?.nextCursor
      return { items: (res.offers ?? []).map(toListing), ...(next ? { next } : {}) }
    },

    async fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
      const since = Date.parse(sinceIso)
      if (Number.isNaN(since))
        throw new ClassifiedError(
          'permanent',
          'bol.bad_since',
          `fetchOrders: "${sinceIso}" is not an ISO timestamp`,
        )
      const now = clock.now()
      let c: OrdersCursor
      if (cursor) c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as OrdersCursor
      else if (now - since <= 60 * 60_000)
        c = {
          q: { k: 'interval', minutes: Math.min(60, Math.max(1, Math.ceil((now - since) / 60_000) + 1)) },
          page: 1,
          idx: 0,
          until: day(now),
        }
      else {
        // bol keeps three months of history, and latest-change-date filters one day at a time.
        const start = Math.max(since, now - 90 * 86_400_000)
        c = { q: { k: 'date', date: day(start) }, page: 1, idx: 0, until: day(now) }
      }
      const query = new URLSearchParams({
        'fulfilment-method': config.fulfilmentMethod ?? 'FBR',
        status: 'ALL',
        page: String(c.page),
      })
      if (c.q.k === 'interval') query.set('change-interval-minute', String(c.q.minutes))
      else query.set('latest-change-date', c.q.date)
      const list = await client.json<{ orders?: BolReducedOrder[] }>({
        endpoint: 'orders-list',
        method: 'GET',
        path: '/orders',
        query,
        version: 'v10',
      })
      const orders = list.orders ?? []
      const encode = (x: OrdersCursor) => Buffer.from(JSON.stringify(x)).toString('base64url')
      const items: ChannelOrder[] = []
      for (let i = c.idx; i < orders.length; i++) {
        const o = orders[i]
        if (!o || Date.parse(latestChangeOf(o)) < since) continue
        if (o.orderItems.some((it) => !facts.has(it.orderItemId))) {
          try {
            await getDetail(o.orderId)
          } catch (e) {
            // The detail budget is small (bol: a few per minute); hand back what is done and resume here.
            // An interval page is read again from its start: orders before `i` may have left the sliding
            // window by then, and an index would skip as many (the details already read are cached).
            if (e instanceof ClassifiedError && e.kind === 'retryable' && items.length > 0)
              return { items, next: encode({ ...c, idx: c.q.k === 'interval' ? 0 : i }) }
            throw e
          }
        }
        items.push(mapBolOrder(o, facts))
      }
      let next: OrdersCursor | undefined
      if (orders.length >= ORDERS_PAGE && c.q.k === 'interval')
        // A change interval slides with bol's clock: orders changed before its start leave the list between two
        // page calls, and the next page begins past as many orders never seen. More than one page is read by
        // day instead, a filter that stays put (the orders of this page come again; the engine keeps one each).
        next = {
          q: { k: 'date', date: day(Math.max(since, now - 90 * 86_400_000)) },
          page: 1,
          idx: 0,
          until: c.until,
        }
      else if (orders.length >= ORDERS_PAGE) next = { ...c, page: c.page + 1, idx: 0 }
      else if (c.q.k === 'date' && c.q.date < c.until)
        next = { ...c, q: { k: 'date', date: day(Date.parse(c.q.date) + 86_400_000) }, page: 1, idx: 0 }
      return { items, ...(next ? { next: encode(next) } : {}) }
    },
  }
}
