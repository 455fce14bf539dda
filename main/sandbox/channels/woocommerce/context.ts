// What the WooCommerce simulator's routes share: its state, keys, host limit, site timezone and record.
import type { TokenBucket } from '../../../core/rate-limit/token-bucket'
import type { ReceivedRequest, SchemaValidator, SimTime, StockWriteSink } from '../../kit'
import type { WooState } from './state'

export interface WooContext {
  readonly time: SimTime
  readonly state: WooState
  readonly consumerKey: string
  readonly consumerSecret: string
  /** Keys revoked in the shop's admin: every request fails authentication. */
  revoked: boolean
  /** Some hosts drop the Authorization header. */
  readonly stripAuthorizationHeader: boolean
  /** The site's timezone, ms ahead of UTC. */
  readonly offsetMs: number
  /** A host or WAF limit (Woo core has none). */
  readonly host: TokenBucket | undefined
  readonly validator: SchemaValidator
  readonly received: ReceivedRequest[]
  readonly writes: StockWriteSink
  /** 429s of the host limit. */
  limited: number
  /** The server's address, once it listens (Link headers point at it). */
  url: string
}
