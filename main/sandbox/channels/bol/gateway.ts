// bol.com's login and gateway: the client-credentials grant issues tokens (the token endpoint has a budget
// of its own); every Retailer API call is checked as it arrives for its token, its media types and its
// endpoint's fixed-window budget (429 with Retry-After), and every answer carries the x-ratelimit-* headers.
import { randomUUID } from 'node:crypto'
import type { SimRequest, SimResponse, SimRoute } from '../../http/sim-server'
import {
  basicAuthHeader,
  bearerToken,
  endpoint,
  oauthError,
  retryAfterSeconds,
  type Endpoint,
  type WindowTake,
} from '../../kit'
import type { BolContext } from './context'
import type { BolSimEndpoint } from './types'
import { problem } from './views'

type Version = 'v10' | 'v11'

/** The x-ratelimit-* headers of a budget's count. */
const budgetHeaders = (ctx: BolContext, b: WindowTake | undefined): Record<string, string> =>
  b
    ? {
        'x-ratelimit-limit': String(b.limit),
        'x-ratelimit-remaining': String(b.remaining),
        'x-ratelimit-reset': retryAfterSeconds(b.resetS, ctx.time.scale),
      }
    : {}

export function tokenRoute(ctx: BolContext): SimRoute {
  return {
    method: 'POST',
    pattern: '/token',
    handler: (req) => {
      ctx.recorder.record(req)
      ctx.counts.tokens++
      const b = ctx.budgets.take('token')
      if (b?.over) {
        ctx.counts.throttled++
        return {
          status: 429,
          headers: { ...budgetHeaders(ctx, b), 'retry-after': b.resetS.toFixed(3) },
          body: { error: 'too_many_requests' },
        }
      }
      if (req.query.get('grant_type') !== 'client_credentials')
        return oauthError(400, 'unsupported_grant_type')
      if (
        ctx.revoked ||
        req.headers.authorization !== basicAuthHeader(ctx.creds.clientId, ctx.creds.clientSecret)
      )
        return oauthError(401, 'invalid_client', 'Bad client credentials')
      const t = ctx.tokens.issue(`sim-bol-${randomUUID()}`, ctx.tokenTtl)
      return {
        status: 200,
        body: { access_token: t, token_type: 'Bearer', expires_in: ctx.tokenTtl, scope: 'RETAILER' },
      }
    },
  }
}

/** Budget headers of each request the gateway let through, for its answer. */
const admittedHeaders = new WeakMap<SimRequest, Record<string, string>>()

/** What bol's gateway refuses before the backend sees the request (undefined: let it through). */
function gateway(
  ctx: BolContext,
  budget: BolSimEndpoint,
  version: Version,
  req: SimRequest,
): SimResponse | undefined {
  ctx.state.tick()
  const state = ctx.tokens.check(bearerToken(req))
  if (state !== 'valid')
    return problem(
      401,
      'Unauthorized',
      state === 'unknown' ? 'Invalid access token.' : 'Access token expired.',
      version,
    )
  const media = `application/vnd.retailer.${version}+json`
  if (req.headers.accept !== media)
    return problem(406, 'Not Acceptable', `Accept must be ${media} for this resource.`, version, [
      { name: 'Accept', reason: `Expected ${media}.` },
    ])
  if (req.rawBody.length > 0 && req.headers['content-type'] !== media)
    return problem(415, 'Unsupported Media Type', `Content-Type must be ${media}.`, version)
  const b = ctx.budgets.take(budget)
  const headers = budgetHeaders(ctx, b)
  if (b?.over) {
    ctx.counts.throttled++
    const r = problem(
      429,
      'Too Many Requests',
      'You have exceeded the rate limit for this resource.',
      version,
    )
    return {
      ...r,
      headers: { ...r.headers, ...headers, 'retry-after': retryAfterSeconds(b.resetS, ctx.time.scale) },
    }
  }
  admittedHeaders.set(req, headers)
  return undefined
}

/**
 * A Retailer API route: token, media types and the endpoint's budget are checked as the request arrives
 * (bol's gateway), then the handler runs (the backend, slow when latency is injected). Every request is
 * recorded with its answer.
 */
export function api(
  ctx: BolContext,
  method: string,
  pattern: string,
  budget: BolSimEndpoint,
  version: Version,
  handle: Endpoint['handle'],
): SimRoute {
  return endpoint(
    { method, pattern, gate: (req) => gateway(ctx, budget, version, req), handle },
    {
      record: (req) => {
        const entry = ctx.recorder.record(req)
        return (r) => (entry.response = { status: r.status, body: r.body })
      },
      tick: () => ctx.state.tick(),
      headers: (req) => ({
        'content-type': `application/vnd.retailer.${version}+json`,
        ...(admittedHeaders.get(req) ?? {}),
      }),
    },
  )
}
