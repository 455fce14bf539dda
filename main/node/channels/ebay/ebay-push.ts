// Pushing stock to eBay: bulk_update_price_quantity, 25 SKUs a call, setting the inventory item's ship-to-home
// quantity and its offer's available quantity together (the live figure is the smaller of the two). Each
// listing's 250 revisions a day are budgeted so pushes coalesce, and a value eBay already shows costs none.
// Zero stock is either 0 (out-of-stock control keeps the listing, hidden) or a withdrawn offer (ebay-pause).
import { EBAY_LIMITS } from '../../../core/channels/ebay-limits'
import { ClassifiedError } from '../../../core/errors'
import type { PushBatchResult, PushItem, PushItemResult } from '../../../core/ports/channel-adapter'
import type { Clock } from '../../../core/ports/clock'
import type { ChannelClient } from '../kit/channel-client'
import { EBAY_TRANSIENT_ERRORS, ebayCall, type EbayErrorDetail } from './ebay-client'
import type { EbayConfig } from './ebay-config'
import { INVENTORY, type EbayOffer, type EbayOffers } from './ebay-offers'
import type { ebayOfferStatus } from './ebay-pause'
import type { RevisionBudget } from './revision-budget'

interface PriceQuantityResponse {
  sku?: string
  offerId?: string
  statusCode?: number
  errors?: EbayErrorDetail[]
}

const BULK_MAX = EBAY_LIMITS.bulkMaxItems

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

export interface EbayPushParts {
  client: ChannelClient
  config: EbayConfig
  clock: Clock
  offers: EbayOffers
  revisions: RevisionBudget
  setStatus: ReturnType<typeof ebayOfferStatus>
  /** How long a quantity seen live is trusted to skip an unchanged push (ms). */
  trustMs: number
}

export function ebayPush(p: EbayPushParts) {
  const { client, config, clock, offers, revisions } = p

  const budgetRetry = (it: PushItem, d: { retryInMs: number; reason: string }): PushItemResult => ({
    listingId: it.listingId,
    stamp: it.stamp,
    outcome: 'retry',
    code: 'ebay.revision_budget',
    transient: true,
    message: `SKU ${it.listingId}: ${d.reason}; next try in ${Math.ceil(d.retryInMs / 1000)} s`,
  })

  /** What each item needs: a result now, or a place in a bulk update (with its offer). */
  const plan = async (items: PushItem[], results: PushItemResult[]) => {
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
        offer = await offers.offerOf(it.listingId)
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
          results.push(budgetRetry(it, d))
          continue
        }
        try {
          await p.setStatus(offer, 'withdraw')
          results.push({ ...base, outcome: 'confirmed' })
        } catch (e) {
          results.push(failure(it, e))
        }
        continue
      }
      const seen = offers.published.get(it.listingId)
      const known = seen && now - seen.at <= p.trustMs ? seen.quantity : undefined
      if (it.action === 'set' && known === it.quantity && offer.status === 'PUBLISHED') {
        results.push({ ...base, outcome: 'confirmed', message: 'unchanged on eBay; no revision spent' })
        continue
      }
      // Zero crossings judged on the last figure seen, however old: they decide overselling.
      const last = seen?.quantity
      const critical = it.quantity === 0 || last === undefined || last === 0 || it.action === 'resume'
      const d = revisions.check(it.listingId, critical, now)
      if (!d.ok) {
        results.push(budgetRetry(it, d))
        continue
      }
      toUpdate.push({ it, offer })
    }
    return toUpdate
  }

  /** One bulk update's per-SKU answers into results; a resume publishes the offer once its quantity is set. */
  const readAnswers = async (
    chunk: { it: PushItem; offer: EbayOffer }[],
    responses: PriceQuantityResponse[],
    results: PushItemResult[],
  ) => {
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
      offers.published.set(it.listingId, { quantity: it.quantity, at: clock.now() })
      if (it.action === 'resume' && offer.status !== 'PUBLISHED') {
        try {
          await p.setStatus(offer, 'publish')
        } catch (e) {
          results.push(failure(it, e))
          continue
        }
      }
      results.push({ ...base, outcome: 'confirmed' })
    }
  }

  return async function push(items: PushItem[]): Promise<PushBatchResult> {
    const before = client.calls
    const results: PushItemResult[] = []
    const toUpdate = await plan(items, results)
    let stopped: ClassifiedError | undefined
    for (let i = 0; i < toUpdate.length; i += BULK_MAX) {
      const chunk = toUpdate.slice(i, i + BULK_MAX)
      if (stopped) {
        for (const { it } of chunk) results.push(failure(it, stopped))
        continue
      }
      let responses: PriceQuantityResponse[]
      try {
        const res = await client.request(
          ebayCall('POST', `${INVENTORY}/bulk_update_price_quantity`, {
            contentLanguage: config.contentLanguage,
            body: {
              requests: chunk.map(({ it, offer }) => ({
                sku: it.listingId,
                shipToLocationAvailability: { quantity: it.quantity },
                offers: [{ offerId: offer.offerId, availableQuantity: it.quantity }],
              })),
            },
          }),
        )
        responses = res.json<{ responses?: PriceQuantityResponse[] }>().responses ?? []
      } catch (e) {
        if (e instanceof ClassifiedError && e.kind === 'needs_seller' && results.length === 0 && i === 0)
          throw e
        if (e instanceof ClassifiedError && (e.code === 'ebay.throttled' || e.kind === 'needs_seller'))
          stopped = e
        for (const { it } of chunk) results.push(failure(it, e))
        continue
      }
      await readAnswers(chunk, responses, results)
    }
    const rateLimit = stopped?.retryAfterMs === undefined ? undefined : { retryAfterMs: stopped.retryAfterMs }
    return { results, calls: client.calls - before, ...(rateLimit ? { rateLimit } : {}) }
  }
}
