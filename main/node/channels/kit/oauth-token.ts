// An OAuth token request (Amazon's LWA refresh grant, bol's and Zalando's client credentials, eBay's refresh
// grant) and the one mapping of its answers: a refused grant needs the seller, throttling and outages are
// retryable with the wait the endpoint named, an answer without a token is retried.
import { ClassifiedError } from '../../../core/errors'
import { retryAfterMs, type HttpResponse } from '../../http/http-client'
import type { Transport } from './auth'
import { bodyOf } from './error-mapping'
import type { IssuedToken } from './token-cache'

export interface TokenGrant {
  /** The token endpoint's name in messages: "Amazon LWA", "bol.com login". */
  service: string
  /** The channel's name in "… login failed": "Amazon". */
  channel: string
  /** Code prefix: amazon gives amazon.auth, amazon.token_throttled... */
  prefix: string
  url: string
  headers: Record<string, string>
  /** Form body (application/x-www-form-urlencoded), if the grant has one. */
  form?: URLSearchParams
  /** Plain words for a refused grant, by OAuth error code ("invalid_grant") and status. */
  refused(code: string, status: number): string
  /** What the seller can do about a refused grant. */
  hint: string
  /** expires_in when the answer names none. */
  lifetimeS: number
  /** Paces token requests (Zalando allows 8 a minute): undefined when a slot is free now. */
  pace?: () => Promise<void> | undefined
  /** The request was answered, or failed: the pacer counts it from now (RequestPacer.answered). */
  answered?: () => void
  /** The endpoint asked to wait (429): hold further token requests. */
  onThrottled?: (waitMs: number) => void
  /** The wait a 429 without Retry-After asks for; none by default. */
  throttleWaitMs?: number
}

export async function fetchOAuthToken(transport: Transport, g: TokenGrant): Promise<IssuedToken> {
  const pacing = g.pace?.()
  if (pacing) await pacing
  let res: HttpResponse
  try {
    res = await transport({
      method: 'POST',
      url: g.url,
      headers: {
        accept: 'application/json',
        ...(g.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...g.headers,
      },
      ...(g.form ? { body: g.form.toString() } : {}),
      service: g.service,
    })
  } finally {
    g.answered?.()
  }
  if (res.status === 200) {
    const b = res.json<{ access_token?: unknown; expires_in?: unknown; refresh_token?: unknown }>()
    if (typeof b?.access_token !== 'string' || b.access_token === '')
      throw new ClassifiedError(
        'retryable',
        `${g.prefix}.token_malformed`,
        `${g.service} answered without an access_token`,
      )
    return {
      accessToken: b.access_token,
      expiresInSeconds: typeof b.expires_in === 'number' ? b.expires_in : g.lifetimeS,
      ...(typeof b.refresh_token === 'string' && b.refresh_token ? { refreshToken: b.refresh_token } : {}),
    }
  }
  throw tokenError(g, res)
}

function tokenError(g: TokenGrant, res: HttpResponse): ClassifiedError {
  const s = res.status
  const body = bodyOf<{ error?: unknown; error_description?: unknown }>(res)
  const code = typeof body?.error === 'string' ? body.error : ''
  if (s === 400 || s === 401 || s === 403)
    return new ClassifiedError(
      'needs_seller',
      `${g.prefix}.auth`,
      `${g.channel} login failed: ${g.refused(code, s)}`,
      {
        hint: g.hint,
        ...(typeof body?.error_description === 'string' ? { cause: body.error_description } : {}),
      },
    )
  const wait = retryAfterMs(res.headers) ?? (s === 429 ? g.throttleWaitMs : undefined)
  if (s === 429) {
    if (wait !== undefined) g.onThrottled?.(wait)
    return new ClassifiedError(
      'retryable',
      `${g.prefix}.token_throttled`,
      `${g.service} asked to slow down (HTTP 429): too many token requests`,
      wait === undefined ? {} : { retryAfterMs: wait },
    )
  }
  if (s >= 500 || s === 408)
    return new ClassifiedError(
      'retryable',
      `${g.prefix}.token_unavailable`,
      `${g.service} failed (HTTP ${s})`,
      wait === undefined ? {} : { retryAfterMs: wait },
    )
  return new ClassifiedError(
    'permanent',
    `${g.prefix}.token_rejected`,
    `${g.service} rejected the token request (HTTP ${s})`,
  )
}
