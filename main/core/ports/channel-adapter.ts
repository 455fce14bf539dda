// The port every marketplace adapter implements (main/node/channels/<type>/). The engine's per-channel
// worker only talks to this interface: it batches to `bulkBatchSize`, holds `rateLimits`, and tracks
// asynchronous confirmations for adapters that declare them.
import type { ChannelType, ZeroStockAction } from '../channel-types'
import type { ChannelOrderNotifications } from './order-queue'

export interface RateLimitSpec {
  /** What the limit covers, e.g. "push", "orders", "token". */
  scope: 'push' | 'orders' | 'read' | 'token'
  /** Sustained requests per second. */
  ratePerSecond: number
  /** Bucket size (burst); with `windowMs`, the calls allowed in one window. */
  burst: number
  /**
   * Set when the channel publishes a window, not a bucket: at most `burst` calls in any `windowMs` (bol's
   * "7 per 3 minutes"). A token bucket of that burst and rate would allow twice as many in one window.
   */
  windowMs?: number
  /** Item updates per second, where the channel limits items as well as requests (Zalando). */
  itemsPerSecond?: number
}

export interface ChannelCapabilities {
  /** Most listings one push call can carry. 1 means single updates only. */
  bulkBatchSize: number
  rateLimits: RateLimitSpec[]
  zeroStockActions: ZeroStockAction[]
  /** True when "accepted" is not "applied" (Amazon feeds, Zalando, Kaufland per-item results). */
  asyncConfirmation: boolean
  /** True when the live quantity can be read back for reconciliation. */
  readBack: boolean
  /** How often orders may be polled, from the channel's rate limits. */
  orderPollIntervalMs: number
  /**
   * How often orders are polled while the channel's order queue is up (polling is the safety net then), when
   * the queue's events need part of the orders allowance (bol.com: its orders list). Absent: unchanged.
   */
  orderPollWithQueueMs?: number
  /**
   * Longest time an accepted write may take to be applied, when the channel may apply writes out of the
   * order they were sent (Amazon: a feed sent before a patch can land after it). A listing that got a newer
   * value while an older one was still unconfirmed is read back once this has passed. Undefined: writes
   * apply in the order they are answered.
   */
  applyWindowMs?: number
}

/** One desired state of one listing, as the outbox hands it to the adapter. */
export interface PushItem {
  listingId: string
  /** Absolute quantity to publish. */
  quantity: number
  /** 'pause' and 'resume' only for channels whose zero-stock action is pause. */
  action: 'set' | 'pause' | 'resume'
  /** Freshness stamp; a higher stamp is newer. */
  stamp: number
}

export type PushOutcome =
  /** Applied and confirmed. */
  | 'confirmed'
  /** Accepted for processing; confirm later through `confirm()`. */
  | 'accepted'
  /** Refused for this item; do not retry the same value. */
  | 'rejected'
  /** Temporary failure for this item; retry. */
  | 'retry'

export interface PushItemResult {
  listingId: string
  stamp: number
  outcome: PushOutcome
  /** Channel's code, e.g. Zalando 104 (held until onboarded). */
  code?: string
  message?: string
  /** For 'accepted': what to ask the channel about later (feed id, process status id, ...). */
  confirmationToken?: string
  /**
   * For 'retry': the failure was the channel's (throttling, an outage, its login), not this listing's. It is
   * retried without counting toward blocking the listing: a storm must not block listings that did nothing.
   */
  transient?: boolean
}

export interface RateLimitObservation {
  /** Requests left in the current window, from response headers. */
  remaining?: number
  /** When the window resets (ms from now). */
  resetInMs?: number
  /** Retry-After (ms), when the channel asked us to wait. */
  retryAfterMs?: number
}

export interface PushBatchResult {
  results: PushItemResult[]
  rateLimit?: RateLimitObservation
  /** API calls this batch cost (for call accounting). */
  calls: number
}

export interface ChannelListing {
  listingId: string
  sku: string | null
  ean: string | null
  /** Channel ids that help mapping: ASIN, offer id, item id, variant id... */
  externalIds: Record<string, string>
  title: string
  quantity: number | null
  paused: boolean
}

export interface ListingState {
  listingId: string
  quantity: number
  /** Paused, on hold, withdrawn, draft... */
  available: boolean
}

export interface ChannelOrderLine {
  lineId: string
  /** The listing this line sold, when the channel names it. */
  listingId: string | null
  sku: string | null
  ean: string | null
  externalIds: Record<string, string>
  quantity: number
  /** Units cancelled on this line. */
  cancelledQuantity: number
  unitPrice: number
}

export type ChannelOrderStatus = 'open' | 'shipped' | 'cancelled' | 'partially_cancelled'

export interface ChannelOrder {
  orderId: string
  status: ChannelOrderStatus
  /** ISO timestamp of the last change on the channel. */
  updatedAt: string
  createdAt: string
  currency: string
  lines: ChannelOrderLine[]
}

export interface Page<T> {
  items: T[]
  /** Cursor for the next page, absent on the last page. */
  next?: string
}

export interface ConnectionTestResult {
  ok: boolean
  /** Plain words: what works, or what is wrong and how to fix it. */
  message: string
  details?: Record<string, string>
}

export interface ChannelAdapter {
  readonly type: ChannelType
  readonly capabilities: ChannelCapabilities
  testConnection(): Promise<ConnectionTestResult>
  /** Push up to `bulkBatchSize` items. Throws ClassifiedError for whole-batch failures. */
  push(items: PushItem[]): Promise<PushBatchResult>
  /** Ask about items answered 'accepted'. Items still in progress are omitted. */
  confirm?(tokens: string[]): Promise<PushItemResult[]>
  readBack?(listingIds: string[]): Promise<ListingState[]>
  listListings(cursor?: string): Promise<Page<ChannelListing>>
  /** Orders changed since the ISO timestamp (the caller applies the overlap window). */
  fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>>
  /** Orders pushed through the seller's own queue (Amazon, bol.com): see ports/order-queue.ts. */
  readonly notifications?: ChannelOrderNotifications
  close?(): Promise<void>
}
