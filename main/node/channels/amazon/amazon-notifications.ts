// Amazon orders through the seller's queue: the Notifications API v1 subscription that sends ORDER_CHANGE to
// an SQS destination, and the reading of one notification.
// - createDestination and getDestinations are grantless: they take an LWA token from the client credentials
//   grant with scope sellingpartnerapi::notifications, not the seller's refresh token ("Grantless operations";
//   createDestination's description in the notifications model). createSubscription and getSubscription take
//   the seller's token. Paths and bodies: Notifications API v1 reference (POST /notifications/v1/destinations
//   {name, resourceSpecification: {sqs: {arn}}}; POST /notifications/v1/subscriptions/{notificationType}
//   {payloadVersion, destinationId}); every answer wraps its content in `payload`.
// - The queue must let Amazon's SP-API principal (account 437568002678) SendMessage and GetQueueAttributes
//   ("Set up notifications using the Amazon Simple Queue Service workflow"); docs/faster-orders.md.
// - A notification is ../shared/specs/amazon/OrderChangeNotification.json: the order id, and in Summary the
//   marketplace, the order status, FulfillmentType (AFN: fulfilled by Amazon, left out) and OrderItems with
//   OrderItemId, SellerSKU and Quantity. It names no prices: an order stored from it is provisional until the
//   next order poll reads it whole. A summary without its items is completed with getOrder (0.5 rps, burst 30).
import { ClassifiedError } from '../../../core/errors'
import type { ChannelOrder, ChannelOrderStatus } from '../../../core/ports/channel-adapter'
import type {
  ChannelOrderNotifications,
  NotifiedOrder,
  OrderSubscription,
} from '../../../core/ports/order-queue'
import { amazonCall, amazonUserAgent } from './amazon-client'
import { AMAZON_LWA_TOKEN_URL } from './amazon-config'
import type { AmazonContext } from './amazon-context'
import { MFN_QUANTITY_CHANGE, readMfnQuantity, unwrapEventBridge } from './amazon-mfn-quantity'
import { fulfilledByAmazon, mapAmazonOrder, type AmazonOrder } from './amazon-orders'

export const ORDER_CHANGE = 'ORDER_CHANGE'
const NOTIFICATIONS_SCOPE = 'sellingpartnerapi::notifications'

interface OrderChangeItem {
  OrderItemId?: string
  SellerSKU?: string
  Quantity?: number
  QuantityShipped?: number
}

interface OrderChangeBody {
  NotificationType?: string
  EventTime?: string
  Payload?: {
    OrderChangeNotification?: {
      SellerId?: string
      AmazonOrderId?: string
      OrderChangeTrigger?: { TimeOfOrderChange?: string | null }
      Summary?: {
        MarketplaceId?: string
        OrderStatus?: string
        PurchaseDate?: string | null
        FulfillmentType?: string
        OrderItems?: OrderChangeItem[]
      }
    }
  }
}

const statusOf = (s: string | undefined): ChannelOrderStatus =>
  s === 'Canceled' ? 'cancelled' : s === 'Shipped' ? 'shipped' : 'open'

/** The order a notification's summary describes; null when the summary lacks an item's id, SKU or quantity. */
export function orderFromSummary(n: OrderChangeBody): ChannelOrder | null {
  const o = n.Payload?.OrderChangeNotification
  const items = o?.Summary?.OrderItems
  if (!o?.AmazonOrderId || !Array.isArray(items) || items.length === 0) return null
  if (
    items.some((it) => !it.OrderItemId || !it.SellerSKU || !Number.isInteger(it.Quantity) || it.Quantity! < 0)
  )
    return null
  const status = statusOf(o.Summary?.OrderStatus)
  const at = o.OrderChangeTrigger?.TimeOfOrderChange ?? n.EventTime ?? new Date(0).toISOString()
  return {
    orderId: o.AmazonOrderId,
    status,
    updatedAt: at,
    createdAt: o.Summary?.PurchaseDate ?? at,
    currency: '',
    lines: items.map((it) => ({
      lineId: it.OrderItemId!,
      listingId: it.SellerSKU!,
      sku: it.SellerSKU!,
      ean: null,
      externalIds: {},
      quantity: it.Quantity!,
      cancelledQuantity: status === 'cancelled' ? it.Quantity! : 0,
      // Not in the notification: the poll that completes the provisional order stores the price.
      unitPrice: 0,
    })),
  }
}

export function amazonNotifications(ctx: AmazonContext): ChannelOrderNotifications {
  const { client, config } = ctx
  const ua = amazonUserAgent(config)
  let grantless: { token: string; until: number } | null = null

  /** An LWA token for grantless operations (client credentials, the notifications scope), kept until it ends. */
  const grantlessToken = async (): Promise<string> => {
    if (grantless && grantless.until > ctx.clock.now()) return grantless.token
    const res = await client.request({
      method: 'POST',
      path: config.tokenUrl ?? AMAZON_LWA_TOKEN_URL,
      what: 'LWA token for grantless operations (notifications)',
      anonymous: true,
      headers: { 'user-agent': ua, accept: 'application/json' },
      rawBody: {
        text: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: NOTIFICATIONS_SCOPE,
          client_id: config.credentials.clientId,
          client_secret: config.credentials.clientSecret,
        }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      },
    })
    const b = JSON.parse(res.text) as { access_token?: string; expires_in?: number }
    if (!b.access_token)
      throw new ClassifiedError(
        'retryable',
        'amazon.token_malformed',
        'Amazon LWA answered the grantless token request without an access_token',
      )
    grantless = { token: b.access_token, until: ctx.clock.now() + ((b.expires_in ?? 3600) - 60) * 1000 }
    return grantless.token
  }

  const grantlessCall = async <T>(
    op: 'createDestination' | 'getDestinations',
    method: string,
    body?: unknown,
  ) =>
    client.json<T>({
      ...amazonCall(op, method, '/notifications/v1/destinations', body === undefined ? {} : { body }),
      anonymous: true,
      headers: { 'user-agent': ua, accept: 'application/json', 'x-amz-access-token': await grantlessToken() },
    })

  const getSubscription = async (): Promise<{ subscriptionId: string; destinationId: string } | null> => {
    try {
      const r = await client.json<{ payload?: { subscriptionId?: string; destinationId?: string } }>(
        amazonCall('getSubscription', 'GET', `/notifications/v1/subscriptions/${ORDER_CHANGE}`),
      )
      return r.payload?.subscriptionId && r.payload.destinationId
        ? { subscriptionId: r.payload.subscriptionId, destinationId: r.payload.destinationId }
        : null
    } catch (e) {
      if (e instanceof ClassifiedError && /not_?found|NotFound|404/i.test(`${e.code} ${e.message}`))
        return null
      throw e
    }
  }

  const destinations = async () =>
    (
      await grantlessCall<{
        payload?: { destinationId: string; name: string; resource?: { sqs?: { arn?: string } } }[]
      }>('getDestinations', 'GET')
    ).payload ?? []

  return {
    async read(raw: string): Promise<NotifiedOrder | null> {
      const body = unwrapEventBridge(JSON.parse(raw))
      const q = readMfnQuantity(body)
      if (q) {
        if (q.sellerId !== config.sellerId) return null
        if (q.fulfillmentChannelCode !== 'DEFAULT')
          return {
            kind: 'ignored',
            orderId: null,
            reason: `${MFN_QUANTITY_CHANGE} of SKU ${q.sku} for ${q.fulfillmentChannelCode}: fulfilled by Amazon (FBA)`,
          }
        return { kind: 'quantity', listingId: q.sku, quantity: q.quantity, eventAt: q.eventAt }
      }
      const n = body as OrderChangeBody
      const o = n.Payload?.OrderChangeNotification
      if (n.NotificationType !== ORDER_CHANGE || !o?.AmazonOrderId) return null
      // Another seller's, or a marketplace this channel does not sell on (another Amazon channel may).
      if (o.SellerId !== config.sellerId) return null
      const market = o.Summary?.MarketplaceId
      if (market && !config.marketplaceIds.includes(market)) return null
      if (o.Summary?.FulfillmentType === 'AFN')
        return {
          kind: 'ignored',
          orderId: o.AmazonOrderId,
          reason: "fulfilled by Amazon (FBA): ships from Amazon's stock",
        }
      const order = orderFromSummary(n)
      if (order) return { kind: 'order', order, complete: false, eventAt: n.EventTime ?? null }
      // The summary lacks the items: read the order itself (paced by getOrder's usage plan).
      const res = await client.json<{ order?: AmazonOrder }>(
        amazonCall('getOrder', 'GET', `/orders/2026-01-01/orders/${encodeURIComponent(o.AmazonOrderId)}`, {
          query: new URLSearchParams({ includedData: 'FULFILLMENT,CANCELLATION' }),
        }),
      )
      if (!res.order || !Array.isArray(res.order.orderItems))
        throw new ClassifiedError(
          'retryable',
          'amazon.malformed',
          `Amazon getOrder answered without the order ${o.AmazonOrderId}`,
        )
      if (fulfilledByAmazon(res.order))
        return {
          kind: 'ignored',
          orderId: o.AmazonOrderId,
          reason: "fulfilled by Amazon (FBA): ships from Amazon's stock",
        }
      return { kind: 'order', order: mapAmazonOrder(res.order), complete: true, eventAt: n.EventTime ?? null }
    },

    async subscribe(queue): Promise<OrderSubscription> {
      const existing = (await destinations()).find((d) => d.resource?.sqs?.arn === queue.arn)
      const destinationId =
        existing?.destinationId ??
        (
          await grantlessCall<{ payload?: { destinationId?: string } }>('createDestination', 'POST', {
            name: `lastunit-${config.sellerId}`.slice(0, 256),
            resourceSpecification: { sqs: { arn: queue.arn } },
          })
        ).payload?.destinationId
      if (!destinationId)
        throw new ClassifiedError(
          'retryable',
          'amazon.malformed',
          'Amazon createDestination answered without a destinationId',
        )
      const current = await getSubscription()
      if (current && current.destinationId !== destinationId)
        return {
          active: false,
          subscriptionId: current.subscriptionId,
          destination: current.destinationId,
          message: `This app already sends ORDER_CHANGE to another destination (${current.destinationId}); delete that subscription first (deleteSubscriptionById) to send it to ${queue.arn}.`,
        }
      const sub =
        current ??
        (
          await client.json<{ payload?: { subscriptionId?: string; destinationId?: string } }>(
            amazonCall('createSubscription', 'POST', `/notifications/v1/subscriptions/${ORDER_CHANGE}`, {
              body: { payloadVersion: '1.0', destinationId },
            }),
          )
        ).payload
      return {
        active: Boolean(sub?.subscriptionId),
        subscriptionId: sub?.subscriptionId ?? null,
        destination: queue.arn,
        message: sub?.subscriptionId
          ? `Amazon sends ORDER_CHANGE notifications to ${queue.arn} (subscription ${sub.subscriptionId}).`
          : 'Amazon did not answer with a subscription id.',
      }
    },

    async subscription(): Promise<OrderSubscription> {
      const sub = await getSubscription()
      if (!sub)
        return {
          active: false,
          subscriptionId: null,
          destination: null,
          message: 'No ORDER_CHANGE subscription: orders are polled only.',
        }
      const dest = (await destinations()).find((d) => d.destinationId === sub.destinationId)
      const arn = dest?.resource?.sqs?.arn ?? null
      return {
        active: true,
        subscriptionId: sub.subscriptionId,
        destination: arn ?? sub.destinationId,
        message: `Amazon sends ORDER_CHANGE notifications to ${arn ?? `destination ${sub.destinationId}`}.`,
      }
    },
  }
}
