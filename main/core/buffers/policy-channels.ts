// What the buffer policy knows of each channel a product is listed on: how often its orders are read,
// how long a push takes to be accepted, and how long the marketplace then takes to show it. The app reads
// the first two from the engine's status (measured); without a running engine the shipped defaults apply.
import type { ChannelType } from '../channel-types'
import { defaultCapabilities } from '../channels/channel-capabilities'
import { orderDetectionOf } from '../channels/order-detection'
import type { MsRange, PolicyChannel } from './buffer-policy'

const MINUTE = 60_000

/**
 * From a marketplace accepting a quantity until its buyers see it. Amazon's listings patch answers
 * ACCEPTED ("accepted for processing") and "the change appears minutes later" (../shared/docs/
 * marketplaces.md, Amazon e), citing amzn/selling-partner-api-docs#2167: "It takes few minutes to
 * reflect"); we take 2 to 8 minutes. The other channels apply what they accept (bol's v11 offer PATCH is
 * synchronous, Zalando and Kaufland answer per item, Shopify and WooCommerce write at once), so their
 * delay is in the measured push latency.
 */
export const MARKETPLACE_APPLY_DELAY: Readonly<Partial<Record<ChannelType, MsRange>>> = {
  amazon: { minMs: 2 * MINUTE, maxMs: 8 * MINUTE },
}

const NONE: MsRange = { minMs: 0, maxMs: 0 }

export const applyDelayOf = (type: string): MsRange => MARKETPLACE_APPLY_DELAY[type as ChannelType] ?? NONE

/** A push's latency before the engine has measured any (planned to accepted): up to 30 s. */
export const UNMEASURED_PUSH_LATENCY: MsRange = { minMs: 1_000, maxMs: 30_000 }

/** The shipped default order interval of a channel type (order-detection.ts). */
export function defaultOrderDetectionMs(type: string): number {
  const caps = defaultCapabilities(type as ChannelType)
  return orderDetectionOf(type as ChannelType, caps).defaultMs
}

/** One channel as the engine reports it (ChannelStatus), or as configured when no engine runs. */
export interface ChannelTiming {
  channelId: string
  type: string
  /** The engine's effective order interval; null: the channel type's default. */
  orderPollIntervalMs: number | null
  latencyP50Ms?: number | null
  latencyP99Ms?: number | null
  demandShare?: number
}

/** The policy's view of a channel: measured figures where the engine has them, shipped defaults elsewhere. */
export function policyChannel(t: ChannelTiming): PolicyChannel {
  const p50 = t.latencyP50Ms ?? null
  const p99 = t.latencyP99Ms ?? null
  const pushLatency =
    p99 !== null && p99 >= 0 ? { minMs: Math.min(p50 ?? p99, p99), maxMs: p99 } : UNMEASURED_PUSH_LATENCY
  return {
    id: t.channelId,
    orderDetectionMs: t.orderPollIntervalMs ?? defaultOrderDetectionMs(t.type),
    pushLatency,
    applyDelay: applyDelayOf(t.type),
    ...(t.demandShare !== undefined ? { demandShare: t.demandShare } : {}),
  }
}
