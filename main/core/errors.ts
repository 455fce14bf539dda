// Every error from the outside world is classified, so callers know whether to retry, give up on the
// item, or stop and ask the seller (credentials, permissions, plan limits).
export type ErrorKind = 'retryable' | 'permanent' | 'needs_seller'

export class ClassifiedError extends Error {
  readonly kind: ErrorKind
  /** Stable machine code, e.g. `odoo.access_denied`, `amazon.throttled`. */
  readonly code: string
  /** What the seller can do about it, in plain words. */
  readonly hint: string | undefined
  /** For retryable errors: how long the other side asked us to wait. */
  readonly retryAfterMs: number | undefined

  constructor(
    kind: ErrorKind,
    code: string,
    message: string,
    opts: { hint?: string; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'ClassifiedError'
    this.kind = kind
    this.code = code
    this.hint = opts.hint
    this.retryAfterMs = opts.retryAfterMs
  }
}

export const isClassifiedError = (e: unknown): e is ClassifiedError => e instanceof ClassifiedError

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e))
