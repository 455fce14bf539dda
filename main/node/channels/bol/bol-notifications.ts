// bol.com orders through the seller's queue: a Retailer API v10 subscription (POST /retailer/subscriptions,
// SubscriptionRequest {resources: ["ORDER"], url, subscriptionType: "AWS_SQS", identity}) delivers ORDER events
// to the seller's SQS queue; GET /retailer/subscriptions lists them (SubscriptionsResponse)
// (../shared/specs/bol/retailer-v10.json). For AWS_SQS, `identity` "must be provided ... in format of AWS ARN"
// (arn:aws:iam::ACCOUNT:role/NAME): the role bol.com assumes to send; docs/faster-orders.md says what to create.
// bol.com publishes no schema for an ORDER event's body. Its documented push message (Retailer API
// "Subscriptions", the PROCESS_STATUS and SHIPMENT examples) is {retailerId, timestamp, event: {resource, type,
// resourceId}}, resourceId naming the resource; an ORDER event is read the same way, its resourceId the order
// id, and nothing else in it is relied on. What the order holds comes from one of two calls, whichever bol's
// limits allow at once (bol-limits.ts; docs/faster-orders.md, "bol.com"):
// - the order detail (GET /retailer/orders/{id}, 8 a minute): items, offer ids, references and prices, so the
//   order is complete;
// - when the detail budget is spent, the orders list (GET /retailer/orders?change-interval-minute=N, 7 per 3
//   minutes, shared with order polling): one call brings every recent order, so it serves every event waiting
//   at once, and an order it already showed (a poll's or an earlier event's list) needs no call at all. Its
//   ReducedOrderItem carries the EAN and quantities but no offer id or price: the units are pending at once
//   (mapped by the channel's listing with that EAN), the order is provisional until a poll has read its
//   detail. The list call leaves one call of the window for the next order poll.
// When neither may go now, the message waits in the queue exactly until the sooner budget frees (the error's
// retryAfterMs: the queue reader hides it that long). FBB items (bol.com ships them) are left out, as in
// polling.
import { BOL_ENDPOINT_LIMITS, BOL_LIMITS } from '../../../core/channels/bol-limits'
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import type {
  ChannelOrderNotifications,
  NotifiedOrder,
  OrderSubscription,
} from '../../../core/ports/order-queue'
import type { BolClient } from './bol-client'
import { mapBolOrder, type BolOrderDetail, type BolOrderDetails, type BolReducedOrder } from './bol-orders'

/** What the reader calls bol with: the detail (cached), the recent orders list, and the budgets of both. */
export interface BolOrderSource {
  details: BolOrderDetails
  /** The first page of FBR orders changed in the last `minutes` (bolRecentOrders). */
  recent(minutes: number): Promise<BolReducedOrder[]>
  /** What a call would find now, spending nothing (BolRateBudget.room). */
  room(endpoint: 'orders-detail' | 'orders-list'): { waitMs: number; remaining: number | null }
}

/** List calls an event leaves in bol's window: the next order poll's. */
export const BOL_LIST_RESERVE = 1

/** The order detail as the list shows an order (ReducedOrder), FBB items left out. */
const reducedOf = (d: BolOrderDetail): BolReducedOrder => ({
  orderId: d.orderId,
  orderPlacedDateTime: d.orderPlacedDateTime ?? null,
  orderItems: (d.orderItems ?? [])
    .filter((it) => it.fulfilment?.method !== 'FBB')
    .map((it) => ({
      orderItemId: it.orderItemId,
      ean: it.product?.ean ?? '',
      fulfilmentMethod: it.fulfilment?.method ?? 'FBR',
      fulfilmentStatus:
        (it.quantityShipped ?? 0) + (it.quantityCancelled ?? 0) >= (it.quantity ?? 0) ? 'HANDLED' : 'OPEN',
      quantity: it.quantity ?? 0,
      quantityShipped: it.quantityShipped ?? 0,
      quantityCancelled: it.quantityCancelled ?? 0,
      cancellationRequest: it.cancellationRequest ?? false,
      latestChangedDateTime: it.latestChangedDateTime ?? null,
    })),
})

interface BolPushMessage {
  retailerId?: number | string
  timestamp?: string
  event?: { resource?: string; type?: string; resourceId?: string | number }
}

/**
 * bol.com's test push (POST /retailer/subscriptions/test/{subscription-id}). bol.com publishes no schema for
 * its body: assumed to be the documented push envelope with event.type TEST and the subscription id as
 * resourceId (what the simulator sends); any event whose type is TEST is taken as one and never as an order.
 */
export const isBolTestEvent = (raw: string): boolean => {
  try {
    const m = JSON.parse(raw) as BolPushMessage
    return typeof m?.event?.type === 'string' && m.event.type.toUpperCase() === 'TEST'
  } catch {
    return false
  }
}

interface BolSubscription {
  id: string
  resources: string[]
  url: string
  subscriptionType: string
  enabled?: boolean | null
  identity?: string | null
}

export function bolNotifications(
  bol: BolClient,
  source: BolOrderSource,
  clock: Clock,
  /** The IAM role bol.com assumes to write to the queue (SubscriptionRequest.identity). */
  identity: () => string | undefined,
): ChannelOrderNotifications {
  const list = async () =>
    (
      await bol.json<{ subscriptions?: BolSubscription[] }>({
        endpoint: 'subscriptions',
        method: 'GET',
        path: '/subscriptions',
        version: 'v10',
      })
    ).subscriptions ?? []
  const ours = (subs: BolSubscription[], url?: string) =>
    subs.find(
      (s) =>
        s.subscriptionType === 'AWS_SQS' &&
        s.resources.includes('ORDER') &&
        (url === undefined || s.url === url),
    )
  const state = (s: BolSubscription | undefined): OrderSubscription =>
    s
      ? {
          active: s.enabled !== false,
          subscriptionId: s.id,
          destination: s.url,
          message:
            s.enabled === false
              ? `bol.com disabled the ORDER subscription ${s.id} to ${s.url} (it could not deliver for 10 minutes); enable it again in "Faster orders".`
              : `bol.com sends ORDER events to ${s.url} (subscription ${s.id}).`,
        }
      : {
          active: false,
          subscriptionId: null,
          destination: null,
          message: 'No ORDER subscription to a queue: orders are polled only.',
        }

  /** Minutes of the list's change interval that reach back to the event's order (SQS may hold it a while). */
  const minutesSince = (eventAt: string | null): number => {
    const at = eventAt === null ? Number.NaN : Date.parse(eventAt)
    const back = Number.isNaN(at) ? 5 : Math.ceil((clock.now() - at) / 60_000) + 1
    return Math.min(BOL_LIMITS.maxChangeIntervalMinutes, Math.max(2, back))
  }
  /** One list call serves every event waiting on it: a call in flight that reaches far enough back is shared. */
  let inFlight: { minutes: number; orders: Promise<Map<string, BolReducedOrder>> } | null = null
  const recent = (minutes: number): Promise<Map<string, BolReducedOrder>> => {
    if (inFlight && inFlight.minutes >= minutes) return inFlight.orders
    const orders = source.recent(minutes).then((list) => {
      source.details.listed.remember(list, clock.now())
      return new Map(list.map((o) => [o.orderId, o]))
    })
    const mine = { minutes, orders }
    inFlight = mine
    void orders.then(
      () => (inFlight === mine ? (inFlight = null) : null),
      () => (inFlight === mine ? (inFlight = null) : null),
    )
    return orders
  }

  return {
    async read(raw: string): Promise<NotifiedOrder | null> {
      const m = JSON.parse(raw) as BolPushMessage
      if (!m || typeof m !== 'object' || !m.event || typeof m.event.resource !== 'string') return null
      if (isBolTestEvent(raw))
        return {
          kind: 'test',
          subscriptionId: m.event.resourceId === undefined ? null : String(m.event.resourceId),
          eventAt: m.timestamp ?? null,
        }
      if (m.event.resource !== 'ORDER')
        return { kind: 'ignored', orderId: null, reason: `a bol.com ${m.event.resource} event, not an order` }
      const orderId = m.event.resourceId
      if (orderId === undefined || orderId === '')
        throw new ClassifiedError(
          'permanent',
          'bol.event_malformed',
          'a bol.com ORDER event without its resourceId (the order id)',
        )
      const id = String(orderId)
      const eventAt = m.timestamp ?? null
      const order = (o: BolReducedOrder, complete: boolean): NotifiedOrder => {
        if (o.orderItems.length === 0)
          return {
            kind: 'ignored',
            orderId: id,
            reason: "fulfilled by bol.com (FBB): ships from bol.com's stock",
          }
        if (o.orderItems.some((it) => !Number.isInteger(it.quantity) || it.quantity < 1))
          throw new ClassifiedError(
            'retryable',
            'bol.malformed',
            `bol.com order ${o.orderId}: an item without its quantity`,
          )
        const { facts } = source.details
        // Prices and offer ids come with the detail (or were stored when the order was first read); an
        // order known from the list alone waits for a poll.
        const recalled = source.details.recall(o)
        return {
          kind: 'order',
          order: mapBolOrder(o, facts, eventAt ?? new Date(clock.now()).toISOString()),
          complete: complete || recalled,
          eventAt,
        }
      }
      const fromList = (o: BolReducedOrder) =>
        order({ ...o, orderItems: o.orderItems.filter((it) => it.fulfilmentMethod !== 'FBB') }, false)

      const shown = source.details.listed.get(id)
      if (shown) return fromList(shown)
      let detail = source.room('orders-detail')
      if (detail.waitMs === 0) {
        try {
          return order(reducedOf(await source.details.getDetail(id)), true)
        } catch (e) {
          // Another event took the last detail call first: the list may still serve this one.
          if (!(e instanceof ClassifiedError && e.code === 'bol.rate_limited')) throw e
          detail = { waitMs: e.retryAfterMs ?? 1000, remaining: 0 }
        }
      }
      const list = source.room('orders-list')
      if (list.waitMs === 0 && (list.remaining === null || list.remaining > BOL_LIST_RESERVE)) {
        const found = (await recent(minutesSince(eventAt))).get(id)
        if (found) return fromList(found)
      }
      const wait = list.waitMs > 0 ? Math.min(detail.waitMs, list.waitMs) : detail.waitMs
      throw new ClassifiedError(
        'retryable',
        'bol.rate_limited',
        `bol.com order ${id}: the order detail budget (${BOL_ENDPOINT_LIMITS['orders-detail'].limit} a minute) is spent and the orders list cannot serve it now; read again in ${Math.ceil(wait / 1000)} s`,
        { retryAfterMs: Math.max(1000, wait) },
      )
    },

    async subscribe(queue): Promise<OrderSubscription> {
      const existing = ours(await list(), queue.url)
      if (existing) return state(existing)
      const role = identity()
      if (!role || !/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(role))
        throw new ClassifiedError(
          'needs_seller',
          'bol.subscription_identity',
          `bol.com needs the IAM role it may use to write to the queue (queueRoleArn, like arn:aws:iam::123456789012:role/bol-orders), not "${role ?? ''}"`,
          { hint: 'Create the role as docs/faster-orders.md shows, then enter its ARN in "Faster orders".' },
        )
      await bol.json({
        endpoint: 'subscriptions',
        method: 'POST',
        path: '/subscriptions',
        version: 'v10',
        body: {
          resources: ['ORDER'],
          url: queue.url,
          subscriptionType: 'AWS_SQS',
          enabled: true,
          identity: role,
        },
      })
      // The creation is asynchronous (202, a process status): the list says once it exists.
      const created = ours(await list(), queue.url)
      return created
        ? state(created)
        : {
            active: false,
            subscriptionId: null,
            destination: queue.url,
            message: 'bol.com accepted the subscription; it shows once bol.com has processed it.',
          }
    },

    async subscription(): Promise<OrderSubscription> {
      return state(ours(await list()))
    },

    async sendTest(subscriptionId: string): Promise<void> {
      // 202 with a ProcessStatus: bol.com sends the test push afterwards, asynchronously.
      await bol.json({
        endpoint: 'subscriptions',
        method: 'POST',
        path: `/subscriptions/test/${encodeURIComponent(subscriptionId)}`,
        version: 'v10',
      })
    },

    isTest: isBolTestEvent,
  }
}
