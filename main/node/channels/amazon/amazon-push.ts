// Pushing quantities to Amazon: a few SKUs as one patchListingsItem each (a merge of
// fulfillment_availability), many as one JSON_LISTINGS_FEED. Both answers mean "accepted for processing":
// each item carries a token its confirmation reads (amazon-confirm). Amazon has no pause: 'pause'
// publishes 0 and 'resume' the quantity again.
import { ClassifiedError } from '../../../core/errors'
import { AMAZON_LIMITS } from '../../../core/channels/amazon-limits'
import type { PushBatchResult, PushItem, PushItemResult } from '../../../core/ports/channel-adapter'
import { amazonCall, transferDocument } from './amazon-client'
import type { AmazonContext } from './amazon-context'
import { buildListingsFeed, fulfillmentPatch } from './amazon-listings-feed'

interface SubmissionResponse {
  sku: string
  status: 'ACCEPTED' | 'INVALID' | 'VALID'
  submissionId: string
  issues?: { code?: string; message?: string; severity?: string }[]
}

/** What an accepted item's confirmation asks about: a feed message, or a patch to read back. */
export type AmazonToken =
  | { k: 'feed'; feedId: string; msg: number; count: number; sku: string; stamp: number }
  | { k: 'patch'; sku: string; qty: number; stamp: number; at: number }

const FEED_MAX = AMAZON_LIMITS.feedMaxMessages

export function amazonPush(ctx: AmazonContext, feedThreshold: number = AMAZON_LIMITS.feedThreshold) {
  const { client, config, sellerPath, marketplaces, productType, channelCode } = ctx

  const pushByPatch = async (items: PushItem[]): Promise<PushBatchResult> => {
    const results: PushItemResult[] = []
    const before = client.calls
    let stopped: ClassifiedError | undefined
    for (const it of items) {
      if (stopped) {
        results.push({
          listingId: it.listingId,
          stamp: it.stamp,
          outcome: 'retry',
          code: stopped.code,
          message: stopped.message,
          transient: true,
        })
        continue
      }
      try {
        const res = await client.json<SubmissionResponse>(
          amazonCall('patchListingsItem', 'PATCH', `${sellerPath}/${encodeURIComponent(it.listingId)}`, {
            query: new URLSearchParams({ marketplaceIds: marketplaces, includedData: 'issues' }),
            body: { productType, patches: [fulfillmentPatch(channelCode, it.quantity)] },
          }),
        )
        if (res.status === 'ACCEPTED') {
          const token: AmazonToken = {
            k: 'patch',
            sku: it.listingId,
            qty: it.quantity,
            stamp: it.stamp,
            at: ctx.clock.now(),
          }
          results.push({
            listingId: it.listingId,
            stamp: it.stamp,
            outcome: 'accepted',
            confirmationToken: JSON.stringify(token),
          })
        } else {
          const issue = res.issues?.find((i) => i.severity === 'ERROR') ?? res.issues?.[0]
          results.push({
            listingId: it.listingId,
            stamp: it.stamp,
            outcome: 'rejected',
            code: issue?.code ?? res.status,
            message: `Amazon refused the quantity for SKU ${it.listingId}: ${issue?.message ?? res.status}`,
          })
        }
      } catch (e) {
        if (!(e instanceof ClassifiedError)) throw e
        // Nothing was sent yet: a whole-batch failure the engine shows as an alert.
        if (e.kind === 'needs_seller' && results.length === 0) throw e
        if (e.kind === 'permanent')
          results.push({
            listingId: it.listingId,
            stamp: it.stamp,
            outcome: 'rejected',
            code: e.code,
            message: e.message,
          })
        else {
          results.push({
            listingId: it.listingId,
            stamp: it.stamp,
            outcome: 'retry',
            code: e.code,
            message: e.message,
            ...(e.kind === 'retryable' ? { transient: true } : {}),
          })
          // Throttled or refused: stop hammering, leave the rest for the engine's next round.
          if (e.code === 'amazon.throttled' || e.kind === 'needs_seller' || e.code === 'rate_limit.local')
            stopped = e
        }
      }
    }
    return {
      results,
      calls: client.calls - before,
      ...(stopped?.retryAfterMs === undefined ? {} : { rateLimit: { retryAfterMs: stopped.retryAfterMs } }),
    }
  }

  const pushByFeed = async (items: PushItem[]): Promise<PushBatchResult> => {
    const before = client.calls
    const doc = buildListingsFeed(
      items.map((it) => ({ sku: it.listingId, quantity: it.quantity })),
      { sellerId: config.sellerId, productType, fulfillmentChannelCode: channelCode },
    )
    const contentType = 'application/json; charset=UTF-8'
    const document = await client.json<{ feedDocumentId: string; url: string }>(
      amazonCall('createFeedDocument', 'POST', '/feeds/2021-06-30/documents', { body: { contentType } }),
    )
    await transferDocument(client, 'PUT', document.url, JSON.stringify(doc), contentType)
    const feed = await client.json<{ feedId: string }>(
      amazonCall('createFeed', 'POST', '/feeds/2021-06-30/feeds', {
        alsoPaces: ['jsonListingsFeed'],
        body: {
          feedType: 'JSON_LISTINGS_FEED',
          marketplaceIds: config.marketplaceIds,
          inputFeedDocumentId: document.feedDocumentId,
        },
      }),
    )
    const results: PushItemResult[] = items.map((it, i) => {
      const token: AmazonToken = {
        k: 'feed',
        feedId: feed.feedId,
        msg: i + 1,
        count: items.length,
        sku: it.listingId,
        stamp: it.stamp,
      }
      return {
        listingId: it.listingId,
        stamp: it.stamp,
        outcome: 'accepted',
        confirmationToken: JSON.stringify(token),
      }
    })
    return { results, calls: client.calls - before }
  }

  return async function push(items: PushItem[]): Promise<PushBatchResult> {
    const valid: PushItem[] = []
    const rejected: PushItemResult[] = []
    for (const it of items) {
      if (!Number.isInteger(it.quantity) || it.quantity < 0)
        rejected.push({
          listingId: it.listingId,
          stamp: it.stamp,
          outcome: 'rejected',
          code: 'invalid_quantity',
          message: `quantity for SKU ${it.listingId} must be a whole number >= 0, got ${it.quantity}`,
        })
      else valid.push(it.action === 'pause' ? { ...it, quantity: 0 } : it)
    }
    // One value per SKU: the newest stamp wins, older ones share its fate.
    const newest = new Map<string, PushItem>()
    for (const it of valid) {
      const cur = newest.get(it.listingId)
      if (!cur || it.stamp > cur.stamp) newest.set(it.listingId, it)
    }
    const unique = [...newest.values()]
    if (unique.length === 0) return { results: rejected, calls: 0 }
    let sent: PushBatchResult
    if (unique.length <= feedThreshold) sent = await pushByPatch(unique)
    else {
      // One feed per FEED_MAX messages, should a caller hand over more than bulkBatchSize.
      sent = { results: [], calls: 0 }
      for (let i = 0; i < unique.length; i += FEED_MAX) {
        const part = await pushByFeed(unique.slice(i, i + FEED_MAX))
        sent = { results: [...sent.results, ...part.results], calls: sent.calls + part.calls }
      }
    }
    const bySku = new Map(sent.results.map((r) => [r.listingId, r]))
    const results = [...rejected]
    for (const it of valid) {
      const r = bySku.get(it.listingId)
      if (r) results.push({ ...r, stamp: it.stamp })
    }
    return { ...sent, results }
  }
}
