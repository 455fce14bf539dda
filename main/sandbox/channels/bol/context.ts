// What the bol.com simulator's routes share: its state, settings, credentials, budgets and request record.
import type { FixedWindows, RequestRecorder, SimTime, StockWriteSink, TokenStore } from '../../kit'
import type { EventPublisher } from '../../queue/event-publisher'
import type { BolSimSubscription } from './routes-subscriptions'
import type { BolState } from './state'
import type { BOL_SIM_CREDENTIALS, BolSimulator } from './types'

export interface BolContext {
  readonly time: SimTime
  readonly state: BolState
  readonly creds: typeof BOL_SIM_CREDENTIALS
  readonly tokenTtl: number
  /** Per-endpoint fixed windows, as bol reports them in x-ratelimit-* headers. */
  readonly budgets: FixedWindows
  /** Offer updates answered 202 and applied after `processingMs` (scaled). */
  readonly asyncOfferUpdates: boolean
  readonly processingMs: number
  readonly tokens: TokenStore
  readonly recorder: RequestRecorder
  readonly writes: StockWriteSink
  readonly counts: BolSimulator['counts']
  /** The seller deleted the API credentials. */
  revoked: boolean
  /** Event subscriptions by id, and the sender of their events. */
  readonly subscriptions: Map<string, BolSimSubscription>
  readonly publisher: EventPublisher
}

/** The spec file a path belongs to. */
export const specOf = (path: string): string | undefined =>
  path.startsWith('/retailer/offers')
    ? 'bol/offers-v11.yaml'
    : path.startsWith('/retailer/orders') || path.startsWith('/retailer/subscriptions')
      ? 'bol/retailer-v10.json'
      : path.startsWith('/shared/')
        ? 'bol/shared-v10.json'
        : undefined
