// Credentials as the simulated APIs check them: access tokens issued with a lifetime (expired on demand by
// the fault campaign, or forgotten), bearer and Basic headers, form bodies, and OAuth's error answers.
import type { Clock } from '../../core/ports/clock'
import type { SimRequest, SimResponse } from '../http/sim-server'

/** Access tokens the simulator issued, each with its expiry. */
export class TokenStore {
  private readonly tokens = new Map<string, number>()
  /** Tokens expireAll or forgetAll ended early (the fault campaign's expiries). */
  private readonly ended = new Set<string>()
  /**
   * Requests refused because they presented a token that expireAll or forgetAll had ended: what an injected
   * expiry actually did (an expiry while no request comes refuses nothing).
   */
  endedTokenRefusals = 0

  constructor(private readonly clock: Clock) {}

  /** Remembers `token` as valid for `ttlSeconds`; answers it. */
  issue(token: string, ttlSeconds: number): string {
    this.tokens.set(token, this.clock.now() + ttlSeconds * 1000)
    return token
  }

  /** Whether a presented token works now: 'unknown' when it was never issued (or was forgotten). */
  check(token: unknown): 'valid' | 'expired' | 'unknown' {
    const expiry = typeof token === 'string' ? this.tokens.get(token) : undefined
    const verdict = expiry === undefined ? 'unknown' : expiry <= this.clock.now() ? 'expired' : 'valid'
    if (verdict !== 'valid' && typeof token === 'string' && this.ended.has(token)) this.endedTokenRefusals++
    return verdict
  }

  /** Every token issued so far stops working, and is known as expired. */
  expireAll(): void {
    for (const t of this.tokens.keys()) {
      this.tokens.set(t, 0)
      this.ended.add(t)
    }
  }

  /** Every token issued so far is forgotten (unknown from now on). */
  forgetAll(): void {
    for (const t of this.tokens.keys()) this.ended.add(t)
    this.tokens.clear()
  }
}

/** A header's value (the first when repeated). */
export const header = (req: SimRequest, name: string): string | undefined => {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** The token of an `Authorization: Bearer <token>` header, undefined when there is none. */
export const bearerToken = (req: SimRequest): string | undefined =>
  /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1]

/** `Basic base64(id:secret)`, as a client sends it. */
export const basicAuthHeader = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

/** The id and secret of a Basic `Authorization` value (the secret may hold colons), or undefined. */
export function basicCredentials(value: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic (.+)$/.exec(value ?? '')
  if (!m?.[1]) return undefined
  const [id = '', ...rest] = Buffer.from(m[1], 'base64').toString('utf8').split(':')
  return { id, secret: rest.join(':') }
}

/** An `application/x-www-form-urlencoded` body. */
export const formOf = (req: SimRequest): URLSearchParams => new URLSearchParams(req.rawBody.toString('utf8'))

/** OAuth 2's error answer of a token endpoint (RFC 6749 5.2). */
export const oauthError = (status: number, error: string, description?: string): SimResponse => ({
  status,
  body: { error, ...(description === undefined ? {} : { error_description: description }) },
})
