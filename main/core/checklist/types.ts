// The pre-launch checklist's vocabulary. Rules read only a snapshot, so the UI, the CLI and the tests all
// evaluate the same data the same way.
import type { BufferRule } from '../buffers/buffer-rules'

export const CHECK_IDS = [
  'single_source',
  'sync_active',
  'buffers',
  'zero_stock',
  'skus_mapped',
  'warehouses',
  'return_restock',
] as const
export type CheckId = (typeof CHECK_IDS)[number]

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'not_run' | 'overridden'

/** The screen whose controls fix a failing check. */
export type FixScreen =
  'connections' | 'dashboard' | 'buffers' | 'checklist' | 'mapping' | 'warehouses' | 'log'

/**
 * The step that moves a failing or open check on, for hosts that name it their own way: the app links a
 * screen, the command line prints the command.
 */
export type NextStep =
  | 'recheck'
  | 'fetch_listings'
  | 'map_listings'
  | 'start_sync'
  | 'check_status'
  | 'fix_odoo'
  | 'fix_channel'
  | 'stop_other_writer'
  | 'edit_buffers'
  | 'edit_locations'
  | 'zero_stock_test'
  | 'return_test'

export interface CheckResult {
  id: CheckId
  title: string
  /** What the check verifies and why it matters, in one sentence. */
  why: string
  status: CheckStatus
  evidence: string
  /** How to fix a failure in plain words; null when nothing needs fixing. */
  fix: string | null
  screen: FixScreen
  /** The step that fixes it; null when nothing needs fixing. */
  next?: NextStep | null
  /** Hash of the configuration this result covered; it goes stale when that hash changes. */
  configHash: string
  checkedAt: number
  /** True when the stored result no longer covers the current configuration. */
  stale: boolean
  overrideReason: string | null
}

/** A result kept in checklist_results. */
export interface StoredCheckResult {
  checkId: CheckId
  status: CheckStatus
  evidence: string
  configHash: string
  checkedAt: number
  overrideReason: string | null
}

export interface ChannelHealth {
  channelId: string
  name: string
  /** The channel type, for its shipped order interval and apply delay (the buffer policy). */
  type: string
  state: 'setup' | 'live'
  /** The engine's view; null when the engine does not run this channel. */
  run: {
    state: 'running' | 'paused' | 'needs_seller' | 'awaiting_confirmation' | 'stopped'
    queueDepth: number
    lastConfirmedAt: number | null
    lastError: string | null
    latencyP99Ms: number | null
    latencyP50Ms?: number | null
    /** The engine's effective order interval for the channel. */
    orderPollIntervalMs?: number | null
  } | null
}

export interface SnapshotLocation {
  id: number
  completeName: string
  usage: string
  /** e.g. "1/7/8/" */
  parentPath: string
  companyId: number | null
}

export interface SnapshotProduct {
  productId: number
  name: string
  /** Its internal reference in Odoo. */
  sku?: string | null
  salesPerDay: number
  /** Channels the product is mapped on (for the "5 or more channels" buffer extra). */
  channelCount: number
  /** Those channels' ids (the buffer policy counts the others' order intervals); absent: every channel. */
  channelIds?: string[]
}

/** The configuration each check covers, for staleness. */
export interface ChecklistConfig {
  channel: {
    id: string
    type: string
    baseUrl: string
    stockBasis: string
    zeroStockAction: string
    settings: Record<string, unknown>
  }
  /** Every channel that is not disabled. */
  channelIds: string[]
  locationIds: number[]
  listingIds: string[]
  mappings: Array<[string, number]>
  bufferRules: BufferRule[]
}

export interface ChecklistSnapshot {
  now: number
  /** Today, YYYY-MM-DD, for peak buffer rules. */
  today: string
  channelId: string
  channelName: string
  config: ChecklistConfig
  engineRunning: boolean
  odoo: { lastPollAt: number | null; lastError: string | null; pollIntervalMs: number } | null
  /**
   * Where the engine's view came from when it is not this process's own engine: e.g. "the engine of
   * `lastunit run` (process 4242), status 2 s old". Null or absent: this process's engine.
   */
  syncSource?: string | null
  /**
   * No engine runs anywhere: the check polled Odoo itself once (when it was, and Odoo's error if it did not
   * answer). Absent when an engine's status is known.
   */
  odooProbe?: { at: number; error: string | null } | null
  /** Every non-disabled channel with its engine status. */
  channels: ChannelHealth[]
  /** The seller's buffer target risk (setting buffers.targetRisk); absent: the policy's default. */
  targetRisk?: number
  /** The latest read-back of this channel; null when none could be done. */
  readBack: {
    supported: boolean
    /** 'reconcile': compared with what LastUnit published; 'unchanged': two reads of a channel LastUnit does not write yet. */
    method: 'reconcile' | 'unchanged'
    checked: number
    drifted: number
    at: number
    /** The listings that drifted, as the seller knows them ("LU-00012 Blue mug"), as far as known. */
    driftedListings?: string[]
  } | null
  /** Why the channel could not be read back, when `readBack` is null for that reason. */
  readBackError?: string | null
  /** Listings fetched from the channel, with whether each is mapped. */
  listings: Array<{ listingId: string; sku: string | null; title: string; mapped: boolean }>
  /** Products mapped on this channel. */
  products: SnapshotProduct[]
  /** The location tree as last read from Odoo; null when it was never read. */
  locationTree: SnapshotLocation[] | null
  stored: Partial<Record<CheckId, StoredCheckResult>>
}
