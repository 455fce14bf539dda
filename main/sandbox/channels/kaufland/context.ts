// What the Kaufland simulator's routes share: its state, keys, limit, validators and request record.
import type { TokenBucket } from '../../../core/rate-limit/token-bucket'
import type { ReceivedRequest, SchemaValidator, SimTime, StockWriteSink } from '../../kit'
import type { KauflandState } from './state'

export interface KauflandContext {
  readonly time: SimTime
  readonly state: KauflandState
  readonly clientKey: string
  readonly secretKey: string
  readonly storefronts: string[]
  /** Requests a second per seller. */
  readonly bucket: TokenBucket
  /** Largest accepted clock difference of Shop-Timestamp, seconds. */
  readonly maxSkew: number
  /** Request bodies by schema name: embedded always, swagger.json's when present. */
  readonly embedded: SchemaValidator
  readonly spec: SchemaValidator | undefined
  readonly received: ReceivedRequest[]
  readonly writes: StockWriteSink
  /** 429s of the seller's rate limit. */
  throttled: number
  /** The keys were revoked in the seller portal. */
  revoked: boolean
}
