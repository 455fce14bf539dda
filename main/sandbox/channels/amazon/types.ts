// The Amazon simulator's public face: its options, the sandbox credentials, and the handle tests, the demo
// and the benches drive it through.
import type { AMAZON_LIMITS } from '../../../core/channels/amazon-limits'
import type { Clock } from '../../../core/ports/clock'
import type { FaultConfig, SimRequestLogEntry } from '../../http/sim-server'
import type { ChannelSimBase, ChannelSimProbe, RecordedRequest, SimLimit, SimRateLimits } from '../../kit'
import type { EventPublisher } from '../../queue/event-publisher'
import type { SqsSimulator } from '../../queue/sqs-simulator'

export const AMAZON_SIM_CREDENTIALS = {
  clientId: 'amzn1.application-oa2-client.sim',
  clientSecret: 'sim-lwa-secret',
  refreshToken: 'Atzr|sim-refresh-token',
}

export interface AmazonSimListing {
  sku: string
  quantity: number
  asin?: string
  title?: string
  productType?: string
  /**
   * DEFAULT: the seller ships it (MFN); AMAZON_EU, AMAZON_NA...: Amazon ships it from its own stock (FBA),
   * and the listing's availability shows only that code.
   */
  fulfillmentChannelCode?: string
}

export interface AmazonSimulatorOptions {
  sellerId?: string
  marketplaceId?: string
  credentials?: typeof AMAZON_SIM_CREDENTIALS
  /** 10 = every rate window and delay ten times shorter than on Amazon. */
  timeScale?: number
  /** Real-Amazon time before an ACCEPTED patch shows (ms, before scaling). */
  applyDelayMs?: number
  /** Real-Amazon time a listings feed takes (ms, before scaling). */
  feedProcessingMs?: number
  /** How long a feed document's upload URL works (ms, before scaling): 5 minutes, as the spec says. */
  uploadUrlLifetimeMs?: number
  tokenTtlSeconds?: number
  limits?: Partial<Record<keyof typeof AMAZON_LIMITS.operations, SimLimit>>
  /** Result documents gzip-compressed, as Amazon may deliver them. */
  gzipReports?: boolean
  faults?: FaultConfig
  random?: () => number
  clock?: Clock
  port?: number
  /** Where ORDER_CHANGE notifications go (an SQS simulator): the subscription's destination must be on it. */
  queue?: SqsSimulator
  /** Share of notifications Amazon fails to send (seeded by `eventRandom`). Default 0. */
  eventLossRate?: number
  eventRandom?: () => number
}

export interface AmazonSimOrderInput {
  orderId?: string
  items: { sku: string; quantity: number; unitPrice?: number }[]
  /** AMAZON: an FBA order, shipped from Amazon's stock (the seller's listing quantity is not touched). */
  fulfilledBy?: 'MERCHANT' | 'AMAZON'
}

/** Answers the spec allows that break a careless client; all off by default, switched on the handle. */
export interface AmazonSimQuirks {
  /**
   * A page asked for with a token answers that same token as its nextToken (searchOrders and
   * searchListingsItems): the spec only says nextToken is a string, and a token is not promised to change.
   */
  repeatNextToken: boolean
  /** ORDER_CHANGE notifications carry no OrderItems (the client must read the order with getOrder). */
  notificationWithoutItems: boolean
}

export interface AmazonSimulator extends ChannelSimBase {
  /** Spec-valid answers that break careless clients (switch them on for a test). */
  readonly quirks: AmazonSimQuirks
  readonly url: string
  readonly sellerId: string
  readonly marketplaceId: string
  readonly requests: SimRequestLogEntry[]
  /** Every request as received (for contract tests). */
  readonly received: RecordedRequest[]
  readonly counts: { patches: number; feeds: number; tokens: number; throttled: number; rejected: number }
  /** The usage-plan limits (and their latest refusals). */
  readonly limits: SimRateLimits
  setListings(listings: AmazonSimListing[]): void
  /** The quantity buyers see now (pending patches and feeds not yet applied). */
  quantityOf(sku: string): number | undefined
  placeOrder(input: AmazonSimOrderInput): string
  cancelOrder(orderId: string, itemIndex?: number): void
  shipOrder(orderId: string): void
  /** Every access token issued so far stops working, as when Amazon expires them. */
  expireTokens(): void
  /** The seller revoked the app: refresh grants fail from now on. */
  revokeRefreshToken(): void
  /** The campaign probe: listings by SKU, writes when a patch or feed is accepted (not when applied). */
  readonly probe: ChannelSimProbe
  /** ORDER_CHANGE notifications: every body sent (and lost), and the queue they go to. */
  readonly notifications: EventPublisher
  /** Sends the notifications to this queue simulator from now on (null: nowhere). */
  connectQueue(queue: SqsSimulator | null): void
  /**
   * The seller's EventBridge rule that forwards LISTINGS_ITEM_MFN_QUANTITY_CHANGE to a queue (null: none).
   * Amazon delivers this notification through the EventBridge workflow only; the rule (made in the seller's
   * AWS account) puts the EventBridge event, the notification in its `detail`, on the queue. From then on
   * every change of a seller-fulfilled listing's quantity (an order, a quantity applied) is published,
   * subject to the publisher's losses like every other event.
   */
  forwardQuantityEvents(queueUrl: string | null): void
}
