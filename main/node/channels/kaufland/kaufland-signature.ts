// Kaufland signs every request: HMAC-SHA256 with the secret key over METHOD, the full URL (scheme, host,
// path and query), the exact body string and the timestamp, joined by newlines. Signing any other string
// than the bytes sent is the classic "GET works, PATCH fails" bug, so callers pass the final body here.
import { createHmac } from 'node:crypto'

export interface KauflandSignInput {
  method: string
  /** Full URL including scheme, host and query string. */
  url: string
  /** The exact body sent; empty string for GET and DELETE. */
  body: string
  /** Unix seconds, the same value as the Shop-Timestamp header. */
  timestamp: number
}

export const kauflandSigningString = (i: KauflandSignInput): string =>
  [i.method.toUpperCase(), i.url, i.body, String(i.timestamp)].join('\n')

export const kauflandSignature = (secretKey: string, i: KauflandSignInput): string =>
  createHmac('sha256', secretKey).update(kauflandSigningString(i), 'utf8').digest('hex')
