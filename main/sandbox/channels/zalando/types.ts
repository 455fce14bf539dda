// The Zalando simulator's public face: its options and limits, and the handle tests, the demo and the
// benches drive it through.
import type { Clock } from '../../../core/ports/clock'
import type { FaultConfig } from '../../http/sim-server'
import type { ChannelSimBase, ChannelSimProbe, ReceivedRequest } from '../../kit'

export interface ZalandoSimArticle {
  ean: string
  /** Zalando's article id (config SKU + size), what order items carry. */
  article_id?: string
  /** The merchant's product id (SKU), also on order items. */
  external_id?: string
  onboarded?: boolean
  quantity?: number
}

export interface ZalandoSimLimits {
  tokensPerWindow: number
  stockRequestsPerWindow: number
  stockItemsPerWindow: number
  ordersPerWindow: number
  /** Length of the limit window, 60 000 ms on the real API. */
  windowMs: number
}

export interface ZalandoSimulatorOptions {
  merchantId?: string
  salesChannelIds?: string[]
  clientId?: string
  clientSecret?: string
  tokenTtlSeconds?: number
  limits?: Partial<ZalandoSimLimits>
  clock?: Clock
  faults?: FaultConfig
  random?: () => number
  /** Where the official specs are; undefined: ../shared/specs when present; null: never. */
  specsDir?: string | null
}

export type ZalandoReceivedRequest = ReceivedRequest

/** Answers the spec allows that break a careless client; all off by default, switched on the handle. */
export interface ZalandoSimQuirks {
  /**
   * GET offer-blockers always answers cursors.next, pointing at the cursor the page was asked with (the
   * first page: a cursor to itself): the spec's cursors.next is just a URI, with no promise it moves on.
   */
  repeatBlockerCursor: boolean
}

export interface ZalandoSimulator extends ChannelSimBase {
  /** Spec-valid answers that break careless clients (switch them on for a test). */
  readonly quirks: ZalandoSimQuirks
  readonly url: string
  readonly merchantId: string
  readonly salesChannelIds: string[]
  readonly clientId: string
  readonly clientSecret: string
  readonly received: ZalandoReceivedRequest[]
  readonly specValidation: boolean
  /** Token requests answered, and those refused for exceeding the per-minute limit. */
  readonly tokenStats: { issued: number; refused: number }
  setArticles(articles: ZalandoSimArticle[]): void
  onboard(ean: string): void
  offer(
    ean: string,
    salesChannelId: string,
  ): { quantity: number | undefined; pending: number | undefined; blocked: boolean }
  placeOrder(order: {
    salesChannelId?: string
    lines: { ean: string; quantity: number; price?: number }[]
  }): string
  cancelLines(orderId: string, ean: string, count: number): void
  expireTokens(): void
  /**
   * The campaign probe: listings by EAN, as seen on the first sales channel; one write per EAN per accepted
   * stocks request (whatever the number of channels), offer blockers as pause and their removal as resume.
   */
  readonly probe: ChannelSimProbe
}
