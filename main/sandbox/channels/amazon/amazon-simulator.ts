// A stand-in for Amazon SP-API: LWA token endpoint, Listings Items 2021-08-01, Feeds 2021-06-30 with a presigned
// document store, and Orders 2026-01-01 searchOrders. Patches and feeds are applied after a delay, as on
// Amazon; requests are checked against the embedded schemas and the official models when present; limits
// are Amazon's per-operation rates on a scaled clock, answered with 429 QuotaExceeded.
import { randomUUID } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { AMAZON_LIMITS } from '../../../core/channels/amazon-limits'
import { systemClock, type Clock } from '../../../core/ports/clock'
import {
  startSimServer,
  type FaultConfig,
  type SimRequest,
  type SimRequestLogEntry,
  type SimServer,
  type SimResponse,
  type SimRoute,
} from '../../http/sim-server'
import { checkProbeOrder, emitStockWrite, type ChannelSimProbe, type StockWriteSink } from '../../kit'
import { loadJsonSchemaValidator, loadSpecValidator } from '../../kit'
import { headersOf, requestProblems, SimRateLimits, type RecordedRequest, type SimLimit } from '../../kit'
import {
  checkCreateFeed,
  checkCreateFeedDocument,
  checkListingsFeedDocument,
  checkPatchListingsItem,
} from './amazon-request-schemas'

export const AMAZON_SIM_CREDENTIALS = {
  clientId: 'amzn1.application-oa2-client.sim',
  clientSecret: 'sim-lwa-secret',
  refreshToken: 'Atzr|sim-refresh-token',
}

export interface AmazonSimListing {
  sku: string
  quantity: number
  asin?: string
  title?: string
  productType?: string
}

export interface AmazonSimulatorOptions {
  sellerId?: string
  marketplaceId?: string
  credentials?: typeof AMAZON_SIM_CREDENTIALS
  /** 10 = every rate window and delay ten times shorter than on Amazon. */
  timeScale?: number
  /** Real-Amazon time before an ACCEPTED patch shows (ms, before scaling). */
  applyDelayMs?: number
  /** Real-Amazon time a listings feed takes (ms, before scaling). */
  feedProcessingMs?: number
  tokenTtlSeconds?: number
  limits?: Partial<Record<keyof typeof AMAZON_LIMITS.operations, SimLimit>>
  /** Result documents gzip-compressed, as Amazon may deliver them. */
  gzipReports?: boolean
  faults?: FaultConfig
  random?: () => number
  clock?: Clock
  port?: number
}

export interface AmazonSimOrderInput {
  orderId?: string
  items: { sku: string; quantity: number; unitPrice?: number }[]
}

interface SimOrder {
  orderId: string
  createdTime: number
  lastUpdatedTime: number
  status: 'UNSHIPPED' | 'SHIPPED' | 'CANCELLED'
  items: {
    orderItemId: string
    sku: string
    asin: string
    title: string
    quantity: number
    unitPrice: number
    cancelled: boolean
  }[]
}

interface Listing extends Required<AmazonSimListing> {
  createdAt: number
  updatedAt: number
}

interface Feed {
  feedId: string
  inputDocumentId: string
  createdAt: number
  doneAt: number
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'FATAL'
  resultDocumentId?: string
}

export interface AmazonSimulator {
  readonly url: string
  /** The HTTP server underneath (fault counters, own 429s). */
  readonly server: SimServer
  readonly sellerId: string
  readonly marketplaceId: string
  faults: FaultConfig
  readonly requests: SimRequestLogEntry[]
  /** Every request as received (for contract tests). */
  readonly received: RecordedRequest[]
  readonly counts: { patches: number; feeds: number; tokens: number; throttled: number; rejected: number }
  /** The usage-plan limits (and their latest refusals). */
  readonly limits: SimRateLimits
  setListings(listings: AmazonSimListing[]): void
  /** The quantity buyers see now (pending patches and feeds not yet applied). */
  quantityOf(sku: string): number | undefined
  placeOrder(input: AmazonSimOrderInput): string
  cancelOrder(orderId: string, itemIndex?: number): void
  shipOrder(orderId: string): void
  /** Every access token issued so far stops working, as when Amazon expires them. */
  expireTokens(): void
  /** The seller revoked the app: refresh grants fail from now on. */
  revokeRefreshToken(): void
  /** The campaign probe: listings by SKU, writes when a patch or feed is accepted (not when applied). */
  readonly probe: ChannelSimProbe
  stop(): Promise<void>
}

const amazonError = (status: number, code: string, message: string, details?: string): SimResponse => ({
  status,
  body: { errors: [{ code, message, ...(details ? { details } : {}) }] },
})

const SPEC_FILES: [string, string][] = [
  ['/listings/', 'amazon/listingsItems_2021-08-01.json'],
  ['/feeds/', 'amazon/feeds_2021-06-30.json'],
  ['/orders/2026-01-01/', 'amazon/orders_2026-01-01.json'],
]

export async function startAmazonSimulator(opts: AmazonSimulatorOptions = {}): Promise<AmazonSimulator> {
  const clock = opts.clock ?? systemClock
  const scale = opts.timeScale ?? 1
  const sellerId = opts.sellerId ?? 'A2SIMSELLER'
  const marketplaceId = opts.marketplaceId ?? 'A1PA6795UKMFR9'
  const creds = opts.credentials ?? AMAZON_SIM_CREDENTIALS
  const applyDelay = (opts.applyDelayMs ?? AMAZON_LIMITS.patchApplyMs) / scale
  const feedDelay = (opts.feedProcessingMs ?? AMAZON_LIMITS.feedProcessingMs) / scale
  const tokenTtl = opts.tokenTtlSeconds ?? AMAZON_LIMITS.tokenLifetimeS
  const limits = new SimRateLimits(
    // Amazon's documented default usage plans: the channel's limits file.
    { ...AMAZON_LIMITS.operations, ...(opts.limits ?? {}) } as Record<string, SimLimit>,
    scale,
    clock,
  )
  const gzipReports = opts.gzipReports ?? true

  const listings = new Map<string, Listing>()
  const pending = new Map<string, { quantity: number; dueAt: number }>()
  const tokens = new Map<string, number>()
  const documents = new Map<string, { body?: Buffer; contentType: string }>()
  const feeds = new Map<string, Feed>()
  const orders = new Map<string, SimOrder>()
  const received: RecordedRequest[] = []
  const counts = { patches: 0, feeds: 0, tokens: 0, throttled: 0, rejected: 0 }
  const sink: StockWriteSink = { onStockWrite: null }
  let refreshRevoked = false
  let orderSeq = 0
  let serverUrl = ''

  const listingSpec = () => loadSpecValidator('amazon/listingsItems_2021-08-01.json')
  const feedsSpec = () => loadSpecValidator('amazon/feeds_2021-06-30.json')
  const ordersSpec = () => loadSpecValidator('amazon/orders_2026-01-01.json')
  const feedDocSpec = () => loadJsonSchemaValidator('amazon/listings-feed-schema-v2.json')

  const applyQuantity = (sku: string, quantity: number) => {
    const l = listings.get(sku)
    if (!l) return
    l.quantity = quantity
    l.updatedAt = clock.now()
  }

  const processFeed = (feed: Feed) => {
    const doc = documents.get(feed.inputDocumentId)
    const issues: Record<string, unknown>[] = []
    let parsed: unknown
    let processed = 0
    let accepted = 0
    try {
      parsed = JSON.parse(doc?.body?.toString('utf8') ?? '')
    } catch {
      parsed = undefined
    }
    const problems =
      parsed === undefined
        ? ['the feed document is not JSON']
        : [...checkListingsFeedDocument(parsed), ...(feedDocSpec()?.(parsed) ?? [])]
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
        if (!listings.has(sku)) {
          fail('18', `The SKU "${sku}" does not match any listing of seller ${sellerId}.`)
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
        if (qty !== undefined) applyQuantity(sku, qty)
        accepted++
      }
      feed.status = 'DONE'
    }
    const report = {
      header: { sellerId, version: '2.0', feedId: feed.feedId },
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
    documents.set(resultId, { body: gzipReports ? gzipSync(json) : json, contentType: 'application/json' })
    feed.resultDocumentId = resultId
  }

  /** The quantity writes a feed will apply, in message order (what processFeed accepts), for the probe. */
  const feedWrites = (body: Buffer | undefined): { sku: string; quantity: number }[] => {
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
      if (!listings.has(sku) || m.operationType !== 'PATCH') continue
      const qty = fulfillmentQuantity((m.patches as unknown[]) ?? [])
      if (typeof qty === 'number') out.push({ sku, quantity: qty })
    }
    return out
  }

  /** Time passes only when someone looks: apply what is due, advance feeds. */
  const tick = () => {
    const now = clock.now()
    for (const [sku, p] of pending)
      if (p.dueAt <= now) {
        applyQuantity(sku, p.quantity)
        pending.delete(sku)
      }
    // Feeds of one seller are processed one after another, in order of submission.
    for (const feed of [...feeds.values()].sort((a, b) => a.createdAt - b.createdAt)) {
      if (feed.status === 'DONE' || feed.status === 'FATAL') continue
      if (now >= feed.doneAt) processFeed(feed)
      else if (now >= feed.createdAt + (feed.doneAt - feed.createdAt) / 3) feed.status = 'IN_PROGRESS'
      else break
    }
  }

  const record = (req: SimRequest, spec: string | undefined) => {
    const headers = headersOf(req)
    if (headers['x-amz-access-token']) headers['x-amz-access-token'] = '<redacted>'
    let body: unknown = req.json
    if (body === undefined && req.rawBody.length > 0) body = req.rawBody.toString('utf8')
    const entry: RecordedRequest = {
      method: req.method,
      path: req.path,
      query: new URLSearchParams(req.query),
      headers,
      body,
      spec,
    }
    received.push(entry)
    if (received.length > 50_000) received.splice(0, received.length - 50_000)
    return entry
  }

  /**
   * An SP-API operation's route: auth, User-Agent and the usage plan's rate limit are checked as the request
   * arrives (Amazon's gateway), then the handler runs (the backend, slow when latency is injected). Every
   * request is recorded with its answer.
   */
  const spApi = (
    op: string,
    handler: (req: SimRequest) => SimResponse,
    alsoLimits?: (req: SimRequest) => string[],
  ): Pick<SimRoute, 'handler' | 'admit'> => ({
    admit: (req) => {
      const refused = gateway(op, req, alsoLimits?.(req) ?? [])
      if (refused) {
        const entry = record(req, SPEC_FILES.find(([prefix]) => req.path.startsWith(prefix))?.[1])
        entry.response = { status: refused.status, body: refused.body }
      }
      return refused
    },
    handler: (req) => {
      const entry = record(req, SPEC_FILES.find(([prefix]) => req.path.startsWith(prefix))?.[1])
      tick()
      const r = handler(req)
      entry.response = { status: r.status, body: r.body }
      return { ...r, headers: { ...rateHeaders(op), ...(r.headers ?? {}) } }
    },
  })

  const rateHeaders = (op: string) => ({
    'x-amzn-RateLimit-Limit': String(limits.limits[op]?.ratePerSecond ?? ''),
    'x-amzn-RequestId': randomUUID(),
  })

  /** What Amazon's gateway refuses before the backend sees the request (undefined: let it through). */
  const gateway = (op: string, req: SimRequest, alsoLimits: string[]): SimResponse | undefined => {
    tick()
    const rateHeader = rateHeaders(op)
    const token = req.headers['x-amz-access-token']
    const expiry = typeof token === 'string' ? tokens.get(token) : undefined
    if (expiry === undefined || expiry <= clock.now()) {
      counts.rejected++
      const r = amazonError(
        403,
        'Unauthorized',
        'Access to requested resource is denied.',
        expiry === undefined && typeof token === 'string'
          ? 'The access token you provided is revoked, malformed or invalid.'
          : 'The access token you provided has expired.',
      )
      return { ...r, headers: rateHeader }
    }
    const ua = req.headers['user-agent'] ?? ''
    if (!/^[^/\s]+\/[^\s]+ \(Language=[^)]+\)/.test(ua))
      return {
        ...amazonError(400, 'InvalidInput', 'The User-Agent header must read AppId/Version (Language=...).'),
        headers: rateHeader,
      }
    for (const limit of [op, ...alsoLimits])
      if (limits.take(limit, req) > 0) {
        counts.throttled++
        return {
          ...amazonError(
            429,
            'QuotaExceeded',
            limit === op
              ? 'You exceeded your quota for the requested resource.'
              : `You exceeded your quota of ${limit === 'jsonListingsFeed' ? 'JSON_LISTINGS_FEED submissions' : limit}.`,
          ),
          headers: rateHeader,
        }
      }
    return undefined
  }

  const invalid = (problems: string[]): SimResponse =>
    amazonError(
      400,
      'InvalidInput',
      'Request has missing or invalid parameters and cannot be parsed.',
      problems.slice(0, 10).join('; '),
    )

  const checkMarketplaces = (req: SimRequest): string | undefined => {
    const ids = (req.query.get('marketplaceIds') ?? '').split(',').filter(Boolean)
    if (ids.length === 0) return 'marketplaceIds is required'
    const unknown = ids.find((id) => id !== marketplaceId)
    return unknown ? `marketplace ${unknown} is not one the seller participates in` : undefined
  }

  const itemView = (l: Listing, included: string[]) => ({
    sku: l.sku,
    ...(included.includes('summaries')
      ? {
          summaries: [
            {
              marketplaceId,
              asin: l.asin,
              productType: l.productType,
              conditionType: 'new_new',
              status: l.quantity > 0 ? ['BUYABLE', 'DISCOVERABLE'] : ['DISCOVERABLE'],
              itemName: l.title,
              createdDate: new Date(l.createdAt).toISOString(),
              lastUpdatedDate: new Date(l.updatedAt).toISOString(),
            },
          ],
        }
      : {}),
    ...(included.includes('fulfillmentAvailability')
      ? { fulfillmentAvailability: [{ fulfillmentChannelCode: 'DEFAULT', quantity: l.quantity }] }
      : {}),
    ...(included.includes('issues') ? { issues: [] } : {}),
  })

  const specProblems = (
    spec: ReturnType<typeof listingSpec>,
    req: SimRequest,
    embedded?: (v: unknown) => string[],
  ) =>
    requestProblems(embedded, spec, { method: req.method, path: req.path, query: req.query, body: req.json })

  const routes: SimRoute[] = [
    {
      method: 'POST',
      pattern: '/auth/o2/token',
      handler: (req) => {
        record(req, undefined)
        const form = new URLSearchParams(req.rawBody.toString('utf8'))
        counts.tokens++
        if (form.get('grant_type') !== 'refresh_token')
          return {
            status: 400,
            body: { error: 'unsupported_grant_type', error_description: 'grant_type must be refresh_token' },
          }
        if (form.get('client_id') !== creds.clientId || form.get('client_secret') !== creds.clientSecret)
          return {
            status: 401,
            body: { error: 'invalid_client', error_description: 'Client authentication failed' },
          }
        if (refreshRevoked || form.get('refresh_token') !== creds.refreshToken)
          return {
            status: 400,
            body: {
              error: 'invalid_grant',
              error_description: 'The request has an invalid grant parameter : refresh_token',
            },
          }
        const accessToken = `Atza|sim-${randomUUID()}`
        tokens.set(accessToken, clock.now() + tokenTtl * 1000)
        return {
          status: 200,
          body: {
            access_token: accessToken,
            refresh_token: creds.refreshToken,
            token_type: 'bearer',
            expires_in: tokenTtl,
          },
        }
      },
    },
    {
      method: 'PATCH',
      pattern: '/listings/2021-08-01/items/:sellerId/:sku',
      ...spApi('patchListingsItem', (req) => {
        if (req.jsonError) return invalid([`the body is not JSON: ${req.jsonError}`])
        const problems = specProblems(listingSpec(), req, checkPatchListingsItem)
        const mp = checkMarketplaces(req)
        if (mp) problems.push(mp)
        if (problems.length > 0) return invalid(problems)
        if (req.params.sellerId !== sellerId)
          return amazonError(
            403,
            'Unauthorized',
            'Access to requested resource is denied.',
            'The seller id does not match the authorised seller.',
          )
        const sku = req.params.sku ?? ''
        const listing = listings.get(sku)
        const submissionId = randomUUID().replace(/-/g, '')
        const body = req.json as { patches: unknown[] }
        const qty = fulfillmentQuantity(body.patches)
        const issues: Record<string, unknown>[] = []
        if (!listing)
          issues.push({
            code: '18',
            message: `The SKU "${sku}" does not match any listing.`,
            severity: 'ERROR',
            attributeNames: [],
            categories: ['INVALID_ATTRIBUTE'],
          })
        else if (typeof qty === 'string')
          issues.push({
            code: '90000900',
            message: qty,
            severity: 'ERROR',
            attributeNames: ['fulfillment_availability'],
            categories: ['INVALID_ATTRIBUTE'],
          })
        if (issues.length > 0) return { status: 200, body: { sku, status: 'INVALID', submissionId, issues } }
        counts.patches++
        if (typeof qty === 'number') {
          pending.set(sku, { quantity: qty, dueAt: clock.now() + applyDelay })
          emitStockWrite(sink, sku, qty, false, clock.now())
        }
        return { status: 200, body: { sku, status: 'ACCEPTED', submissionId, issues: [] } }
      }),
    },
    {
      method: 'GET',
      pattern: '/listings/2021-08-01/items/:sellerId/:sku',
      ...spApi('getListingsItem', (req) => {
        const problems = specProblems(listingSpec(), req)
        const mp = checkMarketplaces(req)
        if (mp) problems.push(mp)
        if (problems.length > 0) return invalid(problems)
        const l = listings.get(req.params.sku ?? '')
        if (!l || req.params.sellerId !== sellerId)
          return amazonError(
            404,
            'NOT_FOUND',
            `SKU '${req.params.sku ?? ''}' not found in marketplace ${marketplaceId}`,
          )
        const included = (req.query.get('includedData') ?? 'summaries').split(',')
        return { status: 200, body: itemView(l, included) }
      }),
    },
    {
      method: 'GET',
      pattern: '/listings/2021-08-01/items/:sellerId',
      ...spApi('searchListingsItems', (req) => {
        const problems = specProblems(listingSpec(), req)
        const mp = checkMarketplaces(req)
        if (mp) problems.push(mp)
        const pageSize = Number(req.query.get('pageSize') ?? '10')
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 20)
          problems.push('pageSize must be between 1 and 20')
        const identifiers = req.query.get('identifiers')?.split(',').filter(Boolean)
        if (identifiers && identifiers.length > 20) problems.push('identifiers accepts at most 20 values')
        if (identifiers && !req.query.get('identifiersType'))
          problems.push('identifiersType is required with identifiers')
        if (problems.length > 0) return invalid(problems)
        if (req.params.sellerId !== sellerId)
          return amazonError(403, 'Unauthorized', 'Access to requested resource is denied.')
        let all = [...listings.values()].sort((a, b) => (a.sku < b.sku ? -1 : 1))
        if (identifiers) {
          const type = req.query.get('identifiersType')
          all = all.filter((l) => identifiers.includes(type === 'ASIN' ? l.asin : l.sku))
        }
        const offset =
          Number(Buffer.from(req.query.get('pageToken') ?? 'MA==', 'base64').toString('utf8')) || 0
        const page = all.slice(offset, offset + pageSize)
        const included = (req.query.get('includedData') ?? 'summaries').split(',')
        const next =
          offset + pageSize < all.length
            ? Buffer.from(String(offset + pageSize)).toString('base64')
            : undefined
        return {
          status: 200,
          body: {
            numberOfResults: all.length,
            ...(next ? { pagination: { nextToken: next } } : {}),
            items: page.map((l) => itemView(l, included)),
          },
        }
      }),
    },
    {
      method: 'POST',
      pattern: '/feeds/2021-06-30/documents',
      ...spApi('createFeedDocument', (req) => {
        if (req.jsonError) return invalid([`the body is not JSON: ${req.jsonError}`])
        const problems = specProblems(feedsSpec(), req, checkCreateFeedDocument)
        if (problems.length > 0) return invalid(problems)
        const id = `amzn1.tortuga.4.eu.${randomUUID()}`
        documents.set(id, { contentType: (req.json as { contentType: string }).contentType })
        return {
          status: 201,
          body: {
            feedDocumentId: id,
            url: `${serverUrl}/sim-s3/documents/${encodeURIComponent(id)}?X-Amz-Signature=${randomUUID()}`,
          },
        }
      }),
    },
    {
      method: 'PUT',
      pattern: '/sim-s3/documents/:id',
      handler: (req) => {
        record(req, 'amazon/listings-feed-schema-v2.json')
        const doc = documents.get(req.params.id ?? '')
        if (!doc || doc.body)
          return {
            status: 403,
            headers: { 'content-type': 'application/xml' },
            body: '<Error><Code>AccessDenied</Code></Error>',
          }
        if (req.headers['x-amz-access-token'] || req.headers.authorization)
          return {
            status: 400,
            headers: { 'content-type': 'application/xml' },
            body: '<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>',
          }
        doc.body = req.rawBody
        return { status: 200 }
      },
    },
    {
      method: 'GET',
      pattern: '/sim-s3/documents/:id',
      handler: (req) => {
        record(req, undefined)
        const doc = documents.get(req.params.id ?? '')
        if (!doc?.body)
          return {
            status: 404,
            headers: { 'content-type': 'application/xml' },
            body: '<Error><Code>NoSuchKey</Code></Error>',
          }
        return { status: 200, headers: { 'content-type': doc.contentType }, body: doc.body }
      },
    },
    {
      method: 'POST',
      pattern: '/feeds/2021-06-30/feeds',
      ...spApi(
        'createFeed',
        (req) => {
          if (req.jsonError) return invalid([`the body is not JSON: ${req.jsonError}`])
          const problems = specProblems(feedsSpec(), req, checkCreateFeed)
          if (problems.length > 0) return invalid(problems)
          const spec = req.json as { feedType: string; marketplaceIds: string[]; inputFeedDocumentId: string }
          if (spec.feedType !== 'JSON_LISTINGS_FEED')
            return invalid([
              `feedType ${spec.feedType} is not accepted; legacy inventory feeds were retired on 31 July 2025`,
            ])
          const doc = documents.get(spec.inputFeedDocumentId)
          if (!doc?.body)
            return invalid([`inputFeedDocumentId ${spec.inputFeedDocumentId} has no uploaded content`])
          counts.feeds++
          const feedId = String(50_000_000_000 + ++orderSeq * 7)
          feeds.set(feedId, {
            feedId,
            inputDocumentId: spec.inputFeedDocumentId,
            createdAt: clock.now(),
            doneAt: clock.now() + feedDelay,
            status: 'IN_QUEUE',
          })
          for (const w of feedWrites(doc.body)) emitStockWrite(sink, w.sku, w.quantity, false, clock.now())
          return { status: 202, body: { feedId } }
        },
        // JSON_LISTINGS_FEED has its own limit on top of createFeed's, counted at the gateway too.
        (req) =>
          (req.json as { feedType?: unknown } | undefined)?.feedType === 'JSON_LISTINGS_FEED'
            ? ['jsonListingsFeed']
            : [],
      ),
    },
    {
      method: 'GET',
      pattern: '/feeds/2021-06-30/feeds/:feedId',
      ...spApi('getFeed', (req) => {
        const feed = feeds.get(req.params.feedId ?? '')
        if (!feed) return amazonError(404, 'NotFound', `Feed ${req.params.feedId ?? ''} not found`)
        return {
          status: 200,
          body: {
            feedId: feed.feedId,
            feedType: 'JSON_LISTINGS_FEED',
            marketplaceIds: [marketplaceId],
            createdTime: new Date(feed.createdAt).toISOString(),
            processingStatus: feed.status,
            ...(feed.status === 'DONE' || feed.status === 'FATAL'
              ? {
                  processingEndTime: new Date(feed.doneAt).toISOString(),
                  resultFeedDocumentId: feed.resultDocumentId,
                }
              : {}),
          },
        }
      }),
    },
    {
      method: 'GET',
      pattern: '/feeds/2021-06-30/documents/:id',
      ...spApi('getFeedDocument', (req) => {
        const id = req.params.id ?? ''
        const doc = documents.get(id)
        if (!doc?.body) return amazonError(404, 'NotFound', `Feed document ${id} not found`)
        return {
          status: 200,
          body: {
            feedDocumentId: id,
            url: `${serverUrl}/sim-s3/documents/${encodeURIComponent(id)}?X-Amz-Signature=${randomUUID()}`,
            ...(gzipReports && doc.contentType === 'application/json' && doc.body[0] === 0x1f
              ? { compressionAlgorithm: 'GZIP' }
              : {}),
          },
        }
      }),
    },
    {
      method: 'GET',
      pattern: '/orders/2026-01-01/orders',
      ...spApi('searchOrders', (req) => {
        const problems = specProblems(ordersSpec(), req)
        const q = req.query
        const created = q.get('createdAfter')
        const updated = q.get('lastUpdatedAfter')
        if ((created === null) === (updated === null))
          problems.push('exactly one of createdAfter and lastUpdatedAfter is required')
        const per = Number(q.get('maxResultsPerPage') ?? '100')
        if (!Number.isInteger(per) || per < 1 || per > 100)
          problems.push('maxResultsPerPage must be between 1 and 100')
        const ids = (q.get('marketplaceIds') ?? '').split(',').filter(Boolean)
        if (ids.length === 0) problems.push('marketplaceIds is required')
        const after = Date.parse(updated ?? created ?? '')
        if ((updated ?? created) !== null && Number.isNaN(after))
          problems.push('lastUpdatedAfter is not an ISO 8601 date-time')
        if (problems.length > 0) return invalid(problems)
        const included = (q.get('includedData') ?? '').split(',')
        const key = updated !== null ? 'lastUpdatedTime' : 'createdTime'
        const all = [...orders.values()]
          .filter((o) => o[key] >= after)
          .sort((a, b) => a[key] - b[key] || (a.orderId < b.orderId ? -1 : 1))
        let offset = 0
        const token = q.get('paginationToken')
        if (token) {
          const parsed = Number(Buffer.from(token, 'base64').toString('utf8'))
          if (!Number.isInteger(parsed)) return invalid(['paginationToken is invalid or expired'])
          offset = parsed
        }
        const page = all.slice(offset, offset + per)
        const next =
          offset + per < all.length ? Buffer.from(String(offset + per)).toString('base64') : undefined
        return {
          status: 200,
          body: {
            orders: page.map((o) => orderView(o, included)),
            ...(next ? { pagination: { nextToken: next } } : {}),
            lastUpdatedBefore: new Date(clock.now()).toISOString(),
          },
        }
      }),
    },
  ]

  const orderView = (o: SimOrder, included: string[]) => ({
    orderId: o.orderId,
    createdTime: new Date(o.createdTime).toISOString(),
    lastUpdatedTime: new Date(o.lastUpdatedTime).toISOString(),
    salesChannel: { channelName: 'AMAZON', marketplaceId },
    ...(included.includes('FULFILLMENT')
      ? { fulfillment: { fulfillmentStatus: o.status, fulfilledBy: 'MERCHANT' } }
      : {}),
    orderItems: o.items.map((it) => ({
      orderItemId: it.orderItemId,
      quantityOrdered: it.quantity,
      product: {
        asin: it.asin,
        sellerSku: it.sku,
        title: it.title,
        price: { unitPrice: { amount: it.unitPrice.toFixed(2), currencyCode: 'EUR' } },
      },
      ...(included.includes('CANCELLATION') && (it.cancelled || o.status === 'CANCELLED')
        ? {
            cancellation: {
              cancellationExecution: { cancelledBy: 'BUYER', cancelReason: 'Buyer cancelled' },
            },
          }
        : {}),
      ...(included.includes('FULFILLMENT')
        ? {
            fulfillment: {
              quantityFulfilled: o.status === 'SHIPPED' ? it.quantity : 0,
              quantityUnfulfilled: o.status === 'SHIPPED' ? 0 : it.quantity,
            },
          }
        : {}),
    })),
  })

  const server = await startSimServer({
    name: 'Amazon',
    routes,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    notFound: (req) => {
      record(req, undefined)
      return amazonError(404, 'NotFound', `Resource ${req.path} is not found.`)
    },
  })
  serverUrl = server.url

  const touch = (o: SimOrder) => {
    // Order timestamps must move forward even when the clock has not.
    o.lastUpdatedTime = Math.max(clock.now(), o.lastUpdatedTime + 1)
  }

  const sim: AmazonSimulator = {
    url: server.url,
    server,
    sellerId,
    marketplaceId,
    get faults() {
      return server.faults
    },
    set faults(f: FaultConfig) {
      server.faults = f
    },
    requests: server.requests,
    received,
    counts,
    limits,
    setListings(list) {
      for (const l of list)
        listings.set(l.sku, {
          sku: l.sku,
          quantity: l.quantity,
          asin: l.asin ?? `B0${(listings.size + 1).toString(36).toUpperCase().padStart(8, '0')}`,
          title: l.title ?? `Product ${l.sku}`,
          productType: l.productType ?? 'PRODUCT',
          createdAt: clock.now(),
          updatedAt: clock.now(),
        })
    },
    quantityOf(sku) {
      tick()
      return listings.get(sku)?.quantity
    },
    placeOrder(input) {
      const orderId =
        input.orderId ??
        `302-${String(1_000_000 + ++orderSeq).padStart(7, '0')}-${String(orderSeq * 7919).padStart(7, '0')}`
      const now = clock.now()
      const order: SimOrder = {
        orderId,
        createdTime: now,
        lastUpdatedTime: now,
        status: 'UNSHIPPED',
        items: input.items.map((it, i) => {
          const l = listings.get(it.sku)
          if (l) l.quantity = Math.max(0, l.quantity - it.quantity)
          return {
            orderItemId: `${orderId.replace(/-/g, '')}${i + 1}`,
            sku: it.sku,
            asin: l?.asin ?? 'B000000000',
            title: l?.title ?? it.sku,
            quantity: it.quantity,
            unitPrice: it.unitPrice ?? 19.99,
            cancelled: false,
          }
        }),
      }
      orders.set(orderId, order)
      return orderId
    },
    cancelOrder(orderId, itemIndex) {
      const o = orders.get(orderId)
      if (!o) throw new Error(`Amazon simulator: no order ${orderId}`)
      if (itemIndex === undefined) o.status = 'CANCELLED'
      else {
        const it = o.items[itemIndex]
        if (!it) throw new Error(`Amazon simulator: order ${orderId} has no item ${itemIndex}`)
        it.cancelled = true
        if (o.items.every((x) => x.cancelled)) o.status = 'CANCELLED'
      }
      touch(o)
    },
    shipOrder(orderId) {
      const o = orders.get(orderId)
      if (!o) throw new Error(`Amazon simulator: no order ${orderId}`)
      o.status = 'SHIPPED'
      touch(o)
    },
    expireTokens() {
      for (const t of tokens.keys()) tokens.set(t, 0)
    },
    revokeRefreshToken() {
      refreshRevoked = true
      tokens.clear()
    },
    // Amazon has no pause (the adapter publishes 0): a listing is buyable while its quantity is above 0.
    probe: {
      listingIndex: () => [...listings.values()].map((l) => ({ listingId: l.sku, sku: l.sku, ean: null })),
      listingState(listingId) {
        tick()
        const l = listings.get(listingId)
        return l ? { quantity: l.quantity, buyable: l.quantity > 0 } : undefined
      },
      get onStockWrite() {
        return sink.onStockWrite
      },
      set onStockWrite(f) {
        sink.onStockWrite = f
      },
      placeOrder(listingId, quantity) {
        tick()
        checkProbeOrder('Amazon', listingId, quantity, listings.get(listingId)?.quantity)
        return sim.placeOrder({ items: [{ sku: listingId, quantity }] })
      },
      expireTokens() {
        sim.expireTokens()
        return true
      },
      get limitHits() {
        return counts.throttled
      },
    },
    stop: () => server.stop(),
  }
  return sim
}

/** The quantity a fulfillment_availability patch sets, undefined if it sets none, or a problem in words. */
function fulfillmentQuantity(patches: unknown[]): number | string | undefined {
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
