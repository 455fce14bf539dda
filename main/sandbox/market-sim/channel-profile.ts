// One marketplace as the simulation sees it: how fast LastUnit can detect its orders (bounded by the
// order API's rate limit and the engine's poll interval), how long a pushed figure takes to reach
// buyers, and its share of a product's demand. Figures from docs/marketplaces.md and the adapters'
// declared capabilities (orderPollIntervalMs, derived from each channel's orders limit: order-detection.ts).
import type { ChannelType, ZeroStockAction } from '../../core/channel-types'
import type { PolicyChannel } from '../../core/buffers/buffer-policy'
import { applyDelayOf, policyChannel } from '../../core/buffers/policy-channels'
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
  type: ChannelType
  /** Share of each product's demand that arrives on this channel (weights; normalised over channels). */
  demandShare: number
  /** The engine's order poll interval for this channel type. */
  orderPollIntervalMs: number
  /** Sustained calls per second the order search endpoint allows (its token-bucket rate). */
  orderSearchRatePerSecond: number
  /** From a push being sent until the channel has accepted it (the round trip the engine measures). */
  pushLatency: MsRange
  /** From the channel accepting a figure until buyers see it (Amazon: minutes; policy-channels.ts). */
  applyDelay: MsRange
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

/**
 * The channel as the app hands it to the buffer policy: through the same policyChannel() the Buffers
 * screen uses, from what the engine's status would report (the effective order interval, the median and
 * p99 of its measured push latency: call time plus round trip, and for a channel with notifications its
 * queue, up, with the median and slowest time from order to pending). Not the demand share: the app does not
 * know it, so the policy splits the velocity equally, as it does in the app.
 */
export function toPolicyChannel(ch: ChannelProfile, notifiedDelay?: MsRange | null): PolicyChannel {
  return policyChannel({
    channelId: ch.id,
    type: ch.type,
    orderPollIntervalMs: detectionIntervalMs(ch),
    latencyP50Ms: ch.pushCallMs + (ch.pushLatency.minMs + ch.pushLatency.maxMs) / 2,
    latencyP99Ms: ch.pushCallMs + ch.pushLatency.maxMs,
    // A channel with notifications: its queue works and the engine's status reports the measured time from
    // order to pending (median and slowest of the delivery delay).
    orderQueue: notifiedDelay
      ? {
          state: 'up',
          orderToPendingP50Ms: (notifiedDelay.minMs + notifiedDelay.maxMs) / 2,
          orderToPendingMaxMs: notifiedDelay.maxMs,
        }
      : null,
  })
}

const SECOND = 1000

const perSecond = (w: { limit: number; windowSeconds: number }) => w.limit / w.windowSeconds

/**
 * Five channels of a typical LastUnit seller, their limits from each channel's limits file. Amazon:
 * searchOrders 0.0056 rps (one call per ~3 min sustained) and a listings patch that answers ACCEPTED and
 * shows minutes later (MARKETPLACE_APPLY_DELAY). bol.com (v11 offer PATCH is synchronous), Kaufland and Shopify apply within seconds;
 * Zalando's 207 per-item results within tens of seconds. Latencies, call times, demand shares and Shopify's
 * call rates are the simulation's own assumptions.
 */
export const DEFAULT_CHANNELS: readonly ChannelProfile[] = [
  {
    id: 'amazon',
    type: 'amazon',
    demandShare: 0.4,
    orderPollIntervalMs: defaultCapabilities('amazon').orderPollIntervalMs,
    orderSearchRatePerSecond: AMAZON_LIMITS.operations.searchOrders.ratePerSecond,
    // The patch answers ACCEPTED within a second or two; Amazon shows the figure minutes later.
    pushLatency: { minMs: 0.3 * SECOND, maxMs: 2 * SECOND },
    applyDelay: applyDelayOf('amazon'),
    pushRatePerSecond: AMAZON_LIMITS.operations.patchListingsItem.ratePerSecond,
    pushBurst: AMAZON_LIMITS.operations.patchListingsItem.burst,
    // One patch per SKU: a change reaches Amazon on its own.
    bulkBatchSize: 1,
    pushCallMs: 400,
    zeroStockAction: 'push_zero',
  },
  {
    id: 'bol',
    type: 'bol',
    demandShare: 0.25,
    orderPollIntervalMs: defaultCapabilities('bol').orderPollIntervalMs,
    orderSearchRatePerSecond: perSecond(BOL_ENDPOINT_LIMITS['orders-list']),
    pushLatency: { minMs: 0.5 * SECOND, maxMs: 3 * SECOND },
    applyDelay: applyDelayOf('bol'),
    pushRatePerSecond: perSecond(BOL_ENDPOINT_LIMITS['offers-update']),
    pushBurst: BOL_ENDPOINT_LIMITS['offers-update'].limit,
    // No bulk call: one offer per PATCH.
    bulkBatchSize: 1,
    pushCallMs: 300,
    zeroStockAction: 'pause',
  },
  {
    id: 'kaufland',
    type: 'kaufland',
    demandShare: 0.1,
    orderPollIntervalMs: defaultCapabilities('kaufland').orderPollIntervalMs,
    orderSearchRatePerSecond: KAUFLAND_LIMITS.requestsPerSecond,
    pushLatency: { minMs: 2 * SECOND, maxMs: 10 * SECOND },
    applyDelay: applyDelayOf('kaufland'),
    pushRatePerSecond: KAUFLAND_LIMITS.requestsPerSecond,
    pushBurst: KAUFLAND_LIMITS.requestsPerSecond,
    bulkBatchSize: KAUFLAND_LIMITS.bulkMaxUnits,
    pushCallMs: 500,
    zeroStockAction: 'push_zero',
  },
  {
    id: 'zalando',
    type: 'zalando',
    demandShare: 0.1,
    orderPollIntervalMs: defaultCapabilities('zalando').orderPollIntervalMs,
    orderSearchRatePerSecond: ZALANDO_LIMITS.ordersPerMinute.production / 60,
    pushLatency: { minMs: 5 * SECOND, maxMs: 30 * SECOND },
    applyDelay: applyDelayOf('zalando'),
    pushRatePerSecond: ZALANDO_LIMITS.stockRequestsPerMinute / 60,
    pushBurst: 1,
    bulkBatchSize: ZALANDO_LIMITS.stocksMaxItems,
    pushCallMs: 600,
    zeroStockAction: 'push_zero',
  },
  {
    id: 'shopify',
    type: 'shopify',
    demandShare: 0.15,
    orderPollIntervalMs: defaultCapabilities('shopify').orderPollIntervalMs,
    orderSearchRatePerSecond: 2,
    pushLatency: { minMs: 0.5 * SECOND, maxMs: 2 * SECOND },
    applyDelay: applyDelayOf('shopify'),
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
    applyDelay: { minMs: 0, maxMs: 0 },
    pushRatePerSecond: 1e9,
    pushBurst: 1e9,
    bulkBatchSize: 1_000_000,
    pushCallMs: 0,
  }))
}
