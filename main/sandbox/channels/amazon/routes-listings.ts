// Listings Items 2021-08-01: patchListingsItem (accepted now, applied after Amazon's delay), getListingsItem
// and searchListingsItems with Amazon's paging, each checked against the embedded schema and the official model.
import { randomUUID } from 'node:crypto'
import type { SimRequest, SimRoute } from '../../http/sim-server'
import { decodeOffset, emitStockWrite, encodeOffset } from '../../kit'
import { checkPatchListingsItem } from './amazon-request-schemas'
import { spApi } from './auth'
import type { AmazonContext } from './context'
import { fulfillmentQuantity } from './feeds'
import { amazonError, invalid, itemView, listingSpec, specProblems } from './views'

const checkMarketplaces = (ctx: AmazonContext, req: SimRequest): string | undefined => {
  const ids = (req.query.get('marketplaceIds') ?? '').split(',').filter(Boolean)
  if (ids.length === 0) return 'marketplaceIds is required'
  const unknown = ids.find((id) => id !== ctx.marketplaceId)
  return unknown ? `marketplace ${unknown} is not one the seller participates in` : undefined
}

export function listingRoutes(ctx: AmazonContext): SimRoute[] {
  const { state } = ctx
  return [
    spApi(ctx, 'PATCH', '/listings/2021-08-01/items/:sellerId/:sku', 'patchListingsItem', (req) => {
      if (req.jsonError) return invalid([`the body is not JSON: ${req.jsonError}`])
      const problems = specProblems(listingSpec(), req, checkPatchListingsItem)
      const mp = checkMarketplaces(ctx, req)
      if (mp) problems.push(mp)
      if (problems.length > 0) return invalid(problems)
      if (req.params.sellerId !== ctx.sellerId)
        return amazonError(
          403,
          'Unauthorized',
          'Access to requested resource is denied.',
          'The seller id does not match the authorised seller.',
        )
      const sku = req.params.sku ?? ''
      const listing = state.listings.get(sku)
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
      ctx.counts.patches++
      if (typeof qty === 'number') {
        state.pending.set(sku, { quantity: qty, dueAt: ctx.time.now() + ctx.applyDelay })
        emitStockWrite(ctx.writes, sku, qty, false, ctx.time.now())
      }
      return { status: 200, body: { sku, status: 'ACCEPTED', submissionId, issues: [] } }
    }),
    spApi(ctx, 'GET', '/listings/2021-08-01/items/:sellerId/:sku', 'getListingsItem', (req) => {
      const problems = specProblems(listingSpec(), req)
      const mp = checkMarketplaces(ctx, req)
      if (mp) problems.push(mp)
      if (problems.length > 0) return invalid(problems)
      const l = state.listings.get(req.params.sku ?? '')
      if (!l || req.params.sellerId !== ctx.sellerId)
        return amazonError(
          404,
          'NOT_FOUND',
          `SKU '${req.params.sku ?? ''}' not found in marketplace ${ctx.marketplaceId}`,
        )
      const included = (req.query.get('includedData') ?? 'summaries').split(',')
      return { status: 200, body: itemView(l, included, ctx.marketplaceId) }
    }),
    spApi(ctx, 'GET', '/listings/2021-08-01/items/:sellerId', 'searchListingsItems', (req) => {
      const problems = specProblems(listingSpec(), req)
      const mp = checkMarketplaces(ctx, req)
      if (mp) problems.push(mp)
      const pageSize = Number(req.query.get('pageSize') ?? '10')
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 20)
        problems.push('pageSize must be between 1 and 20')
      const identifiers = req.query.get('identifiers')?.split(',').filter(Boolean)
      if (identifiers && identifiers.length > 20) problems.push('identifiers accepts at most 20 values')
      if (identifiers && !req.query.get('identifiersType'))
        problems.push('identifiersType is required with identifiers')
      if (problems.length > 0) return invalid(problems)
      if (req.params.sellerId !== ctx.sellerId)
        return amazonError(403, 'Unauthorized', 'Access to requested resource is denied.')
      let all = [...state.listings.values()].sort((a, b) => (a.sku < b.sku ? -1 : 1))
      if (identifiers) {
        const type = req.query.get('identifiersType')
        all = all.filter((l) => identifiers.includes(type === 'ASIN' ? l.asin : l.sku))
      }
      const offset = decodeOffset(req.query.get('pageToken') ?? 'MA==') || 0
      const page = all.slice(offset, offset + pageSize)
      const included = (req.query.get('includedData') ?? 'summaries').split(',')
      const token = req.query.get('pageToken')
      const next =
        ctx.quirks.repeatNextToken && token
          ? token
          : offset + pageSize < all.length
            ? encodeOffset(offset + pageSize)
            : undefined
      return {
        status: 200,
        body: {
          numberOfResults: all.length,
          ...(next ? { pagination: { nextToken: next } } : {}),
          items: page.map((l) => itemView(l, included, ctx.marketplaceId)),
        },
      }
    }),
  ]
}
