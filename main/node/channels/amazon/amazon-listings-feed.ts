// The JSON_LISTINGS_FEED document for quantity updates, and the per-message reading of its processing report.
// One PATCH message per SKU with a `merge` of fulfillment_availability, so lead times and restock dates stay.

export interface FeedQuantity {
  sku: string
  quantity: number
}

export interface ListingsFeedOptions {
  sellerId: string
  productType: string
  fulfillmentChannelCode: string
}

export const fulfillmentPatch = (channelCode: string, quantity: number) => ({
  op: 'merge' as const,
  path: '/attributes/fulfillment_availability',
  value: [{ fulfillment_channel_code: channelCode, quantity }],
})

/** messageId is the 1-based position in `items`. */
export function buildListingsFeed(items: FeedQuantity[], o: ListingsFeedOptions): object {
  return {
    header: { sellerId: o.sellerId, version: '2.0', issueLocale: 'en_US' },
    messages: items.map((it, i) => ({
      messageId: i + 1,
      sku: it.sku,
      operationType: 'PATCH',
      productType: o.productType,
      patches: [fulfillmentPatch(o.fulfillmentChannelCode, it.quantity)],
    })),
  }
}

export interface MessageOutcome {
  ok: boolean
  code?: string
  message?: string
}

interface ReportIssue {
  messageId?: number
  code?: string
  severity?: string
  message?: string
}

/**
 * Reads a processing report: a message with an ERROR issue was not applied; every other message of the feed
 * was accepted. Issues without a messageId concern the whole feed and fail every message.
 */
export function readProcessingReport(report: unknown, messageCount: number): Map<number, MessageOutcome> {
  const out = new Map<number, MessageOutcome>()
  const r = report as { issues?: ReportIssue[]; summary?: { messagesProcessed?: number } } | null
  if (!r || typeof r !== 'object' || !Array.isArray(r.issues))
    throw new Error('the processing report has no "issues" list')
  const feedWide = r.issues.find((i) => i.severity === 'ERROR' && i.messageId === undefined)
  for (let id = 1; id <= messageCount; id++)
    out.set(id, feedWide ? { ok: false, code: feedWide.code, message: feedWide.message } : { ok: true })
  for (const issue of r.issues) {
    if (issue.severity !== 'ERROR' || issue.messageId === undefined) continue
    out.set(issue.messageId, { ok: false, code: issue.code, message: issue.message })
  }
  return out
}
