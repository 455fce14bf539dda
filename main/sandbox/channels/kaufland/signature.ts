// Kaufland's gateway: every request passes the seller-wide rate limit (429), then its signature: the client
// key, a Shop-Timestamp within the tolerance, and an HMAC-SHA256 over method, full URL, body and timestamp.
// A signed request is recorded.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { SimRequest, SimResponse } from '../../http/sim-server'
import { header, receivedOf, retryAfterWholeSeconds } from '../../kit'
import type { KauflandContext } from './context'
import { problem } from './views'

const safeEqualHex = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The rate limit, then the signature (undefined: the request may go on, and was recorded). */
export function guard(ctx: KauflandContext, req: SimRequest): SimResponse | undefined {
  const wait = ctx.bucket.take()
  if (wait > 0) {
    ctx.throttled++
    return {
      ...problem(429, 'about:blank', 'Too Many Requests: 111 requests per second per seller'),
      headers: { 'content-type': 'application/json', 'retry-after': retryAfterWholeSeconds(wait) },
    }
  }
  const h = (n: string) => header(req, n)
  const key = h('shop-client-key')
  const ts = h('shop-timestamp')
  const sig = h('shop-signature')
  const missing = [
    !key && 'Shop-Client-Key',
    !ts && 'Shop-Timestamp',
    !sig && 'Shop-Signature',
    !h('user-agent') && 'User-Agent',
  ].filter(Boolean)
  if (missing.length > 0)
    return problem(
      401,
      '/problems/missing-or-invalid-request-header',
      `Missing request header(s): ${missing.join(', ')}`,
    )
  if (ctx.revoked || key !== ctx.clientKey)
    return problem(401, '/problems/invalid-credentials', 'The client key is unknown or was revoked')
  const tsNum = Number(ts)
  if (!Number.isInteger(tsNum) || Math.abs(tsNum - ctx.time.now() / 1000) > ctx.maxSkew)
    return problem(
      401,
      '/problems/missing-or-invalid-request-header',
      `Shop-Timestamp ${ts} is more than ${ctx.maxSkew} s away from server time`,
    )
  const u = new URL(req.url)
  const fullUrl = `http://${h('host') ?? ''}${u.pathname}${u.search}`
  const expected = createHmac('sha256', ctx.secretKey)
    .update([req.method, fullUrl, req.rawBody.toString('utf8'), ts].join('\n'))
    .digest('hex')
  if (!safeEqualHex(expected, String(sig)))
    return problem(401, '/problems/corrupted-signature', 'The signature does not match the request')
  ctx.received.push(receivedOf(req))
  return undefined
}
