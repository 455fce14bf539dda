// The one mapping from a channel's HTTP answers to the shared error kinds. Every channel answers with the
// same statuses; what differs is how its error bodies read, what the seller should do about refused
// credentials, and a few answers of its own (Kaufland's storefront problem, eBay's transient error ids,
// WooCommerce's missing REST route): those come in as the channel's vocabulary and its `special` hook.
import { ClassifiedError } from '../../../core/errors'
import { retryAfterMs, type HttpResponse } from '../../http/http-client'

export interface ErrorVocabulary {
  /** The channel's name in messages: "Amazon", "bol.com". */
  service: string
  /** Code prefix: `amazon` gives amazon.throttled, amazon.server... */
  prefix: string
  /** The channel's error body in words (never a credential). */
  describe(res: HttpResponse): string
  /** Code of refused credentials (401/403), after the prefix. Default 'auth'. */
  deniedCode?: string
  /** What the seller can do about refused credentials. */
  deniedHint: string | ((res: HttpResponse) => string)
  /** The wait a 429 without Retry-After asks for; none when absent. */
  throttleWaitMs?: number
  /**
   * A 404 means: the item is unknown (permanent `not_found`), the connection points nowhere (the seller's
   * settings, `not_found` needing the seller), or a plain refusal (permanent, the rejected code).
   */
  notFound: 'item' | 'settings' | 'rejected'
  notFoundHint?: string
  /** Code of any other refusal (4xx), after the prefix. Default 'rejected'. */
  rejectedCode?: string
  /** Answers of the channel's own, checked first; undefined leaves the answer to the common mapping. */
  special?(res: HttpResponse, what: string, detail: string): ClassifiedError | undefined
}

/** What a failed answer means, in the shared kinds; `what` says what was being done ("updating unit 12"). */
export function classifyAnswer(v: ErrorVocabulary, res: HttpResponse, what: string): ClassifiedError {
  const s = res.status
  const detail = v.describe(res)
  const own = v.special?.(res, what, detail)
  if (own) return own
  const code = (c: string) => `${v.prefix}.${c}`
  if (s === 401 || s === 403)
    return new ClassifiedError(
      'needs_seller',
      code(v.deniedCode ?? 'auth'),
      `${v.service} refused the credentials while ${what} (HTTP ${s}): ${detail}`,
      { hint: typeof v.deniedHint === 'string' ? v.deniedHint : v.deniedHint(res) },
    )
  if (s === 429) {
    const wait = retryAfterMs(res.headers) ?? v.throttleWaitMs
    return new ClassifiedError(
      'retryable',
      code('throttled'),
      `${v.service} asked to slow down while ${what} (HTTP 429)`,
      wait === undefined ? {} : { retryAfterMs: wait },
    )
  }
  if (s >= 500 || s === 408)
    return new ClassifiedError(
      'retryable',
      code('server'),
      `${v.service} failed while ${what} (HTTP ${s}): ${detail}`,
    )
  if (s === 404 && v.notFound === 'item')
    return new ClassifiedError(
      'permanent',
      code('not_found'),
      `${v.service} does not know this while ${what}: ${detail}`,
    )
  if (s === 404 && v.notFound === 'settings')
    return new ClassifiedError(
      'needs_seller',
      code('not_found'),
      `${v.service} did not find this while ${what} (HTTP 404): ${detail}`,
      v.notFoundHint ? { hint: v.notFoundHint } : {},
    )
  return new ClassifiedError(
    'permanent',
    code(v.rejectedCode ?? 'rejected'),
    `${v.service} rejected the request while ${what} (HTTP ${s}): ${detail}`,
  )
}

/** The body as JSON of type T, or undefined when it is not JSON (an HTML error page). */
export function bodyOf<T>(res: HttpResponse): T | undefined {
  try {
    return JSON.parse(res.text) as T
  } catch {
    return undefined
  }
}

/** The start of a body that names nothing better. */
export const snippet = (res: HttpResponse, n = 200): string => res.text.slice(0, n)
