// One marketplace as the simulation sees it: how fast LastUnit can detect its orders (bounded by the
// order API's rate limit and the engine's poll interval), how long a pushed figure takes to reach
// buyers, and its share of a product's demand. Figures from docs/marketplaces.md and the adapters'
// declared capabilities (orderPollIntervalMs, derived from each channel's orders limit: order-detection.ts).
import type { ZeroStockAction } from '../../core/channel-types'
import type { ListingChannel } from './listing-buffer'
import { AMAZON_LIMITS } from '../../core/channels/amazon-limits'
import { BOL_ENDPOINT_LIMITS } from '../../core/channels/bol-limits'
import { KAUFLAND_LIMITS } from '../../core/channels/kaufland-limits'
import { SHOPIFY_LIMITS } from '../../core/channels/shopify-limits'
import { ZALANDO_LIMITS } from '../../core/channels/zalando-limits'
import { defaultCapabilities } from '../../core/channels/channel-capabilities'

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

const perSecond = (w: { limit: number; windowSeconds: number }) => w.limit / w.windowSeconds

/**
 * Five channels of a typical LastUnit seller, their limits from each channel's limits file. Amazon:
 * searchOrders 0.0056 rps (one call per ~3 min sustained) and a listings patch that answers ACCEPTED and
 * shows minutes later. bol.com (v11 offer PATCH is synchronous), Kaufland and Shopify apply within seconds;
 * Zalando's 207 per-item results within tens of seconds. Latencies, call times, demand shares and Shopify's
 * call rates are the simulation's own assumptions.
 */
export const DEFAULT_CHANNELS: readonly ChannelProfile[] = [
  {
    id: 'amazon',
    demandShare: 0.4,
    orderPollIntervalMs: defaultCapabilities('amazon').orderPollIntervalMs,
    orderSearchRatePerSecond: AMAZON_LIMITS.operations.searchOrders.ratePerSecond,
    pushLatency: { minMs: 2 * MINUTE, maxMs: 8 * MINUTE },
    pushRatePerSecond: AMAZON_LIMITS.operations.patchListingsItem.ratePerSecond,
    pushBurst: AMAZON_LIMITS.operations.patchListingsItem.burst,
    // One patch per SKU: a change reaches Amazon on its own.
    bulkBatchSize: 1,
    pushCallMs: 400,
    zeroStockAction: 'push_zero',
  },
  {
    id: 'bol',
    demandShare: 0.25,
    orderPollIntervalMs: defaultCapabilities('bol').orderPollIntervalMs,
    orderSearchRatePerSecond: perSecond(BOL_ENDPOINT_LIMITS['orders-list']),
    pushLatency: { minMs: 0.5 * SECOND, maxMs: 3 * SECOND },
    pushRatePerSecond: perSecond(BOL_ENDPOINT_LIMITS['offers-update']),
    pushBurst: BOL_ENDPOINT_LIMITS['offers-update'].limit,
    // No bulk call: one offer per PATCH.
    bulkBatchSize: 1,
    pushCallMs: 300,
    zeroStockAction: 'pause',
  },
  {
    id: 'kaufland',
    demandShare: 0.1,
    orderPollIntervalMs: defaultCapabilities('kaufland').orderPollIntervalMs,
    orderSearchRatePerSecond: KAUFLAND_LIMITS.requestsPerSecond,
    pushLatency: { minMs: 2 * SECOND, maxMs: 10 * SECOND },
    pushRatePerSecond: KAUFLAND_LIMITS.requestsPerSecond,
    pushBurst: KAUFLAND_LIMITS.requestsPerSecond,
    bulkBatchSize: KAUFLAND_LIMITS.bulkMaxUnits,
    pushCallMs: 500,
    zeroStockAction: 'push_zero',
  },
  {
    id: 'zalando',
    demandShare: 0.1,
    orderPollIntervalMs: defaultCapabilities('zalando').orderPollIntervalMs,
    orderSearchRatePerSecond: ZALANDO_LIMITS.ordersPerMinute.production / 60,
    pushLatency: { minMs: 5 * SECOND, maxMs: 30 * SECOND },
    pushRatePerSecond: ZALANDO_LIMITS.stockRequestsPerMinute / 60,
    pushBurst: 1,
    bulkBatchSize: ZALANDO_LIMITS.stocksMaxItems,
    pushCallMs: 600,
    zeroStockAction: 'push_zero',
  },
  {
    id: 'shopify',
    demandShare: 0.15,
    orderPollIntervalMs: defaultCapabilities('shopify').orderPollIntervalMs,
    orderSearchRatePerSecond: 2,
    pushLatency: { minMs: 0.5 * SECOND, maxMs: 2 * SECOND },
    pushRatePerSecond: 2,
    pushBurst: 4,
    bulkBatchSize: SHOPIFY_LIMITS.setQuantitiesMax,
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
