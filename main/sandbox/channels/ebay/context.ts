// What the eBay simulator's routes share: its state, settings, credentials, quotas and request record.
import type { FixedWindows, RequestRecorder, SimTime, StockWriteSink, TokenStore } from '../../kit'
import type { EbayState } from './state'
import type { EBAY_SIM_CREDENTIALS, EbaySimulator } from './types'

export interface EbayContext {
  readonly time: SimTime
  readonly state: EbayState
  readonly creds: typeof EBAY_SIM_CREDENTIALS
  readonly marketplaceId: string
  readonly tokenTtl: number
  /** Daily call quotas per API ('inventory', 'fulfillment'), reset at the start of eBay's day. */
  readonly quotas: FixedWindows
  /** Share of bulk items answered with the transient errorId 25001, and the dice for it. */
  readonly transientItemErrorRate: number
  readonly random: () => number
  readonly tokens: TokenStore
  readonly recorder: RequestRecorder
  readonly writes: StockWriteSink
  readonly counts: EbaySimulator['counts']
  /** The seller revoked the refresh token. */
  revoked: boolean
}

/** The spec file a path belongs to. */
export const specOf = (path: string): string | undefined =>
  path.startsWith('/sell/inventory/v1')
    ? 'ebay/sell_inventory_v1_oas3.json'
    : path.startsWith('/sell/fulfillment/v1')
      ? 'ebay/sell_fulfillment_v1_oas3.json'
      : undefined
