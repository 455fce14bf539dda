// The Amazon SP-API channel adapter. A few SKUs go out as patchListingsItem (merge of fulfillment_availability),
// many as one JSON_LISTINGS_FEED. Both answers mean "accepted for processing", not "applied": patches are
// confirmed by reading the quantity back, feed messages by the processing report.
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import { gunzipSync } from 'node:zlib'
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
import { AmazonClient } from './amazon-client'
import { checkAmazonConfig, type AmazonConfig } from './amazon-config'
import {
  buildListingsFeed,
  fulfillmentPatch,
  readProcessingReport,
  type MessageOutcome,
} from './amazon-listings-feed'
import { mapAmazonOrder, type SearchOrdersResponse } from './amazon-orders'

export interface AmazonAdapterOptions {
  timeoutMs?: number
  clock?: Clock
  /** Keeps the rate-limit buckets across restarts. */
  rateMemory?: BucketMemory
  /** Runs the documented rate limits faster (simulators with a scaled clock); 1 in production. */
  rateScale?: number
  maxAttempts?: number
  backoffMs?: number
  /** Batches above this size go out as a feed instead of single patches. */
  feedThreshold?: number
  /** A patch not visible in a read-back after this long is reported 'retry' (Amazon dropped or overrode it). */
  patchConfirmTimeoutMs?: number
}

interface ListingsItem {
  sku: string
  summaries?: {
    marketplaceId?: string
    asin?: string
    itemName?: string
    status?: string[]
    productType?: string
  }[]
  fulfillmentAvailability?: { fulfillmentChannelCode: string; quantity?: number }[]
  issues?: { code?: string; message?: string; severity?: string }[]
}

interface SubmissionResponse {
  sku: string
  status: 'ACCEPTED' | 'INVALID' | 'VALID'
  submissionId: string
  issues?: { code?: string; message?: string; severity?: string }[]
}

type Token =
  | { k: 'feed'; feedId: string; msg: number; count: number; sku: string; stamp: number }
  | { k: 'patch'; sku: string; qty: number; stamp: number; at: number }

/** Amazon's feed limits: 25,000 messages per feed; we stay well under 10 MiB per document. */
const FEED_MAX_MESSAGES = 10_000
const SEARCH_PAGE = 20

/** Longest time Amazon may take to apply an accepted feed or listing patch. */
export const AMAZON_APPLY_WINDOW_MS = 20 * 60_000

export function createAmazonAdapter(
  config: AmazonConfig,
  opts: AmazonAdapterOptions = {},
): ChannelAdapter & {
  readonly client: AmazonClient
} {
  checkAmazonConfig(config)
  const clock = opts.clock ?? systemClock
  const rateScale = opts.rateScale ?? 1
  const client = new AmazonClient(config, {
    timeoutMs: opts.timeoutMs ?? 30_000,
    clock,
    rateScale,
    maxAttempts: opts.maxAttempts ?? 4,
    backoffMs: opts.backoffMs ?? 1_000,
    ...(opts.rateMemory ? { rateMemory: opts.rateMemory } : {}),
  })
  const productType = config.productType ?? 'PRODUCT'
  const channelCode = config.fulfillmentChannelCode ?? 'DEFAULT'
  const feedThreshold = opts.feedThreshold ?? 20
  // Amazon's processing time, on the simulators' clock too: a patch it still does not show is sent again.
  const patchConfirmTimeoutMs = opts.patchConfirmTimeoutMs ?? Math.round((15 * 60_000) / rateScale)
  const marketplaces = config.marketplaceIds.join(',')
  const sellerPath = `/listings/2021-08-01/items/${encodeURIComponent(config.sellerId)}`
  const reports = new Map<string, Map<number, MessageOutcome>>()

  const capabilities: ChannelCapabilities = {
    bulkBatchSize: FEED_MAX_MESSAGES,
    rateLimits: [
      { scope: 'push', ratePerSecond: 5, burst: 5 },
      { scope: 'read', ratePerSecond: 5, burst: 5 },
      { scope: 'orders', ratePerSecond: 0.0056, burst: 20 },
    ],
    zeroStockActions: ['push_zero'],
    asyncConfirmation: true,
    readBack: true,
    orderPollIntervalMs: Math.round(180_000 / rateScale),
    // Feeds usually finish within minutes and patches apply within a few; 20 minutes is the margin.
    applyWindowMs: Math.round(AMAZON_APPLY_WINDOW_MS / rateScale),
  }

  const quantityOf = (item: ListingsItem): number | null => {
    const fa = item.fulfillmentAvailability?.find((f) => f.fulfillmentChannelCode === channelCode)
    return fa?.quantity ?? null
  }

  const searchBySkus = async (skus: string[]): Promise<Map<string, ListingsItem>> => {
    const found = new Map<string, ListingsItem>()
    for (let i = 0; i < skus.length; i += SEARCH_PAGE) {
      const chunk = skus.slice(i, i + SEARCH_PAGE)
      const res = await client.call<{ items: ListingsItem[] }>({
        op: 'searchListingsItems',
        method: 'GET',
        path: sellerPath,
        query: new URLSearchParams({
          marketplaceIds: marketplaces,
          identifiers: chunk.join(','),
          identifiersType: 'SKU',
          includedData: 'summaries,fulfillmentAvailability,issues',
          pageSize: String(SEARCH_PAGE),
        }),
      })
      if (!Array.isArray(res?.items))
        throw new ClassifiedError(
          'retryable',
          'amazon.malformed',
          'Amazon answered a listings search without its items list',
        )
      for (const it of res.items) found.set(it.sku, it)
    }
    return found
  }

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
        const res = await client.call<SubmissionResponse>({
          op: 'patchListingsItem',
          method: 'PATCH',
          path: `${sellerPath}/${encodeURIComponent(it.listingId)}`,
          query: new URLSearchParams({ marketplaceIds: marketplaces, includedData: 'issues' }),
          body: { productType, patches: [fulfillmentPatch(channelCode, it.quantity)] },
        })
        if (res.status === 'ACCEPTED') {
          const token: Token = {
            k: 'patch',
            sku: it.listingId,
            qty: it.quantity,
            stamp: it.stamp,
            at: clock.now(),
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
    const document = await client.call<{ feedDocumentId: string; url: string }>({
      op: 'createFeedDocument',
      method: 'POST',
      path: '/feeds/2021-06-30/documents',
      body: { contentType },
    })
    await client.transferDocument('PUT', document.url, JSON.stringify(doc), contentType)
    const feed = await client.call<{ feedId: string }>({
      op: 'createFeed',
      alsoPaces: ['jsonListingsFeed'],
      method: 'POST',
      path: '/feeds/2021-06-30/feeds',
      body: {
        feedType: 'JSON_LISTINGS_FEED',
        marketplaceIds: config.marketplaceIds,
        inputFeedDocumentId: document.feedDocumentId,
      },
    })
    const results: PushItemResult[] = items.map((it, i) => {
      const token: Token = {
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

  const feedReport = async (
    feedId: string,
    count: number,
  ): Promise<Map<number, MessageOutcome> | 'failed' | undefined> => {
    const cached = reports.get(feedId)
    if (cached) return cached
    const feed = await client.call<{ processingStatus: string; resultFeedDocumentId?: string }>({
      op: 'getFeed',
      method: 'GET',
      path: `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`,
    })
    if (feed.processingStatus === 'IN_QUEUE' || feed.processingStatus === 'IN_PROGRESS') return undefined
    if (feed.processingStatus !== 'DONE' || !feed.resultFeedDocumentId) return 'failed'
    const docInfo = await client.call<{ url: string; compressionAlgorithm?: string }>({
      op: 'getFeedDocument',
      method: 'GET',
      path: `/feeds/2021-06-30/documents/${encodeURIComponent(feed.resultFeedDocumentId)}`,
    })
    const raw = await client.transferDocument('GET', docInfo.url)
    let report: unknown
    try {
      report = JSON.parse((docInfo.compressionAlgorithm === 'GZIP' ? gunzipSync(raw) : raw).toString('utf8'))
    } catch (e) {
      throw new ClassifiedError(
        'retryable',
        'amazon.report_malformed',
        `Amazon's processing report of feed ${feedId} is not valid JSON`,
        {
          cause: e,
        },
      )
    }
    let outcomes: Map<number, MessageOutcome>
    try {
      outcomes = readProcessingReport(report, count)
    } catch (e) {
      throw new ClassifiedError(
        'retryable',
        'amazon.report_malformed',
        `Amazon's processing report of feed ${feedId}: ${errorMessage(e)}`,
      )
    }
    reports.set(feedId, outcomes)
    return outcomes
  }

  const confirm = async (tokens: string[]): Promise<PushItemResult[]> => {
    const out: PushItemResult[] = []
    const feeds = new Map<string, Extract<Token, { k: 'feed' }>[]>()
    const patches: Extract<Token, { k: 'patch' }>[] = []
    for (const raw of tokens) {
      let t: Token
      try {
        t = JSON.parse(raw) as Token
      } catch {
        continue
      }
      if (t.k === 'feed') feeds.set(t.feedId, [...(feeds.get(t.feedId) ?? []), t])
      else patches.push(t)
    }
    for (const [feedId, list] of feeds) {
      const report = await feedReport(feedId, list[0]?.count ?? 0)
      if (report === undefined) continue
      for (const t of list) {
        if (report === 'failed') {
          out.push({
            listingId: t.sku,
            stamp: t.stamp,
            outcome: 'retry',
            code: 'amazon.feed_failed',
            transient: true,
            message: `Amazon did not process feed ${feedId}`,
          })
          continue
        }
        const r = report.get(t.msg) ?? { ok: true }
        out.push(
          r.ok
            ? { listingId: t.sku, stamp: t.stamp, outcome: 'confirmed' }
            : {
                listingId: t.sku,
                stamp: t.stamp,
                outcome: 'rejected',
                ...(r.code ? { code: r.code } : {}),
                message: `Amazon refused the quantity for SKU ${t.sku}: ${r.message ?? 'error in the processing report'}`,
              },
        )
      }
    }
    if (patches.length > 0) {
      const live = await searchBySkus([...new Set(patches.map((p) => p.sku))])
      for (const t of patches) {
        const item = live.get(t.sku)
        if (item && quantityOf(item) === t.qty)
          out.push({ listingId: t.sku, stamp: t.stamp, outcome: 'confirmed' })
        else if (clock.now() - t.at > patchConfirmTimeoutMs)
          out.push({
            listingId: t.sku,
            stamp: t.stamp,
            outcome: 'retry',
            code: 'amazon.not_applied',
            transient: true,
            message: `Amazon accepted quantity ${t.qty} for SKU ${t.sku} but still shows ${item ? String(quantityOf(item)) : 'no listing'}`,
          })
      }
    }
    return out
  }

  const toListing = (it: ListingsItem): ChannelListing => {
    const summary = it.summaries?.[0]
    return {
      listingId: it.sku,
      sku: it.sku,
      ean: null,
      externalIds: summary?.asin ? { asin: summary.asin } : {},
      title: summary?.itemName ?? it.sku,
      quantity: quantityOf(it),
      paused: false,
    }
  }

  return {
    type: 'amazon',
    capabilities,
    client,

    async testConnection(): Promise<ConnectionTestResult> {
      try {
        await client.tokens.get()
      } catch (e) {
        return { ok: false, message: errorMessage(e), details: { step: 'login (LWA token)' } }
      }
      try {
        const res = await client.call<{ numberOfResults: number }>({
          op: 'searchListingsItems',
          method: 'GET',
          path: sellerPath,
          query: new URLSearchParams({ marketplaceIds: marketplaces, pageSize: '1' }),
        })
        return {
          ok: true,
          message: `Connected to Amazon as seller ${config.sellerId}: ${res.numberOfResults} listings in ${marketplaces}.`,
        }
      } catch (e) {
        return {
          ok: false,
          message: errorMessage(e),
          details: { step: 'listings (seller id and marketplaces)' },
        }
      }
    },

    async push(items: PushItem[]): Promise<PushBatchResult> {
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
        // Amazon has no pause: 'pause' publishes 0 and 'resume' the quantity again.
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
        // One feed per FEED_MAX_MESSAGES, should a caller hand over more than bulkBatchSize.
        sent = { results: [], calls: 0 }
        for (let i = 0; i < unique.length; i += FEED_MAX_MESSAGES) {
          const part = await pushByFeed(unique.slice(i, i + FEED_MAX_MESSAGES))
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
    },

    confirm,

    async readBack(listingIds: string[]): Promise<ListingState[]> {
      const live = await searchBySkus(listingIds)
      return listingIds.flatMap((sku) => {
        const it = live.get(sku)
        if (!it) return []
        return [
          {
            listingId: sku,
            quantity: quantityOf(it) ?? 0,
            available: it.summaries?.some((s) => s.status?.includes('BUYABLE')) ?? false,
          },
        ]
      })
    },

    async listListings(cursor?: string): Promise<Page<ChannelListing>> {
      const query = new URLSearchParams({
        marketplaceIds: marketplaces,
        includedData: 'summaries,fulfillmentAvailability',
        pageSize: String(SEARCH_PAGE),
      })
      if (cursor) query.set('pageToken', cursor)
      const res = await client.call<{ items: ListingsItem[]; pagination?: { nextToken?: string } }>({
        op: 'searchListingsItems',
        method: 'GET',
        path: sellerPath,
        query,
      })
      const next = res.pagination?.nextToken
      return { items: res.items.map(toListing), ...(next ? { next } : {}) }
    },

    async fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
      if (Number.isNaN(Date.parse(sinceIso)))
        throw new ClassifiedError(
          'permanent',
          'amazon.bad_since',
          `fetchOrders: "${sinceIso}" is not an ISO timestamp`,
        )
      const query = new URLSearchParams({
        marketplaceIds: marketplaces,
        lastUpdatedAfter: new Date(sinceIso).toISOString(),
        maxResultsPerPage: '100',
        includedData: 'FULFILLMENT,CANCELLATION',
      })
      if (cursor) query.set('paginationToken', cursor)
      const res = await client.call<SearchOrdersResponse>({
        op: 'searchOrders',
        method: 'GET',
        path: '/orders/2026-01-01/orders',
        query,
      })
      if (!Array.isArray(res.orders))
        throw new ClassifiedError(
          'retryable',
          'amazon.malformed',
          'Amazon searchOrders answered without an "orders" list',
        )
      const next = res.pagination?.nextToken
      return { items: res.orders.map(mapAmazonOrder), ...(next ? { next } : {}) }
    },
  }
}
