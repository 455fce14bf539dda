// WooCommerce REST v3 as a ChannelAdapter. Stock is absolute: manage_stock on and stock_quantity set,
// in batches of up to 100 per products or variations batch call. Woo is known to answer a variation
// write with the new value and keep the old one, so every write is read back and compared before it
// counts as confirmed. Pause: draft for products, private (Woo's "disabled") for variations.
import { ClassifiedError } from '../../../core/errors'
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelListing,
  ChannelOrder,
  ChannelOrderStatus,
  ConnectionTestResult,
  ListingState,
  Page,
  PushBatchResult,
  PushItem,
} from '../../../core/ports/channel-adapter'
import type { Clock } from '../../../core/ports/clock'
import { connectionFailure } from '../connection-test'
import { newestPerListing, quantityRefusal } from '../push-results'
import { WooClient } from './woocommerce-client'
import { parseWooListingId, wooListingId, type WooListingRef } from './woocommerce-listing-id'

/** A WooCommerce shop is the seller's own site: there is no fixed host. */
export const WOOCOMMERCE_BASE_URLS = {
  production: 'https://{your-shop-domain}',
} as const
export const WOO_BATCH_MAX = 100
const PAGE = 100

export interface WooCommerceConfig {
  /** The site root, e.g. https://shop.example.com */
  baseUrl: string
  credentials: { consumerKey: string; consumerSecret: string }
  /** 'query' for hosts that strip the Authorization header (documented fallback, HTTPS only). */
  authMode?: 'basic' | 'query'
}

export interface WooCommerceAdapterOptions {
  timeoutMs: number
  clock: Clock
}

interface WooStockRecord {
  id: number
  parent_id?: number
  name?: string
  type?: string
  status: string
  sku: string
  manage_stock: boolean | 'parent'
  stock_quantity: number | null
  attributes?: { name: string; option: string }[]
  variations?: number[]
  /** Only on products: the GTIN field of recent versions. */
  global_unique_id?: string
}

interface WooBatchEntry extends Partial<WooStockRecord> {
  id: number
  error?: { code: string; message: string; data?: { status?: number } }
}

interface WooOrder {
  id: number
  status: string
  currency: string
  date_created_gmt: string
  date_modified_gmt: string
  line_items: {
    id: number
    product_id: number
    variation_id: number
    sku: string
    quantity: number
    price: number | string
  }[]
  refunds?: { id: number }[]
}

interface WooRefund {
  line_items: { quantity: number; meta_data?: { key: string; value: unknown }[] }[]
}

const configError = (field: string, problem: string) =>
  new ClassifiedError(
    'needs_seller',
    'woocommerce.config',
    `WooCommerce connection settings: ${field} ${problem}`,
    { hint: 'Correct the WooCommerce connection in Connections.' },
  )

const gmt = (s: string) => (/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`)

const orderStatus = (s: string): ChannelOrderStatus =>
  s === 'cancelled' || s === 'refunded' || s === 'failed' || s === 'trash'
    ? 'cancelled'
    : s === 'completed'
      ? 'shipped'
      : 'open'

export function createWooCommerceAdapter(
  config: WooCommerceConfig,
  opts: WooCommerceAdapterOptions,
): ChannelAdapter {
  let base: URL
  try {
    base = new URL(config.baseUrl)
  } catch {
    throw configError('baseUrl', `is not a URL ("${config.baseUrl}")`)
  }
  const loopback = base.hostname === '127.0.0.1' || base.hostname === 'localhost'
  if (base.protocol !== 'https:' && !loopback)
    throw configError(
      'baseUrl',
      'must use https:// (the consumer secret would travel in clear text over http)',
    )
  if (!/^ck_[0-9a-f]{40}$/.test(config.credentials.consumerKey))
    throw configError('credentials.consumerKey', 'must look like ck_ followed by 40 hex characters')
  if (!/^cs_[0-9a-f]{40}$/.test(config.credentials.consumerSecret))
    throw configError('credentials.consumerSecret', 'must look like cs_ followed by 40 hex characters')
  const client = new WooClient({
    baseUrl: base.origin + base.pathname.replace(/\/+$/, ''),
    consumerKey: config.credentials.consumerKey,
    consumerSecret: config.credentials.consumerSecret,
    authMode: config.authMode ?? 'basic',
    timeoutMs: opts.timeoutMs,
  })

  const capabilities: ChannelCapabilities = {
    bulkBatchSize: WOO_BATCH_MAX,
    // Woo core has no API limit; shared hosts and WAFs do, so stay gentle.
    rateLimits: [
      { scope: 'push', ratePerSecond: 2, burst: 4 },
      { scope: 'orders', ratePerSecond: 1, burst: 2 },
      { scope: 'read', ratePerSecond: 2, burst: 4 },
    ],
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: false,
    readBack: true,
    orderPollIntervalMs: 60_000,
  }

  /** Reads the stock records of listings, grouped as Woo needs (products, then variations per parent). */
  const readRecords = async (
    refs: WooListingRef[],
  ): Promise<{ records: Map<string, WooStockRecord>; calls: number }> => {
    const records = new Map<string, WooStockRecord>()
    let calls = 0
    const groups = new Map<number | undefined, number[]>()
    for (const r of refs) {
      const key = r.variationId === undefined ? undefined : r.productId
      groups.set(key, [...(groups.get(key) ?? []), r.variationId ?? r.productId])
    }
    for (const [parent, ids] of groups)
      for (let i = 0; i < ids.length; i += PAGE) {
        const chunk = ids.slice(i, i + PAGE)
        calls++
        const { data } = await client.json<WooStockRecord[]>({
          method: 'GET',
          path: parent === undefined ? '/products' : `/products/${parent}/variations`,
          query: { include: chunk.join(','), per_page: String(PAGE) },
          what:
            parent === undefined
              ? `reading ${chunk.length} products`
              : `reading ${chunk.length} variations of product ${parent}`,
        })
        for (const r of data)
          records.set(parent === undefined ? wooListingId(r.id) : wooListingId(parent, r.id), r)
      }
    return { records, calls }
  }

  const payload = (item: PushItem, ref: WooListingRef) => ({
    id: ref.variationId ?? ref.productId,
    manage_stock: true,
    stock_quantity: item.quantity,
    ...(item.action === 'pause' ? { status: ref.variationId === undefined ? 'draft' : 'private' } : {}),
    ...(item.action === 'resume' ? { status: 'publish' } : {}),
  })

  const expectedStatus = (item: PushItem, ref: WooListingRef) =>
    item.action === 'pause'
      ? ref.variationId === undefined
        ? 'draft'
        : 'private'
      : item.action === 'resume'
        ? 'publish'
        : undefined

  return {
    type: 'woocommerce',
    capabilities,

    async testConnection(): Promise<ConnectionTestResult> {
      try {
        const { res } = await client.json<unknown[]>({
          method: 'GET',
          path: '/products',
          query: { per_page: '1' },
          what: 'listing products',
        })
        const total = res.headers.get('x-wp-total') ?? '?'
        await client.json<unknown[]>({
          method: 'GET',
          path: '/orders',
          query: { per_page: '1' },
          what: 'listing orders',
        })
        return {
          ok: true,
          message: `Connected to WooCommerce at ${base.host}: ${total} products; products and orders are readable.`,
          details: { products: total },
        }
      } catch (e) {
        return connectionFailure(e)
      }
    },

    async push(items: PushItem[]): Promise<PushBatchResult> {
      if (items.length > WOO_BATCH_MAX)
        throw new ClassifiedError(
          'permanent',
          'woocommerce.batch_too_large',
          `WooCommerce takes at most ${WOO_BATCH_MAX} listings per push (got ${items.length})`,
        )
      const batch = newestPerListing(items, 'listing', (item) =>
        !parseWooListingId(item.listingId)
          ? {
              code: 'woocommerce.bad_listing',
              message: `WooCommerce listing "${item.listingId}" is not a product id ("123") or variation ("123/456")`,
            }
          : quantityRefusal(item, 'woocommerce.bad_quantity', item.listingId),
      )
      const results = batch.results
      const send = batch.send.flatMap((item) => {
        const ref = parseWooListingId(item.listingId)
        return ref ? [{ item, ref }] : []
      })
      if (send.length === 0) return { results, calls: 0 }
      let calls = 0
      const written = new Map<string, { item: PushItem; ref: WooListingRef }>()
      const groups = new Map<number | undefined, { item: PushItem; ref: WooListingRef }[]>()
      for (const s of send) {
        const key = s.ref.variationId === undefined ? undefined : s.ref.productId
        groups.set(key, [...(groups.get(key) ?? []), s])
      }
      for (const [parent, group] of groups) {
        calls++
        const { data } = await client.json<{ update?: WooBatchEntry[] }>({
          method: 'POST',
          path: parent === undefined ? '/products/batch' : `/products/${parent}/variations/batch`,
          body: { update: group.map((g) => payload(g.item, g.ref)) },
          what:
            parent === undefined
              ? `updating ${group.length} products`
              : `updating ${group.length} variations of product ${parent}`,
        })
        const byId = new Map((data.update ?? []).map((e) => [e.id, e]))
        for (const g of group) {
          const base = { listingId: g.item.listingId, stamp: g.item.stamp }
          const e = byId.get(g.ref.variationId ?? g.ref.productId)
          if (!e)
            results.push({
              ...base,
              outcome: 'retry',
              code: 'woocommerce.missing_result',
              message: `WooCommerce gave no result for ${g.item.listingId}`,
            })
          else if (e.error)
            results.push({
              ...base,
              outcome: (e.error.data?.status ?? 400) >= 500 ? 'retry' : 'rejected',
              code: e.error.code,
              transient: (e.error.data?.status ?? 400) >= 500,
              message: `WooCommerce refused ${g.item.listingId}: ${e.error.message}`,
            })
          else written.set(g.item.listingId, g)
        }
      }
      if (written.size > 0) {
        // Woo's batch answer echoes what was sent even when the write was dropped: trust only a fresh read.
        const { records, calls: readCalls } = await readRecords([...written.values()].map((w) => w.ref))
        calls += readCalls
        for (const [id, w] of written) {
          const base = { listingId: id, stamp: w.item.stamp }
          const r = records.get(id)
          const status = expectedStatus(w.item, w.ref)
          if (
            r &&
            r.manage_stock === true &&
            r.stock_quantity === w.item.quantity &&
            (status === undefined || r.status === status)
          )
            results.push({ ...base, outcome: 'confirmed' })
          else
            results.push({
              ...base,
              outcome: 'retry',
              code: 'woocommerce.write_ignored',
              message: r
                ? `WooCommerce accepted ${id} but still shows stock ${r.stock_quantity ?? 'not managed'}${status ? `, status ${r.status}` : ''} (wanted ${w.item.quantity}${status ? `, ${status}` : ''})`
                : `WooCommerce accepted ${id} but it could not be read back`,
            })
        }
      }
      return { results, calls }
    },

    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const refs = listingIds.map(parseWooListingId).filter((r): r is WooListingRef => r !== undefined)
      const { records } = await readRecords(refs)
      return [...records.entries()].map(([listingId, r]) => ({
        listingId,
        quantity: r.stock_quantity ?? 0,
        available: r.status === 'publish',
      }))
    },

    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const page = cursor === undefined ? 1 : Number(cursor)
      const { data, res } = await client.json<WooStockRecord[]>({
        method: 'GET',
        path: '/products',
        query: { per_page: String(PAGE), page: String(page), orderby: 'id', order: 'asc', status: 'any' },
        what: `listing products (page ${page})`,
      })
      const items: ChannelListing[] = []
      for (const p of data) {
        if (p.type !== 'variable') {
          items.push({
            listingId: wooListingId(p.id),
            sku: p.sku || null,
            ean: p.global_unique_id || null,
            externalIds: { productId: String(p.id) },
            title: p.name ?? `Product ${p.id}`,
            quantity: p.manage_stock === true ? p.stock_quantity : null,
            paused: p.status !== 'publish',
          })
          continue
        }
        for (let vp = 1, pages = 1; vp <= pages; vp++) {
          const { data: vars, res: vres } = await client.json<WooStockRecord[]>({
            method: 'GET',
            path: `/products/${p.id}/variations`,
            query: { per_page: String(PAGE), page: String(vp) },
            what: `listing variations of product ${p.id}`,
          })
          pages = Number(vres.headers.get('x-wp-totalpages') ?? 1)
          for (const v of vars)
            items.push({
              listingId: wooListingId(p.id, v.id),
              sku: v.sku || null,
              ean: v.global_unique_id || null,
              externalIds: { productId: String(p.id), variationId: String(v.id) },
              title: `${p.name ?? p.id} - ${(v.attributes ?? []).map((a) => a.option).join(' / ') || v.id}`,
              quantity: v.manage_stock === true ? v.stock_quantity : null,
              paused: p.status !== 'publish' || v.status !== 'publish',
            })
        }
      }
      const totalPages = Number(res.headers.get('x-wp-totalpages') ?? page)
      return { items, ...(page < totalPages ? { next: String(page + 1) } : {}) }
    },

    async fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
      const since = Date.parse(sinceIso)
      if (Number.isNaN(since))
        throw new ClassifiedError(
          'permanent',
          'woocommerce.bad_since',
          `fetchOrders: "${sinceIso}" is not an ISO timestamp`,
        )
      const page = cursor === undefined ? 1 : Number(cursor)
      // Oldest change first: an order modified while we page moves behind us and comes again, never skipped.
      const { data, res } = await client.json<WooOrder[]>({
        method: 'GET',
        path: '/orders',
        query: {
          modified_after: new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          dates_are_gmt: 'true',
          status: 'any',
          orderby: 'modified',
          order: 'asc',
          per_page: String(PAGE),
          page: String(page),
        },
        what: `fetching orders modified after ${sinceIso}`,
      })
      if (
        !Array.isArray(data) ||
        data.some((o) => !o || typeof o !== 'object' || !Array.isArray(o.line_items))
      )
        throw new ClassifiedError(
          'retryable',
          'woocommerce.malformed',
          'WooCommerce answered the orders request with something that is not a list of orders',
        )
      // A partial refund takes units off an open order; Woo keeps them on the line, so count them from
      // the refunds, which name the line they refund in _refunded_item_id.
      const refunded = new Map<number, number>()
      for (const o of data) {
        if (!o.refunds?.length || orderStatus(o.status) === 'cancelled') continue
        const { data: refunds } = await client.json<WooRefund[]>({
          method: 'GET',
          path: `/orders/${o.id}/refunds`,
          query: { per_page: '100' },
          what: `reading the refunds of order ${o.id}`,
        })
        for (const r of refunds)
          for (const l of r.line_items) {
            const lineId = Number(l.meta_data?.find((x) => x.key === '_refunded_item_id')?.value)
            if (Number.isInteger(lineId))
              refunded.set(lineId, (refunded.get(lineId) ?? 0) + Math.abs(l.quantity))
          }
      }
      const items = data.map((o): ChannelOrder => {
        const cancelledOrder = orderStatus(o.status) === 'cancelled'
        const anyRefund = o.line_items.some((l) => (refunded.get(l.id) ?? 0) > 0)
        const status = cancelledOrder
          ? 'cancelled'
          : anyRefund
            ? 'partially_cancelled'
            : orderStatus(o.status)
        return {
          orderId: String(o.id),
          status,
          createdAt: gmt(o.date_created_gmt),
          updatedAt: gmt(o.date_modified_gmt),
          currency: o.currency,
          lines: o.line_items.map((l) => ({
            lineId: String(l.id),
            listingId: wooListingId(l.product_id, l.variation_id || undefined),
            sku: l.sku || null,
            ean: null,
            externalIds: {
              productId: String(l.product_id),
              ...(l.variation_id ? { variationId: String(l.variation_id) } : {}),
            },
            quantity: l.quantity,
            cancelledQuantity: cancelledOrder ? l.quantity : Math.min(l.quantity, refunded.get(l.id) ?? 0),
            unitPrice: Number(l.price),
          })),
        }
      })
      const totalPages = Number(res.headers.get('x-wp-totalpages') ?? page)
      return { items, ...(page < totalPages ? { next: String(page + 1) } : {}) }
    },
  }
}
