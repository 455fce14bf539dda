// The Kaufland simulator's public face: its options and the handle tests, the demo and the benches drive it
// through.
import type { Clock } from '../../../core/ports/clock'
import type { FaultConfig } from '../../http/sim-server'
import type { ChannelSimBase, ChannelSimProbe, ReceivedRequest } from '../../kit'

export interface KauflandSimUnitInput {
  id_unit: number
  id_offer: string
  ean: string
  title?: string
  amount: number
  status?: 'AVAILABLE' | 'ONHOLD'
  listing_price?: number
}

export type KauflandReceivedRequest = ReceivedRequest

export interface KauflandSimulatorOptions {
  clientKey?: string
  secretKey?: string
  storefronts?: string[]
  /** Requests per second per seller (111 on the real API). */
  ratePerSecond?: number
  clock?: Clock
  /** Largest accepted clock difference of Shop-Timestamp, seconds. */
  maxSkewSeconds?: number
  faults?: FaultConfig
  random?: () => number
  /** Where the official specs are; undefined: ../shared/specs when present; null: never. */
  specsDir?: string | null
}

export interface KauflandSimulator extends ChannelSimBase {
  /** Base URL for the adapter (…/v2). */
  readonly url: string
  readonly clientKey: string
  readonly secretKey: string
  /** Bodies and queries received, for contract tests. */
  readonly received: KauflandReceivedRequest[]
  /** True when request bodies were also checked against the official swagger.json. */
  readonly specValidation: boolean
  setUnits(units: KauflandSimUnitInput[]): void
  unit(idUnit: number): { amount: number; status: string } | undefined
  /** A buyer orders `quantity` pieces: one order unit per piece, the amount goes down. */
  placeOrder(lines: { id_unit: number; quantity: number }[]): { id_order: string; id_order_units: number[] }
  cancelOrderUnit(idOrderUnit: number): void
  /** The keys stop working (revoked in the seller portal). */
  revokeKeys(): void
  /** The campaign probe: listings by unit id (id_unit as a string), writes for accepted unit updates. */
  readonly probe: ChannelSimProbe
}
