// zDirect's login and gateway: client-credentials tokens (8 a minute: more gets 429, a violation), bearer
// tokens checked on every merchant route (and the merchant the token may act for), and the 429 answer of
// every "N a minute" limit with Retry-After.
import { randomBytes } from 'node:crypto'
import type { SimRequest, SimResponse, SimRoute } from '../../http/sim-server'
import {
  basicCredentials,
  bearerToken,
  header,
  oauthError,
  receivedOf,
  retryAfterWholeSeconds,
} from '../../kit'
import type { ZalandoContext } from './context'
import { problem } from './views'

/** A 429 of one of the simulator's limits (`wait` ms until a call could go). */
export const throttled = (ctx: ZalandoContext, wait: number, limitText: string): SimResponse => {
  ctx.limitHits++
  return problem(429, 'Too Many Requests', `Rate limit exceeded: ${limitText}`, {
    'retry-after': retryAfterWholeSeconds(wait),
    'x-rate-limit': limitText,
  })
}

/** The bearer token and the merchant; an authorised request is recorded (undefined: it may go on). */
export function authorize(ctx: ZalandoContext, req: SimRequest): SimResponse | undefined {
  const token = bearerToken(req)
  if (ctx.tokens.check(token) !== 'valid')
    return problem(
      401,
      'Unauthorized',
      token !== undefined ? 'The access token is invalid or has expired' : 'Missing bearer token',
    )
  if (req.params['mid'] !== undefined && req.params['mid'] !== ctx.merchantId)
    return problem(403, 'Forbidden', `The client has no access to merchant ${req.params['mid']}`)
  ctx.received.push(receivedOf(req))
  return undefined
}

export function tokenRoute(ctx: ZalandoContext): SimRoute {
  return {
    method: 'POST',
    pattern: '/auth/token',
    // Limits are counted at the gateway, as a request arrives (before any injected latency).
    admit: () => {
      const wait = ctx.windows.tokens.take()
      if (wait === 0) return undefined
      ctx.tokenStats.refused++
      return throttled(ctx, wait, `${ctx.lim.tokensPerWindow} token requests per minute`)
    },
    handler: (req) => {
      const client = basicCredentials(header(req, 'authorization'))
      if (req.rawBody.toString('utf8') !== 'grant_type=client_credentials')
        return oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials')
      if (client?.id !== ctx.clientId || client.secret !== ctx.clientSecret)
        return oauthError(401, 'invalid_client', 'Client authentication failed')
      const token = ctx.tokens.issue(randomBytes(24).toString('base64url'), ctx.tokenTtl)
      ctx.tokenStats.issued++
      return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ctx.tokenTtl } }
    },
  }
}
