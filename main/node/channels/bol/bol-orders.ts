// bol.com v10 orders: the list (ReducedOrder) carries EAN, quantities and cancellations per item; the detail
// (Order) adds the offer id and the seller's reference that mapping needs. Details never change those two,
// so they are fetched once per order and the list supplies every later change.
import { ClassifiedError } from '../../../core/errors'
import { BOL_LIMITS } from '../../../core/channels/bol-limits'
import type { ChannelOrder, ChannelOrderStatus, Page } from '../../../core/ports/channel-adapter'
import type { Clock } from '../../../core/ports/clock'
import type { BolClient } from './bol-client'
import type { BolConfig } from './bol-config'

export interface BolReducedOrderItem {
  orderItemId: string
  ean: string
  fulfilmentMethod?: string
  fulfilmentStatus: 'OPEN' | 'HANDLED'
  quantity: number
  quantityShipped: number
  quantityCancelled: number
  cancellationRequest: boolean
  /** Nullable in the spec (ReducedOrderItem). */
  latestChangedDateTime: string | null
}

export interface BolReducedOrder {
  orderId: string
  /** Nullable in the spec (ReducedOrder), although required. */
  orderPlacedDateTime: string | null
  orderItems: BolReducedOrderItem[]
}

export interface BolOrderDetail {
  orderId: string
  orderPlacedDateTime?: string
  orderItems: {
    orderItemId: string
    offer?: { offerId?: string; reference?: string } | null
    product?: { ean?: string; title?: string } | null
    unitPrice: number
    // Required in the spec (OrderOrderItem); read when an ORDER event brings the order (bol-notifications).
    quantity?: number
    quantityShipped?: number
    quantityCancelled?: number
    cancellationRequest?: boolean
    latestChangedDateTime?: string | null
    fulfilment?: { method?: string } | null
  }[]
}

export interface BolItemFacts {
  offerId: string | null
  reference: string | null
  unitPrice: number
}

/** The order's latest change: the newest of its items' changes and its placing; null when bol sent none. */
export const latestChangeOf = (o: BolReducedOrder): string | null =>
  o.orderItems.reduce<string | null>(
    (m, it) =>
      it.latestChangedDateTime !== null && (m === null || it.latestChangedDateTime > m)
        ? it.latestChangedDateTime
        : m,
    o.orderPlacedDateTime,
  )

/**
 * Maps a listed order. bol may send null for when it was placed and when its items last changed (the spec
 * allows both): `seenAt` (when LastUnit first saw the order) stands in, so one such order never fails the
 * page it is on. Placed falls back to the earliest item change, then `seenAt`.
 */
export function mapBolOrder(
  o: BolReducedOrder,
  facts: Map<string, BolItemFacts>,
  seenAt: string = new Date().toISOString(),
): ChannelOrder {
  const changes = o.orderItems.map((it) => it.latestChangedDateTime).filter((d) => d !== null)
  const earliestChange = changes.length > 0 ? changes.reduce((a, b) => (a < b ? a : b)) : null
  const lines = o.orderItems.map((it) => {
    const f = facts.get(it.orderItemId)
    const externalIds: Record<string, string> = {}
    if (f?.offerId) externalIds.offerId = f.offerId
    return {
      lineId: it.orderItemId,
      listingId: f?.offerId ?? null,
      sku: f?.reference ?? null,
      ean: it.ean,
      externalIds,
      quantity: it.quantity,
      cancelledQuantity: it.quantityCancelled,
      unitPrice: f?.unitPrice ?? 0,
    }
  })
  const cancelled = o.orderItems.filter((it) => it.quantityCancelled >= it.quantity).length
  const partly = o.orderItems.some((it) => it.quantityCancelled > 0)
  let status: ChannelOrderStatus = 'open'
  if (o.orderItems.length > 0 && cancelled === o.orderItems.length) status = 'cancelled'
  else if (partly) status = 'partially_cancelled'
  else if (o.orderItems.every((it) => it.quantityShipped + it.quantityCancelled >= it.quantity))
    status = 'shipped'
  return {
    orderId: o.orderId,
    status,
    updatedAt: latestChangeOf(o) ?? seenAt,
    createdAt: o.orderPlacedDateTime ?? earliestChange ?? seenAt,
    currency: 'EUR',
    lines,
  }
}

type OrdersCursor = {
  q: { k: 'interval'; minutes: number } | { k: 'date'; date: string }
  page: number
  idx: number
  until: string
  /** Times this page was handed back half read (the cursor of each resume is new: no loop). */
  r?: number
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const DAY_MS = 86_400_000

/** Orders as the orders list last showed them (any list call: a poll's or an event's), by order id. */
export class BolListedOrders {
  private readonly byId = new Map<string, { order: BolReducedOrder; at: number }>()
  /** Kept this long: an order event comes seconds after its order (SQS may hold it longer: then the detail). */
  static readonly keepMs = 10 * 60_000

  remember(orders: readonly BolReducedOrder[], at: number): void {
    for (const o of orders) this.byId.set(o.orderId, { order: o, at })
    for (const [id, x] of this.byId) if (x.at < at - BolListedOrders.keepMs) this.byId.delete(id)
  }

  get(orderId: string): BolReducedOrder | undefined {
    return this.byId.get(orderId)?.order
  }
}

/**
 * An order item's facts as LastUnit stored them when it first read the order (its order lines), or
 * undefined: a restarted process asks for no detail bol already gave the process before it.
 */
export type KnownBolItem = (orderId: string, orderItemId: string) => BolItemFacts | undefined

/**
 * Each order item's offer id, reference and price, from the order detail: read once per order, and not at
 * all for items `known` already holds (details never change them).
 */
export function bolOrderDetails(bol: BolClient, listed = new BolListedOrders(), known?: KnownBolItem) {
  const facts = new Map<string, BolItemFacts>()
  /** Fills `facts` for the items of `o` that `known` holds; true when every item has its facts. */
  const recall = (o: BolReducedOrder): boolean => {
    let all = true
    for (const it of o.orderItems) {
      if (facts.has(it.orderItemId)) continue
      const f = known?.(o.orderId, it.orderItemId)
      if (f) facts.set(it.orderItemId, f)
      else all = false
    }
    return all
  }
  const getDetail = async (orderId: string): Promise<BolOrderDetail> => {
    const d = await bol.json<BolOrderDetail>({
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
    return d
  }
  return { facts, getDetail, listed, recall }
}
export type BolOrderDetails = ReturnType<typeof bolOrderDetails>

/**
 * The first page of FBR orders changed in the last `minutes` (1-60): the call an ORDER event makes when the
 * detail budget is spent (bol-notifications.ts). It counts against the same `orders-list` budget as polling
 * (one BolClient, one BolRateBudget).
 */
export function bolRecentOrders(bol: BolClient) {
  return async (minutes: number): Promise<BolReducedOrder[]> => {
    if (!(Number.isInteger(minutes) && minutes >= 1 && minutes <= BOL_LIMITS.maxChangeIntervalMinutes))
      throw new RangeError(
        `bol.com orders list: change-interval-minute must be a whole number from 1 to ${BOL_LIMITS.maxChangeIntervalMinutes}, got ${minutes}`,
      )
    const query = new URLSearchParams({
      'fulfilment-method': 'FBR',
      status: 'ALL',
      'change-interval-minute': String(minutes),
      page: '1',
    })
    const list = await bol.json<{ orders?: BolReducedOrder[] }>({
      endpoint: 'orders-list',
      method: 'GET',
      path: '/orders',
      query,
      version: 'v10',
    })
    return list.orders ?? []
  }
}

/** Orders changed since a time: by change interval when it is short, else (and past one page) day by day. */
export function bolOrders(
  bol: BolClient,
  config: BolConfig,
  clock: Clock,
  details: BolOrderDetails = bolOrderDetails(bol),
) {
  const { facts, getDetail } = details
  /** When each order was first listed: what stands in for the dates bol sends as null. */
  const firstSeen = new Map<string, string>()
  const seenAt = (orderId: string): string => {
    let at = firstSeen.get(orderId)
    if (at === undefined) {
      at = new Date(clock.now()).toISOString()
      firstSeen.set(orderId, at)
      if (firstSeen.size > 100_000)
        for (const k of [...firstSeen.keys()].slice(0, 20_000)) firstSeen.delete(k)
    }
    return at
  }
  const historyStart = (since: number, now: number) =>
    Math.max(since, now - BOL_LIMITS.orderHistoryDays * DAY_MS)

  const firstCursor = (since: number, now: number): OrdersCursor =>
    now - since <= BOL_LIMITS.maxChangeIntervalMinutes * 60_000
      ? {
          q: {
            k: 'interval',
            minutes: Math.min(
              BOL_LIMITS.maxChangeIntervalMinutes,
              Math.max(1, Math.ceil((now - since) / 60_000) + 1),
            ),
          },
          page: 1,
          idx: 0,
          until: day(now),
        }
      : // bol keeps three months of history, and latest-change-date filters one day at a time.
        { q: { k: 'date', date: day(historyStart(since, now)) }, page: 1, idx: 0, until: day(now) }

  return async function fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
    const since = Date.parse(sinceIso)
    if (Number.isNaN(since))
      throw new ClassifiedError(
        'permanent',
        'bol.bad_since',
        `fetchOrders: "${sinceIso}" is not an ISO timestamp`,
      )
    const now = clock.now()
    const c: OrdersCursor = cursor
      ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as OrdersCursor)
      : firstCursor(since, now)
    const query = new URLSearchParams({
      // Only orders the seller ships (FBR): bol.com ships FBB orders from its own stock.
      'fulfilment-method': 'FBR',
      status: 'ALL',
      page: String(c.page),
    })
    if (c.q.k === 'interval') query.set('change-interval-minute', String(c.q.minutes))
    else query.set('latest-change-date', c.q.date)
    const list = await bol.json<{ orders?: BolReducedOrder[] }>({
      endpoint: 'orders-list',
      method: 'GET',
      path: '/orders',
      query,
      version: 'v10',
    })
    const orders = list.orders ?? []
    details.listed.remember(orders, now)
    const encode = (x: OrdersCursor) => Buffer.from(JSON.stringify(x)).toString('base64url')
    const items: ChannelOrder[] = []
    for (let i = c.idx; i < orders.length; i++) {
      const listed = orders[i]
      if (!listed) continue
      const changed = latestChangeOf(listed)
      if (changed !== null && Date.parse(changed) < since) continue
      // An FBB item (bol.com ships it from its own stock) that came anyway is not the seller's to import.
      const o = { ...listed, orderItems: listed.orderItems.filter((it) => it.fulfilmentMethod !== 'FBB') }
      if (o.orderItems.length === 0) continue
      if (!details.recall(o)) {
        try {
          await getDetail(o.orderId)
        } catch (e) {
          // The detail budget is small (bol: a few per minute); hand back what is done and resume here.
          // An interval page is read again from its start: orders before `i` may have left the sliding
          // window by then, and an index would skip as many (the details already read are cached).
          if (e instanceof ClassifiedError && e.kind === 'retryable' && items.length > 0)
            return { items, next: encode({ ...c, idx: c.q.k === 'interval' ? 0 : i, r: (c.r ?? 0) + 1 }) }
          throw e
        }
      }
      items.push(mapBolOrder(o, facts, seenAt(o.orderId)))
    }
    let next: OrdersCursor | undefined
    if (orders.length >= BOL_LIMITS.ordersPageSize && c.q.k === 'interval')
      // A change interval slides with bol's clock: orders changed before its start leave the list between two
      // page calls, and the next page begins past as many orders never seen. More than one page is read by
      // day instead, a filter that stays put (the orders of this page come again; the engine keeps one each).
      next = { q: { k: 'date', date: day(historyStart(since, now)) }, page: 1, idx: 0, until: c.until }
    else if (orders.length >= BOL_LIMITS.ordersPageSize) next = { ...c, page: c.page + 1, idx: 0 }
    else if (c.q.k === 'date' && c.q.date < c.until)
      next = { ...c, q: { k: 'date', date: day(Date.parse(c.q.date) + DAY_MS) }, page: 1, idx: 0 }
    return { items, ...(next ? { next: encode(next) } : {}) }
  }
}
