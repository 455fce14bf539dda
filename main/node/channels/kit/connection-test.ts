// How a connection test answers a failure: a classified error becomes a failed result the seller can read
// (its message, and the hint when there is one); anything else is a bug and is thrown on.
import { ClassifiedError } from '../../../core/errors'
import type { ConnectionTestResult } from '../../../core/ports/channel-adapter'

/** The failed connection test for `e` if it is a ClassifiedError ("<message>. <hint>"); otherwise throws `e`. */
export function connectionFailure(e: unknown): ConnectionTestResult {
  if (e instanceof ClassifiedError)
    return { ok: false, message: e.hint ? `${e.message}. ${e.hint}` : e.message }
  throw e
}
