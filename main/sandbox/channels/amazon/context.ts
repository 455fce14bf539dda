// What the Amazon simulator's routes share: its state, settings, credentials, limits and request record.
import type { RequestRecorder, SimRateLimits, SimTime, StockWriteSink, TokenStore } from '../../kit'
import type { EventPublisher } from '../../queue/event-publisher'
import type { AmazonState } from './state'
import type { AMAZON_SIM_CREDENTIALS, AmazonSimQuirks, AmazonSimulator } from './types'

export interface AmazonContext {
  readonly time: SimTime
  readonly state: AmazonState
  readonly sellerId: string
  readonly marketplaceId: string
  readonly creds: typeof AMAZON_SIM_CREDENTIALS
  /** Scaled ms before an accepted patch shows, and a feed takes. */
  readonly applyDelay: number
  readonly feedDelay: number
  /** Scaled ms a feed document's upload URL works. */
  readonly uploadUrlLifetime: number
  readonly tokenTtl: number
  readonly gzipReports: boolean
  readonly tokens: TokenStore
  /** Tokens of the client-credentials grant (grantless operations): refused for seller operations. */
  readonly grantlessTokens: TokenStore
  /** Notifications API state: destinations by id, subscriptions by notification type, and the sender. */
  readonly notifications: {
    destinations: Map<string, { name: string; arn: string }>
    subscriptions: Map<string, { subscriptionId: string; payloadVersion: string; destinationId: string }>
    publisher: EventPublisher
  }
  readonly limits: SimRateLimits
  readonly recorder: RequestRecorder
  readonly writes: StockWriteSink
  readonly counts: AmazonSimulator['counts']
  readonly quirks: AmazonSimQuirks
  /** Refresh grants fail once the seller revoked the app. */
  refreshRevoked: boolean
  /** The server's address, once it listens (presigned document URLs point at it). */
  url: string
}

/** The spec file each API's paths belong to. */
export const SPEC_FILES: [string, string][] = [
  ['/listings/', 'amazon/listingsItems_2021-08-01.json'],
  ['/feeds/', 'amazon/feeds_2021-06-30.json'],
  ['/orders/2026-01-01/', 'amazon/orders_2026-01-01.json'],
]
// The Notifications API's model is not in ../shared/specs: its requests are checked by the routes themselves.

export const specOf = (path: string): string | undefined =>
  SPEC_FILES.find(([prefix]) => path.startsWith(prefix))?.[1]
