// Stand-ins of the seven channel types on the generic simulator, for the engine benchmark (bench/engine.ts
// and sim-host.ts): each has its channel's own capabilities, built from its limits file (batch sizes,
// asynchronous confirmation, the worker's pace), with every rate STAND_IN_PACE times faster, as the
// simulators run on a compressed clock. Nothing here restates a channel's limits. (The demo runs the real
// simulators and adapters: main/sandbox/demo-env.)
import { CHANNEL_TYPES, type ChannelType, type ZeroStockAction } from '../../core/channel-types'
import { defaultCapabilities } from '../../core/channels/channel-capabilities'
import type { ChannelCapabilities } from '../../core/ports/channel-adapter'

/** How many times faster than the real channels the stand-ins run. */
export const STAND_IN_PACE = 20

export interface ChannelProfile {
  type: ChannelType
  zeroAction: ZeroStockAction
  capabilities: ChannelCapabilities
  /** Server side: accepted items are applied after this delay (async channels). */
  acceptDelayMs: number
}

/** Paused where a seller commonly would, so both zero-stock actions run. */
const STAND_IN_ZERO_ACTION: Record<ChannelType, ZeroStockAction> = {
  amazon: 'push_zero',
  bol: 'pause',
  zalando: 'pause',
  kaufland: 'pause',
  ebay: 'push_zero',
  shopify: 'push_zero',
  woocommerce: 'push_zero',
}

/** How long the stand-in of an asynchronous channel takes to apply what it accepted (compressed time). */
const STAND_IN_ACCEPT_DELAY_MS: Partial<Record<ChannelType, number>> = { amazon: 200, zalando: 100 }

/** A channel type's stand-in, its rates `pace` times faster. */
export function channelProfile(type: ChannelType, pace = STAND_IN_PACE): ChannelProfile {
  const caps = defaultCapabilities(type, pace)
  return {
    type,
    zeroAction: STAND_IN_ZERO_ACTION[type],
    capabilities: {
      ...caps,
      rateLimits: caps.rateLimits.map((l) => ({
        ...l,
        ratePerSecond: l.ratePerSecond * pace,
        ...(l.itemsPerSecond === undefined ? {} : { itemsPerSecond: l.itemsPerSecond * pace }),
        ...(l.windowMs === undefined ? {} : { windowMs: l.windowMs / pace }),
      })),
    },
    acceptDelayMs: caps.asyncConfirmation ? (STAND_IN_ACCEPT_DELAY_MS[type] ?? 0) : 0,
  }
}

export const CHANNEL_PROFILES = Object.fromEntries(
  CHANNEL_TYPES.map((t) => [t, channelProfile(t)]),
) as Record<ChannelType, ChannelProfile>
