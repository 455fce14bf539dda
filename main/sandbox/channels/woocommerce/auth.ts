// The host in front of WordPress and Woo's REST authentication: a host limit answering an HTML 429 (at the
// front door, as requests arrive), then the consumer key and secret from the query string or Basic auth (which hosts that strip the
// Authorization header break); an authenticated request is recorded without its credentials.
import type { SimRequest, SimResponse } from '../../http/sim-server'
import { basicCredentials, header, receivedOf, retryAfterWholeSeconds } from '../../kit'
import type { WooContext } from './context'
import { wpError } from './views'

/**
 * The host's limit, as a request arrives (before WordPress, so before any injected latency: a host or WAF
 * counts requests at its front door); undefined: the request goes on.
 */
export function hostLimit(ctx: WooContext): SimResponse | undefined {
  if (!ctx.host) return undefined
  const wait = ctx.host.take()
  if (wait <= 0) return undefined
  ctx.limited++
  return {
    status: 429,
    headers: { 'retry-after': retryAfterWholeSeconds(wait), 'content-type': 'text/html' },
    body: '<html><body>429 Too Many Requests</body></html>',
  }
}

/** A refusal of authentication; undefined: the request goes on. */
export function guard(ctx: WooContext, req: SimRequest): SimResponse | undefined {
  let key = req.query.get('consumer_key')
  let secret = req.query.get('consumer_secret')
  if (!key) {
    const basic = ctx.stripAuthorizationHeader ? undefined : basicCredentials(header(req, 'authorization'))
    if (basic) {
      key = basic.id
      secret = basic.secret
    }
  }
  if (!key) return wpError(401, 'woocommerce_rest_authentication_error', 'Consumer key is missing.')
  if (ctx.revoked || key !== ctx.consumerKey)
    return wpError(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.')
  if (secret !== ctx.consumerSecret)
    return wpError(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.')
  ctx.received.push(receivedOf(req, ['consumer_key', 'consumer_secret']))
  return undefined
}
