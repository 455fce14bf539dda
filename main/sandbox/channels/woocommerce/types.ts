// The WooCommerce simulator's public face: its options, the products tests create, and the handle tests,
// the demo and the benches drive it through.
import type { Clock } from '../../../core/ports/clock'
import type { FaultConfig } from '../../http/sim-server'
import type { ChannelSimBase, ChannelSimProbe, ReceivedRequest } from '../../kit'

export interface WooSimProductInput {
  name: string
  sku: string
  stock?: number
  manageStock?: boolean
  status?: 'publish' | 'draft' | 'private'
  gtin?: string
  /** A variable product: one variation per entry. */
  variations?: { sku: string; option: string; stock?: number; manageStock?: boolean }[]
}

export interface WooSimulatorOptions {
  consumerKey?: string
  consumerSecret?: string
  /** Hours the site's timezone is ahead of UTC (dates without dates_are_gmt are read in it). */
  siteUtcOffsetHours?: number
  /** A host or WAF limit in requests per second (Woo core has none), counted as requests arrive. */
  hostRatePerSecond?: number
  /** The host limit's burst (default: one second's worth, `hostRatePerSecond`). */
  hostBurst?: number
  /** The simulator's clock runs this many times faster: the host limit's rate is multiplied by it (default 1). */
  timeScale?: number
  /** Some hosts drop the Authorization header: Basic auth then fails, query-string auth works. */
  stripAuthorizationHeader?: boolean
  clock?: Clock
  faults?: FaultConfig
  random?: () => number
}

export interface WooSimulator extends ChannelSimBase {
  readonly url: string
  readonly consumerKey: string
  readonly consumerSecret: string
  readonly received: ReceivedRequest[]
  /** Creates products; answers listing ids ("12" or "12/34") in order, variations after their parent. */
  setProducts(products: WooSimProductInput[]): string[]
  /** Adds products to the shop (the seller creates one in WooCommerce); answers their listing ids. */
  addProducts(products: WooSimProductInput[]): string[]
  stock(
    listingId: string,
  ):
    { manage_stock: boolean; stock_quantity: number | null; status: string; stock_status: string } | undefined
  /** Writes to these variations are answered as applied but not stored (woocommerce#36595). */
  ignoreWrites(listingIds: string[]): void
  placeOrder(lines: { listingId: string; quantity: number }[]): number
  setOrderStatus(orderId: number, status: string): void
  /** A partial refund of `count` units of one line (with restock, as the shop admin does it). */
  refundUnits(orderId: number, lineIndex: number, count: number): void
  revokeKeys(): void
  /** The campaign probe: listings by "id" or "parentId/variationId", writes for accepted batch updates. */
  readonly probe: ChannelSimProbe
}
