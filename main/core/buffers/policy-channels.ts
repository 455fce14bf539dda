// What the buffer policy knows of each channel a product is listed on: how often its orders are read,
// how long a push takes to be accepted, and how long the marketplace then takes to show it. The app reads
// the first two from the engine's status (measured); without a running engine the shipped defaults apply.
// A channel whose orders also come through the seller's queue (Amazon, bol.com: "Faster orders") has its
// orders seen within seconds while that queue works, which the engine's status says (orderQueue).
import type { ChannelType } from '../channel-types'
import { defaultCapabilities } from '../channels/channel-capabilities'
import { orderDetectionOf } from '../channels/order-detection'
import type { MsRange, NotifiedDetection, PolicyChannel } from './buffer-policy'

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

/**
 * From an order being placed until it is pending here when it comes through the seller's queue, before the
 * engine has measured any: 1 to 30 s. Neither Amazon nor bol.com publishes a delivery time for its
 * notifications; 1-30 s is the range issue #23 gives the queue simulator's delays (docs/faster-orders.md).
 */
export const UNMEASURED_NOTIFICATION_DELAY: MsRange = { minMs: 1_000, maxMs: 30_000 }

/**
 * Share of order events that never reach the queue (their orders wait for the next order poll). No
 * marketplace publishes one; 1% is the figure issue #23 benchmarks with, an assumption.
 */
export const NOTIFICATION_LOSS_RATE = 0.01

/** The channel's order queue as the engine's status carries it (ChannelStatus.orderQueue). */
export interface QueueTiming {
  state: string
  orderToPendingP50Ms: number | null
  orderToPendingMaxMs: number | null
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
  /** The queue bringing the channel's orders (null or absent: none, orders are polled only). */
  orderQueue?: QueueTiming | null
}

/**
 * How the channel's orders are seen through its queue, while the queue works: the measured time from order
 * to pending (median to slowest of the recent ones) or, before any, the unmeasured default; null when the
 * channel has no queue or the queue is down (then order polling alone sees its orders).
 */
export function notifiedDetection(q: QueueTiming | null | undefined): NotifiedDetection | null {
  if (!q || q.state !== 'up') return null
  const p50 = q.orderToPendingP50Ms
  const max = q.orderToPendingMaxMs
  const delay =
    p50 !== null && max !== null && p50 >= 0 && max >= 0
      ? { minMs: Math.min(p50, max), maxMs: max }
      : UNMEASURED_NOTIFICATION_DELAY
  return { delay, lossRate: NOTIFICATION_LOSS_RATE }
}

/** The policy's view of a channel: measured figures where the engine has them, shipped defaults elsewhere. */
export function policyChannel(t: ChannelTiming): PolicyChannel {
  const p50 = t.latencyP50Ms ?? null
  const p99 = t.latencyP99Ms ?? null
  const pushLatency =
    p99 !== null && p99 >= 0 ? { minMs: Math.min(p50 ?? p99, p99), maxMs: p99 } : UNMEASURED_PUSH_LATENCY
  const notified = notifiedDetection(t.orderQueue)
  return {
    id: t.channelId,
    orderDetectionMs: t.orderPollIntervalMs ?? defaultOrderDetectionMs(t.type),
    ...(notified ? { notified } : {}),
    pushLatency,
    applyDelay: applyDelayOf(t.type),
    ...(t.demandShare !== undefined ? { demandShare: t.demandShare } : {}),
  }
}
