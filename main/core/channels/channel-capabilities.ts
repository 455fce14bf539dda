// What each channel declares to the engine (batch sizes, the worker's pace, poll intervals, confirmation),
// built from its limits file: the adapters, the demo's stand-in channels and the resync estimate all read
// these, so a limit changes in one place.
import type { ChannelType } from '../channel-types'
import type { ChannelCapabilities, RateLimitSpec } from '../ports/channel-adapter'
import type { BucketLimit } from '../rate-limit/operation-limit'
import { AMAZON_LIMITS } from './amazon-limits'
import { BOL_LIMITS, type BolWindow } from './bol-limits'
import { EBAY_LIMITS } from './ebay-limits'
import { KAUFLAND_LIMITS } from './kaufland-limits'
import { SHOPIFY_LIMITS } from './shopify-limits'
import { WOOCOMMERCE_LIMITS } from './woocommerce-limits'
import { ZALANDO_LIMITS } from './zalando-limits'
import { orderDetectionFor } from './order-detection'

const spec = (scope: RateLimitSpec['scope'], l: BucketLimit): RateLimitSpec => ({
  scope,
  ratePerSecond: l.ratePerSecond,
  burst: l.burst,
})
const windowed = (scope: RateLimitSpec['scope'], w: BolWindow): RateLimitSpec => ({
  scope,
  ratePerSecond: w.limit / w.windowSeconds,
  burst: w.limit,
  windowMs: w.windowSeconds * 1000,
})
const perSecond = (scope: RateLimitSpec['scope'], n: number): RateLimitSpec => ({
  scope,
  ratePerSecond: n,
  burst: n,
})
/** Poll intervals and apply windows follow a simulator's scaled clock; 1 in production. */
const scaled = (ms: number, rateScale: number) => Math.round(ms / rateScale)
/** The order poll interval the channel's own orders limit sustains with headroom (order-detection.ts). */
const orderPoll = (rateLimits: RateLimitSpec[], rateScale = 1, hostDefaultMs?: number) =>
  scaled(orderDetectionFor({ rateLimits }, hostDefaultMs).defaultMs, rateScale)

export function amazonCapabilities(rateScale = 1): ChannelCapabilities {
  const ops = AMAZON_LIMITS.operations
  const rateLimits = [
    spec('push', ops.patchListingsItem),
    spec('read', ops.searchListingsItems),
    spec('orders', ops.searchOrders),
  ]
  return {
    bulkBatchSize: AMAZON_LIMITS.feedMaxMessages,
    rateLimits,
    zeroStockActions: ['push_zero'],
    asyncConfirmation: true,
    readBack: true,
    orderPollIntervalMs: orderPoll(rateLimits, rateScale),
    applyWindowMs: scaled(AMAZON_LIMITS.applyWindowMs, rateScale),
  }
}

export function bolCapabilities(rateScale = 1): ChannelCapabilities {
  const e = BOL_LIMITS.endpoints
  const rateLimits = [
    windowed('push', e['offers-update']),
    windowed('read', e['offers-list']),
    windowed('orders', e['orders-list']),
  ]
  return {
    bulkBatchSize: BOL_LIMITS.offersPerRound,
    rateLimits,
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: false,
    readBack: true,
    orderPollIntervalMs: orderPoll(rateLimits, rateScale),
    orderPollWithQueueMs: scaled(
      Math.ceil((e['orders-list'].windowSeconds * 1000) / BOL_LIMITS.ordersPollsPerWindowWithQueue),
      rateScale,
    ),
  }
}

export function zalandoCapabilities(salesChannels: number, sandbox = false): ChannelCapabilities {
  const z = ZALANDO_LIMITS
  const channels = Math.max(1, salesChannels)
  const env = sandbox ? 'sandbox' : 'production'
  const rateLimits: RateLimitSpec[] = [
    {
      scope: 'push',
      ratePerSecond: z.stockRequestsPerMinute / 60,
      burst: z.workerBursts.push,
      itemsPerSecond: z.stockItemsPerMinute / 60 / channels,
    },
    { scope: 'orders', ratePerSecond: z.ordersPerMinute[env] / 60, burst: z.workerBursts.orders },
    { scope: 'token', ratePerSecond: z.tokensPerMinute[env] / 60, burst: z.tokensPerMinute[env] },
  ]
  return {
    bulkBatchSize: Math.max(1, Math.floor(z.stocksMaxItems / channels)),
    rateLimits,
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: true,
    readBack: false,
    orderPollIntervalMs: orderPoll(rateLimits),
  }
}

export function kauflandCapabilities(): ChannelCapabilities {
  const share = KAUFLAND_LIMITS.share
  const rateLimits = [
    perSecond('push', share.push),
    perSecond('orders', share.orders),
    perSecond('read', share.read),
  ]
  return {
    bulkBatchSize: KAUFLAND_LIMITS.bulkMaxUnits,
    rateLimits,
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: false,
    readBack: true,
    orderPollIntervalMs: orderPoll(rateLimits),
  }
}

export function ebayCapabilities(rateScale = 1): ChannelCapabilities {
  const { dailyCalls, bursts } = EBAY_LIMITS
  const day = 86_400
  // The daily quotas spread over the day.
  const rateLimits: RateLimitSpec[] = [
    { scope: 'push', ratePerSecond: dailyCalls.inventory / day, burst: bursts.push },
    { scope: 'read', ratePerSecond: dailyCalls.inventory / day, burst: bursts.read },
    { scope: 'orders', ratePerSecond: dailyCalls.fulfillment / day, burst: bursts.orders },
  ]
  return {
    bulkBatchSize: EBAY_LIMITS.bulkMaxItems,
    rateLimits,
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: false,
    readBack: true,
    orderPollIntervalMs: orderPoll(rateLimits, rateScale),
  }
}

export function shopifyCapabilities(): ChannelCapabilities {
  const w = SHOPIFY_LIMITS.worker
  const rateLimits = [spec('push', w.push), spec('orders', w.orders), spec('read', w.read)]
  return {
    bulkBatchSize: SHOPIFY_LIMITS.setQuantitiesMax,
    rateLimits,
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: false,
    readBack: true,
    orderPollIntervalMs: orderPoll(rateLimits),
  }
}

export function wooCommerceCapabilities(): ChannelCapabilities {
  const w = WOOCOMMERCE_LIMITS.worker
  return {
    bulkBatchSize: WOOCOMMERCE_LIMITS.batchMax,
    rateLimits: [spec('push', w.push), spec('orders', w.orders), spec('read', w.read)],
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: false,
    readBack: true,
    // No published limit (the worker's pace is ours, for shared hosts): the host default applies.
    orderPollIntervalMs: orderPoll([], 1, WOOCOMMERCE_LIMITS.hostOrderPollMs),
  }
}

/**
 * Every channel type's capabilities with its defaults (one Zalando sales channel, production), for
 * stand-ins of a channel that have no connection of their own (the demo, the engine benchmark).
 */
export function defaultCapabilities(type: ChannelType, rateScale = 1): ChannelCapabilities {
  switch (type) {
    case 'amazon':
      return amazonCapabilities(rateScale)
    case 'bol':
      return bolCapabilities(rateScale)
    case 'zalando':
      return zalandoCapabilities(1)
    case 'kaufland':
      return kauflandCapabilities()
    case 'ebay':
      return ebayCapabilities(rateScale)
    case 'shopify':
      return shopifyCapabilities()
    case 'woocommerce':
      return wooCommerceCapabilities()
  }
}
