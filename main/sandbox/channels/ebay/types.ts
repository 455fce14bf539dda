// The eBay simulator's public face: its options, the sandbox credentials, and the handle tests, the demo and
// the benches drive it through.
import type { EBAY_LIMITS } from '../../../core/channels/ebay-limits'
import type { Clock } from '../../../core/ports/clock'
import type { FaultConfig, SimRequestLogEntry } from '../../http/sim-server'
import type { ChannelSimBase, ChannelSimProbe, RecordedRequest } from '../../kit'

export const EBAY_SIM_CREDENTIALS = {
  clientId: 'LastUnit-sim-PRD-0123456789',
  clientSecret: 'PRD-sim-cert-id',
  refreshToken: 'v^1.1#i^1#sim-refresh-token',
}

export interface EbaySimListing {
  sku: string
  quantity: number
  ean?: string
  title?: string
  published?: boolean
}

export interface EbaySimulatorOptions {
  credentials?: typeof EBAY_SIM_CREDENTIALS
  marketplaceId?: string
  timeScale?: number
  tokenTtlSeconds?: number
  /** Daily call quotas per API (default: the channel's limits file). */
  quotas?: Partial<Record<keyof typeof EBAY_LIMITS.dailyCalls, number>>
  /** eBay's cap per listing per day. */
  maxRevisionsPerDay?: number
  /** Share of bulk items answered with the transient errorId 25001. */
  transientItemErrorRate?: number
  faults?: FaultConfig
  random?: () => number
  clock?: Clock
  port?: number
}

export interface EbaySimulator extends ChannelSimBase {
  readonly url: string
  readonly marketplaceId: string
  readonly requests: SimRequestLogEntry[]
  readonly received: RecordedRequest[]
  readonly counts: { bulkCalls: number; revisionsRefused: number; tokens: number; throttled: number }
  /** Adds inventory items with one fixed-price offer each; returns the offer ids. */
  setListings(listings: EbaySimListing[]): string[]
  /** What buyers see: the smaller of ship-to-home quantity and the offer's available quantity. */
  listing(
    sku: string,
  ):
    | { live: number; shipTo: number; available: number; published: boolean; revisionsToday: number }
    | undefined
  placeOrder(items: { sku: string; quantity: number; price?: number }[]): string
  cancelOrder(orderId: string): void
  /**
   * Sets the offer's availableQuantity as eBay stores it, unchecked: any int32 the spec's `integer (int32)`
   * allows, e.g. -2147483648, which eBay has been seen to answer on read-back.
   */
  setOfferQuantity(sku: string, quantity: number): void
  requestCancel(orderId: string): void
  shipOrder(orderId: string): void
  expireTokens(): void
  revokeRefreshToken(): void
  /** The campaign probe: listings by SKU, writes for accepted bulk quantity updates, withdraw and publish. */
  readonly probe: ChannelSimProbe
}
