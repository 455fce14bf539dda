// WooCommerce REST v3's limits and sizes, written once: the adapter's capabilities and the simulator read
// them. Woo core has no API limit; shared hosts and WAFs do, so the worker stays gentle and the client
// honours the host's 429s. Sources: docs/marketplaces.md (WooCommerce, e).

export const WOOCOMMERCE_LIMITS = {
  /** Objects per products or variations batch call. */
  batchMax: 100,
  /** Items per page (per_page). */
  pageMax: 100,
  /** The worker's pace, for shared hosts. */
  worker: {
    push: { ratePerSecond: 2, burst: 4 },
    orders: { ratePerSecond: 1, burst: 2 },
    read: { ratePerSecond: 2, burst: 4 },
  },
  /**
   * WooCommerce publishes no limit: it depends on the seller's host. Orders are read every 15 s by default,
   * gentle on a shared host; the seller may choose down to 2 s for a host that takes it.
   */
  hostOrderPollMs: 15_000,
} as const
