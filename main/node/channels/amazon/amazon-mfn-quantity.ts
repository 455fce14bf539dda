// Amazon's LISTINGS_ITEM_MFN_QUANTITY_CHANGE notification (../shared/specs/amazon/ListingsItemMfnQuantityChange.json:
// Payload {SellerId, FulfillmentChannelCode, Sku, Quantity}) as it reaches the seller's queue. Amazon sends it
// through the EventBridge workflow only ("Set up notifications using the Amazon EventBridge workflow": a
// destination with resourceSpecification.eventBridge {region, accountId}, a partner event source, and a rule
// whose target is the queue). A rule forwarding to SQS delivers the EventBridge event itself as the message
// body, the notification in its `detail`; a notification sent to the queue directly has no envelope. Both
// are read; anything else that names this notification is refused with the reason.
import { ClassifiedError } from '../../../core/errors'

export const MFN_QUANTITY_CHANGE = 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE'

export interface MfnQuantityNotification {
  sellerId: string
  sku: string
  /** DEFAULT: the seller ships it (MFN); anything else is a fulfillment network of Amazon's. */
  fulfillmentChannelCode: string
  quantity: number
  /** EventTime, ms since the epoch. */
  eventAt: number
}

const bad = (why: string) =>
  new ClassifiedError('permanent', 'amazon.malformed', `Amazon ${MFN_QUANTITY_CHANGE} notification: ${why}`)

/** The notification inside an EventBridge event (`detail`), or the body itself when it has no envelope. */
export function unwrapEventBridge(body: unknown): unknown {
  if (body && typeof body === 'object' && 'detail' in body && 'detail-type' in body) {
    const detail = (body as { detail: unknown }).detail
    if (!detail || typeof detail !== 'object' || Array.isArray(detail))
      throw new ClassifiedError(
        'permanent',
        'amazon.malformed',
        'an EventBridge event from the queue has no notification object in its "detail"',
      )
    return detail
  }
  return body
}

/** The quantity notification, or null when the body is another notification (or not Amazon's). */
export function readMfnQuantity(body: unknown): MfnQuantityNotification | null {
  const n = body as {
    NotificationType?: unknown
    EventTime?: unknown
    Payload?: {
      SellerId?: unknown
      FulfillmentChannelCode?: unknown
      Sku?: unknown
      Quantity?: unknown
    }
  }
  if (!n || typeof n !== 'object' || n.NotificationType !== MFN_QUANTITY_CHANGE) return null
  const p = n.Payload
  if (!p || typeof p !== 'object') throw bad('no Payload')
  if (typeof p.SellerId !== 'string' || !p.SellerId) throw bad('Payload.SellerId is missing')
  if (typeof p.Sku !== 'string' || !p.Sku) throw bad('Payload.Sku is missing')
  if (typeof p.FulfillmentChannelCode !== 'string' || !p.FulfillmentChannelCode)
    throw bad(`Payload.FulfillmentChannelCode of SKU ${p.Sku} is missing`)
  if (typeof p.Quantity !== 'number' || !Number.isInteger(p.Quantity) || p.Quantity < 0)
    throw bad(
      `Payload.Quantity of SKU ${p.Sku} is ${JSON.stringify(p.Quantity)}, not a whole number of 0 or more`,
    )
  const eventAt = typeof n.EventTime === 'string' ? Date.parse(n.EventTime) : NaN
  if (Number.isNaN(eventAt))
    throw bad(`EventTime of SKU ${p.Sku} is ${JSON.stringify(n.EventTime)}, not a date-time`)
  return {
    sellerId: p.SellerId,
    sku: p.Sku,
    fulfillmentChannelCode: p.FulfillmentChannelCode,
    quantity: p.Quantity,
    eventAt,
  }
}
