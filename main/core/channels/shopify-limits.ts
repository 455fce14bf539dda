// Shopify Admin GraphQL's limits and sizes, written once: the client paces by the cost bucket, the adapter's
// capabilities and the simulator read them. Sources: docs/marketplaces.md (Shopify, e).

export interface ShopifyBucket {
  /** Points the bucket holds. */
  maximumAvailable: number
  /** Points restored a second. */
  restoreRate: number
}

export const SHOPIFY_LIMITS = {
  /** A Standard plan's leaky bucket (the simulator's default); the answers' throttleStatus names the shop's own. */
  standardBucket: { maximumAvailable: 2000, restoreRate: 100 } satisfies ShopifyBucket,
  /** What the client assumes until Shopify's first answer says otherwise: the smallest bucket there has been. */
  assumedBucket: { maximumAvailable: 1000, restoreRate: 50 } satisfies ShopifyBucket,
  /** The most one query may cost. */
  maxQueryCost: 1000,
  /** Quantities per inventorySetQuantities (our cap; Shopify documents none, 250 is its usual list cap). */
  setQuantitiesMax: 250,
  /** Products per aliased productUpdate mutation (pause, resume). */
  statusUpdatesPerCall: 20,
  /** Variants per nodes() read. */
  nodesPerRead: 100,
  /** The worker's pace: a quantities mutation costs 10, a page of reads 100 to 800 points. */
  worker: {
    push: { ratePerSecond: 5, burst: 20 },
    orders: { ratePerSecond: 0.5, burst: 2 },
    read: { ratePerSecond: 0.5, burst: 2 },
  },
} as const
