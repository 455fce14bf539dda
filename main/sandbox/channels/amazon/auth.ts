// Login with Amazon and SP-API's gateway: the refresh-token grant issues access tokens; every SP-API call is
// checked as it arrives for its token, its User-Agent and the usage plan's rate limit (429 QuotaExceeded),
// before the backend sees it.
import { randomUUID } from 'node:crypto'
import type { SimRequest, SimResponse, SimRoute } from '../../http/sim-server'
import { endpoint, formOf, oauthError, type Endpoint } from '../../kit'
import { specOf, type AmazonContext } from './context'
import { amazonError } from './views'

export function tokenRoute(ctx: AmazonContext): SimRoute {
  return {
    method: 'POST',
    pattern: '/auth/o2/token',
    handler: (req) => {
      ctx.recorder.recordAs(req, undefined)
      const form = formOf(req)
      ctx.counts.tokens++
      const grant = form.get('grant_type')
      if (grant !== 'refresh_token' && grant !== 'client_credentials')
        return oauthError(
          400,
          'unsupported_grant_type',
          'grant_type must be refresh_token or client_credentials',
        )
      if (
        form.get('client_id') !== ctx.creds.clientId ||
        form.get('client_secret') !== ctx.creds.clientSecret
      )
        return oauthError(401, 'invalid_client', 'Client authentication failed')
      // Grantless operations: the client credentials grant with an SP-API scope ("Grantless operations").
      if (grant === 'client_credentials') {
        const scope = form.get('scope')
        if (
          scope !== 'sellingpartnerapi::notifications' &&
          scope !== 'sellingpartnerapi::client_credential:rotation'
        )
          return oauthError(
            400,
            'invalid_scope',
            'scope must be sellingpartnerapi::notifications or sellingpartnerapi::client_credential:rotation',
          )
        const accessToken = ctx.grantlessTokens.issue(`Atc|sim-${randomUUID()}`, ctx.tokenTtl)
        return {
          status: 200,
          body: { access_token: accessToken, scope, token_type: 'bearer', expires_in: ctx.tokenTtl },
        }
      }
      if (ctx.refreshRevoked || form.get('refresh_token') !== ctx.creds.refreshToken)
        return oauthError(400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token')
      const accessToken = ctx.tokens.issue(`Atza|sim-${randomUUID()}`, ctx.tokenTtl)
      return {
        status: 200,
        body: {
          access_token: accessToken,
          refresh_token: ctx.creds.refreshToken,
          token_type: 'bearer',
          expires_in: ctx.tokenTtl,
        },
      }
    },
  }
}

const rateHeaders = (ctx: AmazonContext, op: string) => ({
  'x-amzn-RateLimit-Limit': String(ctx.limits.limits[op]?.ratePerSecond ?? ''),
  'x-amzn-RequestId': randomUUID(),
})

/** What Amazon's gateway refuses before the backend sees the request (undefined: let it through). */
function gateway(
  ctx: AmazonContext,
  op: string,
  req: SimRequest,
  alsoLimits: string[],
  grantless: boolean,
): SimResponse | undefined {
  ctx.state.tick()
  const rateHeader = rateHeaders(ctx, op)
  const token = req.headers['x-amz-access-token']
  const state = (grantless ? ctx.grantlessTokens : ctx.tokens).check(token)
  if (state !== 'valid') {
    ctx.counts.rejected++
    const r = amazonError(
      403,
      'Unauthorized',
      'Access to requested resource is denied.',
      state === 'unknown' && typeof token === 'string'
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
    if (ctx.limits.take(limit) > 0) {
      ctx.counts.throttled++
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

/**
 * An SP-API operation's route: auth, User-Agent and the usage plan's rate limit (and `alsoLimits`, further
 * limits the request counts against) are checked at the gateway, then the handler runs (the backend, slow
 * when latency is injected). Every request is recorded with its answer.
 */
export function spApi(
  ctx: AmazonContext,
  method: string,
  pattern: string,
  op: string,
  handle: Endpoint['handle'],
  alsoLimits?: (req: SimRequest) => string[],
  /** A grantless operation: it takes a client-credentials token, not a seller's. */
  grantless = false,
): SimRoute {
  return endpoint(
    { method, pattern, gate: (req) => gateway(ctx, op, req, alsoLimits?.(req) ?? [], grantless), handle },
    {
      record: (req) => {
        const entry = ctx.recorder.recordAs(req, specOf(req.path))
        return (r) => (entry.response = { status: r.status, body: r.body })
      },
      tick: () => ctx.state.tick(),
      headers: () => rateHeaders(ctx, op),
    },
  )
}
