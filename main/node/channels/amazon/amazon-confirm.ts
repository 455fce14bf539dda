// Confirming what Amazon accepted: a feed's messages by its processing report (gzip or plain), a patch by
// reading the quantity back; a patch Amazon still does not show after its processing time is sent again.
import { gunzipSync } from 'node:zlib'
import { ClassifiedError, errorMessage } from '../../../core/errors'
import { AMAZON_LIMITS } from '../../../core/channels/amazon-limits'
import type { PushItemResult } from '../../../core/ports/channel-adapter'
import { amazonCall, transferDocument } from './amazon-client'
import type { AmazonContext } from './amazon-context'
import { readProcessingReport, type MessageOutcome } from './amazon-listings-feed'
import type { AmazonListings } from './amazon-listings'
import type { AmazonToken } from './amazon-push'

export function amazonConfirm(ctx: AmazonContext, listings: AmazonListings, patchConfirmTimeoutMs?: number) {
  const { client, clock } = ctx
  // Amazon's processing time, on the simulators' clock too: a patch it still does not show is sent again.
  const timeoutMs = patchConfirmTimeoutMs ?? Math.round(AMAZON_LIMITS.patchConfirmTimeoutMs / ctx.rateScale)
  const reports = new Map<string, Map<number, MessageOutcome>>()

  const feedReport = async (
    feedId: string,
    count: number,
  ): Promise<Map<number, MessageOutcome> | 'failed' | undefined> => {
    const cached = reports.get(feedId)
    if (cached) return cached
    const feed = await client.json<{ processingStatus: string; resultFeedDocumentId?: string }>(
      amazonCall('getFeed', 'GET', `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`),
    )
    if (feed.processingStatus === 'IN_QUEUE' || feed.processingStatus === 'IN_PROGRESS') return undefined
    if (feed.processingStatus !== 'DONE' || !feed.resultFeedDocumentId) return 'failed'
    const docInfo = await client.json<{ url: string; compressionAlgorithm?: string }>(
      amazonCall(
        'getFeedDocument',
        'GET',
        `/feeds/2021-06-30/documents/${encodeURIComponent(feed.resultFeedDocumentId)}`,
      ),
    )
    const raw = await transferDocument(client, 'GET', docInfo.url)
    let report: unknown
    try {
      report = JSON.parse((docInfo.compressionAlgorithm === 'GZIP' ? gunzipSync(raw) : raw).toString('utf8'))
    } catch (e) {
      throw new ClassifiedError(
        'retryable',
        'amazon.report_malformed',
        `Amazon's processing report of feed ${feedId} is not valid JSON`,
        { cause: e },
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

  const confirmFeed = async (feedId: string, list: Extract<AmazonToken, { k: 'feed' }>[]) => {
    const out: PushItemResult[] = []
    const report = await feedReport(feedId, list[0]?.count ?? 0)
    if (report === undefined) return out
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
    return out
  }

  const confirmPatches = async (patches: Extract<AmazonToken, { k: 'patch' }>[]) => {
    const out: PushItemResult[] = []
    const live = await listings.searchBySkus([...new Set(patches.map((p) => p.sku))])
    for (const t of patches) {
      const item = live.get(t.sku)
      if (item && listings.quantityOf(item) === t.qty)
        out.push({ listingId: t.sku, stamp: t.stamp, outcome: 'confirmed' })
      else if (clock.now() - t.at > timeoutMs)
        out.push({
          listingId: t.sku,
          stamp: t.stamp,
          outcome: 'retry',
          code: 'amazon.not_applied',
          transient: true,
          message: `Amazon accepted quantity ${t.qty} for SKU ${t.sku} but still shows ${item ? String(listings.quantityOf(item)) : 'no listing'}`,
        })
    }
    return out
  }

  return async function confirm(tokens: string[]): Promise<PushItemResult[]> {
    const out: PushItemResult[] = []
    const feeds = new Map<string, Extract<AmazonToken, { k: 'feed' }>[]>()
    const patches: Extract<AmazonToken, { k: 'patch' }>[] = []
    for (const raw of tokens) {
      let t: AmazonToken
      try {
        t = JSON.parse(raw) as AmazonToken
      } catch {
        continue
      }
      if (t.k === 'feed') feeds.set(t.feedId, [...(feeds.get(t.feedId) ?? []), t])
      else patches.push(t)
    }
    for (const [feedId, list] of feeds) out.push(...(await confirmFeed(feedId, list)))
    if (patches.length > 0) out.push(...(await confirmPatches(patches)))
    return out
  }
}
