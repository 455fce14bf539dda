// Stand-in profiles of the seven channel types for the generic simulator: bulk sizes, limits, async
// confirmation and zero-stock action close to each marketplace's, so the demo and the benchmark put
// the engine under the same kind of shapes as production.
import type { ChannelType, ZeroStockAction } from '../../core/channel-types'
import type { ChannelCapabilities } from '../../core/ports/channel-adapter'

export interface ChannelProfile {
  type: ChannelType
  zeroAction: ZeroStockAction
  capabilities: ChannelCapabilities
  /** Server side: accepted items are applied after this delay (async channels). */
  acceptDelayMs: number
}

const caps = (
  bulkBatchSize: number,
  ratePerSecond: number,
  burst: number,
  asyncConfirmation: boolean,
  orderPollIntervalMs: number,
): ChannelCapabilities => ({
  bulkBatchSize,
  rateLimits: [{ scope: 'push', ratePerSecond, burst }],
  zeroStockActions: ['push_zero', 'pause'],
  asyncConfirmation,
  readBack: true,
  orderPollIntervalMs,
})

export const CHANNEL_PROFILES: Record<ChannelType, ChannelProfile> = {
  amazon: {
    type: 'amazon',
    zeroAction: 'push_zero',
    capabilities: caps(1000, 5, 10, true, 2000),
    acceptDelayMs: 200,
  },
  bol: { type: 'bol', zeroAction: 'pause', capabilities: caps(500, 20, 40, false, 2000), acceptDelayMs: 0 },
  zalando: {
    type: 'zalando',
    zeroAction: 'pause',
    capabilities: caps(500, 10, 20, true, 2000),
    acceptDelayMs: 100,
  },
  kaufland: {
    type: 'kaufland',
    zeroAction: 'pause',
    capabilities: caps(500, 20, 40, true, 2000),
    acceptDelayMs: 100,
  },
  ebay: {
    type: 'ebay',
    zeroAction: 'push_zero',
    capabilities: caps(250, 20, 40, false, 2000),
    acceptDelayMs: 0,
  },
  shopify: {
    type: 'shopify',
    zeroAction: 'push_zero',
    capabilities: caps(250, 20, 40, false, 1000),
    acceptDelayMs: 0,
  },
  woocommerce: {
    type: 'woocommerce',
    zeroAction: 'push_zero',
    capabilities: caps(100, 20, 40, false, 1000),
    acceptDelayMs: 0,
  },
}
