// The request loop of the channel client: each attempt takes its credential, then its pacing slot, then at
// once goes out. A stale credential (by default an HTTP 401) is renewed once per call; retryable failures
// (429, 5xx, network, garbled bodies) are tried again after the wait the channel asked for (Retry-After) or an
// exponential backoff, whichever is longer; a 429 holds the call's limits for that long, so calls running
// beside it wait too; a wait longer than a worker may sleep inline is handed back to the engine as the error
// itself. Everything channel-specific (URL, credentials, error bodies) comes in as callbacks.
import { ClassifiedError } from '../../../core/errors'
import type { HttpResponse } from '../../http/http-client'

export interface RetryPolicy {
  /** Attempts per call, renewals of a stale credential not counted. */
  maxAttempts: number
  /** Backoff after failed attempt n (from 1): backoffMs * 2^(n-1), at most maxBackoffMs. */
  backoffMs: number
  maxBackoffMs: number
  /** A longer wait is not slept through: the failure is thrown for the engine to reschedule. */
  maxInlineWaitMs: number
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  backoffMs: 1_000,
  maxBackoffMs: 30_000,
  maxInlineWaitMs: 10_000,
}

export const backoffFor = (p: Pick<RetryPolicy, 'backoffMs' | 'maxBackoffMs'>, attempt: number): number =>
  Math.min(p.backoffMs * 2 ** (attempt - 1), p.maxBackoffMs)

export interface RequestLoop<T> {
  retry: RetryPolicy
  /** The credential for an attempt (may fetch a token; a failure is thrown at once, never retried). */
  credential: () => Promise<string> | string
  /**
   * Takes the attempt's pacing slot, after its credential: a slot taken before a token renewal would be
   * spent while the renewal runs. Undefined: taken now, and the attempt is sent in the same tick.
   */
  pace?: () => Promise<void> | undefined
  /** Sends one attempt with this credential. */
  send: (credential: string) => Promise<HttpResponse>
  /** Whether an answer is one for the caller (2xx, or statuses the call accepts). */
  isAnswer: (res: HttpResponse) => boolean
  /** An error the channel reports inside an answer (GraphQL errors at HTTP 200). */
  inspect?: (res: HttpResponse) => ClassifiedError | undefined
  /** What an answer becomes. Runs inside the loop: a retryable failure here (a garbled body) is retried. */
  read: (res: HttpResponse) => T
  /** The channel's classification of a failed answer. */
  classify: (res: HttpResponse) => ClassifiedError
  /** Whether an answer says the credential went stale. */
  isStale: (res: HttpResponse, err: ClassifiedError) => boolean
  renew: (credential: string) => void
  /** The channel answered 429: hold its limits for the wait this loop takes. */
  onThrottled?: (res: HttpResponse, waitMs: number) => void
  /** Thrown when no attempt was made at all (maxAttempts below 1). */
  unavailable: () => ClassifiedError
  sleep: (ms: number) => Promise<void>
}

export async function runRequestLoop<T>(r: RequestLoop<T>): Promise<T> {
  let renewed = false
  let lastError: ClassifiedError | undefined
  const waitFor = (attempt: number, err: ClassifiedError) =>
    Math.max(backoffFor(r.retry, attempt), err.retryAfterMs ?? 0)
  for (let attempt = 1; attempt <= r.retry.maxAttempts; attempt++) {
    const credential = await r.credential()
    const pacing = r.pace?.()
    if (pacing) await pacing
    try {
      const res = await r.send(credential)
      const err = r.isAnswer(res) ? r.inspect?.(res) : r.classify(res)
      if (!err) return r.read(res)
      if (!renewed && r.isStale(res, err)) {
        // A credential can be revoked or lapse in flight: one renewal, then the failure stands.
        renewed = true
        r.renew(credential)
        attempt--
        continue
      }
      if (err.kind !== 'retryable') throw err
      if (res.status === 429) r.onThrottled?.(res, waitFor(attempt, err))
      lastError = err
    } catch (e) {
      if (!(e instanceof ClassifiedError) || e.kind !== 'retryable') throw e
      lastError = e
    }
    if (attempt < r.retry.maxAttempts) {
      const wait = waitFor(attempt, lastError)
      if (wait > r.retry.maxInlineWaitMs) throw lastError
      await r.sleep(wait)
    }
  }
  throw lastError ?? r.unavailable()
}
