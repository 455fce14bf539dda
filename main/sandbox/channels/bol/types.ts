// The bol.com simulator's public face: its options, the sandbox credentials, and the handle tests, the demo
// and the benches drive it through.
import type { BOL_ENDPOINT_LIMITS, BolWindow } from '../../../core/channels/bol-limits'
import type { Clock } from '../../../core/ports/clock'
import type { EventPublisher } from '../../queue/event-publisher'
import type { SqsSimulator } from '../../queue/sqs-simulator'
import type { BolSimSubscription } from './routes-subscriptions'
import type { FaultConfig, SimRequestLogEntry } from '../../http/sim-server'
import type { ChannelSimBase, ChannelSimProbe, RecordedRequest } from '../../kit'

export const BOL_SIM_CREDENTIALS = { clientId: 'sim-bol-client-id', clientSecret: 'sim-bol-client-secret' }

export type BolSimWindow = BolWindow

/** Per-endpoint budgets: the channel's limits file (orders from bol's published example, offers assumed). */
export type BolSimEndpoint = keyof typeof BOL_ENDPOINT_LIMITS

export interface BolSimOffer {
  offerId?: string
  ean: string
  reference?: string
  amount: number
  onHoldByRetailer?: boolean
  /** FBB: bol.com ships it from its own stock (its orders are FBB too). Default FBR. */
  fulfilment?: 'FBR' | 'FBB'
}

export interface BolSimulatorOptions {
  credentials?: typeof BOL_SIM_CREDENTIALS
  timeScale?: number
  tokenTtlSeconds?: number
  limits?: Partial<Record<BolSimEndpoint, BolSimWindow>>
  /** Answer offer updates with 202 and a process status, resolved after `processingMs` (before scaling). */
  asyncOfferUpdates?: boolean
  processingMs?: number
  faults?: FaultConfig
  random?: () => number
  clock?: Clock
  port?: number
  /** Where ORDER events go (an SQS simulator): the subscription's url must be a queue of it. */
  queue?: SqsSimulator
  /** Share of events bol.com fails to send (seeded by `eventRandom`). Default 0. */
  eventLossRate?: number
  eventRandom?: () => number
}

export interface BolSimulator extends ChannelSimBase {
  /** ORDER events: every body sent (and lost). */
  readonly notifications: EventPublisher
  /** Sends the events to this queue simulator from now on (null: nowhere). */
  connectQueue(queue: SqsSimulator | null): void
  /** The event subscriptions, as GET /retailer/subscriptions lists them. */
  readonly subscriptions: ReadonlyMap<string, BolSimSubscription>
  readonly url: string
  /** The retailer API base to configure an adapter with. */
  readonly baseUrl: string
  readonly tokenUrl: string
  readonly requests: SimRequestLogEntry[]
  readonly received: RecordedRequest[]
  readonly counts: { updates: number; tokens: number; throttled: number; detailCalls: number }
  /** Adds offers; returns their ids (generated UUIDs when not given). */
  setOffers(offers: BolSimOffer[]): string[]
  offer(
    offerId: string,
  ): { amount: number; onHold: boolean; correctedStock: number; managedByRetailer: boolean } | undefined
  placeOrder(items: { offerId: string; quantity: number; unitPrice?: number }[]): string
  cancelItem(orderId: string, itemIndex: number, quantity?: number): void
  /**
   * From now on the order is answered with null dates, as the spec allows (ReducedOrder.orderPlacedDateTime
   * and ReducedOrderItem.latestChangedDateTime are nullable): `placed` its placing, `changed` every item's
   * latest change. bol still filters and sorts by the real times.
   */
  nullOrderDates(orderId: string, which: { placed?: boolean; changed?: boolean }): void
  shipOrder(orderId: string): void
  /** Tokens issued so far stop working. */
  expireTokens(): void
  /** The seller deleted the API credentials. */
  revokeCredentials(): void
  /** The campaign probe: listings by offer id, writes when an offer update is accepted. */
  readonly probe: ChannelSimProbe
}
