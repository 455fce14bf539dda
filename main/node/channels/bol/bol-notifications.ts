// bol.com orders through the seller's queue: a Retailer API v10 subscription (POST /retailer/subscriptions,
// SubscriptionRequest {resources: ["ORDER"], url, subscriptionType: "AWS_SQS", identity}) delivers ORDER events
// to the seller's SQS queue; GET /retailer/subscriptions lists them (SubscriptionsResponse)
// (../shared/specs/bol/retailer-v10.json). For AWS_SQS, `identity` "must be provided ... in format of AWS ARN"
// (arn:aws:iam::ACCOUNT:role/NAME): the role bol.com assumes to send; docs/faster-orders.md says what to create.
// bol.com publishes no schema for an ORDER event's body. Its documented push message (Retailer API
// "Subscriptions", the PROCESS_STATUS and SHIPMENT examples) is {retailerId, timestamp, event: {resource, type,
// resourceId}}, resourceId naming the resource; an ORDER event is read the same way, its resourceId the order
// id, and nothing else in it is relied on: the order detail (GET /retailer/orders/{id}, 8 a minute) gives the
// items, offer references and prices, so the order it brings is complete. FBB items (bol.com ships them) are
// left out, as in polling.
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import type {
  ChannelOrderNotifications,
  NotifiedOrder,
  OrderSubscription,
} from '../../../core/ports/order-queue'
import type { BolClient } from './bol-client'
import { mapBolOrder, type BolOrderDetails, type BolReducedOrder } from './bol-orders'

interface BolPushMessage {
  retailerId?: number | string
  timestamp?: string
  event?: { resource?: string; type?: string; resourceId?: string | number }
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
  details: BolOrderDetails,
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

  return {
    async read(raw: string): Promise<NotifiedOrder | null> {
      const m = JSON.parse(raw) as BolPushMessage
      if (!m || typeof m !== 'object' || !m.event || typeof m.event.resource !== 'string') return null
      if (m.event.resource !== 'ORDER')
        return { kind: 'ignored', orderId: null, reason: `a bol.com ${m.event.resource} event, not an order` }
      const orderId = m.event.resourceId
      if (orderId === undefined || orderId === '')
        throw new ClassifiedError(
          'permanent',
          'bol.event_malformed',
          'a bol.com ORDER event without its resourceId (the order id)',
        )
      const d = await details.getDetail(String(orderId))
      const items = (d.orderItems ?? []).filter((it) => it.fulfilment?.method !== 'FBB')
      if (items.length === 0)
        return {
          kind: 'ignored',
          orderId: String(orderId),
          reason: "fulfilled by bol.com (FBB): ships from bol.com's stock",
        }
      const reduced: BolReducedOrder = {
        orderId: d.orderId,
        orderPlacedDateTime: d.orderPlacedDateTime ?? null,
        orderItems: items.map((it) => ({
          orderItemId: it.orderItemId,
          ean: it.product?.ean ?? '',
          fulfilmentMethod: it.fulfilment?.method ?? 'FBR',
          fulfilmentStatus:
            (it.quantityShipped ?? 0) + (it.quantityCancelled ?? 0) >= (it.quantity ?? 0)
              ? 'HANDLED'
              : 'OPEN',
          quantity: it.quantity ?? 0,
          quantityShipped: it.quantityShipped ?? 0,
          quantityCancelled: it.quantityCancelled ?? 0,
          cancellationRequest: it.cancellationRequest ?? false,
          latestChangedDateTime: it.latestChangedDateTime ?? null,
        })),
      }
      if (reduced.orderItems.some((it) => !Number.isInteger(it.quantity) || it.quantity < 1))
        throw new ClassifiedError(
          'retryable',
          'bol.malformed',
          `bol.com order ${d.orderId}: the detail has an item without its quantity`,
        )
      return {
        kind: 'order',
        order: mapBolOrder(reduced, details.facts, m.timestamp ?? new Date(clock.now()).toISOString()),
        complete: true,
        eventAt: m.timestamp ?? null,
      }
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
  }
}
