// The one HTTP client every connector uses: a timeout on every call, keep-alive (fetch's default agent),
// and failures turned into ClassifiedErrors a caller can act on.
import { answerSnippet } from '../redaction'
import { ClassifiedError } from '../../core/errors'

export interface HttpRequest {
  method: string
  url: string
  headers?: Record<string, string>
  body?: string | Uint8Array<ArrayBuffer>
  timeoutMs: number
  /** Name used in error messages, e.g. "bol.com". */
  service: string
  /** Keep the body's bytes too (a binary document: a gzip report). */
  binary?: boolean
}

export interface HttpResponse {
  status: number
  headers: Headers
  text: string
  /** The body as received, when the request asked for it (binary). */
  bytes?: Uint8Array
  /** Parses the body as JSON; throws a retryable ClassifiedError when it is not (truncated, HTML page). */
  json<T = unknown>(): T
}

const parseRetryAfter = (h: string | null): number | undefined => {
  if (!h) return undefined
  const secs = Number(h)
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000)
  const date = Date.parse(h)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

export const retryAfterMs = (headers: Headers): number | undefined =>
  parseRetryAfter(headers.get('retry-after'))

/** The header that carries when a request was sent, for simulators on this machine only (see stampSendTimes). */
export const SENT_AT_HEADER = 'x-lastunit-sent-at'
let stampSend = false

/**
 * Has the channel client stamp every request with the time it was sent (epoch ms) in SENT_AT_HEADER. Only for
 * runs against the simulators (`lastunit run --rate-scale`, which refuses any channel not on this machine): the
 * simulators share one busy process and cannot always take a request the moment it arrives, so they judge a
 * client's pacing by when it sent each call. Never on for a real marketplace.
 */
export function stampSendTimes(on: boolean): void {
  stampSend = on
}

/**
 * Bytes of a response body decoded between two turns of the event loop. A 10,000-product stock read
 * answers ~10 MB; `res.text()` would concatenate and decode it in one synchronous block (over 100 ms on a
 * busy machine) while order polls and pushes wait.
 */
export const BODY_SLICE_BYTES = 512 * 1024

/** The body as text, decoded as it arrives, with a turn of the event loop after every BODY_SLICE_BYTES. */
export async function readText(res: Response, sliceBytes = BODY_SLICE_BYTES): Promise<string> {
  if (!res.body) return ''
  const decoder = new TextDecoder()
  const parts: string[] = []
  let sinceTurn = 0
  const reader = res.body.getReader()
  for (;;) {
    const { done, value: chunk } = await reader.read()
    if (done) break
    parts.push(decoder.decode(chunk, { stream: true }))
    sinceTurn += chunk.byteLength
    if (sinceTurn >= sliceBytes) {
      sinceTurn = 0
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
  parts.push(decoder.decode())
  return parts.join('')
}

/** Plain words for the usual reasons a connection fails below HTTP (Node's error codes). */
const NETWORK_REASONS: Record<string, string> = {
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not answer HTTPS at this address (wrong port, or http only)',
  CERT_HAS_EXPIRED: 'its HTTPS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its HTTPS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its HTTPS certificate is signed by an unknown authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its HTTPS certificate cannot be verified',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its HTTPS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its HTTPS certificate is for another address',
  ECONNRESET: 'the connection was closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed by the other side',
  EHOSTUNREACH: 'this computer cannot reach it',
  ENETUNREACH: 'this computer has no network route to it',
}

/** Whether channel requests carry their send time (see stampSendTimes). */
export const sendTimesStamped = (): boolean => stampSend

export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  let res: Response
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(req.timeoutMs),
    })
  } catch (e) {
    const err = e as { name?: string; cause?: { code?: string } }
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      throw new ClassifiedError(
        'retryable',
        'http.timeout',
        `${req.service} did not answer within ${req.timeoutMs} ms`,
        {
          cause: e,
        },
      )
    const code = err.cause?.code ?? ''
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      throw new ClassifiedError(
        'needs_seller',
        'http.dns',
        `${req.service}: the host of ${new URL(req.url).host} was not found`,
        {
          hint: 'Check the address (URL) in the connection settings.',
          cause: e,
        },
      )
    if (code === 'ECONNREFUSED')
      throw new ClassifiedError(
        'retryable',
        'http.refused',
        `${req.service} refused the connection at ${new URL(req.url).host}`,
        {
          hint: 'Is the server running and the address right?',
          cause: e,
        },
      )
    const host = new URL(req.url).host
    // fetch says "fetch failed" and keeps the reason in its cause: name the address and the reason.
    const raw = (err.cause as { message?: string } | undefined)?.message ?? (e as Error).message
    const reason = NETWORK_REASONS[code] ?? (raw.split('\n')[0] ?? raw).slice(0, 160)
    const tls = /CERT|TLS|SSL|self[- ]signed/i.test(`${code} ${raw}`)
    // A connection that broke under a call (a keep-alive socket the server closed, a restart): the call
    // may or may not have been done; callers that care (Odoo) say so.
    const lost =
      code === 'ECONNRESET' ||
      code === 'UND_ERR_SOCKET' ||
      code === 'EPIPE' ||
      /other side closed|socket hang up/i.test(raw)
    throw new ClassifiedError(
      'retryable',
      lost ? 'http.connection_lost' : 'http.network',
      `${req.service} could not be reached at ${host}: ${reason}${code && !NETWORK_REASONS[code] ? ` (${code})` : ''}`,
      {
        hint:
          code === 'ERR_SSL_WRONG_VERSION_NUMBER'
            ? `Check the address and port of ${host}: the server there does not speak HTTPS.`
            : tls
              ? `The server's HTTPS certificate was not accepted: check that ${host} is the right address and that its certificate is valid.`
              : `Check the address ${host} and that this computer can reach it.`,
        cause: e,
      },
    )
  }
  let text: string
  let bytes: Uint8Array | undefined
  try {
    if (req.binary) {
      bytes = new Uint8Array(await res.arrayBuffer())
      text = new TextDecoder().decode(bytes)
    } else text = await readText(res)
  } catch (e) {
    throw new ClassifiedError('retryable', 'http.body', `${req.service}: the response was cut off`, {
      cause: e,
    })
  }
  const headers = res.headers
  const status = res.status
  let parsed: { value: unknown } | undefined
  return {
    status,
    headers,
    text,
    ...(bytes ? { bytes } : {}),
    json<T>(): T {
      try {
        // Parsed once: a pacing that reads the answer (Shopify's cost) and the caller share it.
        parsed ??= { value: JSON.parse(text) as unknown }
        return parsed.value as T
      } catch {
        const snippet = answerSnippet(text, 80).replace(/\s+/g, ' ')
        throw new ClassifiedError(
          'retryable',
          'http.malformed',
          `${req.service} sent a response that is not valid JSON (HTTP ${status}, starts with "${snippet}")`,
        )
      }
    },
  }
}
