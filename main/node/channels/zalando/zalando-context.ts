// What every part of the Zalando adapter shares.
import type { Clock } from '../../../core/ports/clock'
import type { ZalandoClient } from './zalando-client'

export interface ZalandoContext {
  zalando: ZalandoClient
  clock: Clock
  /** The merchant id, URL-encoded. */
  mid: string
  /** Every sales channel a listing's stock goes to. */
  channels: string[]
}
