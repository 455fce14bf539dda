// Notifications API v1 (destinations and subscriptions) and Orders v2026-01-01 getOrder, with the ORDER_CHANGE
// notification the simulator sends for each order change to the SQS destination of the subscription.
// - createDestination / getDestinations are grantless (an LWA client-credentials token with scope
//   sellingpartnerapi::notifications; a seller's token is refused there, and a grantless one elsewhere);
//   createSubscription / getSubscription take the seller's token ("Grantless operations"; the operations in
//   github.com/amzn/selling-partner-api-models notifications.json). Answers wrap their content in `payload`;
//   a second subscription of one type is 409 Conflict; getSubscription without one is 404 NotFound.
// - Each notification follows ../shared/specs/amazon/OrderChangeNotification.json (a test validates every one
//   sent): order level, the summary with MarketplaceId, OrderStatus, FulfillmentType (AFN for FBA orders),
//   OrderType and OrderItems {OrderItemId, SellerSKU, SupplySourceId, Quantity}.
import { randomUUID } from 'node:crypto'
import type { SimRoute } from '../../http/sim-server'
import { spApi } from './auth'
import type { AmazonContext } from './context'
import type { SimOrder } from './state'
import { amazonError, invalid, orderView } from './views'

const SQS_ARN = /^arn:aws:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}$/

export const APPLICATION_ID = 'amzn1.sp.solution.sim-lastunit'

const amazonStatus = (o: SimOrder) =>
  o.status === 'CANCELLED' ? 'Canceled' : o.status === 'SHIPPED' ? 'Shipped' : 'Unshipped'

/** The ORDER_CHANGE notification of an order as it stands (OrderChangeNotification.json). */
export function orderChangeNotification(
  ctx: AmazonContext,
  o: SimOrder,
  subscriptionId: string,
  change: { type: 'OrderStatusChange' | 'BuyerRequestedChange'; reason: string },
): Record<string, unknown> {
  const now = new Date(ctx.time.now()).toISOString()
  const status = amazonStatus(o)
  return {
    NotificationVersion: '1.0',
    NotificationType: 'ORDER_CHANGE',
    PayloadVersion: '1.0',
    EventTime: now,
    Payload: {
      OrderChangeNotification: {
        NotificationLevel: 'OrderLevel',
        SellerId: ctx.sellerId,
        AmazonOrderId: o.orderId,
        OrderChangeType: change.type,
        OrderChangeTrigger: {
          TimeOfOrderChange: new Date(o.lastUpdatedTime).toISOString(),
          ChangeReason: change.reason,
        },
        Summary: {
          MarketplaceId: ctx.marketplaceId,
          OrderStatus: status,
          PurchaseDate: new Date(o.createdTime).toISOString(),
          DestinationPostalCode: '10115',
          FulfillmentType: o.fulfilledBy === 'AMAZON' ? 'AFN' : 'MFN',
          OrderType: 'StandardOrder',
          NumberOfItemsShipped: status === 'Shipped' ? o.items.reduce((n, it) => n + it.quantity, 0) : 0,
          NumberOfItemsUnshipped: status === 'Unshipped' ? o.items.reduce((n, it) => n + it.quantity, 0) : 0,
          OrderItems: ctx.quirks.notificationWithoutItems
            ? []
            : o.items.map((it) => ({
                OrderItemId: it.orderItemId,
                SellerSKU: it.sku,
                SupplySourceId: null,
                Quantity: it.quantity,
                QuantityShipped: status === 'Shipped' ? it.quantity : 0,
              })),
        },
      },
    },
    NotificationMetadata: {
      ApplicationId: APPLICATION_ID,
      SubscriptionId: subscriptionId,
      PublishTime: now,
      NotificationId: randomUUID(),
    },
  }
}

/**
 * LISTINGS_ITEM_MFN_QUANTITY_CHANGE (../shared/specs/amazon/ListingsItemMfnQuantityChange.json) as an EventBridge
 * rule delivers it to an SQS target: the standard EventBridge event, the notification in its `detail`.
 */
export function mfnQuantityEvent(ctx: AmazonContext, sku: string, quantity: number) {
  const now = new Date(ctx.time.now()).toISOString()
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE',
    source: `aws.partner/sellingpartnerapi.amazon.com/000000000000/${APPLICATION_ID}`,
    account: '000000000000',
    time: now,
    region: 'eu-west-1',
    resources: [],
    detail: {
      NotificationVersion: '1.0',
      NotificationType: 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE',
      PayloadVersion: '1.0',
      EventTime: now,
      Payload: {
        SellerId: ctx.state.sellerId,
        FulfillmentChannelCode: 'DEFAULT',
        Sku: sku,
        Quantity: quantity,
      },
      NotificationMetadata: {
        ApplicationId: APPLICATION_ID,
        SubscriptionId: 'eventbridge-rule',
        PublishTime: now,
        NotificationId: randomUUID(),
      },
    },
  }
}

/** Sends the order's ORDER_CHANGE to the subscribed destination, if there is one. */
export function notifyOrderChange(
  ctx: AmazonContext,
  orderId: string,
  change: { type: 'OrderStatusChange' | 'BuyerRequestedChange'; reason: string },
): void {
  const sub = ctx.notifications.subscriptions.get('ORDER_CHANGE')
  const o = ctx.state.orders.get(orderId)
  if (!sub || !o) return
  const arn = ctx.notifications.destinations.get(sub.destinationId)?.arn
  const url = arn ? ctx.notifications.publisher.urlOf(arn) : null
  if (!url) return
  ctx.notifications.publisher.publish(
    url,
    JSON.stringify(orderChangeNotification(ctx, o, sub.subscriptionId, change)),
  )
}

export function notificationRoutes(ctx: AmazonContext): SimRoute[] {
  const n = ctx.notifications
  const destinationView = (id: string) => {
    const d = n.destinations.get(id)!
    return { destinationId: id, name: d.name, resource: { sqs: { arn: d.arn } } }
  }
  return [
    spApi(
      ctx,
      'POST',
      '/notifications/v1/destinations',
      'createDestination',
      (req) => {
        const b = req.json as
          { name?: unknown; resourceSpecification?: { sqs?: { arn?: unknown } } } | undefined
        const problems: string[] = []
        if (typeof b?.name !== 'string' || b.name.length === 0 || b.name.length > 256)
          problems.push('name is required (1-256 characters)')
        const arn = b?.resourceSpecification?.sqs?.arn
        if (typeof arn !== 'string' || !SQS_ARN.test(arn))
          problems.push('resourceSpecification.sqs.arn must be an SQS queue ARN')
        if (problems.length > 0) return invalid(problems)
        const existing = [...n.destinations.entries()].find(([, d]) => d.arn === arn)
        if (existing)
          return amazonError(
            409,
            'Conflict',
            `A destination for ${String(arn)} already exists (${existing[0]}).`,
          )
        const id = randomUUID()
        n.destinations.set(id, { name: b!.name as string, arn: arn as string })
        return { status: 200, body: { payload: destinationView(id) } }
      },
      undefined,
      true,
    ),
    spApi(
      ctx,
      'GET',
      '/notifications/v1/destinations',
      'getDestinations',
      () => ({ status: 200, body: { payload: [...n.destinations.keys()].map(destinationView) } }),
      undefined,
      true,
    ),
    spApi(ctx, 'POST', '/notifications/v1/subscriptions/:notificationType', 'createSubscription', (req) => {
      const type = req.params.notificationType ?? ''
      const b = req.json as { payloadVersion?: unknown; destinationId?: unknown } | undefined
      const problems: string[] = []
      if (type !== 'ORDER_CHANGE')
        problems.push(`notificationType ${type} is not simulated (only ORDER_CHANGE)`)
      if (b?.payloadVersion !== '1.0') problems.push('payloadVersion must be "1.0" for ORDER_CHANGE')
      if (typeof b?.destinationId !== 'string' || !n.destinations.has(b.destinationId))
        problems.push('destinationId does not name a destination of this application')
      if (problems.length > 0) return invalid(problems)
      if (n.subscriptions.has(type))
        return amazonError(409, 'Conflict', `A subscription for ${type} already exists for this seller.`)
      const sub = {
        subscriptionId: randomUUID(),
        payloadVersion: '1.0',
        destinationId: b!.destinationId as string,
      }
      n.subscriptions.set(type, sub)
      return { status: 200, body: { payload: sub } }
    }),
    spApi(ctx, 'GET', '/notifications/v1/subscriptions/:notificationType', 'getSubscription', (req) => {
      const sub = n.subscriptions.get(req.params.notificationType ?? '')
      return sub
        ? { status: 200, body: { payload: sub } }
        : amazonError(404, 'NotFound', `No subscription for ${req.params.notificationType ?? ''}.`)
    }),
    spApi(ctx, 'GET', '/orders/2026-01-01/orders/:orderId', 'getOrder', (req) => {
      const o = ctx.state.orders.get(req.params.orderId ?? '')
      if (!o) return amazonError(404, 'NotFound', `Order ${req.params.orderId ?? ''} was not found.`)
      const included = (req.query.get('includedData') ?? '').split(',')
      return { status: 200, body: { order: orderView(o, included, ctx.marketplaceId) } }
    }),
  ]
}
