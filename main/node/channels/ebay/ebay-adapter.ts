// The eBay channel adapter (Sell Inventory + Fulfillment). Stock goes out through bulk_update_price_quantity,
// 25 SKUs a call, setting the inventory item's ship-to-home quantity and its offer's available quantity
// together (the live figure is the smaller of the two). Each listing's 250 revisions a day are budgeted so
// pushes coalesce. Zero stock is either 0 (out-of-stock control keeps the listing alive, hidden) or a
// withdrawn offer that is published again on resume.
import { ClassifiedError, errorMessage } from '../../../core/errors'
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
import { systemClock, type Clock } from '../../../core/ports/clock'
import type { IssuedToken } from '../token-cache'
import { EbayClient, EBAY_TRANSIENT_ERRORS, type EbayErrorDetail } from './ebay-client'
import { checkEbayConfig, type EbayConfig } from './ebay-config'
import { mapEbayOrder, type EbayOrderPage } from './ebay-orders'
import { RevisionBudget, type RevisionBudgetOptions } from './revision-budget'

export interface EbayAdapterOptions {
  timeoutMs?: number
  clock?: Clock
  maxAttempts?: number
  backoffMs?: number
  maxInlineWaitMs?: number
  /** Scales the declared call quotas (runs against a time-scaled simulator). */
  rateScale?: number
  revisions?: RevisionBudgetOptions
  /** How long a quantity we saw live on eBay is trusted to skip an unchanged push (ms). */
  trustPublishedMs?: number
  /** eBay may hand back a new refresh token; store it. */
  onCredentialsRefreshed?: (t: IssuedToken) => void
}

interface EbayOffer {
  offerId: string
  sku: string
  marketplaceId?: string
  format?: string
  availableQuantity?: number
  status?: string
  listing?: { listingId?: string; listingStatus?: string }
}

interface InventoryItem {
  sku: string
  product?: { title?: string; ean?: string[] }
  availability?: { shipToLocationAvailability?: { quantity?: number } }
}

interface PriceQuantityResponse {
  sku?: string
  offerId?: string
  statusCode?: number
  errors?: EbayErrorDetail[]
}

const INVENTORY = '/sell/inventory/v1'
const BULK_MAX = 25

export function createEbayAdapter(
  config: EbayConfig,
  opts: EbayAdapterOptions = {},
): ChannelAdapter & {
  readonly client: EbayClient
  readonly revisions: RevisionBudget
} {
  checkEbayConfig(config)
  const clock = opts.clock ?? systemClock
  const scale = opts.rateScale ?? 1
  const client = new EbayClient(config, {
    timeoutMs: opts.timeoutMs ?? 30_000,
    clock,
    maxAttempts: opts.maxAttempts ?? 4,
    backoffMs: opts.backoffMs ?? 1_000,
    maxInlineWaitMs: opts.maxInlineWaitMs ?? 10_000,
    ...(opts.onCredentialsRefreshed ? { onCredentialsRefreshed: opts.onCredentialsRefreshed } : {}),
  })
  const revisions = new RevisionBudget(opts.revisions)
  const offers = new Map<string, EbayOffer | null>()
  /**
   * Last quantity known to be live per SKU, and when: an unchanged value costs no revision. eBay lowers the
   * figure itself on a sale, so the knowledge is trusted only for a while.
   */
  const published = new Map<string, { quantity: number; at: number }>()
  const trustMs = opts.trustPublishedMs ?? 10 * 60_000

  const capabilities: ChannelCapabilities = {
    bulkBatchSize: BULK_MAX,
    // Daily quotas spread over the day (assumed defaults: Inventory 2,000,000 and Fulfillment 100,000 calls).
    rateLimits: [
      { scope: 'push', ratePerSecond: 2_000_000 / 86_400, burst: 100 },
      { scope: 'read', ratePerSecond: 2_000_000 / 86_400, burst: 100 },
      { scope: 'orders', ratePerSecond: 100_000 / 86_400, burst: 20 },
    ],
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: false,
    readBack: true,
    orderPollIntervalMs: Math.round(60_000 / scale),
  }

  const pickOffer = (list: EbayOffer[]): EbayOffer | null =>
    list.find((o) => o.marketplaceId === config.marketplaceId && o.format === 'FIXED_PRICE') ??
    list.find((o) => o.marketplaceId === config.marketplaceId) ??
    null

  const fetchOffer = async (sku: string): Promise<EbayOffer | null> => {
    try {
      const res = await client.json<{ offers?: EbayOffer[] }>({
        method: 'GET',
        path: `${INVENTORY}/offer`,
        query: new URLSearchParams({ sku, marketplace_id: config.marketplaceId }),
      })
      const o = pickOffer(res.offers ?? [])
      offers.set(sku, o)
      if (o?.availableQuantity !== undefined && o.status === 'PUBLISHED')
        published.set(sku, { quantity: o.availableQuantity, at: clock.now() })
      return o
    } catch (e) {
      if (e instanceof ClassifiedError && e.code === 'ebay.not_found') {
        offers.set(sku, null)
        return null
      }
      throw e
    }
  }

  const offerOf = async (sku: string) => (offers.has(sku) ? (offers.get(sku) ?? null) : fetchOffer(sku))

  const offerAction = async (offer: EbayOffer, what: 'withdraw' | 'publish') => {
    await client.json<{ listingId?: string }>({
      method: 'POST',
      path: `${INVENTORY}/offer/${encodeURIComponent(offer.offerId)}/${what}`,
    })
    offer.status = what === 'withdraw' ? 'UNPUBLISHED' : 'PUBLISHED'
    revisions.spend(offer.sku, clock.now())
  }

  const failure = (it: PushItem, e: unknown): PushItemResult => {
    if (!(e instanceof ClassifiedError)) throw e
    return {
      listingId: it.listingId,
      stamp: it.stamp,
      outcome: e.kind === 'permanent' ? 'rejected' : 'retry',
      code: e.code,
      message: e.message,
      ...(e.kind === 'retryable' ? { transient: true } : {}),
    }
  }

  const push = async (items: PushItem[]): Promise<PushBatchResult> => {
    const before = client.calls
    const results: PushItemResult[] = []
    const toUpdate: { it: PushItem; offer: EbayOffer }[] = []
    const now = clock.now()
    let first = true
    for (const it of items) {
      const base = { listingId: it.listingId, stamp: it.stamp }
      if (!Number.isInteger(it.quantity) || it.quantity < 0) {
        results.push({
          ...base,
          outcome: 'rejected',
          code: 'invalid_quantity',
          message: `quantity for SKU ${it.listingId} must be a whole number >= 0, got ${it.quantity}`,
        })
        continue
      }
      let offer: EbayOffer | null
      try {
        offer = await offerOf(it.listingId)
      } catch (e) {
        if (first && e instanceof ClassifiedError && e.kind === 'needs_seller') throw e
        results.push(failure(it, e))
        continue
      } finally {
        first = false
      }
      if (!offer) {
        results.push({
          ...base,
          outcome: 'rejected',
          code: 'ebay.no_offer',
          message: `SKU ${it.listingId} has no offer on ${config.marketplaceId}; listings made outside the Inventory API must be migrated (bulk_migrate_listing) first`,
        })
        continue
      }
      if (it.action === 'pause') {
        if (offer.status === 'UNPUBLISHED') {
          results.push({ ...base, outcome: 'confirmed' })
          continue
        }
        const d = revisions.check(it.listingId, true, now)
        if (!d.ok) {
          results.push({
            ...base,
            outcome: 'retry',
            code: 'ebay.revision_budget',
            transient: true,
            message: `SKU ${it.listingId}: ${d.reason}; next try in ${Math.ceil(d.retryInMs / 1000)} s`,
          })
          continue
        }
        try {
          await offerAction(offer, 'withdraw')
          results.push({ ...base, outcome: 'confirmed' })
        } catch (e) {
          results.push(failure(it, e))
        }
        continue
      }
      const seen = published.get(it.listingId)
      const known = seen && now - seen.at <= trustMs ? seen.quantity : undefined
      if (it.action === 'set' && known === it.quantity && offer.status === 'PUBLISHED') {
        results.push({ ...base, outcome: 'confirmed', message: 'unchanged on eBay; no revision spent' })
        continue
      }
      // Zero crossings judged on the last figure seen, however old: they decide overselling.
      const last = seen?.quantity
      const critical = it.quantity === 0 || last === undefined || last === 0 || it.action === 'resume'
      const d = revisions.check(it.listingId, critical, now)
      if (!d.ok) {
        results.push({
          ...base,
          outcome: 'retry',
          code: 'ebay.revision_budget',
          transient: true,
          message: `SKU ${it.listingId}: ${d.reason}; next try in ${Math.ceil(d.retryInMs / 1000)} s`,
        })
        continue
      }
      toUpdate.push({ it, offer })
    }

    let stopped: ClassifiedError | undefined
    for (let i = 0; i < toUpdate.length; i += BULK_MAX) {
      const chunk = toUpdate.slice(i, i + BULK_MAX)
      if (stopped) {
        for (const { it } of chunk) results.push(failure(it, stopped))
        continue
      }
      let responses: PriceQuantityResponse[]
      try {
        const res = await client.call({
          method: 'POST',
          path: `${INVENTORY}/bulk_update_price_quantity`,
          contentLanguage: true,
          body: {
            requests: chunk.map(({ it, offer }) => ({
              sku: it.listingId,
              shipToLocationAvailability: { quantity: it.quantity },
              offers: [{ offerId: offer.offerId, availableQuantity: it.quantity }],
            })),
          },
        })
        responses = res.json<{ responses?: PriceQuantityResponse[] }>().responses ?? []
      } catch (e) {
        if (e instanceof ClassifiedError && e.kind === 'needs_seller' && results.length === 0 && i === 0)
          throw e
        if (e instanceof ClassifiedError && (e.code === 'ebay.throttled' || e.kind === 'needs_seller'))
          stopped = e
        for (const { it } of chunk) results.push(failure(it, e))
        continue
      }
      for (const { it, offer } of chunk) {
        const base = { listingId: it.listingId, stamp: it.stamp }
        const mine = responses.filter((r) => r.sku === it.listingId || r.offerId === offer.offerId)
        const errors = mine.flatMap((r) => r.errors ?? [])
        const ok = mine.length > 0 && mine.every((r) => r.statusCode === 200)
        if (!ok) {
          const transient =
            errors.length === 0 ||
            errors.some((e) => e.errorId !== undefined && EBAY_TRANSIENT_ERRORS.has(e.errorId))
          const err = errors[0]
          results.push({
            ...base,
            outcome: transient ? 'retry' : 'rejected',
            ...(err?.errorId !== undefined ? { code: String(err.errorId) } : {}),
            message: `eBay did not take quantity ${it.quantity} for SKU ${it.listingId}: ${err?.longMessage ?? err?.message ?? 'no answer for this SKU'}`,
          })
          continue
        }
        revisions.spend(it.listingId, clock.now())
        published.set(it.listingId, { quantity: it.quantity, at: clock.now() })
        if (it.action === 'resume' && offer.status !== 'PUBLISHED') {
          try {
            await offerAction(offer, 'publish')
          } catch (e) {
            results.push(failure(it, e))
            continue
          }
        }
        results.push({ ...base, outcome: 'confirmed' })
      }
    }
    const rateLimit = stopped?.retryAfterMs === undefined ? undefined : { retryAfterMs: stopped.retryAfterMs }
    return { results, calls: client.calls - before, ...(rateLimit ? { rateLimit } : {}) }
  }

  return {
    type: 'ebay',
    capabilities,
    client,
    revisions,

    async testConnection(): Promise<ConnectionTestResult> {
      try {
        await client.tokens.get()
      } catch (e) {
        return { ok: false, message: errorMessage(e), details: { step: 'login (refresh token)' } }
      }
      try {
        const inv = await client.json<{ total?: number }>({
          method: 'GET',
          path: `${INVENTORY}/inventory_item`,
          query: new URLSearchParams({ limit: '1', offset: '0' }),
        })
        return {
          ok: true,
          message: `Connected to eBay (${config.marketplaceId}): ${inv.total ?? 0} inventory items.`,
        }
      } catch (e) {
        return { ok: false, message: errorMessage(e), details: { step: 'inventory (sell.inventory scope)' } }
      }
    },

    push,

    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const out: ListingState[] = []
      for (const sku of listingIds) {
        const o = await fetchOffer(sku)
        if (!o) continue
        out.push({ listingId: sku, quantity: o.availableQuantity ?? 0, available: o.status === 'PUBLISHED' })
      }
      return out
    },

    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const res = await client.json<{ inventoryItems?: InventoryItem[]; next?: string }>({
        method: 'GET',
        path: `${INVENTORY}/inventory_item`,
        query: new URLSearchParams({ limit: '100', offset: cursor ?? '0' }),
      })
      const items: ChannelListing[] = []
      for (const inv of res.inventoryItems ?? []) {
        const o = await offerOf(inv.sku)
        const externalIds: Record<string, string> = {}
        if (o?.offerId) externalIds.offerId = o.offerId
        if (o?.listing?.listingId) externalIds.listingId = o.listing.listingId
        items.push({
          listingId: inv.sku,
          sku: inv.sku,
          ean: inv.product?.ean?.[0] ?? null,
          externalIds,
          title: inv.product?.title ?? inv.sku,
          quantity: o?.availableQuantity ?? inv.availability?.shipToLocationAvailability?.quantity ?? null,
          paused: o?.status !== 'PUBLISHED',
        })
      }
      const next = res.next
        ? (new URL(res.next, 'http://x').searchParams.get('offset') ?? undefined)
        : undefined
      return { items, ...(next ? { next } : {}) }
    },

    async fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
      if (Number.isNaN(Date.parse(sinceIso)))
        throw new ClassifiedError(
          'permanent',
          'ebay.bad_since',
          `fetchOrders: "${sinceIso}" is not an ISO timestamp`,
        )
      const offset = Number(cursor ?? '0')
      const res = await client.json<EbayOrderPage>({
        method: 'GET',
        path: '/sell/fulfillment/v1/order',
        query: new URLSearchParams({
          filter: `lastmodifieddate:[${new Date(sinceIso).toISOString()}..]`,
          limit: '200',
          offset: String(offset),
        }),
      })
      const orders = res.orders ?? []
      const nextOffset = offset + orders.length
      const more = orders.length > 0 && res.total !== undefined && nextOffset < res.total
      return { items: orders.map(mapEbayOrder), ...(more ? { next: String(nextOffset) } : {}) }
    },
  }
}
