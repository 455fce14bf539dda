// An access token kept until shortly before it expires, fetched by one request at a time: bol.com blocks
// clients that ask for tokens too often, Zalando allows 8 a minute, and Amazon/eBay refresh grants are
// counted. A refused grant is remembered, so a revoked credential raises one alert instead of a retry storm.
import { ClassifiedError } from '../../../core/errors'
import type { Clock } from '../../../core/ports/clock'

export interface IssuedToken {
  accessToken: string
  expiresInSeconds: number
  /** Some grants hand back a new refresh token (rotation); the owner must store it. */
  refreshToken?: string
}

export interface TokenCacheOptions {
  fetchToken: () => Promise<IssuedToken>
  clock: Clock
  /** Renew this long before expiry, so a token never runs out in flight. */
  skewMs?: number
  onRefreshed?: (t: IssuedToken) => void
}

export class TokenCache {
  private token: { value: string; expiresAt: number } | undefined
  private inflight: Promise<string> | undefined
  private refused: ClassifiedError | undefined
  /** The token endpoint asked us to wait (429 or 503 with Retry-After): no request before this. */
  private held: { until: number; error: ClassifiedError } | undefined
  /** Token requests made (for tests and call accounting). */
  fetches = 0

  constructor(private readonly opts: TokenCacheOptions) {}

  async get(): Promise<string> {
    if (this.refused) throw this.refused
    const now = this.opts.clock.now()
    if (this.token && now < this.token.expiresAt - (this.opts.skewMs ?? 60_000)) return this.token.value
    if (this.held && now < this.held.until) {
      // Every caller (pushes, order polls) would otherwise ask again inside the wait the channel named.
      const e = this.held.error
      throw new ClassifiedError(e.kind, e.code, e.message, {
        retryAfterMs: this.held.until - now,
        ...(e.hint ? { hint: e.hint } : {}),
      })
    }
    this.inflight ??= (async () => {
      try {
        this.fetches++
        const t = await this.opts.fetchToken()
        this.token = { value: t.accessToken, expiresAt: this.opts.clock.now() + t.expiresInSeconds * 1000 }
        this.held = undefined
        this.opts.onRefreshed?.(t)
        return t.accessToken
      } catch (e) {
        // Only the seller can fix a refused grant; until the credentials change, fail fast.
        if (e instanceof ClassifiedError && e.kind === 'needs_seller') this.refused = e
        if (e instanceof ClassifiedError && e.kind === 'retryable' && (e.retryAfterMs ?? 0) > 0)
          this.held = { until: this.opts.clock.now() + e.retryAfterMs!, error: e }
        throw e
      } finally {
        this.inflight = undefined
      }
    })()
    return this.inflight
  }

  /** The API refused a token we thought valid (revoked or expired early): fetch a new one next time. */
  invalidate(value?: string): void {
    if (value === undefined || this.token?.value === value) this.token = undefined
  }
}
