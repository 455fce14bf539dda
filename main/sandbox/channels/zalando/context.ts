// What the Zalando simulator's routes share: its state, merchant, credentials, limits, validators and record.
import type { WindowLimit } from '../../../core/rate-limit/window-limit'
import type { ReceivedRequest, SchemaValidator, SimTime, StockWriteSink, TokenStore } from '../../kit'
import type { ZalandoState } from './state'
import type { ZalandoSimLimits, ZalandoSimQuirks, ZalandoSimulator } from './types'

export interface ZalandoContext {
  readonly time: SimTime
  readonly state: ZalandoState
  readonly merchantId: string
  readonly salesChannelIds: string[]
  /** The sales channel the probe shows buyers. */
  readonly probeChannel: string
  readonly clientId: string
  readonly clientSecret: string
  readonly tokenTtl: number
  readonly lim: ZalandoSimLimits
  /** "N a minute" limits as sliding windows, counted at the gateway. */
  readonly windows: {
    tokens: WindowLimit
    stockRequests: WindowLimit
    stockItems: WindowLimit
    orders: WindowLimit
  }
  /** Request bodies by schema name: embedded always, the Offer Blocking spec when present. */
  readonly embedded: SchemaValidator
  readonly spec: SchemaValidator | undefined
  readonly tokens: TokenStore
  readonly received: ReceivedRequest[]
  readonly writes: StockWriteSink
  readonly tokenStats: ZalandoSimulator['tokenStats']
  readonly quirks: ZalandoSimQuirks
  /** 429s of the simulator's own limits. */
  limitHits: number
  /** The server's address, once it listens (paging links point at it). */
  url: string
}
