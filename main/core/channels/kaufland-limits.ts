// Kaufland Seller API v2's limits and sizes, written once: the client paces by them, the adapter's
// capabilities and the simulator read them. Sources: docs/marketplaces.md (Kaufland, e).

export const KAUFLAND_LIMITS = {
  /** Requests per second per seller, counted across all endpoints. */
  requestsPerSecond: 111,
  /** The worker's share of it for each kind of work, so pushing, order polling and reading never exceed it together. */
  share: { push: 90, orders: 5, read: 16 },
  /** Units per POST /units/bulk; more (or a duplicate unit) fails the whole request. */
  bulkMaxUnits: 150,
  /** Most items a list call (units, order units) returns. */
  pageLimit: 100,
  /** A request signed more than this far from Kaufland's clock is refused (the simulator's assumption). */
  timestampToleranceS: 300,
} as const
