// Feeds 2021-06-30: a feed document is created, its content PUT to a presigned (simulated S3) URL, the feed
// submitted (JSON_LISTINGS_FEED only: the legacy inventory feeds are retired) and processed in order after
// Amazon's delay; its result document is read back through the same store.
import { randomUUID } from 'node:crypto'
import type { SimRoute } from '../../http/sim-server'
import { emitStockWrite } from '../../kit'
import { checkCreateFeed, checkCreateFeedDocument } from './amazon-request-schemas'
import { spApi } from './auth'
import type { AmazonContext } from './context'
import { feedWrites } from './feeds'
import { amazonError, feedsSpec, invalid, specProblems } from './views'

const xmlError = (status: number, xml: string) => ({
  status,
  headers: { 'content-type': 'application/xml' },
  body: xml,
})

const presigned = (ctx: AmazonContext, id: string) =>
  `${ctx.url}/sim-s3/documents/${encodeURIComponent(id)}?X-Amz-Signature=${randomUUID()}`

/** How long a feed document's upload URL works (feeds_2021-06-30.json, CreateFeedDocumentResponse.url). */
export const UPLOAD_URL_LIFETIME_MS = 5 * 60_000

/**
 * The presigned document store, as S3 answers a presigned PUT: the URL works until it expires (each PUT
 * replaces what an earlier one stored), then 403 AccessDenied "Request has expired"; a URL it never
 * issued is 403 AccessDenied. Downloads what was uploaded (or a result document).
 */
function documentStoreRoutes(ctx: AmazonContext): SimRoute[] {
  const { state, time } = ctx
  return [
    {
      method: 'PUT',
      pattern: '/sim-s3/documents/:id',
      handler: (req) => {
        ctx.recorder.recordAs(req, 'amazon/listings-feed-schema-v2.json')
        const doc = state.documents.get(req.params.id ?? '')
        if (!doc)
          return xmlError(403, '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>')
        if (doc.expiresAt !== undefined && time.now() >= doc.expiresAt)
          return xmlError(
            403,
            '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
          )
        if (req.headers['x-amz-access-token'] || req.headers.authorization)
          return xmlError(
            400,
            '<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>',
          )
        doc.body = req.rawBody
        return { status: 200 }
      },
    },
    {
      method: 'GET',
      pattern: '/sim-s3/documents/:id',
      handler: (req) => {
        ctx.recorder.recordAs(req, undefined)
        const doc = state.documents.get(req.params.id ?? '')
        if (!doc?.body) return xmlError(404, '<Error><Code>NoSuchKey</Code></Error>')
        return { status: 200, headers: { 'content-type': doc.contentType }, body: doc.body }
      },
    },
  ]
}

export function feedRoutes(ctx: AmazonContext): SimRoute[] {
  const { state, time } = ctx
  return [
    spApi(ctx, 'POST', '/feeds/2021-06-30/documents', 'createFeedDocument', (req) => {
      if (req.jsonError) return invalid([`the body is not JSON: ${req.jsonError}`])
      const problems = specProblems(feedsSpec(), req, checkCreateFeedDocument)
      if (problems.length > 0) return invalid(problems)
      const id = `amzn1.tortuga.4.eu.${randomUUID()}`
      state.documents.set(id, {
        contentType: (req.json as { contentType: string }).contentType,
        expiresAt: time.now() + ctx.uploadUrlLifetime,
      })
      return { status: 201, body: { feedDocumentId: id, url: presigned(ctx, id) } }
    }),
    ...documentStoreRoutes(ctx),
    spApi(
      ctx,
      'POST',
      '/feeds/2021-06-30/feeds',
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
        const doc = state.documents.get(spec.inputFeedDocumentId)
        if (!doc?.body)
          return invalid([`inputFeedDocumentId ${spec.inputFeedDocumentId} has no uploaded content`])
        ctx.counts.feeds++
        const feedId = String(50_000_000_000 + ++state.seq * 7)
        state.feeds.set(feedId, {
          feedId,
          inputDocumentId: spec.inputFeedDocumentId,
          createdAt: time.now(),
          doneAt: time.now() + ctx.feedDelay,
          status: 'IN_QUEUE',
        })
        for (const w of feedWrites(state, doc.body))
          emitStockWrite(ctx.writes, w.sku, w.quantity, false, time.now())
        return { status: 202, body: { feedId } }
      },
      // JSON_LISTINGS_FEED has its own limit on top of createFeed's, counted at the gateway too.
      (req) =>
        (req.json as { feedType?: unknown } | undefined)?.feedType === 'JSON_LISTINGS_FEED'
          ? ['jsonListingsFeed']
          : [],
    ),
    spApi(ctx, 'GET', '/feeds/2021-06-30/feeds/:feedId', 'getFeed', (req) => {
      const feed = state.feeds.get(req.params.feedId ?? '')
      if (!feed) return amazonError(404, 'NotFound', `Feed ${req.params.feedId ?? ''} not found`)
      return {
        status: 200,
        body: {
          feedId: feed.feedId,
          feedType: 'JSON_LISTINGS_FEED',
          marketplaceIds: [ctx.marketplaceId],
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
    spApi(ctx, 'GET', '/feeds/2021-06-30/documents/:id', 'getFeedDocument', (req) => {
      const id = req.params.id ?? ''
      const doc = state.documents.get(id)
      if (!doc?.body) return amazonError(404, 'NotFound', `Feed document ${id} not found`)
      return {
        status: 200,
        body: {
          feedDocumentId: id,
          url: presigned(ctx, id),
          ...(ctx.gzipReports && doc.contentType === 'application/json' && doc.body[0] === 0x1f
            ? { compressionAlgorithm: 'GZIP' }
            : {}),
        },
      }
    }),
  ]
}
