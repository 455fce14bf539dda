// The ways a seller can keep channels in step with Odoo, compared in the same run on the same demand.
import { DEFAULT_TARGET_RISK } from '../../core/buffers/buffer-policy'
import { NOTIFICATION_LOSS_RATE } from '../../core/buffers/policy-channels'
import type { ChannelType } from '../../core/channel-types'

export type StrategyName =
  | 'manual_daily'
  | 'batch_60m'
  | 'batch_15m'
  | 'batch_5m'
  | 'realtime'
  | 'realtime_fixed_table'
  | 'realtime_pending'
  | 'lastunit'
  | 'lastunit_default_buffers'
  | 'lastunit_notified'

export type SyncMode =
  /** Every interval: import the orders of all channels into Odoo, then push Odoo's free stock. */
  | { kind: 'batch'; intervalMs: number; phaseMs: number }
  /** LastUnit's engine: per-channel order polls, Odoo polls, outbox and workers. */
  | { kind: 'realtime' }

export interface Strategy {
  name: StrategyName
  label: string
  sync: SyncMode
  /** Seen orders lower every channel before they reach Odoo. */
  pending: boolean
  /** fixed_table: the velocity class defaults (0, 1, 2) of buffer-rules.ts; recommended: the buffer policy. */
  buffers: 'none' | 'fixed_table' | 'recommended'
  /** The seller's oversell target for recommended buffers. */
  targetRisk: number
  /**
   * Channels whose orders also come through the seller's queue ("Faster orders"): each order is seen after
   * its event's delivery delay, except the lost events, whose orders wait for the channel's order poll.
   */
  notified?: NotifiedChannels
}

export interface NotifiedChannels {
  types: readonly ChannelType[]
  /** From an order being placed until it is pending, when its event arrives. */
  delay: { minMs: number; maxMs: number }
  /** Share of events never delivered. */
  lossRate: number
}

/**
 * Amazon's and bol.com's notifications as issue #23 states them: delivered after 1 to 3 s, 1% lost (and 1%
 * duplicated, which changes nothing: a second event of an order already pending is only deleted).
 */
export const NOTIFIED_AMAZON_BOL: NotifiedChannels = {
  types: ['amazon', 'bol'],
  delay: { minMs: 1_000, maxMs: 3_000 },
  lossRate: NOTIFICATION_LOSS_RATE,
}

const MIN = 60_000

/** The shipped default target (buffer-policy.ts): 0.1% chance per sell-out that a listing still shows stock. */
export { DEFAULT_TARGET_RISK }

export function strategies(targetRisk = DEFAULT_TARGET_RISK): Strategy[] {
  const batch = (name: StrategyName, label: string, intervalMs: number, phaseMs = 0): Strategy => ({
    name,
    label,
    sync: { kind: 'batch', intervalMs, phaseMs },
    pending: false,
    buffers: 'none',
    targetRisk,
  })
  const rt = (
    name: StrategyName,
    label: string,
    pending: boolean,
    buffers: Strategy['buffers'],
  ): Strategy => ({ name, label, sync: { kind: 'realtime' }, pending, buffers, targetRisk })
  return [
    batch('manual_daily', 'Manual update once a day', 24 * 60 * MIN, 8 * 60 * MIN),
    batch('batch_60m', 'Batch sync every 60 min', 60 * MIN),
    batch('batch_15m', 'Batch sync every 15 min', 15 * MIN),
    batch('batch_5m', 'Batch sync every 5 min', 5 * MIN),
    rt('realtime', 'Real-time push, no buffer', false, 'none'),
    rt('realtime_fixed_table', 'Real-time + fixed buffer table', false, 'fixed_table'),
    rt('realtime_pending', 'Real-time + pending reservations', true, 'none'),
    rt('lastunit', 'LastUnit (pending + recommended buffers)', true, 'recommended'),
    rt('lastunit_default_buffers', 'LastUnit with the class default buffers', true, 'fixed_table'),
    {
      ...rt('lastunit_notified', 'LastUnit + Amazon/bol.com order notifications', true, 'recommended'),
      notified: NOTIFIED_AMAZON_BOL,
    },
  ]
}

/** The same strategy with its sync interval removed (for the zero-delay tests). */
export function instantStrategy(s: Strategy): Strategy {
  return s.sync.kind === 'batch' ? { ...s, sync: { kind: 'batch', intervalMs: 0, phaseMs: 0 } } : s
}
