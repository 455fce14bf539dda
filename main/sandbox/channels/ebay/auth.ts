// eBay's OAuth and call quotas: the refresh-token grant (Basic client credentials, scopes checked) issues user
// access tokens; every Sell API call is checked for its token and counted against its API's daily quota
// (429, errorId 2001) when the backend takes it.
import { randomUUID } from 'node:crypto'
import type { SimRequest, SimResponse, SimRoute } from '../../http/sim-server'
import {
  basicAuthHeader,
  bearerToken,
  endpoint,
  formOf,
  oauthError,
  retryAfterSeconds,
  type Endpoint,
} from '../../kit'
import type { EbayContext } from './context'
import { ebayError } from './views'

const SCOPES = ['sell.inventory', 'sell.fulfillment', 'sell.account'].map(
  (s) => `https://api.ebay.com/oauth/api_scope/${s}`,
)

export function tokenRoute(ctx: EbayContext): SimRoute {
  return {
    method: 'POST',
    pattern: '/identity/v1/oauth2/token',
    handler: (req) => {
      ctx.recorder.record(req)
      ctx.counts.tokens++
      const form = formOf(req)
      if (req.headers.authorization !== basicAuthHeader(ctx.creds.clientId, ctx.creds.clientSecret))
        return oauthError(401, 'invalid_client', 'client authentication failed')
      if (form.get('grant_type') !== 'refresh_token')
        return oauthError(
          400,
          'unsupported_grant_type',
          'grant type in request is not supported by the authorization server',
        )
      if (ctx.revoked || form.get('refresh_token') !== ctx.creds.refreshToken)
        return oauthError(
          400,
          'invalid_grant',
          'the provided authorization refresh token is invalid or was issued to another client',
        )
      const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean)
      if (scopes.some((s) => !SCOPES.includes(s)))
        return oauthError(
          400,
          'invalid_scope',
          'The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client',
        )
      const t = ctx.tokens.issue(`v^1.1#i^1#p^3#r^1#sim-${randomUUID()}`, ctx.tokenTtl)
      return {
        status: 200,
        body: { access_token: t, expires_in: ctx.tokenTtl, token_type: 'User Access Token' },
      }
    },
  }
}

/** The token, then the API's daily quota (undefined: the call may go, and was counted). */
function guard(ctx: EbayContext, api: 'inventory' | 'fulfillment', req: SimRequest): SimResponse | undefined {
  if (ctx.tokens.check(bearerToken(req)) !== 'valid')
    return ebayError(401, 1001, 'Invalid access token', {
      longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.',
    })
  const quota = ctx.quotas.take(api)
  if (quota?.over) {
    ctx.counts.throttled++
    return {
      ...ebayError(429, 2001, 'Too many requests. The request limit has been reached for the resource.'),
      headers: { 'retry-after': retryAfterSeconds(quota.resetS, ctx.time.scale) },
    }
  }
  return undefined
}

/** A Sell API route: recorded with its answer; token and quota checked when the backend takes it. */
export function api(
  ctx: EbayContext,
  method: string,
  pattern: string,
  which: 'inventory' | 'fulfillment',
  handle: Endpoint['handle'],
): SimRoute {
  return endpoint(
    { method, pattern, check: (req) => guard(ctx, which, req), handle },
    {
      record: (req) => {
        const entry = ctx.recorder.record(req)
        return (r) => (entry.response = { status: r.status, body: r.body })
      },
    },
  )
}
