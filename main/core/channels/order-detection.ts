// How often each channel's orders are read: as fast as the channel's published limit for its orders call
// sustains, with headroom. The limit is the `orders` rate of the channel's capabilities (built from its
// limits file), so a limit changes in one place; docs/order-detection.md derives every default by hand.
//
//   fastest  = one orders call per 1 / rate (what the limit sustains, no headroom): the seller may not go
//              below it, since every poll past it only collects 429s and delays the next real answer;
//   default  = one call per 1 / (rate x POLL_SHARE), rounded up to whole 5 s, at least DEFAULT_FLOOR_MS:
//              the rest of the allowance pays for extra pages and for burst polls (an extra poll right after
//              another channel sold the last units of a product).
import type { ChannelType } from '../channel-types'
import type { ChannelCapabilities } from '../ports/channel-adapter'
import { WOOCOMMERCE_LIMITS } from './woocommerce-limits'

/** The share of a channel's orders allowance the regular polls use; the rest is for pages and bursts. */
export const ORDER_POLL_SHARE = 0.8
/**
 * No channel is polled more often than this by default: Odoo itself is read every 5 s, so reading orders
 * faster would not publish a sale sooner than the stock it changes, and an idle shop would pay for it.
 */
export const ORDER_POLL_DEFAULT_FLOOR_MS = 5_000
/** Nobody may poll more often than this, whatever the limit (a seller's setting is refused below it). */
export const ORDER_POLL_ABSOLUTE_MIN_MS = 2_000
/** The slowest a seller may set: beyond an hour orders wait too long to lower the other channels. */
export const ORDER_POLL_MAX_MS = 3_600_000

export interface OrderDetection {
  /** The interval a channel is polled at unless the seller chose another. */
  defaultMs: number
  /** The fastest the channel's orders limit sustains: a seller's setting below it is refused. */
  fastestMs: number
  /** The orders rate it was derived from (requests a second), null when the channel publishes none. */
  ratePerSecond: number | null
}

const roundUpTo = (ms: number, step: number) => Math.ceil(ms / step) * step

/**
 * The intervals a channel's orders limit allows. `hostDefaultMs`: for a channel without a published limit
 * (WooCommerce: it depends on the seller's host), the default that is gentle on a shared host.
 */
export function orderDetectionFor(
  caps: Pick<ChannelCapabilities, 'rateLimits'>,
  hostDefaultMs?: number,
): OrderDetection {
  const orders = caps.rateLimits.find((l) => l.scope === 'orders')
  const rate = orders && orders.ratePerSecond > 0 ? orders.ratePerSecond : null
  if (rate === null) {
    const d = hostDefaultMs ?? 60_000
    return { defaultMs: d, fastestMs: ORDER_POLL_ABSOLUTE_MIN_MS, ratePerSecond: null }
  }
  const fastestMs = Math.max(ORDER_POLL_ABSOLUTE_MIN_MS, roundUpTo(1000 / rate, 1_000))
  const sustained = roundUpTo(1000 / (rate * ORDER_POLL_SHARE), 5_000)
  const defaultMs = Math.max(ORDER_POLL_DEFAULT_FLOOR_MS, fastestMs, sustained, hostDefaultMs ?? 0)
  return { defaultMs, fastestMs, ratePerSecond: rate }
}

/**
 * The interval to poll at: the seller's choice in whole seconds (the channel setting `orderPollSeconds`)
 * when it is one the limit sustains, else the default. Returns the problem instead when the choice is out
 * of range, in words that name the setting, the figure and the limit.
 */
export function chosenOrderPollMs(
  d: OrderDetection,
  seconds: unknown,
  channelLabel: string,
): { ms: number } | { problem: string } {
  if (seconds === undefined || seconds === null || seconds === '') return { ms: d.defaultMs }
  const n =
    typeof seconds === 'number'
      ? seconds
      : typeof seconds === 'string' && /^\d+$/.test(seconds.trim())
        ? Number(seconds)
        : NaN
  if (!Number.isSafeInteger(n))
    return {
      problem: `the setting "Check for orders every" must be a whole number of seconds, not "${String(seconds)}"`,
    }
  const ms = n * 1000
  if (ms > ORDER_POLL_MAX_MS)
    return {
      problem: `the setting "Check for orders every" is ${n} s; the longest allowed is ${ORDER_POLL_MAX_MS / 1000} s`,
    }
  if (ms < d.fastestMs) {
    const why =
      d.ratePerSecond === null
        ? ''
        : ` (${channelLabel} allows one orders request every ${Math.ceil(d.fastestMs / 1000)} s)`
    return {
      problem: `the setting "Check for orders every" is ${n} s; the fastest allowed is ${Math.ceil(d.fastestMs / 1000)} s${why}`,
    }
  }
  return { ms }
}

/**
 * The intervals of one channel type, from its capabilities. WooCommerce's orders pace is the worker's own
 * (no published limit), so only the host default and the absolute minimum apply there.
 */
export function orderDetectionOf(
  type: ChannelType,
  caps: Pick<ChannelCapabilities, 'rateLimits'>,
): OrderDetection {
  return type === 'woocommerce'
    ? orderDetectionFor({ rateLimits: [] }, WOOCOMMERCE_LIMITS.hostOrderPollMs)
    : orderDetectionFor(caps)
}
