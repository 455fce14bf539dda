// The request loop of the channel clients that sign calls with a cached access token (bol.com, eBay, Amazon):
// each attempt takes the current token, a stale token (by default an HTTP 401) is dropped and renewed once,
// retryable failures (429, 5xx, network, garbled bodies) are tried again after the wait the channel asked for
// (retryAfterMs) or an exponential backoff, and a wait longer than a worker may sleep inline is handed back to
// the engine as the error itself. Everything channel-specific (URL, headers, error bodies) comes in as callbacks.
import { ClassifiedError } from '../../core/errors'
import type { HttpResponse } from '../http/http-client'
import { sleep } from './kit/request-pacer'
import type { TokenCache } from './kit/token-cache'

export interface AuthorizedRequest<T> {
  tokens: TokenCache
  maxAttempts: number
  /** Sends one attempt signed with this access token. */
  send: (token: string) => Promise<HttpResponse>
  /** What a 2xx answer becomes. Runs inside the retry loop: a retryable failure here (a garbled body) is retried. */
  read: (res: HttpResponse) => T
  /** The channel's classification of a non-2xx answer. */
  errorOf: (res: HttpResponse) => ClassifiedError
  /** Thrown when no attempt was made at all (maxAttempts below 1). */
  unavailable: () => ClassifiedError
  /** Base of the exponential backoff between attempts when the failure names no retryAfterMs. */
  backoffMs: number
  /** The wait after failed attempt `attempt` (from 1); defaults to retryAfterMs, else backoffMs * 2^(attempt-1). */
  waitMs?: (attempt: number, err: ClassifiedError) => number
  /** A longer wait is not slept through: the failure is thrown for the engine to reschedule. Default: no limit. */
  maxInlineWaitMs?: number
  /** Whether an answer means the token went stale (renewed once per request). Default: HTTP 401. */
  renewOn?: (res: HttpResponse, err: ClassifiedError) => boolean
  /**
   * Runs before each attempt is sent, once it has its token (pacing, rate-limit budgets). Returning nothing
   * (a slot free now) sends in the same tick; a promise is waited for.
   */
  before?: () => Promise<void> | undefined
  /** Sees each retryable answer (e.g. to hold a pacer on 429). */
  onRetryable?: (res: HttpResponse, err: ClassifiedError, attempt: number) => void
  sleep?: (ms: number) => Promise<void>
}

const isStale = (res: HttpResponse): boolean => res.status === 401

export async function authorizedRequest<T>(r: AuthorizedRequest<T>): Promise<T> {
  const renewOn = r.renewOn ?? isStale
  const waitMs = r.waitMs ?? ((attempt, err) => err.retryAfterMs ?? r.backoffMs * 2 ** (attempt - 1))
  const maxInlineWaitMs = r.maxInlineWaitMs ?? Number.POSITIVE_INFINITY
  const doSleep = r.sleep ?? sleep
  let renewed = false
  let lastError: ClassifiedError | undefined
  for (let attempt = 1; attempt <= r.maxAttempts; attempt++) {
    // The token first, then the pacing slot, then at once the request: a slot taken before a token renewal
    // would be spent while the renewal runs, and every call that waited for the token would go out together.
    const token = await r.tokens.get()
    const pacing = r.before?.()
    if (pacing) await pacing
    try {
      const res = await r.send(token)
      if (res.status >= 200 && res.status < 300) return r.read(res)
      const err = r.errorOf(res)
      if (!renewed && renewOn(res, err)) {
        // A token can be revoked or lapse in flight: one fresh token, then the failure stands.
        renewed = true
        r.tokens.invalidate(token)
        attempt--
        continue
      }
      if (err.kind !== 'retryable') throw err
      lastError = err
      r.onRetryable?.(res, err, attempt)
    } catch (e) {
      if (!(e instanceof ClassifiedError) || e.kind !== 'retryable') throw e
      lastError = e
    }
    if (attempt < r.maxAttempts) {
      const wait = waitMs(attempt, lastError)
      if (wait > maxInlineWaitMs) throw lastError
      await doSleep(wait)
    }
  }
  throw lastError ?? r.unavailable()
}

/**
 * The JSON body of a successful call, sending it again (the whole call, with its own retries) when the body
 * arrives garbled, up to `maxAttempts` times with `backoffMs` between; the last parse failure is thrown.
 */
export async function jsonWithRetries<T>(
  call: () => Promise<HttpResponse>,
  maxAttempts: number,
  backoffMs: number,
): Promise<T> {
  let last: unknown
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const res = await call()
    try {
      return res.json<T>()
    } catch (e) {
      last = e
      if (attempt < maxAttempts) await sleep(backoffMs)
    }
  }
  throw last
}
