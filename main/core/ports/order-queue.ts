// The seller's own order queue (Amazon SQS), as the engine sees it, and what a channel adapter does with its
// messages. A desktop app behind a home router cannot receive webhooks, but it can long-poll a queue the
// seller owns: Amazon's ORDER_CHANGE notifications and bol.com's ORDER subscription both deliver there.
import type { ChannelOrder } from './channel-adapter'

export interface QueueMessage {
  /** The queue's id for the message: the same on every delivery of it. */
  messageId: string
  /** This delivery's handle: what delete and changeVisibility take. */
  receiptHandle: string
  body: string
  /** How many times the queue has delivered it (1 on the first delivery). */
  receiveCount: number
  /** When the queue received it (ms since the epoch), when it says. */
  sentAt: number | null
}

export interface QueueAttributes {
  /** The queue's ARN: what a marketplace's subscription names as its destination. */
  arn: string
  visibilityTimeoutSeconds: number
  /** Messages waiting (approximate, as SQS counts them). */
  messages: number
}

/** A queue, on one account's credentials. Errors are ClassifiedErrors (needs_seller: revoked, deleted). */
export interface OrderQueue {
  /** Where the queue is (its URL), for messages and for deduplication. */
  readonly url: string
  /** Long-polls up to `waitSeconds` for up to `max` messages, hidden from other readers for `visibilitySeconds`. */
  receive(opts: { waitSeconds: number; max: number; visibilitySeconds: number }): Promise<QueueMessage[]>
  /** Removes a message for good: only once what it said is stored. */
  delete(receiptHandle: string): Promise<void>
  /** Hides a delivered message for `seconds` more (0: deliver it again at once). */
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>
  attributes(): Promise<QueueAttributes>
  /** Ends every call in flight (a long poll too) and releases the connection. */
  close(): void
}

/** What a channel made of one queue message. */
export type NotifiedOrder =
  /**
   * An order of this channel. `complete`: its lines carry prices and currency as an order poll would; else
   * it is stored provisionally (pending units at once, imported once a poll has read it whole).
   */
  | { kind: 'order'; order: ChannelOrder; complete: boolean; eventAt: string | null }
  /** This channel's, but left out (fulfilled by the marketplace, not an order change LastUnit needs). */
  | { kind: 'ignored'; orderId: string | null; reason: string }
  /**
   * The quantity the marketplace shows for a seller-fulfilled listing after it changed (Amazon's
   * LISTINGS_ITEM_MFN_QUANTITY_CHANGE): a sale not seen yet when below what LastUnit sent.
   */
  | { kind: 'quantity'; listingId: string; quantity: number; eventAt: number }
  /** A test event the marketplace sent on request (bol.com's test push): proves delivery, carries no order. */
  | { kind: 'test'; subscriptionId: string | null; eventAt: string | null }

/** The marketplace's subscription that feeds the queue with this channel's orders. */
export interface OrderSubscription {
  active: boolean
  /** The marketplace's id for the subscription, when there is one. */
  subscriptionId: string | null
  /** Where it delivers (the queue's ARN or URL), as the marketplace says. */
  destination: string | null
  /** Plain words: what is set up, or what is missing. */
  message: string
}

/** A channel whose orders can come through the seller's queue (Amazon, bol.com). */
export interface ChannelOrderNotifications {
  /**
   * Reads one message body: the order it announces (fetching what the event lacks, within the channel's
   * limits), why it is left out, or null when it is not this channel's (another marketplace, another seller).
   * Throws a ClassifiedError when a fetch fails (the message is then delivered again later).
   */
  read(body: string): Promise<NotifiedOrder | null>
  /** Creates what the marketplace needs to deliver order events to the queue (idempotent). */
  subscribe(queue: { arn: string; url: string }): Promise<OrderSubscription>
  /** Asks the marketplace whether the subscription exists and where it delivers. */
  subscription(): Promise<OrderSubscription>
  /**
   * Asks the marketplace to send a test event to the subscription's queue (bol.com's test push); absent when
   * the marketplace has no such operation (Amazon's Notifications API).
   */
  sendTest?(subscriptionId: string): Promise<void>
  /** True when a message body is this channel's test event (read without any call to the marketplace). */
  isTest?(body: string): boolean
}
