// The engine's in-memory view of the configuration: live channels with their basis, zero-stock action,
// caps and location scope; which listings each product has; the buffer rules. Reloaded from SQLite
// whenever the configuration changes, and at every safety-net recompute.
import type { Database } from 'better-sqlite3'
import type { BufferRule } from '../../core/buffers/buffer-rules'
import type { ZeroStockAction } from '../../core/channel-types'
import type { KitBook } from '../../core/stock/kit-book'
import type { StockBasis } from '../../core/stock/published-quantity'
import { listBufferRules } from '../db/repos/buffer-rules'
import { enabledChannelSettings } from '../db/repos/channels'
import { allLocationRules } from '../db/repos/location-rules'
import { mappingRefs } from '../db/repos/mappings'

export interface ChannelConfig {
  id: string
  type: string
  name: string
  basis: StockBasis
  zeroAction: ZeroStockAction
  maxPublished: number | null
  zeroBelow: number | null
  orderImport: boolean
  locationIds: number[]
  /** Key of the location set in product_stock. */
  scope: string
}

export interface ListingRef {
  channelId: string
  listingId: string
}

export class Catalog {
  channels = new Map<string, ChannelConfig>()
  listingsByProduct = new Map<number, ListingRef[]>()
  productByListing = new Map<string, number>()
  listingsPerChannel = new Map<string, number>()
  rules: BufferRule[] = []
  private channelCounts = new Map<number, number>()

  constructor(
    private readonly db: Database,
    private readonly syncedChannelIds: ReadonlySet<string>,
    /** Channels in setup to load as if they were live (a dry run of going live; the engine passes none). */
    private readonly asLive: ReadonlySet<string> = new Set(),
  ) {}

  static listingKey = (channelId: string, listingId: string): string => `${channelId}\u0000${listingId}`

  /** `defaultLocations`: the warehouses' stock locations, for channels without location rules. */
  load(defaultLocations: readonly number[]): void {
    const rows = enabledChannelSettings(this.db)
    const locs = allLocationRules(this.db)
    const channels = new Map<string, ChannelConfig>()
    for (const r of rows) {
      if (!this.syncedChannelIds.has(r.id)) continue
      if (r.state !== 'live' && !this.asLive.has(r.id)) continue
      const own = locs.filter((l) => l.channel_id === r.id).map((l) => l.location_id)
      const locationIds = [...new Set(own.length > 0 ? own : defaultLocations)].sort((a, b) => a - b)
      channels.set(r.id, {
        id: r.id,
        type: r.type,
        name: r.name,
        basis: r.stock_basis,
        zeroAction: r.zero_stock_action,
        maxPublished: r.max_published,
        zeroBelow: r.zero_below,
        orderImport: r.order_import === 1,
        locationIds,
        scope: locationIds.join(','),
      })
    }
    const mappings = mappingRefs(this.db)
    const byProduct = new Map<number, ListingRef[]>()
    const byListing = new Map<string, number>()
    const perChannel = new Map<string, number>()
    for (const m of mappings) {
      if (!channels.has(m.channel_id)) continue
      let list = byProduct.get(m.product_id)
      if (!list) byProduct.set(m.product_id, (list = []))
      list.push({ channelId: m.channel_id, listingId: m.listing_id })
      byListing.set(Catalog.listingKey(m.channel_id, m.listing_id), m.product_id)
      perChannel.set(m.channel_id, (perChannel.get(m.channel_id) ?? 0) + 1)
    }
    const rules = listBufferRules(this.db)
    this.channels = channels
    this.channelCounts = new Map()
    this.listingsByProduct = byProduct
    this.productByListing = byListing
    this.listingsPerChannel = perChannel
    this.rules = rules.map((r) => ({
      scope: r.scope,
      buffer: r.buffer,
      velocityClass: r.velocityClass,
      channelId: r.channelId,
      productId: r.productId,
      startsOn: r.startsOn,
      endsOn: r.endsOn,
      note: r.note,
    }))
  }

  /** Distinct location scopes in use, with their locations. */
  scopes(): Map<string, number[]> {
    const out = new Map<string, number[]>()
    for (const c of this.channels.values()) out.set(c.scope, c.locationIds)
    return out
  }

  mappedProductIds(): number[] {
    return [...this.listingsByProduct.keys()]
  }

  /** Whether a product's stock matters: it is listed, or a listed kit's figure reads it. */
  relevant(productId: number, kits: KitBook): boolean {
    if (this.listingsByProduct.has(productId)) return true
    return kits.kitsUsing(productId).some((k) => this.listingsByProduct.has(k))
  }

  productOf(channelId: string, listingId: string): number | null {
    return this.productByListing.get(Catalog.listingKey(channelId, listingId)) ?? null
  }

  channelCount(productId: number): number {
    let n = this.channelCounts.get(productId)
    if (n === undefined) {
      const list = this.listingsByProduct.get(productId)
      n = list ? new Set(list.map((l) => l.channelId)).size : 0
      this.channelCounts.set(productId, n)
    }
    return n
  }
}
