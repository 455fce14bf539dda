// JSON_LISTINGS_FEED processing as Amazon does it: the uploaded document is checked against the listings
// feed schema (embedded, and the official one when present); each PATCH message's fulfillment quantity is
// applied, and a processing report (gzip-compressed where Amazon does) becomes the feed's result document.
import { randomUUID } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { loadJsonSchemaValidator } from '../../kit'
import { checkListingsFeedDocument } from './amazon-request-schemas'
import type { AmazonState, Feed } from './state'

const feedDocSpec = () => loadJsonSchemaValidator('amazon/listings-feed-schema-v2.json')

/** Problems with a feed document (parsed JSON): embedded schema, then the official one. */
const documentProblems = (parsed: unknown): string[] => [
  ...checkListingsFeedDocument(parsed),
  ...(feedDocSpec()?.(parsed) ?? []),
]

export function processFeed(state: AmazonState, feed: Feed): void {
  const doc = state.documents.get(feed.inputDocumentId)
  const issues: Record<string, unknown>[] = []
  let parsed: unknown
  let processed = 0
  let accepted = 0
  try {
    parsed = JSON.parse(doc?.body?.toString('utf8') ?? '')
  } catch {
    parsed = undefined
  }
  const problems = parsed === undefined ? ['the feed document is not JSON'] : documentProblems(parsed)
  if (problems.length > 0) {
    feed.status = 'FATAL'
    issues.push({
      code: '100001',
      severity: 'ERROR',
      message: `The feed document is invalid: ${problems.slice(0, 5).join('; ')}`,
    })
  } else {
    const messages = (parsed as { messages: Record<string, unknown>[] }).messages
    for (const m of messages) {
      processed++
      const messageId = m.messageId as number
      const sku = m.sku as string
      const fail = (code: string, message: string) =>
        issues.push({ messageId, sku, code, severity: 'ERROR', message })
      if (!state.listings.has(sku)) {
        fail('18', `The SKU "${sku}" does not match any listing of seller ${state.sellerId}.`)
        continue
      }
      if (m.operationType !== 'PATCH') {
        fail('4000004', `The simulator only applies PATCH messages, got ${String(m.operationType)}.`)
        continue
      }
      const qty = fulfillmentQuantity((m.patches as unknown[]) ?? [])
      if (typeof qty === 'string') {
        fail('90000900', qty)
        continue
      }
      if (qty !== undefined) state.applyQuantity(sku, qty)
      accepted++
    }
    feed.status = 'DONE'
  }
  const report = {
    header: { sellerId: state.sellerId, version: '2.0', feedId: feed.feedId },
    issues,
    summary: {
      errors: issues.length,
      warnings: 0,
      messagesProcessed: processed,
      messagesAccepted: accepted,
      messagesInvalid: processed - accepted,
    },
  }
  const resultId = `amzn1.tortuga.4.eu.${randomUUID()}`
  const json = Buffer.from(JSON.stringify(report))
  state.documents.set(resultId, {
    body: state.gzipReports ? gzipSync(json) : json,
    contentType: 'application/json',
  })
  feed.resultDocumentId = resultId
}

/** The quantity writes a feed will apply, in message order (what processFeed accepts), for the probe. */
export function feedWrites(
  state: AmazonState,
  body: Buffer | undefined,
): { sku: string; quantity: number }[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(body?.toString('utf8') ?? '')
  } catch {
    return []
  }
  if (checkListingsFeedDocument(parsed).length > 0 || (feedDocSpec()?.(parsed) ?? []).length > 0) return []
  const out: { sku: string; quantity: number }[] = []
  for (const m of (parsed as { messages: Record<string, unknown>[] }).messages) {
    const sku = m.sku as string
    if (!state.listings.has(sku) || m.operationType !== 'PATCH') continue
    const qty = fulfillmentQuantity((m.patches as unknown[]) ?? [])
    if (typeof qty === 'number') out.push({ sku, quantity: qty })
  }
  return out
}

/** The quantity a fulfillment_availability patch sets, undefined if it sets none, or a problem in words. */
export function fulfillmentQuantity(patches: unknown[]): number | string | undefined {
  let qty: number | undefined
  for (const p of patches as { op?: string; path?: string; value?: unknown[] }[]) {
    if (p.path !== '/attributes/fulfillment_availability') continue
    const v = p.value?.[0] as { fulfillment_channel_code?: unknown; quantity?: unknown } | undefined
    if (!v || typeof v.fulfillment_channel_code !== 'string')
      return "'fulfillment_channel_code' does not have enough values. Expected 1, found 0."
    if (typeof v.quantity !== 'number' || !Number.isInteger(v.quantity) || v.quantity < 0)
      return `'quantity' must be a whole number of 0 or more, got ${JSON.stringify(v.quantity)}.`
    qty = v.quantity
  }
  return qty
}
