// The order events of the Amazon and bol.com stand-ins (the generic simulator standing in for them in the
// engine benchmark), in the bodies the real marketplaces send and the real simulators publish:
// - Amazon: ORDER_CHANGE, ../shared/specs/amazon/OrderChangeNotification.json, built as
//   main/sandbox/channels/amazon/routes-notifications.ts builds it (a merchant-fulfilled order, its items in
//   the summary with SellerSKU: a stand-in's listing id is its SKU, as on Amazon);
// - bol.com: the documented push message {retailerId, timestamp, event: {resource, type, resourceId}}, as
//   main/sandbox/channels/bol/routes-subscriptions.ts sends it (bol.com publishes no schema for it).
import { randomUUID } from 'node:crypto'
import type { ChannelOrder } from '../../core/ports/channel-adapter'
import { APPLICATION_ID } from '../channels/amazon/routes-notifications'
import { BOL_SIM_RETAILER_ID } from '../channels/bol/routes-subscriptions'

export const STAND_IN_AMAZON_SELLER = 'A2SIMSELLER'
export const STAND_IN_AMAZON_MARKETPLACE = 'A1PA6795UKMFR9'

/** The ORDER_CHANGE notification of a new, merchant-fulfilled stand-in order. */
export function amazonOrderChange(o: ChannelOrder, subscriptionId = 'stand-in-subscription'): string {
  const units = o.lines.reduce((n, l) => n + l.quantity, 0)
  return JSON.stringify({
    NotificationVersion: '1.0',
    NotificationType: 'ORDER_CHANGE',
    PayloadVersion: '1.0',
    EventTime: new Date().toISOString(),
    Payload: {
      OrderChangeNotification: {
        NotificationLevel: 'OrderLevel',
        SellerId: STAND_IN_AMAZON_SELLER,
        AmazonOrderId: o.orderId,
        OrderChangeType: 'OrderStatusChange',
        OrderChangeTrigger: { TimeOfOrderChange: o.updatedAt, ChangeReason: 'Order placed' },
        Summary: {
          MarketplaceId: STAND_IN_AMAZON_MARKETPLACE,
          OrderStatus: 'Unshipped',
          PurchaseDate: o.createdAt,
          DestinationPostalCode: '10115',
          FulfillmentType: 'MFN',
          OrderType: 'StandardOrder',
          NumberOfItemsShipped: 0,
          NumberOfItemsUnshipped: units,
          OrderItems: o.lines.map((l) => ({
            OrderItemId: l.lineId,
            SellerSKU: l.listingId,
            SupplySourceId: null,
            Quantity: l.quantity,
            QuantityShipped: 0,
          })),
        },
      },
    },
    NotificationMetadata: {
      ApplicationId: APPLICATION_ID,
      SubscriptionId: subscriptionId,
      PublishTime: new Date().toISOString(),
      NotificationId: randomUUID(),
    },
  })
}

/**
 * The LISTINGS_ITEM_MFN_QUANTITY_CHANGE notification of a stand-in listing whose quantity changed (an order,
 * or a quantity LastUnit sent), ../shared/specs/amazon/ListingsItemMfnQuantityChange.json, inside the
 * EventBridge event an EventBridge rule forwards to the queue (Amazon delivers this notification through the
 * EventBridge workflow only; the event's `detail` is the notification).
 */
export function amazonMfnQuantityChange(
  sku: string,
  quantity: number,
  subscriptionId = 'stand-in-mfn',
): string {
  const now = new Date().toISOString()
  return JSON.stringify(eventBridgeEnvelope(mfnQuantityNotification(sku, quantity, subscriptionId), now))
}

/** The notification itself (what the schema describes). */
export function mfnQuantityNotification(sku: string, quantity: number, subscriptionId: string) {
  const now = new Date().toISOString()
  return {
    NotificationVersion: '1.0',
    NotificationType: 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE',
    PayloadVersion: '1.0',
    EventTime: now,
    Payload: {
      SellerId: STAND_IN_AMAZON_SELLER,
      FulfillmentChannelCode: 'DEFAULT',
      Sku: sku,
      Quantity: quantity,
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
 * An EventBridge event as a rule delivers it to an SQS target: the standard envelope (version, id,
 * detail-type, source, account, time, region, resources, detail). The SP-API partner event source is named
 * aws.partner/sellingpartnerapi.amazon.com/{account}/...; the detail-type is the notification type.
 */
export function eventBridgeEnvelope(detail: { NotificationType: string }, time: string) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detail.NotificationType,
    source: 'aws.partner/sellingpartnerapi.amazon.com/123456789012/amzn1.sellerapps.app.sim',
    account: '123456789012',
    time,
    region: 'eu-west-1',
    resources: [],
    detail,
  }
}

/** The ORDER event bol.com pushes for a new order. */
export function bolOrderEvent(o: ChannelOrder): string {
  return JSON.stringify({
    retailerId: BOL_SIM_RETAILER_ID,
    timestamp: new Date().toISOString(),
    event: { resource: 'ORDER', type: 'NEW_ORDER', resourceId: o.orderId },
  })
}

/**
 * The EAN of the bol.com stand-in's listing of a product: every bol.com offer has one (the Retailer API's
 * ReducedOrderItem names an order's items by it), a valid EAN-13 here (prefix 87, GS1 Netherlands).
 */
export function bolStandInEan(productId: number): string {
  const body = `87${String(productId).padStart(10, '0')}`
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0)
  return `${body}${(10 - (sum % 10)) % 10}`
}
