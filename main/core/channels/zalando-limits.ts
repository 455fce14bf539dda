// Zalando zDirect's limits and sizes, written once: the client paces by them (sliding windows), the
// adapter's capabilities and the simulator read them. Sources: docs/marketplaces.md (Zalando, e).

export const ZALANDO_LIMITS = {
  /** Zalando counts "N a minute". */
  windowMs: 60_000,
  /**
   * The window the client counts: 5% longer, because a request's latency moves the moment Zalando counts
   * it, and one that lands late must not push the next past the limit.
   */
  clientWindowMs: 63_000,
  /** Token requests a minute; violators may be banned. */
  tokensPerMinute: { production: 8, sandbox: 1 },
  /** POST /stocks: requests a minute, and (EAN, sales channel) updates a minute, both enforced. */
  stockRequestsPerMinute: 60,
  stockItemsPerMinute: 2000,
  /** GET multiple orders a minute. */
  ordersPerMinute: { production: 40, sandbox: 10 },
  /** Offer blockers: not published; paced gently. */
  blockers: { ratePerSecond: 5, burst: 10 },
  /** Items per stocks request. */
  stocksMaxItems: 1000,
  /** Offer blocker create and delete take at most 5 items (spec maxItems). */
  blockersMaxItems: 5,
  ordersPageSize: 50,
  /** The worker's bursts on top of the per-minute rates. */
  workerBursts: { push: 10, orders: 5 },
  /** A token lasts two hours on zDirect (the simulator's default). */
  tokenLifetimeS: 7200,
} as const
