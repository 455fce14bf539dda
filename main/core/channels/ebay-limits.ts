// eBay's limits and sizes, written once: the adapter's capabilities, its revision budget and the simulator
// read them. eBay's limits are daily call quotas per API (spread over the day for the worker) and 250
// revisions per listing per calendar day. Sources: docs/marketplaces.md (eBay, e).

export const EBAY_LIMITS = {
  /** Daily calls per API (assumed defaults: eBay publishes them per application). */
  dailyCalls: { inventory: 2_000_000, fulfillment: 100_000 },
  /** The worker's bursts on top of the quotas spread over the day. */
  bursts: { push: 100, read: 100, orders: 20 },
  /** Revisions of one listing per calendar day (US Pacific time). */
  revisionsPerDay: 250,
  /** Revisions kept back for going to or from zero. */
  revisionReserve: 25,
  /** Revisions a listing may spend at once before the steady rate applies. */
  revisionBurst: 20,
  /** SKUs per bulk_update_price_quantity. */
  bulkMaxItems: 25,
  /** Items per inventory_item page, orders per getOrders page (its maximum). */
  inventoryPageSize: 100,
  ordersPageSize: 200,
  /** A user access token lives two hours. */
  tokenLifetimeS: 7200,
} as const
