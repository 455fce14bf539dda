// The Shopify simulator's public face: its options, the products tests create, and the handle tests, the
// demo and the benches drive it through.
import type { Clock } from '../../../core/ports/clock'
import type { FaultConfig } from '../../http/sim-server'
import type { ChannelSimBase, ChannelSimProbe } from '../../kit'

export interface ShopifySimVariantInput {
  sku: string
  barcode?: string
  title?: string
  available?: number
  /** False: the item is not stocked at the location (Shopify refuses to set it there). */
  stocked?: boolean
}

export interface ShopifySimProductInput {
  title: string
  status?: 'ACTIVE' | 'DRAFT' | 'ARCHIVED'
  variants: ShopifySimVariantInput[]
}

export interface ShopifySimulatorOptions {
  accessToken?: string
  shopName?: string
  /** Leaky bucket: Standard plans hold 2000 points and restore 100 a second. */
  bucketSize?: number
  restoreRate?: number
  clock?: Clock
  faults?: FaultConfig
  random?: () => number
}

/** A GraphQL operation as the simulator received it: root field names and variables. */
export interface ShopifyReceivedOperation {
  operation: string
  fields: string[]
  variables: Record<string, unknown>
  idempotencyKey?: string
}

export interface ShopifySimulator extends ChannelSimBase {
  /** The shop's base URL (what the adapter's baseUrl takes). */
  readonly url: string
  readonly accessToken: string
  readonly locationId: string
  /** Every GraphQL operation received: root field names and variables. */
  readonly received: ShopifyReceivedOperation[]
  /** Creates products; answers the variant GIDs in order. */
  setProducts(products: ShopifySimProductInput[]): string[]
  available(variantGid: string): number | undefined
  productStatus(variantGid: string): string | undefined
  placeOrder(lines: { variantId: string; quantity: number }[]): string
  cancelOrder(orderGid: string): void
  /** An order edit removes `count` units from one line. */
  removeUnits(orderGid: string, lineIndex: number, count: number): void
  revokeToken(): void
  /** Sets the bucket's level now (tests of throttling). */
  drainBucket(toPoints: number): void
  /** The campaign probe: listings by variant GID, writes for accepted inventorySetQuantities and productUpdate. */
  readonly probe: ChannelSimProbe
}
