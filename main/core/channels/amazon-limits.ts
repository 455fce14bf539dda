// Amazon SP-API's limits and sizes, written once: the client paces by them, the adapter's capabilities
// and the simulator (which refuses what Amazon refuses) read them too. Sources: docs/marketplaces.md
// (Amazon, e) and the rate limits in the saved models (../shared/specs/amazon).
import type { BucketLimit } from '../rate-limit/operation-limit'

/** Amazon's default usage plans per operation: requests per second and burst. */
export const AMAZON_OPERATION_LIMITS = {
  patchListingsItem: { ratePerSecond: 5, burst: 5 },
  getListingsItem: { ratePerSecond: 5, burst: 10 },
  searchListingsItems: { ratePerSecond: 5, burst: 5 },
  createFeedDocument: { ratePerSecond: 0.5, burst: 15 },
  createFeed: { ratePerSecond: 0.0083, burst: 15 },
  /** JSON_LISTINGS_FEED on its own: 5 submissions per 5 minutes, counted on top of createFeed. */
  jsonListingsFeed: { ratePerSecond: 5 / 300, burst: 5 },
  getFeed: { ratePerSecond: 2, burst: 15 },
  getFeedDocument: { ratePerSecond: 0.0222, burst: 10 },
  searchOrders: { ratePerSecond: 0.0056, burst: 20 },
  /** Orders v2026-01-01 getOrder: for an ORDER_CHANGE notification whose summary lacks its items. */
  getOrder: { ratePerSecond: 0.5, burst: 30 },
  // Notifications API v1: every operation 1 request per second, burst 5 (the operations' usage plans in
  // Amazon's notifications model, github.com/amzn/selling-partner-api-models notifications.json).
  createDestination: { ratePerSecond: 1, burst: 5 },
  getDestinations: { ratePerSecond: 1, burst: 5 },
  createSubscription: { ratePerSecond: 1, burst: 5 },
  getSubscription: { ratePerSecond: 1, burst: 5 },
} as const satisfies Record<string, BucketLimit>

export type AmazonOperation = keyof typeof AMAZON_OPERATION_LIMITS

export const AMAZON_LIMITS = {
  operations: AMAZON_OPERATION_LIMITS,
  /** Messages per JSON_LISTINGS_FEED we send (Amazon takes 25,000; this keeps a document well under 10 MiB). */
  feedMaxMessages: 10_000,
  /** Amazon's own ceiling of messages per feed (the simulator refuses more). */
  feedMessagesCeiling: 25_000,
  /** A batch larger than this goes out as one feed instead of one patch per SKU. */
  feedThreshold: 20,
  /** SKUs per searchListingsItems call (identifiers and page size). */
  searchPageSize: 20,
  /** Orders per searchOrders page. */
  ordersPageSize: 100,
  /** Real time before an accepted patch shows (the simulator's default). */
  patchApplyMs: 120_000,
  /** Real time a listings feed takes to process (the simulator's default, and the bench's assumption). */
  feedProcessingMs: 300_000,
  /** A patch not visible in a read-back after this long is sent again (Amazon dropped or overrode it). */
  patchConfirmTimeoutMs: 15 * 60_000,
  /** Longest time Amazon may take to apply an accepted feed or patch (they apply out of order). */
  applyWindowMs: 20 * 60_000,
  /** An LWA access token lives an hour. */
  tokenLifetimeS: 3600,
} as const
