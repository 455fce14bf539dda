// What the Shopify simulator's gateway and resolvers share: its state, token, cost bucket and record.
import type { LeakyBucket, SimTime, StockWriteSink } from '../../kit'
import type { ShopifyState } from './state'
import type { ShopifyReceivedOperation } from './types'

export interface ShopifyContext {
  readonly time: SimTime
  readonly state: ShopifyState
  readonly shopName: string
  /** The Admin API access token that works now (revoking it changes it). */
  accessToken: string
  /** Cost-based limit: a query takes its requested cost up front, what it did not use is refunded. */
  readonly bucket: LeakyBucket
  readonly received: ShopifyReceivedOperation[]
  readonly writes: StockWriteSink
  /** THROTTLED answers of the bucket. */
  throttled: number
}
