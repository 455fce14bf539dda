// bol.com's limits and sizes, written once: the client knows its endpoints (it paces by bol's own
// x-ratelimit headers), the adapter's capabilities and the simulator read the windows. Orders follow bol's
// published example (7 list calls per 3 minutes, 8 detail calls a minute); the offer figures are an
// assumption, since bol publishes them only in its portal (docs/marketplaces.md, bol.com e).

/** A fixed window: `limit` calls per `windowSeconds`, as bol reports it in x-ratelimit-* headers. */
export interface BolWindow {
  limit: number
  windowSeconds: number
}

export const BOL_ENDPOINT_LIMITS = {
  token: { limit: 10, windowSeconds: 60 },
  'offers-update': { limit: 25, windowSeconds: 1 },
  'offers-list': { limit: 25, windowSeconds: 1 },
  'orders-list': { limit: 7, windowSeconds: 180 },
  'orders-detail': { limit: 8, windowSeconds: 60 },
  'process-status': { limit: 100, windowSeconds: 1 },
  // Subscriptions (POST/GET /retailer/subscriptions): bol publishes no figure for them; an assumption, used
  // only when the seller sets up "Faster orders". The client paces by bol's headers in any case.
  subscriptions: { limit: 5, windowSeconds: 1 },
} as const satisfies Record<string, BolWindow>

export type BolEndpoint = Exclude<keyof typeof BOL_ENDPOINT_LIMITS, 'token'>

export const BOL_LIMITS = {
  endpoints: BOL_ENDPOINT_LIMITS,
  /** No bulk stock call exists: the engine hands this many offers per round, each its own PATCH. */
  offersPerRound: 50,
  /** Offer updates in flight at once: one PATCH per offer at a round trip each would never reach the allowance. */
  concurrency: 4,
  /** bol's ceiling for an offer's stock amount. */
  maxStock: 999,
  /** Offers per page and per read-back (offer-ids filter). */
  offersPageSize: 100,
  readBackBatch: 50,
  /** Orders per list page (v10). */
  ordersPageSize: 50,
  /** Process statuses per bulk query. */
  processStatusBatch: 1000,
  /** bol keeps three months of order history. */
  orderHistoryDays: 90,
  /** The longest change interval the orders list takes. */
  maxChangeIntervalMinutes: 60,
  /**
   * Order polls per orders-list window while the ORDER events' queue is up: 3 of the 7 calls per 3 minutes
   * (one every 60 s), leaving 4 for events whose order-detail budget is spent (bol-notifications.ts).
   */
  ordersPollsPerWindowWithQueue: 3,
  /** bol's JWT lives about five minutes. */
  tokenLifetimeS: 299,
} as const
