// One marketplace as the simulation sees it: how fast LastUnit can detect its orders (bounded by the
// order API's rate limit and the engine's poll interval), how long a pushed figure takes to reach
// buyers, and its share of a product's demand. Figures from docs/marketplaces.md and the adapters'
// declared capabilities (orderPollIntervalMs).
import type { ZeroStockAction } from '../channel-types'
import type { ListingChannel } from '../buffers/listing-buffer'

export interface MsRange {
  minMs: number
  maxMs: number
}

export interface ChannelProfile {
  id: string
  /** Share of each product's demand that arrives on this channel (weights; normalised over channels). */
  demandShare: number
  /** The engine's order poll interval for this channel type. */
  orderPollIntervalMs: number
  /** Sustained calls per second the order search endpoint allows (its token-bucket rate). */
  orderSearchRatePerSecond: number
  /** From a push being sent until buyers see the new figure (round trip plus the channel applying it). */
  pushLatency: MsRange
  /** Push rate limit (token bucket) and bulk size, as the channel worker uses them. */
  pushRatePerSecond: number
  pushBurst: number
  bulkBatchSize: number
  /** How long one push call keeps the worker busy (newer values coalesce meanwhile). */
  pushCallMs: number
  zeroStockAction: ZeroStockAction
}

/**
 * How stale an order can be when LastUnit sees it: the poll interval, never faster than the order
 * API's sustained rate allows.
 */
export function detectionIntervalMs(ch: ChannelProfile): number {
  if (ch.orderPollIntervalMs === 0) return 0
  const floor = ch.orderSearchRatePerSecond > 0 ? 1000 / ch.orderSearchRatePerSecond : 0
  return Math.max(ch.orderPollIntervalMs, Math.round(floor))
}

/** What the buffer recommendation needs to know of a channel (the UI passes measured figures instead). */
export function toListingChannel(ch: ChannelProfile): ListingChannel {
  return {
    id: ch.id,
    demandShare: ch.demandShare,
    detectionIntervalMs: detectionIntervalMs(ch),
    pushLatency: ch.pushLatency,
  }
}

const SECOND = 1000
const MINUTE = 60 * SECOND

/**
 * Five channels of a typical LastUnit seller. Amazon: searchOrders 0.0056 rps (one call per ~3 min
 * sustained) and a listings patch that answers ACCEPTED and shows minutes later. bol.com (v11 offer
 * PATCH is synchronous), Kaufland and Shopify apply within seconds; Zalando's 207 per-item results within
 * tens of seconds.
 */
export const DEFAULT_CHANNELS: readonly ChannelProfile[] = [
  {
    id: 'amazon',
    demandShare: 0.4,
    orderPollIntervalMs: 180 * SECOND,
    orderSearchRatePerSecond: 0.0056,
    pushLatency: { minMs: 2 * MINUTE, maxMs: 8 * MINUTE },
    pushRatePerSecond: 5,
    pushBurst: 5,
    bulkBatchSize: 1,
    pushCallMs: 400,
    zeroStockAction: 'push_zero',
  },
  {
    id: 'bol',
    demandShare: 0.25,
    orderPollIntervalMs: 60 * SECOND,
    orderSearchRatePerSecond: 7 / 180,
    pushLatency: { minMs: 0.5 * SECOND, maxMs: 3 * SECOND },
    pushRatePerSecond: 25,
    pushBurst: 25,
    bulkBatchSize: 1,
    pushCallMs: 300,
    zeroStockAction: 'pause',
  },
  {
    id: 'kaufland',
    demandShare: 0.1,
    orderPollIntervalMs: 60 * SECOND,
    orderSearchRatePerSecond: 111,
    pushLatency: { minMs: 2 * SECOND, maxMs: 10 * SECOND },
    pushRatePerSecond: 111,
    pushBurst: 111,
    bulkBatchSize: 150,
    pushCallMs: 500,
    zeroStockAction: 'push_zero',
  },
  {
    id: 'zalando',
    demandShare: 0.1,
    orderPollIntervalMs: 60 * SECOND,
    orderSearchRatePerSecond: 40 / 60,
    pushLatency: { minMs: 5 * SECOND, maxMs: 30 * SECOND },
    pushRatePerSecond: 1,
    pushBurst: 1,
    bulkBatchSize: 1000,
    pushCallMs: 600,
    zeroStockAction: 'push_zero',
  },
  {
    id: 'shopify',
    demandShare: 0.15,
    orderPollIntervalMs: 60 * SECOND,
    orderSearchRatePerSecond: 2,
    pushLatency: { minMs: 0.5 * SECOND, maxMs: 2 * SECOND },
    pushRatePerSecond: 2,
    pushBurst: 4,
    bulkBatchSize: 250,
    pushCallMs: 400,
    zeroStockAction: 'push_zero',
  },
]

/** The same channels with every delay removed: orders seen at once, pushes applied at once. */
export function instantChannels(channels: readonly ChannelProfile[]): ChannelProfile[] {
  return channels.map((c) => ({
    ...c,
    orderPollIntervalMs: 0,
    pushLatency: { minMs: 0, maxMs: 0 },
    pushRatePerSecond: 1e9,
    pushBurst: 1e9,
    bulkBatchSize: 1_000_000,
    pushCallMs: 0,
  }))
}
