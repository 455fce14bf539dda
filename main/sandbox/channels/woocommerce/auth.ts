// The host in front of WordPress and Woo's REST authentication: a host limit answering an HTML 429, then
// the consumer key and secret from the query string or Basic auth (which hosts that strip the
// Authorization header break); an authenticated request is recorded without its credentials.
import type { SimRequest, SimResponse } from '../../http/sim-server'
import { basicCredentials, header, receivedOf, retryAfterWholeSeconds } from '../../kit'
import type { WooContext } from './context'
import { wpError } from './views'

/** A refusal of the host or of authentication; undefined: the request goes on. */
export function guard(ctx: WooContext, req: SimRequest): SimResponse | undefined {
  if (ctx.host) {
    const wait = ctx.host.take()
    if (wait > 0) {
      ctx.limited++
      return {
        status: 429,
        headers: { 'retry-after': retryAfterWholeSeconds(wait), 'content-type': 'text/html' },
        body: '<html><body>429 Too Many Requests</body></html>',
      }
    }
  }
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
