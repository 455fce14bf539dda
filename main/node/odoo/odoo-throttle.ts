// Odoo's "slow down": a 429 (Odoo Online and proxies in front of Odoo answer it, with Retry-After) holds
// every call to that server until the wait it named has passed. A call in the hold fails at once as
// retryable, without a request, so the engine's next poll or retry cannot reach Odoo before it was allowed.
// With a memory (the engine's database), the hold outlives the process: a process killed and started again
// within the wait honours it before its first call (the version probe included).
import { ClassifiedError } from '../../core/errors'
import { retryAfterMs, type HttpResponse } from '../http/http-client'

/** The wait a 429 without Retry-After (or with one of 0) holds calls for. */
export const ODOO_THROTTLE_DEFAULT_MS = 5_000

/**
 * The hold of one Odoo server, shared by every connection to it in this process (a gateway made again after
 * a failed start still honours the wait its predecessor was given).
 */
export function odooThrottleFor(host: string): OdooThrottle {
  let t = throttles.get(host)
  if (!t) throttles.set(host, (t = new OdooThrottle(host)))
  return t
}
const throttles = new Map<string, OdooThrottle>()

/** Where a hold is kept beyond this process: the end of the wait (epoch ms) per Odoo host. */
export interface OdooHoldMemory {
  load(host: string): number | null
  save(host: string, until: number): void
}

export class OdooThrottle {
  private until = 0
  private memory: OdooHoldMemory | null = null

  constructor(
    private readonly host: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps holds in `memory` from now on, and honours the one it holds (left by an earlier process). */
  remember(memory: OdooHoldMemory): void {
    this.memory = memory
    this.until = Math.max(this.until, memory.load(this.host) ?? 0)
  }

  /** Throws the hold while it lasts: no call goes to Odoo before the time its 429 named. */
  check(what: string): void {
    const left = this.until - this.now()
    if (left > 0)
      throw new ClassifiedError(
        'retryable',
        'odoo.throttled',
        `Odoo at ${this.host} asked LastUnit to slow down: ${what} waits ${Math.ceil(left / 1000)} s more`,
        {
          retryAfterMs: left,
          hint: 'LastUnit retries automatically once the wait Odoo asked for has passed.',
        },
      )
  }

  /** A 429 answered now: holds every call for its Retry-After (never shortening a longer hold); the error. */
  throttled(res: HttpResponse, what: string): ClassifiedError {
    const wait = retryAfterMs(res.headers) || ODOO_THROTTLE_DEFAULT_MS
    this.until = Math.max(this.until, this.now() + wait)
    this.memory?.save(this.host, this.until)
    return new ClassifiedError(
      'retryable',
      'odoo.throttled',
      `Odoo at ${this.host} asked LastUnit to slow down (HTTP 429) while ${what}: waiting ${Math.ceil(wait / 1000)} s`,
      { retryAfterMs: wait, hint: 'LastUnit retries automatically once the wait Odoo asked for has passed.' },
    )
  }
}
