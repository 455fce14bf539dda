// Kaufland Seller API v2 as a ChannelAdapter. A listing is one unit (id_unit) on one storefront; the
// unit's amount is what buyers can order. PATCH and bulk answers are synchronous and carry the updated
// unit, so a 200 item is confirmed on the spot.
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelListing,
  ChannelOrder,
  ConnectionTestResult,
  ListingState,
  Page,
  PushBatchResult,
  PushItem,
  PushItemResult,
} from '../../../core/ports/channel-adapter'
import { connectionFailure } from '../connection-test'
import { newestPerListing, quantityRefusal, type Refusal } from '../push-results'
import { KauflandClient, classifyKauflandError, describeKauflandError } from './kaufland-client'
import { kauflandOrderFromUnits } from './kaufland-orders'
import {
  KAUFLAND_STOREFRONTS,
  type KauflandBulkEntry,
  type KauflandOrderUnit,
  type KauflandPagination,
  type KauflandStorefront,
  type KauflandUnit,
} from './kaufland-types'

export const KAUFLAND_BASE_URLS = {
  production: 'https://sellerapi.kaufland.com/v2',
  playground: 'https://sellerapi-playground.kaufland.com/v2',
} as const

/** Most units one POST /units/bulk may carry; more fails the whole request. */
export const KAUFLAND_BULK_MAX = 150
const PAGE_LIMIT = 100

export interface KauflandConfig {
  baseUrl: string
  storefront: KauflandStorefront
  credentials: { clientKey: string; secretKey: string }
  /** Kaufland requires a User-Agent naming the integration. */
  userAgent?: string
}

export interface KauflandAdapterOptions {
  timeoutMs: number
  clock: Clock
}

const configError = (field: string, problem: string) =>
  new ClassifiedError(
    'needs_seller',
    'kaufland.config',
    `Kaufland connection settings: ${field} ${problem}`,
    {
      hint: 'Correct the Kaufland connection in Connections.',
    },
  )

const validateConfig = (c: KauflandConfig): void => {
  try {
    new URL(c.baseUrl)
  } catch {
    throw configError('baseUrl', `is not a URL ("${c.baseUrl}")`)
  }
  if (!(KAUFLAND_STOREFRONTS as readonly string[]).includes(c.storefront))
    throw configError(
      'storefront',
      `must be one of ${KAUFLAND_STOREFRONTS.join(', ')} (got "${c.storefront}")`,
    )
  if (!/^[A-Za-z0-9]{16,64}$/.test(c.credentials.clientKey ?? ''))
    throw configError('credentials.clientKey', 'is missing or not a Kaufland client key (letters and digits)')
  if (!c.credentials.secretKey) throw configError('credentials.secretKey', 'is missing')
}

const unitData = (item: PushItem): Record<string, unknown> => {
  if (item.action === 'pause') return { status: 'ONHOLD', amount: item.quantity }
  if (item.action === 'resume') return { status: 'AVAILABLE', amount: item.quantity }
  return { amount: item.quantity }
}

export function createKauflandAdapter(config: KauflandConfig, opts: KauflandAdapterOptions): ChannelAdapter {
  validateConfig(config)
  const client = new KauflandClient({
    baseUrl: config.baseUrl,
    clientKey: config.credentials.clientKey,
    secretKey: config.credentials.secretKey,
    userAgent: config.userAgent ?? 'LastUnit/0.1 (stock sync)',
    timeoutMs: opts.timeoutMs,
    clock: opts.clock,
  })
  const storefront = config.storefront

  // 111 requests per second per seller across all endpoints: split so that pushing, order polling and
  // reading together can never exceed it.
  const capabilities: ChannelCapabilities = {
    bulkBatchSize: KAUFLAND_BULK_MAX,
    rateLimits: [
      { scope: 'push', ratePerSecond: 90, burst: 90 },
      { scope: 'orders', ratePerSecond: 5, burst: 5 },
      { scope: 'read', ratePerSecond: 16, burst: 16 },
    ],
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: false,
    readBack: true,
    orderPollIntervalMs: 60_000,
  }

  const checkItem = (item: PushItem): Refusal | undefined =>
    !/^[1-9]\d{0,17}$/.test(item.listingId)
      ? {
          code: 'kaufland.bad_listing',
          message: `Kaufland listing id "${item.listingId}" is not a unit id (id_unit, a positive number)`,
        }
      : quantityRefusal(item, 'kaufland.bad_quantity', `Kaufland unit ${item.listingId}`)

  const pushOne = async (item: PushItem): Promise<PushItemResult> => {
    const what = `updating unit ${item.listingId} on storefront ${storefront}`
    const res = await client.send({
      method: 'PATCH',
      path: `/units/${item.listingId}`,
      query: { storefront },
      body: unitData(item),
      what,
    })
    const base = { listingId: item.listingId, stamp: item.stamp }
    if (res.status === 200) {
      res.json()
      return { ...base, outcome: 'confirmed' }
    }
    if (res.status === 400 || res.status === 404 || res.status === 422)
      return {
        ...base,
        outcome: 'rejected',
        code: `kaufland.${res.status}`,
        message: `Kaufland refused unit ${item.listingId}: ${describeKauflandError(res)}`,
      }
    throw classifyKauflandError(res, what)
  }

  const pushBulk = async (items: PushItem[]): Promise<PushItemResult[]> => {
    const what = `updating ${items.length} units on storefront ${storefront}`
    const body = items.map((i) => ({ id_unit: Number(i.listingId), unit_data: unitData(i) }))
    const { data } = await client.json<{ data?: KauflandBulkEntry[] }>({
      method: 'POST',
      path: '/units/bulk',
      query: { storefront },
      body,
      what,
    })
    if (!Array.isArray(data.data))
      throw new ClassifiedError(
        'retryable',
        'kaufland.malformed',
        `Kaufland answered the bulk update without a "data" list`,
      )
    const byId = new Map(data.data.map((e) => [String(e.id_unit), e]))
    return items.map((item): PushItemResult => {
      const base = { listingId: item.listingId, stamp: item.stamp }
      const e = byId.get(item.listingId)
      if (!e)
        return {
          ...base,
          outcome: 'retry',
          code: 'kaufland.missing_result',
          message: `Kaufland gave no result for unit ${item.listingId}`,
        }
      if (e.status_code >= 200 && e.status_code < 300) return { ...base, outcome: 'confirmed' }
      const detail = [e.message, ...(e.errors ?? []).map((x) => `${x.field}: ${x.message}`)]
        .filter((s) => s)
        .join('; ')
      if (e.status_code >= 500 || e.key !== undefined)
        return {
          ...base,
          outcome: 'retry',
          code: `kaufland.${e.status_code}`,
          transient: e.status_code >= 500,
          message: `Kaufland could not update unit ${item.listingId} now: ${detail}`,
        }
      return {
        ...base,
        outcome: 'rejected',
        code: `kaufland.${e.status_code}`,
        message: `Kaufland refused unit ${item.listingId}: ${detail}`,
      }
    })
  }

  return {
    type: 'kaufland',
    capabilities,

    async testConnection(): Promise<ConnectionTestResult> {
      try {
        const { data } = await client.json<{ data: string[] }>({
          method: 'GET',
          path: '/info/storefront',
          what: 'checking the storefronts',
        })
        const fronts = (data.data ?? []).map((s) => s.toLowerCase())
        if (!fronts.includes(storefront))
          return {
            ok: false,
            message: `The keys work, but this account does not sell on storefront "${storefront}" (it sells on: ${fronts.join(', ') || 'none'}). Pick one of those.`,
            details: { storefronts: fronts.join(',') },
          }
        const { data: units } = await client.json<{ pagination?: KauflandPagination }>({
          method: 'GET',
          path: '/units',
          query: { storefront, limit: '1' },
          what: 'listing units',
        })
        return {
          ok: true,
          message: `Connected to Kaufland storefront ${storefront}: ${units.pagination?.total ?? 0} units.`,
          details: { storefronts: fronts.join(','), units: String(units.pagination?.total ?? 0) },
        }
      } catch (e) {
        return connectionFailure(e)
      }
    },

    async push(items: PushItem[]): Promise<PushBatchResult> {
      if (items.length > KAUFLAND_BULK_MAX)
        throw new ClassifiedError(
          'permanent',
          'kaufland.batch_too_large',
          `Kaufland takes at most ${KAUFLAND_BULK_MAX} units per push (got ${items.length})`,
        )
      // A duplicate unit makes Kaufland refuse the whole bulk request: keep only the newest per unit.
      const { results, send } = newestPerListing(items, 'unit', checkItem)
      if (send.length === 0) return { results, calls: 0 }
      const first = send[0]
      if (send.length === 1 && first) results.push(await pushOne(first))
      else results.push(...(await pushBulk(send)))
      return { results, calls: 1 }
    },

    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const out: ListingState[] = []
      for (const id of listingIds) {
        if (!/^[1-9]\d*$/.test(id)) continue
        const what = `reading unit ${id}`
        const res = await client.send({ method: 'GET', path: `/units/${id}`, query: { storefront }, what })
        if (res.status === 404) continue
        if (res.status !== 200) throw classifyKauflandError(res, what)
        const unit = res.json<{ data: KauflandUnit }>().data
        out.push({ listingId: id, quantity: unit.amount, available: unit.status === 'AVAILABLE' })
      }
      return out
    },

    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const offset = cursor === undefined ? 0 : Number(cursor)
      const { data } = await client.json<{ data: KauflandUnit[]; pagination?: KauflandPagination }>({
        method: 'GET',
        path: '/units',
        query: { storefront, limit: String(PAGE_LIMIT), offset: String(offset), embedded: 'products' },
        what: 'listing units',
      })
      const items = data.data.map((u): ChannelListing => ({
        listingId: String(u.id_unit),
        sku: u.id_offer,
        ean: u.product?.eans[0] ?? null,
        externalIds: {
          id_unit: String(u.id_unit),
          id_product: String(u.id_product),
          ...(u.id_offer ? { id_offer: u.id_offer } : {}),
        },
        title: u.product?.title ?? u.id_offer ?? `Unit ${u.id_unit}`,
        quantity: u.amount,
        paused: u.status === 'ONHOLD',
      }))
      const total = data.pagination?.total ?? offset + items.length
      const next = offset + items.length
      return { items, ...(items.length > 0 && next < total ? { next: String(next) } : {}) }
    },

    async fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
      const offset = cursor === undefined ? 0 : Number(cursor)
      // Sorted by creation, the units of one order stay together and a unit changing while we page does
      // not move; new orders push the rest down, so a unit may come twice but never be skipped (lines are
      // upserted by id).
      const { data } = await client.json<{ data: KauflandOrderUnit[]; pagination?: KauflandPagination }>({
        method: 'GET',
        path: '/order-units',
        query: {
          storefront,
          ts_updated_from_iso: sinceIso,
          sort: 'ts_created:desc',
          limit: String(PAGE_LIMIT),
          offset: String(offset),
        },
        what: `fetching order units changed since ${sinceIso}`,
      })
      if (!data || !Array.isArray(data.data))
        throw new ClassifiedError(
          'retryable',
          'kaufland.malformed',
          'Kaufland answered the order units request without its data list',
        )
      const total = data.pagination?.total ?? offset + data.data.length
      const next = offset + data.data.length
      const hasNext = data.data.length > 0 && next < total
      const byOrder = new Map<string, KauflandOrderUnit[]>()
      for (const u of data.data) byOrder.set(u.id_order, [...(byOrder.get(u.id_order) ?? []), u])
      // The page cannot tell a cancelled order from a partly cancelled one (unchanged siblings are filtered
      // out by the timestamp), nor see the rest of an order cut by the page edge: read those orders whole.
      const edges = new Set([
        offset > 0 ? data.data[0]?.id_order : undefined,
        hasNext ? data.data.at(-1)?.id_order : undefined,
      ])
      for (const [orderId, units] of byOrder) {
        if (!edges.has(orderId) && !units.some((u) => u.status === 'cancelled')) continue
        const { data: details } = await client.json<{ data: { order_units: KauflandOrderUnit[] } }>({
          method: 'GET',
          path: `/orders/${encodeURIComponent(orderId)}`,
          what: `reading order ${orderId}`,
        })
        if (Array.isArray(details.data?.order_units) && details.data.order_units.length > 0)
          byOrder.set(orderId, details.data.order_units)
      }
      const items = [...byOrder.values()].map(kauflandOrderFromUnits)
      return { items, ...(hasNext ? { next: String(next) } : {}) }
    },
  }
}
